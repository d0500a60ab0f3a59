import Foundation
import TSFCTensor
import TSFCTestSupport
import XCTest

/// End-to-end tests of the `tsfc` executable: train a tiny config, forecast and evaluate with it,
/// and the bad inputs that must fail cleanly.
final class CLITests: XCTestCase {
    /// The `tsfc` executable built beside the test bundle (`.build/<triple>/<config>/`).
    static func binary() throws -> URL { try ProcessRunner.builtExecutable("tsfc") }

    var work: URL!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-cli", removedAfter: self)
        let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("tiny.yaml"), to: work.appendingPathComponent("tiny.yaml"))
        // A generated hourly series: a daily sine and a slow trend.
        var csv = "date,load,temp\n"
        for i in 0..<300 {
            let t = 1_577_836_800 + i * 3600
            let day = (t - 1_577_836_800) / 86400 + 1, hour = (t / 3600) % 24
            csv += String(format: "2020-01-%02d %02d:00:00,%.4f,%.4f\n", day, hour,
                          10 + 3 * sin(2 * Double.pi * Double(i) / 24), 20 + cos(2 * Double.pi * Double(i) / 12) + 0.01 * Double(i))
        }
        try csv.write(to: work.appendingPathComponent("series.csv"), atomically: true, encoding: .utf8)
    }

    /// Runs the `tsfc` binary in `directory` with `stdin` piped in (closed when nil), asserts its
    /// exit status and returns its stdout and stderr.
    static func run(_ args: [String], in directory: URL, stdin: String? = nil, expect status: Int32 = 0,
                    file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        let result = try ProcessRunner.run(binary(), args, in: directory, stdin: stdin)
        XCTAssertFalse(result.terminatedBySignal, "tsfc \(args.joined(separator: " ")) crashed: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.status, status, "tsfc \(args.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return (result.stdout, result.stderr)
    }

    /// Trains, in `directory`, a Classic-AR model that reads 2 points (its own generated series and
    /// configuration alongside) and returns the bundle's path: for tests about stamps, formats and
    /// reading options on files of a few rows, which the shipped model (672 points) refuses.
    static func shortContextModel(in directory: URL) throws -> String {
        let series = "x\n" + (0..<200).map { String(format: "%.4f", 10 + 3 * sin(2 * Double.pi * Double($0) / 24)) }
            .joined(separator: "\n") + "\n"
        try series.write(to: directory.appendingPathComponent("ar-series.csv"), atomically: true, encoding: .utf8)
        let config = """
            version: 1
            seed: 3
            data:
              path: ar-series.csv
              split: ratios
              ratios: [0.6, 0.2, 0.2]
            model:
              adapter: classic-ar
              context_length: 2
              horizon: 1
              arnet:
                lags: 2
              backbone:
                kind: none
            evaluation:
              horizons: [1]
            """
        try config.write(to: directory.appendingPathComponent("ar-short.yaml"), atomically: true, encoding: .utf8)
        _ = try run(["train", "--config", "ar-short.yaml", "--output", "ar-short"], in: directory)
        return directory.appendingPathComponent("ar-short/model.tsfc").path
    }

    @discardableResult
    func tsfc(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        try CLITests.run(args, in: work, expect: status, file: file, line: line)
    }

    func train(_ extra: [String] = []) throws -> String {
        try tsfc(["train", "--config", "tiny.yaml", "--output", "run"] + extra)
        return work.appendingPathComponent("run/model.tsfc").path
    }

    func testTrainForecastEvaluate() throws {
        let model = try train()
        for name in ["config.yaml", "metrics.jsonl", "checkpoint.safetensors", "model.tsfc"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("run/\(name)").path), name)
        }
        let metrics = try String(contentsOf: work.appendingPathComponent("run/metrics.jsonl"), encoding: .utf8)
        XCTAssertEqual(metrics.split(separator: "\n").count, 2)  // one line per epoch
        let (csv, _) = try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", model])
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "unique_id,ds,tsfc")
        XCTAssertEqual(lines.count, 1 + 2 * 20)
        XCTAssertTrue(lines[1].hasPrefix("load,2020-01-13 12:00:00,"), String(lines[1]))  // the hour after the last row
        XCTAssertTrue(lines[40].hasPrefix("temp,2020-01-14 07:00:00,"), String(lines[40]))
        let (json, _) = try tsfc(["forecast", "series.csv", "--horizon", "3", "--model", model, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.count, 6)
        XCTAssertEqual(rows[0]["unique_id"] as? String, "load")
        let (report, _) = try tsfc(["evaluate", "--model", model, "--json"])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        let horizons = r["horizons"] as! [[String: Any]]
        // Test rows: 60 + 24 of lookback; windows = rows − L − H + 1 per channel, × 2 channels.
        XCTAssertEqual(horizons.map { $0["windows"] as! Int }, [(84 - 24 - 8 + 1) * 2, (84 - 24 - 20 + 1) * 2])
        XCTAssertLessThan(r["average_mse"] as! Double, 2)
    }

    /// The first `rows` data rows of series.csv, under its header, written to `name`.
    func head(_ rows: Int, to name: String) throws {
        let lines = try String(contentsOf: work.appendingPathComponent("series.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(rows + 1).joined(separator: "\n") + "\n"
        try lines.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func testShortSeriesIsRefusedNamingTheMinimumAndWritesNothing() throws {
        let model = try train()
        try head(10, to: "short.csv")  // 10 rows; the tiny model reads 24
        let (out, err) = try tsfc(["forecast", "short.csv", "--horizon", "4", "--model", model, "--output", "f.csv"], expect: 1)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.contains("short.csv") && err.contains("columns 'load', 'temp'") && err.contains("10 rows"), err)
        XCTAssertTrue(err.contains("at least 24"), err)
        XCTAssertTrue(err.contains("tsfc train --config") && err.contains("--set data.split=ratios")
                      && err.contains("--set model.segment_length=1 --set model.context_segments=2"), err)
        XCTAssertTrue(err.contains("--set data.path=") && err.contains("short.csv --set data.split=ratios"), err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("f.csv").path), "no output on a refusal")
        // One row short of the minimum is refused too; the suggestion fits the history.
        try head(23, to: "short.csv")
        let (_, err23) = try tsfc(["forecast", "short.csv", "--horizon", "4", "--model", model], expect: 1)
        XCTAssertTrue(err23.contains("23 rows") && err23.contains("at least 24") && err23.contains("model.segment_length=2 --set model.context_segments=2"), err23)
        // One row is too few for the default (two) and to train on: only the minimum is said.
        try head(1, to: "one.csv")
        let (_, err1) = try tsfc(["forecast", "one.csv", "--horizon", "4", "--model", Checkout.data("models/default.tsfc").path], expect: 1)
        XCTAssertTrue(err1.contains("one.csv") && err1.contains("1 row of history") && err1.contains("at least 2"), err1)
        XCTAssertFalse(err1.contains("tsfc train"), err1)
    }

    func testSeriesOfExactlyTheMinimumContextForecasts() throws {
        let model = try train()
        try head(24, to: "exact.csv")  // 2020-01-01 00:00 … 23:00
        let (out, err) = try tsfc(["forecast", "exact.csv", "--horizon", "4", "--model", model])
        XCTAssertEqual(out.split(separator: "\n").count, 1 + 2 * 4, err)
        XCTAssertTrue(out.contains("load,2020-01-02 00:00:00,"), out)
        XCTAssertFalse(err.contains("note:"), err)  // nothing padded, nothing to remark
    }

    func testPanelForecastsTheLongSeriesAndNamesTheShortOne() throws {
        let model = try train()
        var csv = "unique_id,ds,y\n"
        for i in 0..<5 { csv += String(format: "short,2020-01-01 %02d:00:00,%d\n", i, i) }
        for i in 0..<30 { csv += String(format: "long,2020-01-%02d %02d:00:00,%.3f\n", i / 24 + 1, i % 24, 10 + sin(Double(i))) }
        try csv.write(to: work.appendingPathComponent("panel.csv"), atomically: true, encoding: .utf8)
        let (out, err) = try tsfc(["forecast", "panel.csv", "--horizon", "3", "--model", model, "--output", "p.csv"])
        XCTAssertEqual(out, "")
        let written = try String(contentsOf: work.appendingPathComponent("p.csv"), encoding: .utf8)
        XCTAssertEqual(written.split(separator: "\n").count, 1 + 3, written)
        XCTAssertTrue(written.contains("long,2020-01-02 06:00:00,"), written)
        XCTAssertFalse(written.contains("short,"), written)
        XCTAssertTrue(err.contains("note:") && err.contains("'short'") && err.contains("5 rows") && err.contains("at least 24"), err)
        XCTAssertTrue(err.contains("--set model.segment_length=1 --set model.context_segments=2"), err)
        XCTAssertTrue(err.contains("--set \"data.columns=[short]\""), err)  // trains on that series alone
        XCTAssertFalse(err.contains("'long'"), err)
        // With no series long enough the command fails, naming each, and writes nothing.
        try csv.split(separator: "\n").filter { !$0.hasPrefix("long,") }.joined(separator: "\n")
            .appending("\nother,2020-01-01 00:00:00,1\nother,2020-01-01 01:00:00,2\n")
            .write(to: work.appendingPathComponent("panel.csv"), atomically: true, encoding: .utf8)
        let (_, err2) = try tsfc(["forecast", "panel.csv", "--horizon", "3", "--model", model, "--output", "q.csv"], expect: 1)
        XCTAssertTrue(err2.contains("no series") && err2.contains("'short'") && err2.contains("'other'"), err2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("q.csv").path))
    }

    func testCalendarTimestampsTrainForecastEvaluate() throws {
        let plain = try train()
        try tsfc(["train", "--config", "tiny.yaml", "--output", "cal", "--set", "model.timestamps=calendar"])
        let model = work.appendingPathComponent("cal/model.tsfc").path
        // The bundle records the hourly calendar features (in its JSON metadata block).
        let bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        let header = String(decoding: bytes.prefix(20_000), as: UTF8.self)
        XCTAssertTrue(header.contains("hourOfDay") && header.contains("dayOfYear"), "calendar features stored in the bundle")
        let (csv, _) = try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", model])
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 2 * 20)
        XCTAssertTrue(lines[1].hasPrefix("load,2020-01-13 12:00:00,"), String(lines[1]))
        let (plainCSV, _) = try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", plain])
        XCTAssertNotEqual(csv, plainCSV, "the calendar model is a different model")
        let (report, _) = try tsfc(["evaluate", "--model", model, "--json"])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        XCTAssertTrue((r["average_mse"] as! Double).isFinite)
        // Data without timestamps cannot feed a calendar model: a clear error, no crash.
        var noDates = "load,temp\n"
        for i in 0..<60 { noDates += "\(Float(i % 24)),\(Float(i % 12))\n" }
        try noDates.write(to: work.appendingPathComponent("nodates.csv"), atomically: true, encoding: .utf8)
        let e = try tsfc(["forecast", "nodates.csv", "--horizon", "5", "--model", model], expect: 1).err
        XCTAssertTrue(e.contains("timestamp"), e)
        let e2 = try tsfc(["train", "--config", "tiny.yaml", "--output", "x", "--set", "model.timestamps=dates"], expect: 1).err
        XCTAssertTrue(e2.contains("model.timestamps"), e2)
    }

    func testColumnsTheModelWasNotTrainedOnAreForecastScaleFree() throws {
        let model = try train()
        // The same series under new names: standardised by their own statistics instead of the
        // model's; per-window normalisation makes the forecasts (almost) the same.
        let renamed = try String(contentsOf: work.appendingPathComponent("series.csv"), encoding: .utf8)
            .replacingOccurrences(of: "date,load,temp", with: "date,a,b")
        try renamed.write(to: work.appendingPathComponent("renamed.csv"), atomically: true, encoding: .utf8)
        let values = { (out: String) in out.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! } }
        let original = values(try tsfc(["forecast", "series.csv", "--horizon", "8", "--model", model]).out)
        let other = values(try tsfc(["forecast", "renamed.csv", "--horizon", "8", "--model", model]).out)
        XCTAssertEqual(original.count, other.count)
        for (x, y) in zip(original, other) { XCTAssertEqual(x, y, accuracy: 1e-3 * max(1, abs(x))) }
    }

    func testSameSeedSameBundle() throws {
        try tsfc(["train", "--config", "tiny.yaml", "--output", "a"])
        try tsfc(["train", "--config", "tiny.yaml", "--output", "b"])
        // Bit-identical weights (the file sizes may differ: the metadata records the training time).
        let a = try Safetensors.read(contentsOf: work.appendingPathComponent("a/model.tsfc"))
        let b = try Safetensors.read(contentsOf: work.appendingPathComponent("b/model.tsfc"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        XCTAssertFalse(a.isEmpty)
        for (name, tensor) in a { XCTAssertEqual(tensor.scalars, b[name]?.scalars, name) }
        // Same weights: the forecasts are identical.
        let fa = try tsfc(["forecast", "series.csv", "--horizon", "10", "--model", "a/model.tsfc"]).out
        let fb = try tsfc(["forecast", "series.csv", "--horizon", "10", "--model", "b/model.tsfc"]).out
        XCTAssertEqual(fa, fb)
    }

    func testBadInputsFailCleanly() throws {
        let model = try train()
        var e = try tsfc(["forecast", "series.csv", "--horizon", "0", "--model", model], expect: 64).err
        XCTAssertTrue(e.contains("--horizon"), e)
        try "not a model".write(to: work.appendingPathComponent("junk.tsfc"), atomically: true, encoding: .utf8)
        e = try tsfc(["forecast", "series.csv", "--horizon", "5", "--model", "junk.tsfc"], expect: 1).err
        XCTAssertTrue(e.contains("junk.tsfc") && e.contains("not a tsfc model bundle"), e)
        e = try tsfc(["forecast", "series.csv", "--horizon", "5", "--model", model, "--columns", "nope"], expect: 1).err
        XCTAssertTrue(e.contains("nope"), e)
        // The KV-cached rollout is bounded by the decoder's learned positions: (3 + 16 − 3 + 1) × 8.
        e = try tsfc(["forecast", "series.csv", "--horizon", "137", "--model", model, "--rollout", "cached"], expect: 1).err
        XCTAssertTrue(e.contains("at most 136 steps"), e)
        try tsfc(["forecast", "series.csv", "--horizon", "136", "--model", model, "--rollout", "cached"])
        // Unwritable output: error, and no file (partial or otherwise) appears.
        e = try tsfc(["forecast", "series.csv", "--horizon", "5", "--model", model, "--output", "missing/dir/out.csv"], expect: 1).err
        XCTAssertTrue(e.contains("missing/dir"), e)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("missing").path))
        // Config errors name the key and its line.
        try "version: 1\ntraining:\n  epochz: 3\n".write(to: work.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        e = try tsfc(["train", "--config", "bad.yaml"], expect: 1).err
        XCTAssertTrue(e.contains("bad.yaml:3:3") && e.contains("epochz"), e)
        try "version: 1\ntraining:\n  epochs: three\n".write(to: work.appendingPathComponent("bad2.yaml"), atomically: true, encoding: .utf8)
        e = try tsfc(["train", "--config", "bad2.yaml"], expect: 1).err
        XCTAssertTrue(e.contains("bad2.yaml:3") && e.contains("training.epochs"), e)
        e = try tsfc(["train", "--config", "tiny.yaml", "--set", "training.batch_size=zero"], expect: 1).err
        XCTAssertTrue(e.contains("training.batch_size"), e)
    }

    func testPrintConfigShowsResolvedValues() throws {
        let out = try tsfc(["train", "--config", "tiny.yaml", "--set", "training.epochs=9", "--print-config"]).out
        XCTAssertTrue(out.contains("epochs: 9"), out)
        XCTAssertTrue(out.contains("weight_decay:"), out)  // defaults filled in
    }

    func testInterruptedTrainingResumes() throws {
        // Enough steps that the run is still going when interrupted after its first checkpoint.
        let p = Process()
        p.executableURL = try CLITests.binary()
        p.arguments = ["train", "--config", "tiny.yaml", "--output", "run", "--set", "training.epochs=400",
                       "--set", "training.patience=1000"]
        p.currentDirectoryURL = work
        p.standardError = FileHandle.nullDevice
        try p.run()
        let checkpoint = work.appendingPathComponent("run/checkpoint.safetensors")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint.path) && Date() < deadline { usleep(20_000) }
        usleep(200_000)
        kill(p.processIdentifier, SIGKILL)  // the harshest interruption
        p.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("run/model.tsfc").path))
        try tsfc(["train", "--resume", "run", "--set", "training.epochs=4"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("run/model.tsfc").path))
        try tsfc(["forecast", "series.csv", "--horizon", "4", "--model", "run/model.tsfc"])
    }
}
