// Conformal intervals: the finite-sample quantile and the per-step residuals by hand, coverage
// within sampling error of nominal on noise with a known law, no interval reading the future,
// monotone quantiles, widths growing like √h on a random walk, the panel pool for short series,
// and quantile-head interpolation.
import TSFC
import XCTest

final class ConformalIntervalTests: XCTestCase {
    func series(_ name: String, _ values: [Float]) -> TimeSeriesFrame {
        TimeSeriesFrame(timestamps: nil, columns: [name], values: values, source: "panel.csv")
    }

    func noise(_ count: Int, seed: UInt64, randomWalk: Bool = false) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var level: Float = 100
        return (0..<count).map { _ in
            let e = rng.nextNormal()
            if randomWalk { level += e; return level }
            return 100 + e
        }
    }

    func testFiniteSampleQuantileAndMinimumCounts() {
        let r = (1...20).map(Double.init)
        XCTAssertEqual(ConformalCalibrator.width(sorted: r, coverage: 0.8), 17)    // ⌈21·0.8⌉ = 17
        XCTAssertEqual(ConformalCalibrator.width(sorted: r, coverage: 0.95), 20)   // ⌈21·0.95⌉ = 20
        XCTAssertNil(ConformalCalibrator.width(sorted: Array(r.prefix(18)), coverage: 0.95))  // ⌈19·0.95⌉ = 19 > 18
        XCTAssertEqual(ConformalCalibrator.width(sorted: Array(r.prefix(4)), coverage: 0.8), 4)  // ⌈5·0.8⌉ = 4, not 5
        XCTAssertEqual(ConformalCalibrator.minimumCount(coverage: 0.8), 4)
        XCTAssertEqual(ConformalCalibrator.minimumCount(coverage: 0.95), 19)
        XCTAssertEqual(ConformalCalibrator.quantile(0.1, point: 10, sorted: r), -7)
        XCTAssertEqual(ConformalCalibrator.quantile(0.9, point: 10, sorted: r), 27)
        XCTAssertEqual(ConformalCalibrator.quantile(0.5, point: 10, sorted: r), 10)
    }

    func testResidualsPerStepFromTheHistoryOnly() {
        // Naive forecasts of 1, 3, 2, 6, 4 (origin 5), H = 2, K = 2: step 1 from cutoffs 3 and 4,
        // step 2 from cutoffs 2 and 3.
        let y: [Double] = [1, 3, 2, 6, 4]
        var asked: [Int] = []
        let r = ConformalCalibrator.residuals(history: y[...], horizon: 2, windows: 2, minimumHistory: 1) { c in
            asked.append(c)
            return [y[c - 1], y[c - 1]]
        }
        XCTAssertEqual(asked, [2, 3, 4])
        XCTAssertEqual(r, [[4, 2], [3, 2]])
        XCTAssertEqual(ConformalCalibrator.cutoffs(origin: 5, horizon: 2, windows: 2, minimumHistory: 3), 3...4)
        XCTAssertNil(ConformalCalibrator.cutoffs(origin: 3, horizon: 2, windows: 2, minimumHistory: 3))
    }

    func testPoolRescalesShortSeriesAndKeepsLongOnesOwn() {
        let a = CalibrationSet(residuals: [[1, 2]], scale: 2), b = CalibrationSet(residuals: [[3, 6, 9, 12]], scale: 3)
        let pool = ConformalPool([a, b], horizon: 1)
        XCTAssertEqual(pool.steps, [[0.5, 1, 1, 2, 3, 4]])
        // A: 2 residuals < 4 needed for 80 %: pooled, ⌈7·0.8⌉ = 6th = 4, times its scale 2.
        let qa = ConformalCalibrator.quantiles(points: [100], levels: [0.1, 0.9], calibration: a, pool: pool)
        XCTAssertEqual(qa.values, [[92], [108]])
        XCTAssertEqual(qa.outcome.pooledSteps, 1)
        // B: 4 of its own, ⌈5·0.8⌉ = 4th = 12.
        let qb = ConformalCalibrator.quantiles(points: [100], levels: [0.1, 0.9], calibration: b, pool: pool)
        XCTAssertEqual(qb.values, [[88], [112]])
        XCTAssertEqual(qb.outcome.pooledSteps, 0)
        // Without a pool the 95 % ends stay undefined rather than invented; the 80 % ones agree.
        let alone = ConformalCalibrator.quantiles(points: [100], levels: [0.025, 0.1, 0.9, 0.975], calibration: b, pool: nil)
        XCTAssertEqual(alone.values, [[nil], [88], [112], [nil]])
        XCTAssertEqual(alone.outcome.undefined, 2)
    }

    func testCoverageOfIIDNoiseIsNominalWithinSamplingError() throws {
        // y = 100 + N(0, 1), forecast by the mean: residuals ≈ exchangeable, so the conformal
        // intervals cover (⌈(K + 1)c⌉)/(K + 1): 33/41 ≈ 0.805 at 80 %, 39/41 ≈ 0.951 at 95 %.
        let intervals = try IntervalSettings(levels: [80, 95], calibrationWindows: 40)
        let settings = BacktestSettings(horizon: 2, windows: 400, baselines: [.mean], intervals: intervals)
        let result = try Backtest.run(panel: [series("noise", noise(900, seed: 7))], settings: settings)
        let coverage = result.aggregate[0].coverage
        XCTAssertEqual(result.frame.rows.count, 800)
        XCTAssertEqual(try XCTUnwrap(coverage[0]), 33.0 / 41, accuracy: 0.045)   // ≈ 3 standard errors
        XCTAssertEqual(try XCTUnwrap(coverage[1]), 39.0 / 41, accuracy: 0.025)
        // The 80 % half-width estimates the N(0, 1 + 1/n) quantile 1.2816.
        XCTAssertEqual(try XCTUnwrap(result.aggregate[0].width[0]) / 2, 1.2816, accuracy: 0.15)
    }

    func testNoIntervalReadsRowsAfterItsCutoff() throws {
        // The first window's intervals must not move when every row after its cutoff changes; a
        // calibration that used residuals of the window's own future (or later windows) would.
        let clean = noise(120, seed: 3)
        var poisoned = clean
        let settings = BacktestSettings(horizon: 4, windows: 3, intervals: try IntervalSettings(levels: [80, 95], quantiles: [0.3]))
        let cutoff = Backtest.trainingLengths(rows: clean.count, horizon: 4, windows: 3, step: 4)[0]
        for i in cutoff..<poisoned.count { poisoned[i] = poisoned[i] * 50 + Float(i * i) }
        let a = try Backtest.run(panel: [series("A", clean)], settings: settings)
        let b = try Backtest.run(panel: [series("A", poisoned)], settings: settings)
        XCTAssertEqual(a.frame.rows[0].cutoff, Int64(cutoff))
        for k in 0..<4 {
            XCTAssertEqual(a.frame.rows[k].quantiles, b.frame.rows[k].quantiles)
            XCTAssertTrue(a.frame.rows[k].quantiles.allSatisfy { $0.allSatisfy { $0 != nil } })
        }
        XCTAssertNotEqual(a.frame.rows[4].quantiles, b.frame.rows[4].quantiles)
    }

    func testQuantilesNeverCrossAndWidenLikeRootHOnARandomWalk() throws {
        let quantiles = stride(from: 0.05, through: 0.95, by: 0.05).map { ($0 * 100).rounded() / 100 }
        let intervals = try IntervalSettings(levels: [50, 80, 95], quantiles: quantiles, calibrationWindows: 30)
        let settings = BacktestSettings(horizon: 6, windows: 120, step: 3, baselines: [.naive, .drift, .mean], intervals: intervals)
        let result = try Backtest.run(panel: [series("walk", noise(500, seed: 11, randomWalk: true))], settings: settings)
        for row in result.frame.rows {
            for model in row.quantiles {
                let values = model.compactMap { $0 }
                XCTAssertEqual(values.count, intervals.quantileLevels.count)
                XCTAssertEqual(values, values.sorted(), "crossing quantiles at \(row.uniqueId) \(row.ds)")
            }
        }
        // Naive on a random walk: the step-h error is a sum of h shocks, so the mean 80 % width
        // at step h grows like √h.
        let lo = try XCTUnwrap(intervals.index(of: 0.1)), hi = try XCTUnwrap(intervals.index(of: 0.9))
        var width = [Double](repeating: 0, count: 6), count = [Double](repeating: 0, count: 6)
        for (i, row) in result.frame.rows.enumerated() {
            width[i % 6] += row.quantiles[0][hi]! - row.quantiles[0][lo]!
            count[i % 6] += 1
        }
        let mean = zip(width, count).map { $0 / $1 }
        for h in 1..<6 { XCTAssertGreaterThan(mean[h], mean[h - 1]) }
        XCTAssertEqual(mean[5] / mean[0], 6.0.squareRoot(), accuracy: 0.6)
        XCTAssertEqual(mean[0] / 2, 1.2816, accuracy: 0.3)
    }

    func testShortSeriesBorrowThePanelPoolOrSaySo() throws {
        // Twenty-point yearly series, horizon 6: the last window's history of 14 rows holds 8
        // calibration windows at step 6, fewer than the 19 a 95 % interval needs.
        let panel = (0..<30).map { series("Y\($0)", noise(20, seed: UInt64(100 + $0), randomWalk: true)) }
        let settings = BacktestSettings(horizon: 6, windows: 1, baselines: [.naive], intervals: try IntervalSettings(levels: [95]))
        let pooled = try Backtest.run(panel: panel, settings: settings)
        XCTAssertTrue(pooled.frame.rows.allSatisfy { $0.quantiles[0].allSatisfy { $0 != nil } })
        XCTAssertTrue(pooled.notes.contains { $0.contains("30 of 30 series") && $0.contains("pooled") }, "\(pooled.notes)")
        let alone = try Backtest.run(panel: [panel[0]], settings: settings)
        XCTAssertTrue(alone.frame.rows.contains { $0.quantiles[0].contains { $0 == nil } })
        XCTAssertTrue(alone.notes.contains { $0.contains("too few calibration residuals") && $0.contains("19") }, "\(alone.notes)")
        XCTAssertNil(alone.aggregate[0].wql)
    }

    func testQuantileHeadInterpolationAndClamping() {
        let read = QuantileHeadInterpolation.interpolate(headLevels: [0.1, 0.5, 0.9], values: [[1, 10], [3, 20], [7, 30]],
                                                         at: [0.05, 0.3, 0.5, 0.7, 0.95])
        for (got, want) in zip(read.values, [[1.0, 10], [2, 15], [3, 20], [5, 25], [7, 30]]) {
            for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: 1e-5) }
        }
        XCTAssertEqual(read.clamped, [0.05, 0.95])
        // A head whose levels cross comes out monotone.
        let crossed = QuantileHeadInterpolation.interpolate(headLevels: [0.1, 0.9], values: [[5], [4]], at: [0.1, 0.9])
        XCTAssertEqual(crossed.values, [[5], [5]])
    }

    func testSettingsColumnsAndRefusals() throws {
        let s = try IntervalSettings(levels: [95, 80], quantiles: [0.5, 0.1])
        XCTAssertEqual(s.levels, [80, 95])
        XCTAssertEqual(s.quantileLevels.map { ($0 * 1000).rounded() / 1000 }, [0.025, 0.1, 0.5, 0.9, 0.975])
        XCTAssertEqual(s.columns(for: "naive").map(\.name),
                       ["naive-lo-80", "naive-hi-80", "naive-lo-95", "naive-hi-95", "naive-q-0.1", "naive-q-0.5"])
        XCTAssertEqual(try IntervalSettings(levels: [97.5]).columns(for: "m").map(\.name), ["m-lo-97.5", "m-hi-97.5"])
        XCTAssertThrowsError(try IntervalSettings(levels: [100]))
        XCTAssertThrowsError(try IntervalSettings(levels: [0]))
        XCTAssertThrowsError(try IntervalSettings(quantiles: [1]))
        XCTAssertThrowsError(try IntervalSettings(levels: [80], calibrationWindows: 0))
    }
}
