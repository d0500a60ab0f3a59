import XCTest
import TSFCData
import TSFCTensor
@testable import TSFCDetection
import TSFC

/// Trained detectors find anomalies injected into a noisy sine, and their thresholds depend on the
/// training rows only.
final class ScorerDetectionTests: XCTestCase {
    static let period: Float = 24

    /// Two channels: a sine and a half-amplitude cosine, with N(0, 0.05²) noise.
    static func sine(rows: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let noise = Tensor.randomNormal([rows * 2], using: &rng).scalars
        return (0..<rows).flatMap { t -> [Float] in
            let a = 2 * Float.pi * Float(t) / period
            return [sinf(a) + 0.05 * noise[2 * t], 0.5 * cosf(a) + 0.05 * noise[2 * t + 1]]
        }
    }

    /// Injected anomalies in a test stretch of 300 rows: (name, rows, channel).
    static let injected: [(String, Range<Int>, Int)] = [("spike", 60..<61, 0), ("level shift", 140..<180, 1),
                                                        ("variance change", 230..<270, 0)]

    static func testSeries() -> [Float] {
        var x = sine(rows: 300, seed: 99)
        var rng = SeededGenerator(seed: 5)
        let noise = Tensor.randomNormal([300], using: &rng).scalars
        x[60 * 2 + 0] += 3                                                  // spike
        for t in 140..<180 { x[t * 2 + 1] += 1.5 }                          // level shift
        for t in 230..<270 { x[t * 2 + 0] += 0.6 * noise[t] }               // variance ×13
        return x
    }

    static func frame(_ values: [Float], source: String) -> TimeSeriesFrame {
        TimeSeriesFrame(timestamps: nil, columns: ["a", "b"], values: values, source: source)
    }

    static func configuration(scorer: ScorerKind) -> RunConfiguration {
        var c = RunConfiguration()
        c.seed = 3
        c.detection.scorer = scorer
        c.detection.threshold = ThresholdConfiguration(method: .quantile, value: 0.98)
        c.detection.aggregation = .max
        c.detection.window = 16
        c.detection.patchLength = 4
        c.detection.dropout = 0
        c.model.segmentLength = 8
        c.model.contextSegments = 4
        c.model.embeddingHidden = 32
        c.model.embeddingDropout = 0
        c.model.backbone.layers = 1
        c.model.backbone.width = 16
        c.model.backbone.heads = 2
        c.model.backbone.dropout = 0
        c.training.epochs = scorer == .residual ? 6 : 5
        c.training.batchSize = 32
        c.training.learningRate = 3e-3
        c.training.weightDecay = 0
        c.training.warmupSteps = 10
        c.training.patience = 100
        return c
    }

    /// `lag`: rows after an anomaly whose scores it still raises (the windows or contexts that contain it).
    func checkFindsInjectedAnomalies(scorer: ScorerKind, lag: Int) throws {
        let config = Self.configuration(scorer: scorer)
        let train = Self.frame(Self.sine(rows: 600, seed: 1), source: "train")
        let outcome = try DetectorTraining.fit(config, frame: train)
        let test = Self.frame(Self.testSeries(), source: "test")
        let result = try outcome.detector.detect(test, history: train)
        XCTAssertEqual(result.scores.count, 300)
        var nearAnomaly = [Bool](repeating: false, count: 300)
        for (name, rows, channel) in Self.injected {
            let zone = max(0, rows.lowerBound - 16)..<min(300, rows.upperBound + lag)
            for t in zone { nearAnomaly[t] = true }
            let hits = zone.filter { result.isAnomaly[$0] }
            XCTAssertFalse(hits.isEmpty, "\(scorer): the \(name) at \(rows) was not found")
            // The channel that carries the anomaly drives the alarm.
            if let t = hits.max(by: { result.scores[$0] < result.scores[$1] }) {
                XCTAssertEqual(result.channelScores.topChannels(at: t, k: 1), [channel], "\(scorer): \(name)")
            }
        }
        // False alarms: at most 5 % of normal rows against the rule's 2 %, counted on the normal
        // rows of this series and of 1,200 rows of a clean series (another noise seed). The 123 normal
        // rows here alone cannot tell 2 % from 5 %: scores averaged over 16-row windows come in
        // clumps, and the reconstruction scorer's 98th percentile measured on 2,000–5,000 fresh
        // normal rows is exceeded by 6–8 of them (raw: 6) — a threshold at its target could fail.
        let clean = try outcome.detector.detect(Self.frame(Self.sine(rows: 1200, seed: 98), source: "clean"), history: train)
        let falseAlarms = (0..<300).filter { !nearAnomaly[$0] && result.isAnomaly[$0] }.count + clean.isAnomaly.filter { $0 }.count
        let normal = nearAnomaly.filter { !$0 }.count + clean.isAnomaly.count
        XCTAssertLessThan(Double(falseAlarms), 0.05 * Double(normal), "\(scorer): \(falseAlarms) false alarms in \(normal) normal rows")
    }

    func testReconstructionDetectorFindsSpikeLevelShiftAndVarianceChange() throws {
        try checkFindsInjectedAnomalies(scorer: .reconstruction, lag: 16)
    }

    func testResidualDetectorFindsSpikeLevelShiftAndVarianceChange() throws {
        try checkFindsInjectedAnomalies(scorer: .residual, lag: 40)   // context 32 + block 8
    }

    func testThresholdIsFittedOnHeldOutTrainingScoresOnly() throws {
        var config = Self.configuration(scorer: .reconstruction)
        config.training.epochs = 2
        let train = Self.sine(rows: 300, seed: 1)
        // The same training rows, once alone and once followed by anomalous test rows.
        let alone = try DetectorTraining.fit(config, frame: Self.frame(train, source: "train"))
        let followed = try DetectorTraining.fit(config, frame: Self.frame(train + Self.testSeries(), source: "train+test"),
                                                rows: 0..<300)
        XCTAssertEqual(alone.detector.threshold, followed.detector.threshold)
        XCTAssertEqual(alone.calibrationRows, 240..<300)
        XCTAssertEqual(alone.calibrationScores.count, 60)
        // The threshold is the rule applied to exactly those calibration scores (numpy-style quantile).
        let sorted = alone.calibrationScores.sorted()
        let position = 0.98 * 59.0, lower = Int(position)
        let expected = sorted[lower] + (sorted[lower + 1] - sorted[lower]) * Float(position - Double(lower))
        XCTAssertEqual(alone.detector.threshold, expected, accuracy: 1e-6 * max(1, abs(expected)))
    }

    func testTooShortTrainingPartIsAClearError() {
        let config = Self.configuration(scorer: .reconstruction)
        XCTAssertThrowsError(try DetectorTraining.fit(config, frame: Self.frame(Self.sine(rows: 40, seed: 1), source: "tiny.csv"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("tiny.csv") && text.contains("needs at least"), text)
        }
    }

    func testDetectorBundleRoundTripKeepsScoresAndThreshold() throws {
        for scorer in [ScorerKind.reconstruction, .residual] {
            var config = Self.configuration(scorer: scorer)
            config.training.epochs = 1
            let train = Self.frame(Self.sine(rows: 300, seed: 1), source: "train")
            let outcome = try DetectorTraining.fit(config, frame: train)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("detector-\(scorer)-\(getpid()).tsfc")
            defer { try? FileManager.default.removeItem(at: url) }
            try ModelBundle.write(outcome.detector, summary: outcome.summary, to: url)
            let loaded = try ModelBundle.loadDetector(contentsOf: url)
            XCTAssertEqual(loaded.threshold, outcome.detector.threshold)
            XCTAssertEqual(loaded.scorer.kind, scorer)
            let test = Self.frame(Self.testSeries(), source: "test")
            XCTAssertEqual(try loaded.detect(test).scores, try outcome.detector.detect(test).scores)
        }
    }
}
