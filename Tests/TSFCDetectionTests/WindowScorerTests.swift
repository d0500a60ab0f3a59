import XCTest
import TSFCData
import TSFCTensor
@testable import TSFCDetection
import TSFC

/// The window scorers: the exact kNN index against a brute-force oracle, batch scores equal to
/// streamed ones, and the zero-configuration detector on trending, seasonal series.
final class WindowScorerTests: XCTestCase {
    func testNearestNeighbourIndexMatchesBruteForce() {
        var rng = SeededGenerator(seed: 7)
        let d = 24
        let reference = Tensor.randomNormal([700 * d], using: &rng).scalars
        let queries = Tensor.randomNormal([90 * d], using: &rng).scalars
        let index = NearestNeighbourIndex(reference: reference, dimension: d)
        let fast = index.search(queries, k: 5)
        let oracle = NearestNeighbourIndex.bruteForce(reference: reference, queries: queries, dimension: d, k: 5)
        XCTAssertEqual(fast.indices, oracle.indices)
        for (a, b) in zip(fast.distances, oracle.distances) { XCTAssertEqual(a, b, accuracy: 1e-3 * max(1, b)) }
        // Excluding self: each reference row's nearest other row, as the oracle gives it for the second neighbour.
        let own = index.search(Array(reference[..<(50 * d)]), k: 1, excludingSelf: true)
        let withSelf = NearestNeighbourIndex.bruteForce(reference: reference, queries: Array(reference[..<(50 * d)]), dimension: d, k: 2)
        for i in 0..<50 {
            XCTAssertEqual(withSelf.indices[2 * i], i)
            XCTAssertEqual(own.indices[i], withSelf.indices[2 * i + 1])
        }
    }

    /// The diagonal-recurrence window index finds the same neighbours as brute force over the
    /// flattened windows, for query starts in several runs (more than one recurrence block) and
    /// for a single streamed window.
    func testSlidingWindowIndexMatchesBruteForceOnFlattenedWindows() {
        var rng = SeededGenerator(seed: 8)
        let c = 3, w = 9, t = 400
        let train = Tensor.randomNormal([t * c], using: &rng).scalars
        let test = Tensor.randomNormal([700 * c], using: &rng).scalars
        let starts = SlidingWindows.thinned(last: t - w, cap: 150)
        let queryStarts = Array(0..<300) + Array(350..<(700 - w + 1)) + [5]
        let index = SlidingWindowIndex(rows: train, channels: c, windowLength: w, starts: starts)
        let fast = index.search(test, queryStarts: queryStarts, k: 4)
        let oracle = NearestNeighbourIndex.bruteForce(
            reference: SlidingWindows.matrix(train, channels: c, length: w, starts: starts),
            queries: SlidingWindows.matrix(test, channels: c, length: w, starts: queryStarts), dimension: w * c, k: 4)
        XCTAssertEqual(fast.indices, oracle.indices)
        for (a, b) in zip(fast.distances, oracle.distances) { XCTAssertEqual(a, b, accuracy: 1e-3 * max(1, b)) }
        let one = index.search(Array(test[(40 * c)..<((40 + w) * c)]), queryStarts: [0], k: 4)
        XCTAssertEqual(one.indices, Array(oracle.indices[(40 * 4)..<(41 * 4)]))
    }

    /// LOF of test windows equals the definition evaluated with the brute-force neighbours of the
    /// flattened windows (training windows without themselves).
    func testLOFMatchesItsDefinitionWithBruteForceNeighbours() throws {
        var rng = SeededGenerator(seed: 9)
        let c = 2, w = 6, t = 300, k = 7
        let train = Tensor.randomNormal([t * c], using: &rng).scalars
        let test = Tensor.randomNormal([60 * c], using: &rng).scalars
        let lof = try LOFScorer.fit(values: train, channels: c, rows: 0..<t, windowLength: w, neighbours: k, maximumReference: 120)
        let starts = SlidingWindows.thinned(last: t - w, cap: 120)
        let reference = SlidingWindows.matrix(train, channels: c, length: w, starts: starts)
        let own = NearestNeighbourIndex.bruteForce(reference: reference, queries: reference, dimension: w * c, k: k + 1)
        var kDistance: [Double] = [], density: [Double] = []
        for i in starts.indices { kDistance.append(Double(own.distances[i * (k + 1) + k])) }  // entry 0 is the window itself
        for i in starts.indices {
            let reach = (1...k).map { j in max(kDistance[own.indices[i * (k + 1) + j]], Double(own.distances[i * (k + 1) + j])) }
            density.append(1 / (reach.reduce(0, +) / Double(k)))
        }
        let queryStarts = Array(0...(60 - w))
        let q = NearestNeighbourIndex.bruteForce(reference: reference, queries: SlidingWindows.matrix(test, channels: c, length: w, starts: queryStarts),
                                                 dimension: w * c, k: k)
        let scores = try lof.scoreWindows(test, channels: c, starts: queryStarts)
        for i in queryStarts.indices {
            let nn = (0..<k).map { q.indices[i * k + $0] }
            let reach = (0..<k).map { j in max(kDistance[nn[j]], Double(q.distances[i * k + j])) }.reduce(0, +) / Double(k)
            let expected = nn.map { density[$0] }.reduce(0, +) / Double(k) * reach
            let got = Double(scores[i * c] + scores[i * c + 1]) / Double(c)
            XCTAssertEqual(got, expected, accuracy: 1e-3 * expected, "window \(i)")
        }
    }

    /// A daily-seasonal series (period 24) with a linear trend and noise, `[T, 1]`.
    static func trendingSeasonal(rows: Int, seed: UInt64, trend: Float = 0.004) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let noise = Tensor.randomNormal([rows], using: &rng).scalars
        return (0..<rows).map { t in trend * Float(t) + sinf(2 * .pi * Float(t) / 24) + 0.1 * noise[t] }
    }

    func testStreamedScoresEqualBatchScores() throws {
        let train = Self.trendingSeasonal(rows: 400, seed: 1, trend: 0)
        let test = Self.trendingSeasonal(rows: 120, seed: 2, trend: 0)
        let scorers: [any AnomalyDetector] = [
            try KNNScorer.fit(values: train, channels: 1, rows: 0..<400, windowLength: 16, neighbours: 3, maximumReference: 200),
            try LOFScorer.fit(values: train, channels: 1, rows: 0..<400, windowLength: 16, neighbours: 10, maximumReference: 200),
            try RidgeARScorer.fit(values: train, channels: 1, rows: 0..<400, lags: 12)]
        for scorer in scorers {
            for history in [0, 30] {
                let input = ScoringInput(values: Array(train.suffix(history)) + test, channels: 1, historyRows: history)
                let batch = try scorer.channelScores(input)
                XCTAssertEqual(batch.count, 120)
                let stream = scorer.makeStream(channels: 1)
                var streamed: [StreamedScore] = []
                for t in 0..<input.rows { streamed += try stream.append([input.values[t]], isHistory: t < history) }
                streamed += try stream.finish()
                XCTAssertEqual(streamed.map(\.row), Array(0..<120), "\(scorer.kind)")
                // The batch sums window distances by a recurrence along diagonals, the stream one
                // window at a time: equal up to Float summation order.
                let s = streamed.flatMap(\.scores)
                XCTAssertEqual(s.count, batch.perChannel.count)
                for (a, b) in zip(s, batch.perChannel) {
                    XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "\(scorer.kind) history \(history)")
                }
            }
        }
    }

    func testRidgeRecoversAnARProcess() throws {
        var rng = SeededGenerator(seed: 3)
        let noise = Tensor.randomNormal([3000], using: &rng).scalars
        var x: [Float] = [0, 0]
        for t in 2..<3000 { x.append(0.6 * x[t - 1] - 0.3 * x[t - 2] + 0.1 * noise[t]) }
        let ridge = try RidgeARScorer.fit(values: x, channels: 1, rows: 0..<3000, lags: 2, penalty: 1e-6)
        XCTAssertEqual(ridge.coefficients[1], 0.6, accuracy: 0.05)   // newest lag last
        XCTAssertEqual(ridge.coefficients[0], -0.3, accuracy: 0.05)
    }

    /// A trending daily-seasonal series of 2,400 rows with a spike (row 1000), a 40-row level
    /// shift (1300), a 40-row variance burst (1600) and a 60-row frequency change (1900), and its labels.
    static func injectedAnomalies() -> (values: [Float], labels: [Bool]) {
        let rows = 2400
        var x = trendingSeasonal(rows: rows, seed: 11)
        var labels = [Bool](repeating: false, count: rows)
        var rng = SeededGenerator(seed: 12)
        let burst = Tensor.randomNormal([rows], using: &rng).scalars
        x[1000] += 2.5; labels[1000] = true                                             // spike
        for t in 1300..<1340 { x[t] += 1.5; labels[t] = true }                          // level shift (its onset is the anomaly)
        for t in 1600..<1640 { x[t] += 0.8 * burst[t]; labels[t] = true }               // variance burst
        for t in 1900..<1960 {                                                          // frequency change
            x[t] += sinf(2 * .pi * Float(t) / 8) - sinf(2 * .pi * Float(t) / 24); labels[t] = true
        }
        return (x, labels)
    }

    /// The zero-configuration detector fitted on the leading 30 % of the injected-anomaly series
    /// (like `tsfc detect file.csv`), the rows after it judged.
    func zeroConfigurationOnInjectedAnomalies() throws -> (result: DetectionResult, labels: [Bool], first: Int, window: Int) {
        let (x, labels) = Self.injectedAnomalies()
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["y"], values: x, source: "synthetic")
        let first = Int(Double(x.count) * 0.3)
        var config = DetectorDefaults.configuration()
        let period = DetectorDefaults.chooseWindow(&config, frame: frame, rows: 0..<first)
        XCTAssertEqual(period, 24)
        let outcome = try DetectorTraining.fit(config, frame: frame, rows: 0..<first)
        XCTAssertEqual(outcome.detector.normalization.detrend, [true], "the trend is detected and removed")
        XCTAssertEqual(outcome.detector.normalization.levelBlock, 24, "the level is a median of daily means")
        let result = try outcome.detector.detect(frame.rows(first..<x.count), history: frame.rows(0..<first))
        return (result, Array(labels[first...]), first, config.detection.window)
    }

    /// The zero-configuration path ranks injected anomalies above normal rows.
    func testZeroConfigurationFindsInjectedAnomaliesOnATrendingSeasonalSeries() throws {
        let (result, scored, first, _) = try zeroConfigurationOnInjectedAnomalies()
        let auc = AnomalyMetrics.aucROC(labels: scored, scores: result.scores)
        XCTAssertGreaterThanOrEqual(auc, 0.9)
        // Every anomaly type raises the score above the median normal row somewhere in its span.
        let normal = zip(scored, result.scores).filter { !$0.0 }.map { Double($0.1) }.sorted()
        let median = normal[normal.count / 2]
        for span in [1000...1000, 1300...1339, 1600...1639, 1900...1959] {
            XCTAssertGreaterThan(Double(span.map { result.scores[$0 - first] }.max()!), 3 * median, "\(span)")
        }
    }

    /// Few normal rows of the injected-anomaly series are flagged by the zero-configuration path,
    /// and almost none away from the anomalies. (The centred window scores still flag clean rows
    /// within a window of an anomaly; before the level was a median of period means carried along
    /// the trend, the rows for 4 windows after the level shift were flagged too: 13.6 % of the
    /// normal rows here, about 4.5 % more than a window away from any anomaly.)
    func testZeroConfigurationFlagsFewNormalRowsOfTheInjectedSeries() throws {
        let (result, scored, _, window) = try zeroConfigurationOnInjectedAnomalies()
        let anomalous = scored.indices.filter { scored[$0] }
        var flagged = 0, away = 0, normal = 0
        for i in scored.indices where !scored[i] {
            normal += 1
            guard result.isAnomaly[i] else { continue }
            flagged += 1
            if anomalous.allSatisfy({ abs($0 - i) > window }) { away += 1 }
        }
        XCTAssertLessThanOrEqual(Double(flagged) / Double(normal), 0.10, "\(flagged) of \(normal) normal rows flagged")
        XCTAssertLessThanOrEqual(Double(away) / Double(normal), 0.01, "\(away) normal rows flagged more than a window from any anomaly")
    }

    /// On a clean stretch of normal data the zero-configuration detector flags few points: ~1 %
    /// (POT at risk 0.002) on average over eight series, and no series far above it. (The kNN
    /// scorer calibrated on the held-out rows alone — about 15 independent windows here — flagged
    /// 0.1–3.4 %; with its leave-overlap-out fit windows 0–2.4 %.)
    func testFalseAlarmRateOnNormalData() throws {
        var shares: [Double] = []
        for seed: UInt64 in 20..<28 {
            let rows = 4000
            let frame = TimeSeriesFrame(timestamps: nil, columns: ["y"], values: Self.trendingSeasonal(rows: rows, seed: seed),
                                        source: "normal")
            let first = Int(Double(rows) * 0.3)
            var config = DetectorDefaults.configuration()
            DetectorDefaults.chooseWindow(&config, frame: frame, rows: 0..<first)
            let outcome = try DetectorTraining.fit(config, frame: frame, rows: 0..<first)
            let result = try outcome.detector.detect(frame.rows(first..<rows), history: frame.rows(0..<first))
            let share = Double(result.isAnomaly.filter { $0 }.count) / Double(result.isAnomaly.count)
            XCTAssertLessThanOrEqual(share, 0.025, "seed \(seed)")
            shares.append(share)
        }
        XCTAssertLessThanOrEqual(shares.reduce(0, +) / Double(shares.count), 0.01, "\(shares)")
    }

    /// The ridge residual sees a large excursion whole: its inputs are not clipped (a +50 spike on
    /// a series of spread ~0.7 is a one-step residual of ~70 standard units, ~4900 squared; the
    /// neighbour scorers' ±20 clip would cap it near 441).
    func testRidgeInputsAreNotClipped() throws {
        let rows = 1500
        var x = Self.trendingSeasonal(rows: rows, seed: 31, trend: 0)
        x[1200] += 50
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["y"], values: x, source: "spike")
        var config = DetectorDefaults.configuration(scorer: .ridge)
        config.detection.window = 24
        let outcome = try DetectorTraining.fit(config, frame: frame, rows: 0..<1000)
        XCTAssertGreaterThan(outcome.detector.normalization.clipLimit, 1e6)
        let result = try outcome.detector.detect(frame.rows(1000..<rows), history: frame.rows(0..<1000))
        let sd = outcome.detector.normalization.scaler.std[0]
        XCTAssertGreaterThan(Double(result.scores[200]), 0.8 * Double(50 / sd) * Double(50 / sd))
        XCTAssertEqual(try DetectorTraining.fit(DetectorDefaults.configuration(scorer: .knn), frame: frame, rows: 0..<1000).detector.normalization.clipLimit,
                       InputNormalization.clip)
    }

    /// A training part too short for POT's tail fit (10 NAB files: 130 fit rows, 56 held out) still
    /// gives a detector: the threshold is the largest calibration score, and the outcome says so.
    func testShortTrainingFallsBackToTheLargestCalibrationScore() throws {
        let x = Self.trendingSeasonal(rows: 400, seed: 41, trend: 0)
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["y"], values: x, source: "short")
        var config = DetectorDefaults.configuration(scorer: .ridge)
        config.detection.window = 32
        let outcome = try DetectorTraining.fit(config, frame: frame, rows: 0..<186)
        XCTAssertLessThan(outcome.calibrationScores.count, 100)
        XCTAssertEqual(outcome.detector.threshold, outcome.calibrationScores.max())
        XCTAssertEqual(outcome.notes.count, 1)
        XCTAssertTrue(outcome.notes[0].contains("largest calibration score"), outcome.notes[0])
    }

    /// A channel constant in training is floored and reported, and cannot flag every later row.
    func testConstantTrainingChannelIsFlooredAndReported() throws {
        let rows = 1200
        let a = Self.trendingSeasonal(rows: rows, seed: 5, trend: 0)
        var values: [Float] = []
        for t in 0..<rows { values += [a[t], t < 600 ? 0.5 : 0.5 + 1e-3] }
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a", "flat"], values: values, source: "flat")
        var config = DetectorDefaults.configuration()
        config.detection.window = 24
        let outcome = try DetectorTraining.fit(config, frame: frame, rows: 0..<600)
        XCTAssertEqual(outcome.detector.normalization.flooredChannels, [1])
        let result = try outcome.detector.detect(frame.rows(600..<rows), history: frame.rows(0..<600))
        XCTAssertLessThan(Double(result.isAnomaly.filter { $0 }.count) / Double(result.isAnomaly.count), 0.05)
    }
}
