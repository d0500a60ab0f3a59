// `tsfc train` with a configuration outside the working directory: its relative data.path
// resolves against the configuration's folder; a run that fails leaves no run folder.
import Foundation
import TSFCTestSupport
import XCTest

final class RunPathsCLITests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-run-paths", removedAfter: self)
        let elsewhere = work.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("tiny.yaml"), to: elsewhere.appendingPathComponent("tiny.yaml"))
        try Self.hourly(rows: 300, gapAt: nil).write(to: elsewhere.appendingPathComponent("series.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("cwd"), withIntermediateDirectories: true)
    }

    func testRelativeDataPathResolvesAgainstTheConfigurationFolder() throws {
        let cwd = work.appendingPathComponent("cwd")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd.appendingPathComponent("series.csv").path))
        let (_, err) = try CLITests.run(["train", "--config", "../elsewhere/tiny.yaml", "--output", "run"], in: cwd)
        XCTAssertTrue(err.contains(work.appendingPathComponent("elsewhere/series.csv").standardizedFileURL.path), err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cwd.appendingPathComponent("run/model.tsfc").path))
        let saved = try String(contentsOf: cwd.appendingPathComponent("run/config.yaml"), encoding: .utf8)
        XCTAssertTrue(saved.contains("elsewhere/series.csv"), saved)
    }

    func testFailedTrainLeavesNoRunFolder() throws {
        let cwd = work.appendingPathComponent("cwd")
        // A data file that does not exist anywhere: the run fails after choosing its folder.
        let (_, err) = try CLITests.run(["train", "--config", "../elsewhere/tiny.yaml", "--output", "run",
                                         "--set", "data.path=missing.csv"], in: cwd, expect: 1)
        XCTAssertTrue(err.contains("missing.csv"), err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd.appendingPathComponent("run").path))
        // Missing cells in the data: refused, naming the flag, and no folder either.
        let gappy = Self.hourly(rows: 300, gapAt: 50)
        try gappy.write(to: cwd.appendingPathComponent("gappy.csv"), atomically: true, encoding: .utf8)
        let (_, gapError) = try CLITests.run(["train", "--config", "../elsewhere/tiny.yaml", "--output", "run2",
                                              "--set", "data.path=gappy.csv"], in: cwd, expect: 1)
        XCTAssertTrue(gapError.contains("--fill"), gapError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cwd.appendingPathComponent("run2").path))
        // An existing folder is kept, and says why the run failed.
        try FileManager.default.createDirectory(at: cwd.appendingPathComponent("kept"), withIntermediateDirectories: true)
        _ = try CLITests.run(["train", "--config", "../elsewhere/tiny.yaml", "--output", "kept",
                              "--set", "data.path=missing.csv"], in: cwd, expect: 1)
        let failed = try String(contentsOf: cwd.appendingPathComponent("kept/failed.txt"), encoding: .utf8)
        XCTAssertTrue(failed.contains("missing.csv"), failed)
    }

    /// An hourly series `date,load` from 2020-01-01 with an empty cell at row `gapAt`.
    static func hourly(rows: Int, gapAt: Int?) -> String {
        var csv = "date,load\n"
        for i in 0..<rows {
            let day = i / 24 + 1, hour = i % 24
            let value = i == gapAt ? "" : String(format: "%.4f", 10 + 3 * sin(2 * Double.pi * Double(i) / 24))
            csv += String(format: "2020-01-%02d %02d:00:00,", day, hour) + value + "\n"
        }
        return csv
    }
}
