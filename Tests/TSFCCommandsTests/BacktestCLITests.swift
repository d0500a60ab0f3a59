// `tsfc backtest` on a small monthly panel: the exact cutoffs and ds of each series, the
// baselines' columns, the model's column with a window skipped, JSON with the metrics, and the
// flag errors.
import Foundation
import TSFCTestSupport
import XCTest

final class BacktestCLITests: XCTestCase {
    var work: URL!

    /// A ends 2020-08 (8 rows), B runs 2020-03 … 2020-07 (5 rows).
    let panel = """
        unique_id,ds,y
        A,2020-01,1
        A,2020-02,2
        A,2020-03,4
        A,2020-04,3
        A,2020-05,5
        A,2020-06,8
        A,2020-07,6
        A,2020-08,7
        B,2020-03,10
        B,2020-04,12
        B,2020-05,11
        B,2020-06,15
        B,2020-07,14

        """

    override func setUpWithError() throws {
        work = try makeTemporaryDirectory("tsfc-backtest-cli", removedAfter: self)
        try panel.write(to: work.appendingPathComponent("monthly.csv"), atomically: true, encoding: .utf8)
    }

    func testMonthlyPanelCutoffsAndDs() throws {
        let (out, err) = try CLITests.run(["backtest", "monthly.csv", "--horizon", "2", "--windows", "2"], in: work)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "unique_id,ds,cutoff,y,naive,seasonal_naive,mean,drift")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.map { "\($0[0]) \($0[2]) \($0[1]) \($0[3])" }, [
            "A 2020-04 2020-05 5.0", "A 2020-04 2020-06 8.0", "A 2020-06 2020-07 6.0", "A 2020-06 2020-08 7.0",
            "B 2020-03 2020-04 12.0", "B 2020-03 2020-05 11.0", "B 2020-05 2020-06 15.0", "B 2020-05 2020-07 14.0",
        ])
        // Naive: the cutoff's value; monthly season 12 is longer than every history, so the
        // seasonal naive forecast is the naive one; mean and drift of the history.
        XCTAssertEqual(rows[0].suffix(4), ["3.0", "3.0", "2.5", "3.6666667"])
        XCTAssertEqual(rows[4].suffix(4), ["10.0", "10.0", "10.0", "10.0"])
        XCTAssertEqual(rows[7].suffix(4), ["11.0", "11.0", "11.0", "12.0"])
        XCTAssertTrue(err.contains("MASE") && err.contains("sMAPE") && err.contains("mean (2 series)"), err)
    }

    func testSeasonLengthAndStep() throws {
        let (out, _) = try CLITests.run(["backtest", "monthly.csv", "--horizon", "2", "--windows", "2", "--step", "1",
                                         "--season-length", "2", "--columns", "A"], in: work)
        let rows = out.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows.map { "\($0[2]) \($0[1])" }, ["2020-05 2020-06", "2020-05 2020-07", "2020-06 2020-07", "2020-06 2020-08"])
        // Season 2 at cutoff 2020-05 (history 1, 2, 4, 3, 5): 3 then 5.
        XCTAssertEqual(rows[0][5], "3.0")
        XCTAssertEqual(rows[1][5], "5.0")
    }

    func testModelColumnJSONAndSkippedWindow() throws {
        let model = try CLITests.shortContextModel(in: work)
        let (_, err) = try CLITests.run(["backtest", "monthly.csv", "--horizon", "2", "--windows", "2", "--model", model,
                                         "--baselines", "--format", "json", "--output", "cv.json"], in: work)
        // B's first window has one row of history, fewer than the model's two.
        XCTAssertTrue(err.contains("1 of 2 windows skipped for tsfc"), err)
        let data = try Data(contentsOf: work.appendingPathComponent("cv.json"))
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(document["cross_validation"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows[4]["cutoff"] as? String, "2020-03")
        XCTAssertTrue(rows[4]["tsfc"] is NSNull)
        XCTAssertNotNil(rows[6]["tsfc"] as? Double)
        XCTAssertEqual(rows[0]["naive"] as? Double, 3)
        let aggregate = try XCTUnwrap(document["aggregate"] as? [String: [String: Any]])
        XCTAssertEqual(Set(aggregate.keys), ["tsfc", "naive", "seasonal_naive", "mean", "drift"])
        XCTAssertNotNil(aggregate["tsfc"]?["MASE"] as? Double)
    }

    func testFlagErrors() throws {
        let err = try CLITests.run(["backtest", "monthly.csv", "--horizon", "2", "--windows", "0"], in: work, expect: 64).err
        XCTAssertTrue(err.contains("--windows must be a positive number"), err)
        let short = try CLITests.run(["backtest", "monthly.csv", "--horizon", "9", "--windows", "1"], in: work, expect: 1).err
        XCTAssertTrue(short.contains("no series is long enough"), short)
    }
}
