import XCTest
@testable import TSFCDetection
import TSFC

/// The `detection:` configuration section: defaults, parsing and range errors naming the key.
final class ScorerConfigurationTests: XCTestCase {
    func testDefaultsMakeAForecastingRunAndTheSectionParses() throws {
        let plain = try ConfigurationLoader.load(yaml: "version: 1\n", file: "plain.yaml")
        XCTAssertFalse(plain.detection.isEnabled)
        let yaml = """
        detection:
          scorer: reconstruction
          aggregation: max
          threshold: {method: pot, value: 0.001}
          window: 48
          patch_length: 6
        """
        let c = try ConfigurationLoader.load(yaml: yaml, file: "d.yaml")
        XCTAssertEqual(c.detection.scorer, .reconstruction)
        XCTAssertEqual(c.detection.aggregation, .max)
        XCTAssertEqual(c.detection.threshold, ThresholdConfiguration(method: .pot, value: 0.001))
        XCTAssertEqual(c.detection.window, 48)
        XCTAssertEqual(c.detection.calibrationFraction, 0.2)   // default kept
    }

    func testOutOfRangeValuesNameTheKey() {
        let cases: [(String, String)] = [
            ("detection:\n  scorer: lstm\n", "detection.scorer"),
            ("detection:\n  scorer: residual\n  threshold: {method: quantile, value: 1.5}\n", "quantile must be in (0, 1)"),
            ("detection:\n  scorer: residual\n  threshold: {method: ksigma, value: 0}\n", "k must be > 0"),
            ("detection:\n  scorer: residual\n  threshold: {method: median, value: 0.5}\n", "method 'median' is unknown"),
            ("detection:\n  scorer: reconstruction\n  window: 30\n  patch_length: 8\n", "detection.patch_length"),
            ("detection:\n  scorer: reconstruction\n  calibration_fraction: 1\n", "detection.calibration_fraction"),
            ("detection:\n  scorer: reconstruction\n  aggregation: median\n", "detection.aggregation"),
            ("detection:\n  windows: 3\n", "unknown key 'windows'"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "bad.yaml"), yaml) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("bad.yaml"), "\(error)")
            }
        }
    }
}
