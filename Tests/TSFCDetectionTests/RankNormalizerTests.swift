import XCTest
@testable import TSFCDetection

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
        // The constant channel's excess scale is a tenth of the others' half-spread (0.5).
        XCTAssertEqual(normalizer.rank(1e-3, channel: 2), 1 + 1e-3 / 0.05, accuracy: 1e-5)
        XCTAssertEqual(normalizer.rank(0, channel: 2), 0)
    }
}
