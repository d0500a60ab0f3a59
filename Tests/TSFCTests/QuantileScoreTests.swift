// WQL, coverage and width against hand-computed values, alone and through a backtest, and the
// sliding window's history.
import TSFC
import XCTest

final class QuantileScoreTests: XCTestCase {
    func testWQLCoverageAndWidthByHand() throws {
        var totals = QuantileScoreTotals(settings: try IntervalSettings(levels: [80]))
        totals.add(actual: 10, quantiles: [8, 12])
        totals.add(actual: 5, quantiles: [6, 9])
        // Pinball at 0.1: 0.1·2 + 0.9·1 = 1.1; at 0.9: 0.1·2 + 0.1·4 = 0.6; Σ|y| = 15.
        XCTAssertEqual(try XCTUnwrap(totals.wql), (2 * 1.1 / 15 + 2 * 0.6 / 15) / 2, accuracy: 1e-12)
        XCTAssertEqual(totals.coverage, [0.5])
        XCTAssertEqual(totals.width, [3.5])
        XCTAssertEqual(QuantileScoreTotals.pinball(0.25, actual: 3, forecast: 5), 1.5)
        // A point with an undefined quantile is left out of every sum it lacks.
        totals.add(actual: 100, quantiles: [nil, 120])
        XCTAssertEqual(totals.coverage, [0.5])
        XCTAssertEqual(try XCTUnwrap(totals.wql), (2 * 1.1 / 15 + 2 * 0.6 / 15) / 2, accuracy: 1e-12)
    }

    func testBacktestWQLIsTheRatioOfItsFramesSums() throws {
        let y: [Float] = (0..<60).map { Float(50 + 10 * sin(Double($0) / 3) + Double($0 % 7)) }
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["S"], values: y, source: "s.csv")
        let intervals = try IntervalSettings(levels: [80], quantiles: [0.5], calibrationWindows: 10)
        let result = try Backtest.run(panel: [frame], settings: BacktestSettings(horizon: 3, windows: 4, baselines: [.naive, .drift],
                                                                                 intervals: intervals))
        let levels = intervals.quantileLevels
        for m in 0..<2 {
            var pinball = [Double](repeating: 0, count: levels.count), absolute = 0.0, covered = 0.0
            for row in result.frame.rows {
                let q = row.quantiles[m].map { $0! }
                for (k, level) in levels.enumerated() {
                    let d = row.y - q[k]
                    pinball[k] += max(level * d, (level - 1) * d)
                }
                absolute += abs(row.y)
                if q[0] <= row.y && row.y <= q[2] { covered += 1 }
                XCTAssertEqual(row.quantile(model: m, level: 0.5, in: result.frame), row.forecasts[m])
            }
            let wql = pinball.map { 2 * $0 / absolute }.reduce(0, +) / Double(levels.count)
            XCTAssertEqual(try XCTUnwrap(result.series[0].metrics[m].wql), wql, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(result.aggregate[m].coverage[0]), covered / 12, accuracy: 1e-12)
        }
    }

    func testSlidingWindowReadsOnlyTheLastRows() throws {
        let y: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["S"], values: y, source: "s.csv")
        let result = try Backtest.run(panel: [frame], settings: BacktestSettings(horizon: 2, windows: 2, baselines: [.mean, .drift],
                                                                                 windowSize: 3))
        // Cutoff 6: the last 3 rows are 4, 5, 6 — mean 5, drift slope 1; cutoff 8: 6, 7, 8.
        XCTAssertEqual(result.frame.rows.map(\.forecasts), [[5, 7], [5, 8], [7, 9], [7, 10]])
        // MASE scale from the window's rows (1): naive-like errors of the mean are 2 and 3.
        XCTAssertEqual(try XCTUnwrap(result.series[0].metrics[0].mase), 2.5, accuracy: 1e-12)
        XCTAssertThrowsError(try Backtest.run(panel: [frame], settings: BacktestSettings(horizon: 2, windows: 2, windowSize: 0)))
    }
}
