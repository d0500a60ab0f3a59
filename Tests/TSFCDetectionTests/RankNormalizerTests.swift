import XCTest
@testable import TSFCDetection
import TSFC
import Foundation

/// The ensemble's rank normalisation: calibration ranks inside the range, and an excess beyond it
/// that a channel constant in calibration cannot blow up.
final class RankNormalizerTests: XCTestCase {
    func testRanksAndFlooredExcessOfAConstantChannel() {
        // Channels 0 and 1: calibration scores 0, 0.01, …, 1 (median 0.5); channel 2: always 0.
        let n = 101
        var perChannel: [Float] = []
        for i in 0..<n { perChannel += [Float(i) / 100, Float(i) / 100, 0] }
        let normalizer = RankNormalizer(calibration: AnomalyScores(channels: 3, perChannel: perChannel))
        XCTAssertEqual(normalizer.rank(0.25, channel: 0), 0.25, accuracy: 1e-6)
        XCTAssertEqual(normalizer.rank(1.5, channel: 1), 1 + 0.5 / 0.5, accuracy: 1e-6)
        // The constant channel's excess scale is a tenth of the others' maximum (1; their
        // half-spread, 0.5, gives less), and its rank starts at 0 at its constant score.
        XCTAssertEqual(normalizer.rank(1e-3, channel: 2), 1e-3 / 0.1, accuracy: 1e-5)
        XCTAssertEqual(normalizer.rank(0, channel: 2), 0)
        // Detectors saved before: a tenth of the half-spread (0.05), and the constant channel
        // ranked like the others, from 1 beyond its maximum.
        let legacy = RankNormalizer(quantiles: normalizer.quantiles, channels: 3, legacy: true)
        XCTAssertEqual(legacy.rank(1e-3, channel: 2), 1 + 1e-3 / 0.05, accuracy: 1e-5)
        XCTAssertEqual(legacy.rank(1.5, channel: 1), 2, accuracy: 1e-6)
    }

    /// Scores in a narrow band far from zero (LOF's, around C·1): beyond the maximum the rank grows
    /// by 1 per tenth of the typical maximum, not per the band's tiny half-spread.
    func testExcessOfScoresInANarrowBand() {
        // Channels 0 and 1: 1.9, 1.902, …, 2.1 (median 2.0, half-spread 0.1); channel 2: always 0.
        var perChannel: [Float] = []
        for i in 0..<101 { perChannel += [1.9 + 0.002 * Float(i), 1.9 + 0.002 * Float(i), 0] }
        let normalizer = RankNormalizer(calibration: AnomalyScores(channels: 3, perChannel: perChannel))
        XCTAssertEqual(normalizer.rank(2.0, channel: 0), 0.5, accuracy: 1e-4)
        XCTAssertEqual(normalizer.rank(2.31, channel: 1), 1 + 0.21 / 0.21, accuracy: 1e-4)
        XCTAssertEqual(normalizer.rank(0.021, channel: 2), 0.1, accuracy: 1e-4)
    }
}

/// POT on a calibration tail of tied scores falls back to the largest calibration score and says so.
final class ThresholdFallbackTests: XCTestCase {
    func testTiedPOTTailFallsBackToTheMaximum() throws {
        // 950 distinct scores below 1, then 50 windows clipped to the same distance 67.
        let scores = (0..<950).map { Float($0) / 1000 } + [Float](repeating: 67, count: 50)
        let rule = ThresholdConfiguration(method: .pot, value: 0.002)
        XCTAssertThrowsError(try ThresholdCalibration.threshold(rule, calibrationScores: scores))
        let (value, note) = try ThresholdCalibration.thresholdOrMaximum(rule, calibrationScores: scores)
        XCTAssertEqual(value, 67)
        XCTAssertNotNil(note)
        // A fittable tail is left to POT, with no note.
        let smooth = (0..<1000).map { Float(-log(1 - Double($0) / 1001)) }
        let fitted = try ThresholdCalibration.thresholdOrMaximum(rule, calibrationScores: smooth)
        XCTAssertNil(fitted.note)
        XCTAssertGreaterThan(Double(fitted.value), -log(0.02))  // beyond the initial quantile of an exponential tail
        XCTAssertLessThan(fitted.value, 67)
    }
}
