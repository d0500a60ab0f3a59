import XCTest
import TSFCData
import TSFCTensor
@testable import TSFCDetection
@testable import TSFC

/// The covering-minimum row scores of the neighbour scorers against a brute-force oracle (and the
/// stream against the batch), the shared kNN/LOF neighbour search against separate searches, and
/// the seasonal level of the detrending against a hand computation and a level shift.
final class WindowRowScoreTests: XCTestCase {
    func noise(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomNormal([n], using: &rng).scalars
    }

    func scorers(rowScore: WindowRowScore) throws -> [any WindowScorer] {
        let train = WindowScorerTests.trendingSeasonal(rows: 300, seed: 1, trend: 0)
        let values = zip(train, noise(300, seed: 4)).flatMap { [$0, $1] }                 // 2 channels
        return [try KNNScorer.fit(values: values, channels: 2, rows: 0..<300, windowLength: 8, neighbours: 3,
                                  maximumReference: 150, rowScore: rowScore),
                try LOFScorer.fit(values: values, channels: 2, rows: 0..<300, windowLength: 8, neighbours: 6,
                                  maximumReference: 150).withRowScore(rowScore)]
    }

    /// Row t's score per channel is the minimum over the windows starting at t − W + 1 … t that
    /// exist (the input padded in front with copies of its first row, as for centred scores).
    func testCoveringMinimumEqualsTheMinimumOverCoveringWindows() throws {
        let test = WindowScorerTests.trendingSeasonal(rows: 60, seed: 2, trend: 0)
        var x = zip(test, noise(60, seed: 5)).flatMap { [$0, $1] }
        x[30 * 2] += 4                                                                   // a spike on channel 0
        for scorer in try scorers(rowScore: .minimum) {
            let w = scorer.windowLength
            XCTAssertEqual(scorer.contextRows, w - 1)
            XCTAssertEqual(scorer.streamDelay, w - 1)
            for history in [0, 3, 12] {
                let input = ScoringInput(values: x, channels: 2, historyRows: history)
                let scores = try scorer.channelScores(input).perChannel
                let pad = max(0, w - 1 - history)
                let padded = Array([[Float]](repeating: Array(x[0..<2]), count: pad).joined()) + x
                let rows = padded.count / 2
                for t in (pad + history)..<rows {
                    let starts = Array(max(0, t - w + 1)...min(t, rows - w))
                    let windows = try scorer.scoreWindows(padded, channels: 2, starts: starts)
                    for ch in 0..<2 {
                        let oracle = starts.indices.map { windows[$0 * 2 + ch] }.min()!
                        XCTAssertEqual(scores[(t - pad - history) * 2 + ch], oracle, accuracy: 1e-4 * max(1, oracle),
                                       "\(scorer.kind) history \(history) row \(t) channel \(ch)")
                    }
                }
            }
            // A clean row next to the spike keeps a low score; the centred window gives it the spike's.
            let centred = try scorers(rowScore: .centre).first { $0.kind == scorer.kind }!
            let input = ScoringInput(values: x, channels: 2, historyRows: 12)
            let minimum = try scorer.channelScores(input).aggregated(.mean)
            let centre = try centred.channelScores(input).aggregated(.mean)
            XCTAssertGreaterThan(minimum[30 - 12] , 2 * minimum[30 - 12 - 2], "\(scorer.kind): the spike row stays high")
            XCTAssertLessThan(minimum[30 - 12 - 2], 0.5 * centre[30 - 12 - 2], "\(scorer.kind): its clean neighbour does not")
        }
    }

    func testCoveringMinimumStreamEqualsBatch() throws {
        let test = WindowScorerTests.trendingSeasonal(rows: 50, seed: 3, trend: 0)
        let x = zip(test, noise(50, seed: 6)).flatMap { [$0, $1] }
        for scorer in try scorers(rowScore: .minimum) {
            for history in [0, 3, 20] {
                let input = ScoringInput(values: x, channels: 2, historyRows: history)
                let batch = try scorer.channelScores(input).perChannel
                let stream = scorer.makeStream(channels: 2)
                var streamed: [StreamedScore] = []
                for t in 0..<input.rows { streamed += try stream.append(Array(input.row(t)), isHistory: t < history) }
                streamed += try stream.finish()
                XCTAssertEqual(streamed.map(\.row), Array(0..<(50 - history)), "\(scorer.kind) history \(history)")
                for (a, b) in zip(streamed.flatMap(\.scores), batch) {
                    XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)), "\(scorer.kind) history \(history)")
                }
            }
        }
    }

    /// The ensemble's kNN and LOF members read one search: the same scores as searching apart.
    func testSharedNeighbourSearchGivesEachMembersOwnScores() throws {
        let train = WindowScorerTests.trendingSeasonal(rows: 400, seed: 7, trend: 0)
        let values = zip(train, noise(400, seed: 8)).flatMap { [$0, $1] }
        let knn = try KNNScorer.fit(values: values, channels: 2, rows: 0..<400, windowLength: 12, neighbours: 5, maximumReference: 200)
        let lof = try LOFScorer.fit(values: values, channels: 2, rows: 0..<400, windowLength: 12, neighbours: 20, maximumReference: 200)
        let ridge = try RidgeARScorer.fit(values: values, channels: 2, rows: 0..<400, lags: 8)
        XCTAssertTrue(lof.sharesSearch(with: knn))
        let other = try KNNScorer.fit(values: values, channels: 2, rows: 0..<400, windowLength: 12, neighbours: 5, maximumReference: 150)
        XCTAssertFalse(lof.sharesSearch(with: other), "other reference windows")
        let test = WindowScorerTests.trendingSeasonal(rows: 90, seed: 9, trend: 0)
        let x = zip(test, noise(90, seed: 10)).flatMap { [$0, $1] }
        let input = ScoringInput(values: Array(values.suffix(20 * 2)) + x, channels: 2, historyRows: 20)
        let shared = try EnsembleScorer.memberScores([knn, ridge, lof], input)
        let apart = [try knn.channelScores(input), try ridge.channelScores(input), try lof.channelScores(input)]
        for (s, a) in zip(shared, apart) {
            XCTAssertEqual(s.count, a.count)
            for (u, v) in zip(s.perChannel, a.perChannel) { XCTAssertEqual(u, v, accuracy: 1e-5 * max(1, abs(v))) }
        }
    }

    /// The seasonal level: the median of the last blocks' means, each carried along the slope —
    /// by hand for one row, and unmoved by a level shift shorter than three periods.
    func testSeasonalLevelIsAMedianOfPeriodMeans() {
        // Blocks of 2 rows, 3 blocks (window 6), slope 0.5 per row, one channel.
        let n = InputNormalization(detrend: [true], rollingWindow: 6, scaler: StandardScaler(mean: [0], std: [1]),
                                   flooredChannels: [], levelBlock: 2)
        var sloped = n
        sloped.levelSlope = [0.5]
        let x: [Float] = [1, 3, 10, 12, 2, 4, 7]
        // Row 6: block means (rows 4–5) 3, (2–3) 11, (0–1) 2; carried by 0.5 × (6 − block centre):
        // 3 + 0.5·1.5 = 3.75, 11 + 0.5·3.5 = 12.75, 2 + 0.5·5.5 = 4.75 → median 4.75; plain: median 3.
        XCTAssertEqual(n.detrended(x, channels: 1)[6], 7 - 3, accuracy: 1e-5)
        XCTAssertEqual(sloped.detrended(x, channels: 1)[6], 7 - 4.75, accuracy: 1e-5)
        // Row 3: one whole block ends there (rows 1–2, mean 6.5).
        XCTAssertEqual(n.detrended(x, channels: 1)[3], 12 - 6.5, accuracy: 1e-5)
        XCTAssertEqual(n.detrended(x, channels: 1)[1], 3 - 1, accuracy: 1e-5, "before a whole block: the mean of the rows before")

        // A trending daily series with and without a 40-row shift: fitted like the zero-configuration
        // path, the detrended rows after the shift match the clean ones to within the noise.
        let clean = WindowScorerTests.trendingSeasonal(rows: 1600, seed: 21)
        var shifted = clean
        for t in 1300..<1340 { shifted[t] += 1.5 }
        let fitted = InputNormalization.fit(values: clean, channels: 1, rows: 0..<720, mode: .auto, rollingWindow: 128)
        XCTAssertEqual(fitted.levelBlock, 24)
        XCTAssertEqual(fitted.rollingWindow, 7 * 24)
        XCTAssertEqual(Double(fitted.levelSlope[0]), 0.004, accuracy: 0.001)
        let a = fitted.detrended(clean, channels: 1), b = fitted.detrended(shifted, channels: 1)
        let worst = (1340..<1600).map { abs(a[$0] - b[$0]) }.max()!
        XCTAssertLessThan(worst, 0.1, "the level after the shift")
        // The median of single rows (the level before seasonal blocks) moves by about half the shift.
        var rows = fitted
        rows.levelBlock = 1
        rows.levelSlope = []
        rows.rollingWindow = 128
        let c = rows.detrended(clean, channels: 1), d = rows.detrended(shifted, channels: 1)
        XCTAssertGreaterThan((1340..<1400).map { abs(c[$0] - d[$0]) }.max()!, 0.3)
    }
}
