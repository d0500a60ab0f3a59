import XCTest
import TSFCData
import TSFCTensor
@testable import TSFCDetection
@testable import TSFC

/// A saved detector scores exactly as the run that saved it, and training rows are history only
/// for inputs that continue them.
final class DetectorPersistenceTests: XCTestCase {
    static func frame(rows: Range<Int>, seed: UInt64) -> TimeSeriesFrame {
        var rng = SeededGenerator(seed: seed)
        let noise = Tensor.randomNormal([rows.count * 2], using: &rng).scalars
        var values: [Float] = []
        for (i, t) in rows.enumerated() {
            values += [0.002 * Float(t) + sinf(2 * .pi * Float(t) / 24) + 0.1 * noise[2 * i], cosf(2 * .pi * Float(t) / 24) + 0.1 * noise[2 * i + 1]]
        }
        return TimeSeriesFrame(timestamps: rows.map { 1_700_000_000 + 3600 * Int64($0) }, columns: ["a", "b"], values: values, source: "s\(seed)")
    }

    func testSaveReloadScoresIdentically() throws {
        let train = Self.frame(rows: 0..<900, seed: 1)
        let follows = Self.frame(rows: 900..<1200, seed: 2)
        let later = Self.frame(rows: 2000..<2300, seed: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-persist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for scorer in [ScorerKind.knn, .lof, .ridge, .ensemble] {
            var config = DetectorDefaults.configuration(scorer: scorer)
            config.detection.window = 24
            config.detection.normalization = .rolling
            let outcome = try DetectorTraining.fit(config, frame: train)
            let url = dir.appendingPathComponent("\(scorer).tsfc")
            try ModelBundle.write(outcome.detector, summary: outcome.summary, to: url)
            let loaded = try ModelBundle.loadDetector(contentsOf: url)
            XCTAssertEqual(loaded.scorer.kind, scorer)
            XCTAssertTrue(loaded.continuesTraining(follows))
            XCTAssertFalse(loaded.continuesTraining(later))
            for input in [follows, later] {
                let before = try outcome.detector.detect(input)
                let after = try loaded.detect(input)
                XCTAssertEqual(before.scores, after.scores, "\(scorer) \(input.source)")
                XCTAssertEqual(before.threshold, after.threshold)
            }
            // The continuing input gets the training tail as history: the same scores as passing the training frame.
            XCTAssertEqual(try loaded.detect(follows).scores, try outcome.detector.detect(follows, history: train).scores, "\(scorer)")
        }
    }

    /// The default ensemble keeps its three members, and kNN / LOF their covering-minimum rows;
    /// an ensemble of kNN and ridge alone (bundles from before LOF joined) reloads as such.
    func testEnsembleMembersAndRowScoresSurviveReloading() throws {
        let train = Self.frame(rows: 0..<900, seed: 1)
        let follows = Self.frame(rows: 900..<1200, seed: 2)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-members-\(UUID().uuidString).tsfc")
        defer { try? FileManager.default.removeItem(at: url) }
        for rowScore in [WindowRowScore.centre, .minimum] {
            var config = DetectorDefaults.configuration()
            config.detection.window = 24
            config.detection.rowScore = rowScore
            let outcome = try DetectorTraining.fit(config, frame: train)
            try ModelBundle.write(outcome.detector, summary: outcome.summary, to: url)
            let loaded = try XCTUnwrap(try ModelBundle.loadDetector(contentsOf: url).scorer as? EnsembleScorer)
            XCTAssertEqual(loaded.members.map(\.kind), [.knn, .ridge, .lof])
            XCTAssertEqual((loaded.members[0] as? KNNScorer)?.rowScore, rowScore)
            XCTAssertEqual((loaded.members[2] as? LOFScorer)?.rowScore, rowScore)
            XCTAssertEqual((loaded.members[2] as? LOFScorer)?.neighbours, 20)
            XCTAssertEqual(try ModelBundle.loadDetector(contentsOf: url).detect(follows).scores, try outcome.detector.detect(follows).scores)
        }
        // Two members with the ranks of that time, as written before: the same come back.
        var config = DetectorDefaults.configuration()
        config.detection.window = 24
        let outcome = try DetectorTraining.fit(config, frame: train)
        let three = try XCTUnwrap(outcome.detector.scorer as? EnsembleScorer)
        let two = EnsembleScorer(members: Array(three.members.prefix(2)),
                                 normalizers: three.normalizers.prefix(2).map { RankNormalizer(quantiles: $0.quantiles, channels: $0.channels, legacy: true) })
        let d = outcome.detector
        let old = TrainedDetector(scorer: two, columns: d.columns, normalization: d.normalization, aggregation: d.aggregation,
                                  threshold: d.threshold, thresholdRule: d.thresholdRule, configuration: d.configuration,
                                  calibrationCount: d.calibrationCount, trainingTail: d.trainingTail, trainingEnd: d.trainingEnd,
                                  trainingStep: d.trainingStep)
        try ModelBundle.write(old, summary: outcome.summary, to: url)
        let reloaded = try ModelBundle.loadDetector(contentsOf: url)
        XCTAssertEqual((reloaded.scorer as? EnsembleScorer)?.members.map(\.kind), [.knn, .ridge])
        XCTAssertEqual((reloaded.scorer as? EnsembleScorer)?.normalizers.map(\.legacy), [true, true])
        XCTAssertEqual((try ModelBundle.loadDetector(contentsOf: url).scorer as? EnsembleScorer)?.normalizers, two.normalizers)
        XCTAssertEqual(try reloaded.detect(follows).scores, try old.detect(follows).scores)
    }

    func testAReconstructionDetectorKeepsItsCentringAndChannelScales() throws {
        let train = Self.frame(rows: 0..<600, seed: 1)
        let follows = Self.frame(rows: 600..<800, seed: 2)
        var config = DetectorDefaults.configuration(scorer: .reconstruction)
        config.training.epochs = 1
        config.training.batchSize = 32
        config.training.maxTrainWindows = 64
        XCTAssertFalse(config.detection.centreWindows, "centring is opt-in")
        XCTAssertTrue(config.detection.standardiseChannels, "standardisation is the default")
        var raw = config
        raw.detection.standardiseChannels = false
        let rawOutcome = try DetectorTraining.fit(raw, frame: train)
        let rawScorer = try XCTUnwrap(rawOutcome.detector.scorer as? ReconstructionScorer)
        XCTAssertNil(rawScorer.channelScale)
        config.detection.centreWindows = true
        let outcome = try DetectorTraining.fit(config, frame: train)
        let fitted = try XCTUnwrap(outcome.detector.scorer as? ReconstructionScorer)
        XCTAssertTrue(fitted.centresWindows)
        let scale = try XCTUnwrap(fitted.channelScale)
        XCTAssertEqual(scale.scales.count, 2)
        // The scale puts the held-out rows' mean per-channel score at 1; the threshold's
        // calibration scores are those rows with each half scaled by the other half's mean.
        let held = outcome.calibrationRows
        let context = fitted.contextRows
        let standardized = outcome.detector.normalization.apply(try outcome.detector.rawValues(train), channels: 2)
        let rawHeld = try fitted.withChannelScale(nil).channelScores(ScoringInput(
            values: Array(standardized[((held.lowerBound - context) * 2)..<(held.upperBound * 2)]), channels: 2, historyRows: context))
        XCTAssertEqual(rawHeld.count, held.count)
        for ch in 0..<2 {
            let mean = (0..<held.count).map { rawHeld.perChannel[$0 * 2 + ch] }.reduce(0, +) / Float(held.count)
            XCTAssertEqual(scale.scales[ch], max(mean, ChannelScoreScale.defaultFloor), accuracy: 1e-4 * mean)
        }
        let half = held.count / 2
        func halfMean(_ r: Range<Int>, _ ch: Int) -> Float { max(r.map { rawHeld.perChannel[$0 * 2 + ch] }.reduce(0, +) / Float(r.count), 1e-4) }
        let expected = (0..<held.count).map { t -> Float in
            let other = t < half ? half..<held.count : 0..<half
            return (0..<2).map { rawHeld.perChannel[t * 2 + $0] / halfMean(other, $0) }.reduce(0, +) / 2     // mean aggregation
        }
        XCTAssertEqual(outcome.calibrationScores.count, expected.count)
        for (a, b) in zip(outcome.calibrationScores, expected) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, b)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-recon-\(UUID().uuidString).tsfc")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelBundle.write(outcome.detector, summary: outcome.summary, to: url)
        let loaded = try ModelBundle.loadDetector(contentsOf: url)
        let scorer = try XCTUnwrap(loaded.scorer as? ReconstructionScorer)
        XCTAssertTrue(scorer.centresWindows)
        XCTAssertEqual(scorer.channelScale, scale)
        XCTAssertEqual(try outcome.detector.detect(follows).scores, try loaded.detect(follows).scores)
    }

    func testInputWithoutTimestampsIsNeverGluedToTraining() throws {
        let train = Self.frame(rows: 0..<600, seed: 1)
        var config = DetectorDefaults.configuration()
        config.detection.window = 24
        let outcome = try DetectorTraining.fit(config, frame: train)
        let test = Self.frame(rows: 600..<800, seed: 2)
        let unstamped = TimeSeriesFrame(timestamps: nil, columns: test.columns, values: test.values, source: "plain")
        XCTAssertFalse(outcome.detector.continuesTraining(unstamped))
        XCTAssertEqual(try outcome.detector.detect(unstamped).scores, try outcome.detector.detect(unstamped, history: nil).scores)
        XCTAssertNotEqual(try outcome.detector.detect(test).scores.prefix(12), try outcome.detector.detect(unstamped).scores.prefix(12))
    }
}
