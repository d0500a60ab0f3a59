import Foundation
import TSFCTestSupport
import XCTest

/// End-to-end tests of `tsfc detect` and detector training: a tiny reconstruction detector on a
/// generated sine with an injected spike, follow mode against batch mode, and bad inputs.
final class DetectCLITests: XCTestCase {
    var work: URL!
    static let spikeRow = 150     // 0-based row of test.csv holding the spike

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-detect", removedAfter: self)
        let fixture = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("detect-tiny.yaml"),
                                         to: work.appendingPathComponent("detect-tiny.yaml"))
        try write("normal.csv", rows: 400, start: 0, spike: nil)
        try write("test.csv", rows: 240, start: 400, spike: DetectCLITests.spikeRow)
        let labels = (0..<240).map { abs($0 - DetectCLITests.spikeRow) <= 2 ? "1" : "0" }
        try (labels.joined(separator: "\n") + "\n").write(to: url("labels.txt"), atomically: true, encoding: .utf8)
    }

    func url(_ name: String) -> URL { work.appendingPathComponent(name) }

    /// Hourly rows of two channels (a daily sine and cosine, deterministic wiggle), optionally a +6 spike on `x`.
    func write(_ name: String, rows: Int, start: Int, spike: Int?, columns: String = "x,y") throws {
        var csv = "date,\(columns)\n"
        for i in 0..<rows {
            let t = start + i
            let a = 2 * Double.pi * Double(t) / 24
            var x = sin(a) + 0.05 * sin(Double(t) * 1.7), y = 0.5 * cos(a) + 0.05 * cos(Double(t) * 2.3)
            if i == spike { x += 6 }
            csv += String(format: "2020-%02d-%02d %02d:00:00,%.5f,%.5f\n", 1 + t / (24 * 28), 1 + (t / 24) % 28, t % 24, x, y)
        }
        try csv.write(to: url(name), atomically: true, encoding: .utf8)
    }

    @discardableResult
    func tsfc(_ args: [String], stdin: String? = nil, expect status: Int32 = 0,
              file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        try CLITests.run(args, in: work, stdin: stdin, expect: status, file: file, line: line)
    }

    func trainDetector() throws -> String {
        try tsfc(["train", "--config", "detect-tiny.yaml", "--output", "run"])
        return url("run/model.tsfc").path
    }

    /// (ds, score, is_anomaly) rows of a CSV score table.
    func parse(_ csv: String) -> [(String, Float, Int)] {
        csv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return (String(f[0]), Float(f[1])!, Int(f[2])!)
        }
    }

    /// A test file whose `y` moved for good since training: stderr says that far more rows are
    /// flagged than the threshold lets through and names `y` (silence on normal rows:
    /// `AlarmRateCheckTests`).
    func testAShiftedChannelIsReportedWhenMostRowsAreFlagged() throws {
        var csv = "date,x,y\n"
        for t in 400..<640 {
            let a = 2 * Double.pi * Double(t) / 24
            csv += String(format: "2020-%02d-%02d %02d:00:00,%.5f,%.5f\n", 1 + t / (24 * 28), 1 + (t / 24) % 28, t % 24,
                          sin(a) + 0.05 * sin(Double(t) * 1.7), 0.5 * cos(a) + 0.05 * cos(Double(t) * 2.3) + 2)
        }
        try csv.write(to: url("shifted.csv"), atomically: true, encoding: .utf8)
        let (_, err) = try tsfc(["detect", "shifted.csv", "--train", "normal.csv"])
        XCTAssertTrue(err.contains("of the rows are flagged, where the threshold (pot 0.002) lets about 0.2 % of normal rows through"), err)
        XCTAssertTrue(err.contains("the channels behind most flagged rows: y ("), err)
    }

    func testTrainedDetectorFindsTheSpikeAndFollowModeGivesTheBatchScores() throws {
        let model = try trainDetector()
        let (csv, err) = try tsfc(["detect", "test.csv", "--model", model, "--labels", "labels.txt", "--events", "events.csv"])
        let rows = parse(csv)
        XCTAssertEqual(rows.count, 240)
        XCTAssertEqual(csv.split(separator: "\n").first, "ds,score,is_anomaly,top_channels")
        // The largest score sits within a window (8 rows) of the spike, the spike is flagged, and
        // channel x drives it.
        let peak = rows.indices.max { rows[$0].1 < rows[$1].1 }!
        XCTAssertLessThan(abs(peak - DetectCLITests.spikeRow), 8)
        XCTAssertEqual(rows[DetectCLITests.spikeRow].2, 1)
        XCTAssertTrue(csv.split(separator: "\n")[DetectCLITests.spikeRow + 1].hasSuffix(",x;y"), String(csv.split(separator: "\n")[DetectCLITests.spikeRow + 1]))
        XCTAssertTrue(err.contains("precision") && err.contains("recall"), err)
        // The metrics table shows plain point F1 and, labelled, the point-adjusted F1 beside it.
        XCTAssertTrue(err.contains("point F1") && err.contains("PA-F1 (point-adjusted)") && err.contains("VUS-PR"), err)

        // Event post-processing: events shorter than the whole series are dropped, and the
        // is_anomaly column follows the kept events (none), while the scores are unchanged.
        let (strict, strictErr) = try tsfc(["detect", "test.csv", "--model", model, "--min-length", "241"])
        XCTAssertEqual(parse(strict).map(\.2), [Int](repeating: 0, count: 240))
        XCTAssertEqual(parse(strict).map(\.1), rows.map(\.1))
        XCTAssertTrue(strictErr.contains("0 events"), strictErr)
        let (_, badGap) = try tsfc(["detect", "test.csv", "--model", model, "--min-gap", "0"], expect: 64)
        XCTAssertTrue(badGap.contains("--min-gap"), badGap)
        // A detector bundle given to `tsfc forecast` says what it is and which command reads it.
        let (_, notForecaster) = try tsfc(["forecast", "test.csv", "--horizon", "4", "--model", model], expect: 1)
        XCTAssertTrue(notForecaster.contains("is an anomaly detector") && notForecaster.contains("tsfc detect --model"), notForecaster)
        let (_, followGap) = try tsfc(["detect", "--follow", "--model", model, "--min-length", "3"], stdin: "", expect: 64)
        XCTAssertTrue(followGap.contains("batch runs only"), followGap)
        let events = try String(contentsOf: url("events.csv"), encoding: .utf8)
        XCTAssertTrue(events.hasPrefix("start,end,length,peak,peak_score,top_channels\n"))
        XCTAssertTrue(events.contains(rows[DetectCLITests.spikeRow].0), events)

        // --follow on the same rows piped through stdin: same scores, same flags, same order.
        let test = try String(contentsOf: url("test.csv"), encoding: .utf8)
        let (followed, ferr) = try tsfc(["detect", "--follow", "--model", model], stdin: test)
        let live = parse(followed)
        XCTAssertEqual(live.map(\.0), rows.map(\.0))
        for (a, b) in zip(live, rows) {
            XCTAssertEqual(a.1, b.1, accuracy: 1e-5 * max(1, b.1), a.0)
            XCTAssertEqual(a.2, b.2, a.0)
        }
        XCTAssertTrue(ferr.contains("ms per row"), ferr)

        // JSON: rows, events and metrics in one document.
        let (json, _) = try tsfc(["detect", "test.csv", "--model", model, "--labels", "labels.txt", "--format", "json"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertEqual((doc["rows"] as! [Any]).count, 240)
        XCTAssertFalse((doc["events"] as! [Any]).isEmpty)
        let metrics = doc["metrics"] as? [String: Any]
        XCTAssertNotNil(metrics?["point_f1"] as? Double)
        XCTAssertNotNil(metrics?["point_adjusted_f1"] as? Double)
        XCTAssertNotNil(metrics?["vus_pr"] as? Double)
        XCTAssertNotNil(metrics?["pate"] as? Double)
        XCTAssertEqual(doc["detector"] as? String, "reconstruction")
    }

    func testFittingOnTheLeadingPartSaysSoAndScoresTheRest() throws {
        let (csv, err) = try tsfc(["detect", "test.csv", "--config", "detect-tiny.yaml", "--train-fraction", "0.5"])
        XCTAssertTrue(err.contains("fitting on the first 120 rows"), err)
        let rows = parse(csv)
        XCTAssertEqual(rows.count, 120)
        XCTAssertEqual(rows.first?.0, "2020-01-22 16:00:00")   // row 121 of test.csv (hour 520)
    }

    func testBadInputsFailCleanlyAndWriteNothing() throws {
        let model = try trainDetector()
        // Labels of another length.
        try (String(repeating: "0\n", count: 239)).write(to: url("short.txt"), atomically: true, encoding: .utf8)
        var (_, err) = try tsfc(["detect", "test.csv", "--model", model, "--labels", "short.txt", "--output", "out.csv"], expect: 64)
        XCTAssertTrue(err.contains("239 labels") && err.contains("240 rows"), err)
        // A label that is not 0/1, located by line.
        try ("0\n0\n2\n" + String(repeating: "0\n", count: 237)).write(to: url("bad.txt"), atomically: true, encoding: .utf8)
        (_, err) = try tsfc(["detect", "test.csv", "--model", model, "--labels", "bad.txt", "--output", "out.csv"], expect: 64)
        XCTAssertTrue(err.contains("bad.txt:3") && err.contains("0 or 1"), err)
        // A detector trained on other columns.
        try write("other.csv", rows: 50, start: 0, spike: nil, columns: "x,z")
        (_, err) = try tsfc(["detect", "other.csv", "--model", model, "--output", "out.csv"], expect: 1)
        XCTAssertTrue(err.contains("trained on columns [x, y]"), err)
        // A threshold out of range.
        (_, err) = try tsfc(["detect", "test.csv", "--train", "normal.csv", "--threshold", "1.5", "--output", "out.csv"], expect: 64)
        XCTAssertTrue(err.contains("quantile must be in (0, 1)"), err)
        (_, err) = try tsfc(["detect", "test.csv", "--train", "normal.csv", "--threshold-method", "ksigma", "--threshold=-1"], expect: 64)
        XCTAssertTrue(err.contains("k must be > 0"), err)
        // A training part too short to calibrate.
        (_, err) = try tsfc(["detect", "test.csv", "--config", "detect-tiny.yaml", "--train-fraction", "0.1", "--output", "out.csv"], expect: 1)
        XCTAssertTrue(err.contains("needs at least") && err.contains("calibrate"), err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("out.csv").path))
        // --follow: a row with a non-number.
        (_, err) = try tsfc(["detect", "--follow", "--model", model], stdin: "date,x,y\n2020-01-01 00:00:00,1,oops\n", expect: 64)
        XCTAssertTrue(err.contains("stdin:2") && err.contains("oops"), err)
    }
}
