// ThresholdCalibration: turns a detector's threshold rule and the scores of its calibration rows
// (held-out training rows, never the rows being judged) into one alarm threshold.
//
// The rules themselves (quantile, k-sigma, contamination, POT) live in TSFCDetection/Thresholds.

/// Fits alarm thresholds on calibration scores.
public enum ThresholdCalibration {
    /// The threshold for `rule` from `calibrationScores` (aggregated, one per step); errors name
    /// the `detection.threshold` option and what to change.
    public static func threshold(_ rule: ThresholdConfiguration, calibrationScores scores: [Float]) throws -> Float {
        if let problem = rule.problem { throw DetectionError.invalid("detection.threshold: \(problem)") }
        guard !scores.isEmpty else { throw DetectionError.invalid("detection.threshold: no calibration scores") }
        do {
            return try ThresholdMethod(rule, initialQuantile: initialQuantile(rule, count: scores.count)).fit(calibrationScores: scores).value
        } catch let error as ThresholdError {
            throw DetectionError.invalid("detection.threshold (\(rule.method)): \(error)")
        }
    }


    /// `threshold(_:calibrationScores:)`, except that a POT rule with too few calibration scores
    /// for its tail fit (a short training part) or a tied tail (too few distinct scores above its
    /// initial quantile, e.g. windows clipped to the same distance) falls back to the largest
    /// calibration score — no normal calibration row is flagged — and says so in `note`.
    public static func thresholdOrMaximum(_ rule: ThresholdConfiguration, calibrationScores scores: [Float]) throws -> (value: Float, note: String?) {
        if rule.method == .pot, rule.problem == nil, !scores.isEmpty,
           let method = try? ThresholdMethod(rule, initialQuantile: initialQuantile(rule, count: scores.count)),
           scores.count < method.minimumCalibrationCount {
            let top = scores.max()!
            return (top, "only \(scores.count) calibration scores, and the pot tail fit needs \(method.minimumCalibrationCount); the threshold is the largest calibration score, \(top)")
        }
        do {
            return (try threshold(rule, calibrationScores: scores), nil)
        } catch let DetectionError.invalid(message)
                    where rule.method == .pot && !scores.isEmpty && (message.contains("tied") || message.contains("all equal")) {
            let top = scores.max()!
            return (top, "the pot threshold could not be fitted (\(message)); the threshold is the largest calibration score, \(top)")
        }
    }

    /// POT's initial quantile for `count` calibration scores: SPOT's 0.98 when they hold enough
    /// peaks above it, else the highest quantile (down to 0.9) that leaves `PeaksOverThreshold.minimumPeaks`.
    public static func initialQuantile(_ rule: ThresholdConfiguration, count: Int) -> Double {
        let standard = ThresholdMethod.defaultPOTInitialQuantile
        guard rule.method == .pot, count > 0 else { return standard }
        return Swift.min(standard, Swift.max(0.9, 1 - Double(PeaksOverThreshold.minimumPeaks) / Double(count)))
    }
}
