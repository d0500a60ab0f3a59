// Every command opens data through DataFile.open: the same series as CSV, as `.h5`, and as an
// HDF5 file known only by its signature gives the same forecasts, scores, summary and anomaly
// scores; a directory or a missing path is the same clear error for each command.
import Foundation
import TSFC
import TSFCTestSupport
import XCTest

final class DataFileCLITests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-datafile-cli", removedAfter: self)
        let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        for name in ["tiny.yaml", "detect-tiny.yaml"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: work.appendingPathComponent(name))
        }
        var csv = "date,load,temp\n"
        for i in 0..<300 {
            csv += String(format: "2020-01-%02d %02d:00:00,%.4f,%.4f\n", i / 24 + 1, i % 24,
                          10 + 3 * sin(2 * Double.pi * Double(i) / 24), 20 + cos(2 * Double.pi * Double(i) / 12) + 0.01 * Double(i))
        }
        try csv.write(to: work.appendingPathComponent("series.csv"), atomically: true, encoding: .utf8)
        let frame = try CSVSource(url: work.appendingPathComponent("series.csv")).load()
        try HDF5Writer.write(frame, to: work.appendingPathComponent("series.h5").path)
        try HDF5Writer.write(frame, to: work.appendingPathComponent("series.data").path + ":/group/values")
        // detect-tiny.yaml trains on normal.csv.
        try FileManager.default.copyItem(at: work.appendingPathComponent("series.csv"), to: work.appendingPathComponent("normal.csv"))
    }

    @discardableResult
    func tsfc(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        try CLITests.run(args, in: work, expect: status, file: file, line: line)
    }

    static let sources = ["series.csv", "series.h5", "series.h5:/values", "series.data:/group/values"]

    func testEveryCommandReadsHDF5AsItsCSV() throws {
        try tsfc(["train", "--config", "tiny.yaml", "--output", "run"])
        let model = work.appendingPathComponent("run/model.tsfc").path
        let forecasts = try Self.sources.map { try tsfc(["forecast", $0, "--horizon", "12", "--model", model]).out }
        XCTAssertEqual(forecasts[0].split(separator: "\n").count, 1 + 2 * 12)
        for (name, forecast) in zip(Self.sources, forecasts) { XCTAssertEqual(forecast, forecasts[0], name) }

        func scores(_ data: String) throws -> String {   // the JSON report less the line naming the file
            let report = try tsfc(["evaluate", "--model", model, "--data", data, "--horizons", "4,8", "--json"]).out
            return report.split(separator: "\n").filter { !$0.contains("\"dataset\"") }.joined(separator: "\n")
        }
        let csvScores = try scores("series.csv")
        XCTAssertTrue(csvScores.contains("\"mse\""), csvScores)
        XCTAssertEqual(try scores("series.h5"), csvScores)
        XCTAssertEqual(try scores("series.data:/group/values"), csvScores)

        for source in Self.sources.dropFirst() {
            let summary = try tsfc(["inspect", source, "--json"]).out
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
            XCTAssertEqual(object["rows"] as? Int, 300, source)
            XCTAssertEqual((object["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["load", "temp"], source)
        }

        let detected = try ["series.csv", "series.data:/group/values"].map {
            try tsfc(["detect", $0, "--config", "detect-tiny.yaml", "--train-fraction", "0.5"]).out
        }
        XCTAssertEqual(detected[0].split(separator: "\n").count, 1 + 150)
        XCTAssertEqual(detected[1], detected[0])
        let trained = try tsfc(["detect", "series.csv", "--config", "detect-tiny.yaml", "--train", "series.h5"]).out
        XCTAssertEqual(trained.split(separator: "\n").count, 1 + 300)
    }

    func testADirectoryOrAMissingFileIsTheSameErrorForEveryCommand() throws {
        try tsfc(["train", "--config", "tiny.yaml", "--output", "run"])
        let model = work.appendingPathComponent("run/model.tsfc").path
        let directory = work.appendingPathComponent("run").path, missing = work.appendingPathComponent("absent.csv").path
        for (path, reason) in [(directory, "it is a directory"), (directory + ":/values", "it is a directory"),
                               (missing, "No such file or directory")] {
            let shown = path.hasSuffix(":/values") ? directory : path
            for args in [["forecast", path, "--horizon", "4", "--model", model], ["evaluate", "--model", model, "--data", path],
                         ["inspect", path], ["detect", path, "--config", "detect-tiny.yaml"]] {
                let err = try tsfc(args, expect: 1).err
                XCTAssertTrue(err.contains("\(shown): cannot read the file (\(reason))"), "\(args): \(err)")
            }
        }
    }
}
