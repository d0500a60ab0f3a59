import XCTest
import TSFCData
import TSFCTensor
@testable import TSFCDetection
@testable import TSFC

/// The alarm-rate warning: silent on normal data, raised with the shifted channel named when one
/// channel's level moves after training, and each rule's expected share of normal rows.
final class AlarmRateCheckTests: XCTestCase {
    func frame(rows: Range<Int>, shift: Float = 0) -> TimeSeriesFrame {
        var rng = SeededGenerator(seed: UInt64(rows.lowerBound + 1))
        let noise = Tensor.randomNormal([rows.count * 2], using: &rng).scalars
        var values: [Float] = []
        for (i, t) in rows.enumerated() {
            values += [sinf(2 * .pi * Float(t) / 24) + 0.1 * noise[2 * i], 0.3 * noise[2 * i + 1] + shift]
        }
        return TimeSeriesFrame(timestamps: nil, columns: ["season", "level"], values: values, source: "s")
    }

    func testWarnsAboutAShiftedChannelAndNotAboutNormalRows() throws {
        let train = frame(rows: 0..<1200)
        var config = DetectorDefaults.configuration()
        config.detection.window = 24
        let detector = try DetectorTraining.fit(config, frame: train).detector
        XCTAssertEqual(detector.expectedAlarmShare, 0.002, accuracy: 1e-12)
        let normal = try detector.detect(frame(rows: 1200..<1800), history: train)
        XCTAssertNil(detector.alarmRateWarning(normal))
        // The level channel moves by 3 training standard deviations for good.
        let shifted = try detector.detect(frame(rows: 1200..<1800, shift: 0.9), history: train)
        let warning = try XCTUnwrap(detector.alarmRateWarning(shifted))
        XCTAssertGreaterThan(warning.flaggedShare, 0.5)
        XCTAssertEqual(warning.flaggedShare, Double(shifted.isAnomaly.filter { $0 }.count) / 600, accuracy: 1e-12)
        XCTAssertEqual(warning.channels.first?.channel, 1)
        XCTAssertGreaterThan(warning.channels.first?.share ?? 0, 0.5)
    }

    func testExpectedShareOfEachRule() {
        let d = try! DetectorTraining.fit(DetectorDefaults.configuration(scorer: .ridge), frame: frame(rows: 0..<400)).detector
        func share(_ method: ThresholdMethodName, _ value: Double) -> Double {
            TrainedDetector(scorer: d.scorer, columns: d.columns, normalization: d.normalization, aggregation: d.aggregation,
                            threshold: d.threshold, thresholdRule: ThresholdConfiguration(method: method, value: value),
                            configuration: d.configuration, calibrationCount: d.calibrationCount).expectedAlarmShare
        }
        XCTAssertEqual(share(.quantile, 0.99), 0.01, accuracy: 1e-12)
        XCTAssertEqual(share(.contamination, 0.05), 0.05, accuracy: 1e-12)
        XCTAssertEqual(share(.pot, 0.001), 0.001, accuracy: 1e-12)
        XCTAssertEqual(share(.zscore, 3), 0.0013499, accuracy: 1e-6)      // the Gaussian tail beyond 3σ
        XCTAssertEqual(share(.ksigma, 2), 0.0227501, accuracy: 1e-6)
    }
}
