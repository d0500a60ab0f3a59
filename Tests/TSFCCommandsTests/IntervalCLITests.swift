// `--level` / `--quantiles` on `tsfc forecast` and `tsfc backtest`: Nixtla's columns in CSV and
// JSON, ordered ends, the metrics' WQL / coverage / width, `--refit` recovering an exact AR(2)
// the bundle was not trained on, the flag errors, and `tsfc evaluate`'s scaled metrics and --ratios.
import Foundation
import TSFCTestSupport
import XCTest

final class IntervalCLITests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-interval-cli", removedAfter: self)
        // 50 + 20·sin(2πt/10): an exact AR(2) with intercept, of another period than the bundle's.
        let z = "z\n" + (0..<60).map { String(format: "%.5f", 50 + 20 * sin(2 * Double.pi * Double($0) / 10)) }.joined(separator: "\n") + "\n"
        try z.write(to: work.appendingPathComponent("ar2.csv"), atomically: true, encoding: .utf8)
    }

    func run(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> (out: String, err: String) {
        try CLITests.run(args, in: work, expect: status, file: file, line: line)
    }

    func table(_ csv: String) -> (header: [String], rows: [[String]]) {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines[0], Array(lines.dropFirst()))
    }

    func testForecastLevelsAndQuantilesInCSVAndJSON() throws {
        let model = try CLITests.shortContextModel(in: work)
        let (out, _) = try run(["forecast", "ar-series.csv", "--horizon", "4", "--model", model, "--level", "95,80", "--quantiles", "0.5"])
        let (header, rows) = table(out)
        XCTAssertEqual(header, ["unique_id", "ds", "tsfc", "tsfc-lo-80", "tsfc-hi-80", "tsfc-lo-95", "tsfc-hi-95", "tsfc-q-0.5"])
        XCTAssertEqual(rows.count, 4)
        for row in rows {
            let v = row.dropFirst(2).map { Double($0)! }
            let (point, lo80, hi80, lo95, hi95, median) = (v[0], v[1], v[2], v[3], v[4], v[5])
            XCTAssertTrue(lo95 <= lo80 && lo80 <= point && point <= hi80 && hi80 <= hi95, "\(row)")
            XCTAssertEqual(median, point)
        }
        try run(["forecast", "ar-series.csv", "--horizon", "2", "--model", model, "--level", "80", "--format", "json", "--output", "f.json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("f.json"))) as! [[String: Any]]
        XCTAssertEqual(Set(json[0].keys), ["unique_id", "ds", "tsfc", "tsfc-lo-80", "tsfc-hi-80"])
        XCTAssertLessThanOrEqual(json[1]["tsfc-lo-80"] as! Double, json[1]["tsfc"] as! Double)
    }

    func testFlagErrors() throws {
        let model = try CLITests.shortContextModel(in: work)
        for (flag, value, expected) in [("--level", "0", "outside (0, 100)"), ("--level", "100", "outside (0, 100)"),
                                        ("--level", "80,x", "'x' is not a number"), ("--quantiles", "1", "outside (0, 1)"),
                                        ("--calibration-windows", "0", "--calibration-windows must be a positive")] {
            let err = try run(["forecast", "ar-series.csv", "--horizon", "2", "--model", model, flag, value], expect: 64).err
            XCTAssertTrue(err.contains(expected), "\(flag) \(value): \(err)")
            let err2 = try run(["backtest", "ar2.csv", "--horizon", "2", "--windows", "1", flag, value], expect: 64).err
            XCTAssertTrue(err2.contains(expected), "\(flag) \(value): \(err2)")
        }
        XCTAssertTrue(try run(["backtest", "ar2.csv", "--horizon", "2", "--windows", "1", "--refit"], expect: 64).err.contains("give --model"))
        XCTAssertTrue(try run(["backtest", "ar2.csv", "--horizon", "2", "--windows", "1", "--window-size", "0"], expect: 64).err.contains("--window-size"))
    }

    func testBacktestIntervalColumnsAndMetrics() throws {
        let (out, err) = try run(["backtest", "ar2.csv", "--horizon", "3", "--windows", "2", "--level", "80", "--quantiles", "0.25"])
        let (header, rows) = table(out)
        XCTAssertEqual(Array(header.prefix(8)), ["unique_id", "ds", "cutoff", "y", "naive", "naive-lo-80", "naive-hi-80", "naive-q-0.25"])
        XCTAssertTrue(header.contains("drift-hi-80") && header.contains("seasonal_naive-q-0.25"), "\(header)")
        XCTAssertEqual(rows.count, 6)
        XCTAssertTrue(err.contains("WQL") && err.contains("coverage-80") && err.contains("width-80"), err)
        try run(["backtest", "ar2.csv", "--horizon", "3", "--windows", "2", "--level", "80", "--format", "json", "--output", "cv.json"])
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("cv.json"))) as! [String: Any]
        let aggregate = document["aggregate"] as! [String: [String: Any]]
        XCTAssertNotNil(aggregate["naive"]?["WQL"] as? Double)
        XCTAssertNotNil(aggregate["mean"]?["coverage-80"] as? Double)
        XCTAssertNotNil(aggregate["drift"]?["width-80"] as? Double)
        let first = (document["cross_validation"] as! [[String: Any]])[0]
        XCTAssertLessThanOrEqual(first["naive-lo-80"] as! Double, first["naive"] as! Double)
    }

    func testRefitRecoversAnARTheBundleWasNotTrainedOn() throws {
        let model = try CLITests.shortContextModel(in: work)   // classic-ar, 2 lags, fitted on a period-24 sine
        let args = ["backtest", "ar2.csv", "--horizon", "3", "--windows", "2", "--model", model]
        let refit = table(try run(args + ["--refit"]).out).rows
        let asIs = table(try run(args).out).rows
        XCTAssertEqual(refit.count, 6)
        var worst = 0.0, bundleWorst = 0.0
        for (r, a) in zip(refit, asIs) {
            worst = max(worst, abs(Double(r[4])! - Double(r[3])!))
            bundleWorst = max(bundleWorst, abs(Double(a[4])! - Double(a[3])!))
        }
        XCTAssertLessThan(worst, 0.05, "refit on each cutoff's history fits the period-10 AR(2) exactly")
        XCTAssertGreaterThan(bundleWorst, 1, "the bundle as it is keeps its period-24 coefficients")
        // Intervals for a refit model: calibrated by refits inside each window's history.
        let (out, _) = try run(args + ["--refit", "--level", "80"])
        XCTAssertEqual(table(out).header[5], "tsfc-lo-80")
    }

    func testEvaluateScaledMetricsAndRatios() throws {
        let model = try CLITests.shortContextModel(in: work)
        let (out, _) = try run(["evaluate", "--model", model, "--horizons", "1,2"])
        XCTAssertTrue(out.contains("MASE") && out.contains("sMAPE"), out)
        let (json, _) = try run(["evaluate", "--model", model, "--horizons", "1", "--split", "ratios", "--ratios", "0.5,0.2,0.3", "--json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        XCTAssertNotNil(report["average_mase"] as? Double)
        XCTAssertNotNil(report["average_smape"] as? Double)
        // 200 rows, test share 0.3: 60 test rows plus the 2-row context, 60 one-step windows.
        XCTAssertEqual((report["horizons"] as! [[String: Any]])[0]["windows"] as? Int, 60)
        XCTAssertTrue(try run(["evaluate", "--model", model, "--ratios", "0.5,0.2"], expect: 64).err.contains("three positive shares"))
        XCTAssertTrue(try run(["evaluate", "--model", model, "--ratios", "0.5,0.2,0.2"], expect: 64).err.contains("not 1"))
    }
}
