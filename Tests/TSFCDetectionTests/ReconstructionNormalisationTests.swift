import XCTest
import TSFCBackbone
import TSFCModels
import TSFCNN
import TSFCTensor
@testable import TSFCDetection

/// The reconstruction scorer's per-window centring and per-channel score standardisation, each
/// against a truth that does not use the code under test: a level-shifted copy of a series, a
/// channel whose raw errors are 100× the others', and a hand-made rescaling.
final class ReconstructionNormalisationTests: XCTestCase {
    func autoencoder(window: Int = 8, patch: Int = 4, channels: Int = 2, seed: UInt64 = 2) throws -> TriPLLMAutoencoder {
        var rng = SeededGenerator(seed: seed)
        let decoder = try CausalDecoder(configuration: .scratch(layers: 1, width: 8, heads: 2, maxPositions: window / patch),
                                        using: &rng)
        return TriPLLMAutoencoder(windowLength: window, patchLength: patch, channels: channels, backbone: decoder,
                                  dropout: 0, using: &rng)
    }

    func series(rows: Int, channels: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomNormal([rows * channels], using: &rng).scalars
    }

    func testCentredWindowsScoreALevelShiftedCopyTheSame() throws {
        let rows = 24, c = 2
        let x = series(rows: rows, channels: c, seed: 11)
        let shift: [Float] = [5, -3]                            // a different level per channel
        let shifted = x.indices.map { x[$0] + shift[$0 % c] }
        let centred = ReconstructionScorer(model: try autoencoder(), centresWindows: true)
        let a = try centred.channelScores(ScoringInput(values: x, channels: c, historyRows: 3)).perChannel
        let b = try centred.channelScores(ScoringInput(values: shifted, channels: c, historyRows: 3)).perChannel
        XCTAssertEqual(a.count, b.count)
        for i in a.indices { XCTAssertEqual(a[i], b[i], accuracy: 1e-4 * max(1, a[i]), "score \(i)") }
        // The shift matters to the uncentred scorer, so the equality above is not vacuous.
        let raw = ReconstructionScorer(model: try autoencoder())
        let ra = try raw.channelScores(ScoringInput(values: x, channels: c)).perChannel
        let rb = try raw.channelScores(ScoringInput(values: shifted, channels: c)).perChannel
        XCTAssertGreaterThan(zip(ra, rb).map { abs($0 - $1) }.max()!, 0.1)
    }

    func testCentredScoresEqualAHandCentredOracle() throws {
        let rows = 12, c = 2, l = 8
        let model = try autoencoder()
        let x = series(rows: rows, channels: c, seed: 12).indices.map { Float($0 / c) * 0.3 + series(rows: rows, channels: c, seed: 12)[$0] }
        let scores = try ReconstructionScorer(model: model, batchSize: 2, centresWindows: true)
            .channelScores(ScoringInput(values: x, channels: c)).perChannel
        var sums = [Float](repeating: 0, count: rows * c), counts = [Float](repeating: 0, count: rows)
        for s in 0...(rows - l) {
            var w = Array(x[(s * c)..<((s + l) * c)])
            for ch in 0..<c {
                let mean = (0..<l).map { w[$0 * c + ch] }.reduce(0, +) / Float(l)
                for t in 0..<l { w[t * c + ch] -= mean }
            }
            let r = model.reconstruct(Tensor(shape: [1, l, c], scalars: w)).scalars
            for t in 0..<l {
                counts[s + t] += 1
                for ch in 0..<c { sums[(s + t) * c + ch] += (w[t * c + ch] - r[t * c + ch]) * (w[t * c + ch] - r[t * c + ch]) }
            }
        }
        for i in scores.indices { XCTAssertEqual(scores[i], sums[i] / counts[i / c], accuracy: 1e-4) }
    }

    /// Channel 0: errors around 1 with one 8× spike at row 50; channel 1: errors 100× larger, no anomaly.
    func twoChannelErrors(rows: Int, spike: Int?) -> AnomalyScores {
        var v: [Float] = []
        for t in 0..<rows {
            let a: Float = 1 + 0.5 * sin(Float(t)), b: Float = 100 * (1 + 0.5 * cos(1.7 * Float(t)))
            v += [t == spike ? 8 : a, b]
        }
        return AnomalyScores(channels: 2, perChannel: v)
    }

    func testStandardisedScoresStopALoudChannelFromHidingAnAnomaly() {
        let scale = ChannelScoreScale.fit(calibration: twoChannelErrors(rows: 300, spike: nil))
        let test = twoChannelErrors(rows: 100, spike: 50)
        func argmax(_ s: [Float]) -> Int { s.indices.max { s[$0] < s[$1] }! }
        // Raw, the 100× channel decides the peak; standardised, the spike on channel 0 does.
        XCTAssertNotEqual(argmax(test.aggregated(.mean)), 50)
        XCTAssertNotEqual(argmax(test.aggregated(.max)), 50)
        XCTAssertEqual(argmax(scale.apply(test).aggregated(.mean)), 50)
        XCTAssertEqual(argmax(scale.apply(test).aggregated(.max)), 50)
        // Normal rows sit near 1 on each channel after standardisation.
        XCTAssertEqual(scale.apply(twoChannelErrors(rows: 300, spike: nil)).aggregated(.mean).reduce(0, +) / 300, 1, accuracy: 1e-4)
    }

    func testStandardisationIgnoresAChannelsUnits() {
        let a = twoChannelErrors(rows: 200, spike: 70)
        var b = a
        for t in 0..<b.count { b.perChannel[t * 2 + 1] *= 37 }        // channel 1 in other units
        let sa = ChannelScoreScale.fit(calibration: a).apply(a).perChannel
        let sb = ChannelScoreScale.fit(calibration: b).apply(b).perChannel
        for i in sa.indices { XCTAssertEqual(sa[i], sb[i], accuracy: 1e-5 * max(1, sa[i])) }
    }

    func testANearlyPerfectChannelIsFloored() {
        // Calibration errors: 1, 2, 3 and 1e-6; the last channel's scale is floored at 1e-4, and
        // an error of 0.01 on it later scores 100, not 10,000.
        let s = ChannelScoreScale.fit(calibration: AnomalyScores(channels: 4, perChannel: [1, 2, 3, 1e-6, 1, 2, 3, 1e-6]))
        XCTAssertEqual(s.scales, [1, 2, 3, 1e-4])
        XCTAssertEqual(s.apply(AnomalyScores(channels: 4, perChannel: [1, 2, 3, 0.01])).perChannel[3], 100, accuracy: 1e-3)
    }

    /// Threshold calibration scores: each half of the rows over the other half's channel means
    /// (hand-computed), so a large error no longer shrinks itself by raising its own scale.
    func testCrossFittedCalibrationScoresUseTheOtherHalfsScale() {
        // Channel 0: 1, 1, 6, 2 (halves: mean 1, mean 4); channel 1: 2, 4, 3, 3 (3, 3).
        let raw = AnomalyScores(channels: 2, perChannel: [1, 2, 1, 4, 6, 3, 2, 3])
        let out = ChannelScoreScale.crossFittedScores(calibration: raw).perChannel
        let expected: [Float] = [1.0 / 4, 2.0 / 3, 1.0 / 4, 4.0 / 3, 6, 1, 2, 1]
        for (a, b) in zip(out, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // In sample, the 6 was divided by a mean it had raised itself (2.5): 2.4 instead of 6.
        XCTAssertEqual(ChannelScoreScale.fit(calibration: raw).apply(raw).perChannel[4], 2.4, accuracy: 1e-6)
        // Too few rows for two folds: the in-sample scores.
        let two = AnomalyScores(channels: 2, perChannel: [1, 2, 3, 4])
        XCTAssertEqual(ChannelScoreScale.crossFittedScores(calibration: two), ChannelScoreScale.fit(calibration: two).apply(two))
    }

    func testTheScorerDividesEachChannelByItsScaleInBatchAndStream() throws {
        let rows = 20, c = 2
        let x = series(rows: rows, channels: c, seed: 13)
        let model = try autoencoder()
        let plain = ReconstructionScorer(model: model, centresWindows: true)
        let scaled = plain.withChannelScale(ChannelScoreScale(scales: [1, 100]))
        let p = try plain.channelScores(ScoringInput(values: x, channels: c, historyRows: 4)).perChannel
        let s = try scaled.channelScores(ScoringInput(values: x, channels: c, historyRows: 4)).perChannel
        for i in p.indices { XCTAssertEqual(s[i], p[i] / (i % c == 0 ? 1 : 100), accuracy: 1e-6 * max(1, p[i])) }
        let stream = scaled.makeStream(channels: c)
        var streamed: [StreamedScore] = []
        for t in 0..<rows { streamed += try stream.append(Array(x[(t * c)..<((t + 1) * c)]), isHistory: t < 4) }
        streamed += try stream.finish()
        XCTAssertEqual(streamed.map(\.row), Array(0..<(rows - 4)))
        for r in streamed { for ch in 0..<c { XCTAssertEqual(r.scores[ch], s[r.row * c + ch], accuracy: 1e-5 * max(1, s[r.row * c + ch])) } }
    }
}
