// ThresholdCalibration: turns a detector's threshold rule and the scores of its calibration rows
// (held-out training rows, never the rows being judged) into one alarm threshold, through the
// threshold library in Detection/Thresholds (quantile, z-score/k-sigma, contamination, POT).

/// Fits alarm thresholds on calibration scores.
public enum ThresholdCalibration {
    /// The threshold for `rule` from `calibrationScores` (aggregated, one per step).
    public static func threshold(_ rule: ThresholdConfiguration, calibrationScores scores: [Float]) throws -> Float {
        do {
            return try ThresholdMethod(rule).fit(calibrationScores: scores).value
        } catch {
            throw DetectionError.invalid("threshold \(rule.method) \(rule.value) on \(scores.count) calibration scores: \(error)")
        }
    }
}
