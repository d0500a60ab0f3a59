// Rolling-origin backtests: cutoffs, window counts and the frame's rows on a panel of unequal
// lengths, no window reading past its cutoff, the baselines against their closed forms and the
// metrics against hand-computed values.
import TSFC
import XCTest

final class BacktestTests: XCTestCase {
    /// A one-series frame without a time column (rows numbered from 1).
    func series(_ name: String, _ values: [Float]) -> TimeSeriesFrame {
        TimeSeriesFrame(timestamps: nil, columns: [name], values: values, source: "panel.csv")
    }

    let a: [Float] = [2, 4, 3, 8, 5, 9, 1]
    let b: [Float] = [10, 20, 30, 40]

    func testTrainingLengthsEndAtTheLastRow() {
        XCTAssertEqual(Backtest.trainingLengths(rows: 7, horizon: 2, windows: 2, step: 2), [3, 5])
        XCTAssertEqual(Backtest.trainingLengths(rows: 7, horizon: 2, windows: 3, step: 1), [3, 4, 5])
        XCTAssertEqual(Backtest.trainingLengths(rows: 4, horizon: 2, windows: 2, step: 2), [2])
        XCTAssertEqual(Backtest.trainingLengths(rows: 2, horizon: 2, windows: 2, step: 2), [])
    }

    func testFrameRowsOnAPanelOfUnequalLengths() throws {
        let panel = [series("A", a), series("B", b), series("C", [1, 2])]
        let result = try Backtest.run(panel: panel, settings: BacktestSettings(horizon: 2, windows: 2))
        XCTAssertEqual(result.frame.models, ["naive", "seasonal_naive", "mean", "drift"])
        let keys = result.frame.rows.map { "\($0.uniqueId) \($0.cutoff) \($0.ds) \($0.y)" }
        XCTAssertEqual(keys, ["A 3 4 8.0", "A 3 5 5.0", "A 5 6 9.0", "A 5 7 1.0", "B 2 3 30.0", "B 2 4 40.0"])
        XCTAssertEqual(result.series.map(\.uniqueId), ["A", "B"])
        XCTAssertEqual(result.series.map(\.windows), [2, 1])
        XCTAssertTrue(result.notes.contains { $0.contains("'B'") && $0.contains("1 of the 2 windows") }, "\(result.notes)")
        XCTAssertTrue(result.notes.contains { $0.contains("'C'") && $0.contains("left out") }, "\(result.notes)")
        // Closed forms: naive, seasonal naive (season 1 without a calendar), mean, drift.
        let forecasts = result.frame.rows.map(\.forecasts)
        XCTAssertEqual(forecasts[0], [3, 3, 3, 3.5])
        XCTAssertEqual(forecasts[1], [3, 3, 3, 4])
        XCTAssertEqual(forecasts[2], [5, 5, 4.4, 5.75])
        XCTAssertEqual(forecasts[3], [5, 5, 4.4, 6.5])
        XCTAssertEqual(forecasts[4], [20, 20, 15, 30])
        XCTAssertEqual(forecasts[5], [20, 20, 15, 40])
        // Step 1: three windows of A, cut one row apart.
        let dense = try Backtest.run(panel: [series("A", a)], settings: BacktestSettings(horizon: 2, windows: 3, step: 1))
        XCTAssertEqual(dense.frame.rows.map(\.cutoff), [3, 3, 4, 4, 5, 5])
        XCTAssertEqual(dense.frame.rows.map(\.ds), [4, 5, 5, 6, 6, 7])
    }

    func testNoWindowSeesRowsAfterItsCutoff() throws {
        // The same history up to row 3, then huge values: the first window's forecasts must not move.
        var poisoned = a
        for i in 3..<poisoned.count { poisoned[i] = 1e6 }
        let settings = BacktestSettings(horizon: 2, windows: 2)
        let clean = try Backtest.run(panel: [series("A", a)], settings: settings)
        let dirty = try Backtest.run(panel: [series("A", poisoned)], settings: settings)
        XCTAssertEqual(clean.frame.rows[0].cutoff, 3)
        XCTAssertEqual(dirty.frame.rows[0].forecasts, clean.frame.rows[0].forecasts)
        XCTAssertEqual(dirty.frame.rows[1].forecasts, clean.frame.rows[1].forecasts)
        XCTAssertEqual(dirty.frame.rows[0].forecasts, [3, 3, 3, 3.5])
        // The second window's history holds poisoned rows 4 and 5, and its forecasts do move.
        XCTAssertNotEqual(dirty.frame.rows[2].forecasts, clean.frame.rows[2].forecasts)
    }

    func testBaselinesAgainstTheirClosedForms() {
        let history: [Double] = [1, 2, 3, 4, 5, 6, 7]
        XCTAssertEqual(Baseline.naive.forecast(history, horizon: 3, seasonLength: 1), [7, 7, 7])
        XCTAssertEqual(Baseline.seasonalNaive.forecast(history, horizon: 5, seasonLength: 3), [5, 6, 7, 5, 6])
        XCTAssertEqual(Baseline.seasonalNaive.forecast([1, 2], horizon: 2, seasonLength: 3), [2, 2])
        XCTAssertEqual(Baseline.mean.forecast(history, horizon: 2, seasonLength: 1), [4, 4])
        XCTAssertEqual(Baseline.drift.forecast([1, 4, 2, 7], horizon: 3, seasonLength: 1), [9, 11, 13])
        XCTAssertEqual(Baseline.drift.forecast([5], horizon: 2, seasonLength: 1), [5, 5])
        XCTAssertEqual(Baseline.seasonLength(for: .monthStart), 12)
        XCTAssertEqual(Baseline.seasonLength(for: .quarterEnd), 4)
        XCTAssertEqual(Baseline.seasonLength(for: Frequency(seconds: 3_600)), 24)
        XCTAssertEqual(Baseline.seasonLength(for: .daily), 7)
        XCTAssertEqual(Baseline.seasonLength(for: Frequency(seconds: 604_800)), 52)
        XCTAssertEqual(Baseline.seasonLength(for: Frequency(seconds: 60)), 1)
        XCTAssertEqual(Baseline.seasonLength(for: nil), 1)
    }

    func testMetricsAgainstHandComputedValues() throws {
        let m = ForecastMetrics(actual: [2, 0, 4], predicted: [1, 1, 6], scales: [0.5, 2, nil])
        XCTAssertEqual(try XCTUnwrap(m.mae), 4.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.rmse), 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mape), 50, accuracy: 1e-12)  // (100·1/2 + 100·2/4)/2, the zero left out
        XCTAssertEqual(try XCTUnwrap(m.smape), (200.0 / 3 + 200 + 40) / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.mase), (1 / 0.5 + 1 / 2.0) / 2, accuracy: 1e-12)
        XCTAssertNil(ForecastMetrics(actual: [0, 0], predicted: [1, 2], scales: [nil, 0]).mape)
        XCTAssertNil(ForecastMetrics(actual: [0, 0], predicted: [1, 2], scales: [nil, 0]).mase)
        XCTAssertEqual(ForecastMetrics.maseScale([1, 3, 2, 6], seasonLength: 2), 2)
        XCTAssertEqual(ForecastMetrics.maseScale([1, 3, 2], seasonLength: 4), 1.5)  // shorter than a season: m = 1
        XCTAssertNil(ForecastMetrics.maseScale([5], seasonLength: 1))
    }

    func testBacktestMASEUsesEachWindowsOwnTrainingScale() throws {
        let result = try Backtest.run(panel: [series("A", a), series("B", b)], settings: BacktestSettings(horizon: 2, windows: 2))
        let naive = try XCTUnwrap(result.frame.models.firstIndex(of: "naive"))
        // A: window 1 history 2,4,3 (scale 1.5), naive 3 against 8, 5; window 2 history 2,4,3,8,5
        // (scale 11/4), naive 5 against 9, 1.
        let maseA = (5 / 1.5 + 2 / 1.5 + 4 / 2.75 + 4 / 2.75) / 4
        XCTAssertEqual(try XCTUnwrap(result.series[0].metrics[naive].mase), maseA, accuracy: 1e-9)
        // B: history 10, 20 (scale 10), naive 20 against 30, 40.
        XCTAssertEqual(try XCTUnwrap(result.series[1].metrics[naive].mase), 1.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result.aggregate[naive].mase), (maseA + 1.5) / 2, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(result.series[0].metrics[naive].mae), 15.0 / 4, accuracy: 1e-9)
    }

    func testRefusals() {
        XCTAssertThrowsError(try Backtest.run(panel: [series("C", [1, 2])], settings: BacktestSettings(horizon: 2, windows: 1)))
        XCTAssertThrowsError(try Backtest.run(panel: [series("A", a)], settings: BacktestSettings(horizon: 0, windows: 1)))
        XCTAssertThrowsError(try Backtest.run(panel: [series("A", a)], settings: BacktestSettings(horizon: 1, windows: 1, seasonLength: 0)))
    }
}
