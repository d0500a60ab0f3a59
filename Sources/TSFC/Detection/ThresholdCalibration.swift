// ThresholdCalibration: turns a detector's threshold rule and the scores of its calibration rows
// (held-out training rows, never the rows being judged) into one alarm threshold.
//
// Note: the threshold library proper (z-score, quantile, k-sigma, contamination, POT) is built on
// the `detect-metrics` branch in Detection/Thresholds; this adapter computes the closed-form rules
// itself until that lands and then delegates to it.

/// Fits alarm thresholds on calibration scores.
public enum ThresholdCalibration {
    /// The threshold for `rule` from `calibrationScores` (aggregated, one per step).
    public static func threshold(_ rule: ThresholdConfiguration, calibrationScores scores: [Float]) throws -> Float {
        if let problem = rule.problem { throw DetectionError.invalid("threshold: \(problem)") }
        guard !scores.isEmpty else { throw DetectionError.invalid("threshold: no calibration scores") }
        guard scores.allSatisfy(\.isFinite) else { throw DetectionError.invalid("threshold: non-finite calibration scores") }
        switch rule.method {
        case "quantile": return quantile(scores, rule.value)
        case "contamination": return quantile(scores, 1 - rule.value)
        case "zscore", "ksigma":
            let n = Double(scores.count)
            let mean = scores.reduce(0.0) { $0 + Double($1) } / n
            let variance = scores.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
            return Float(mean + rule.value * variance.squareRoot())
        default:
            throw DetectionError.invalid("threshold method '\(rule.method)' is not available in this build; use quantile, zscore, ksigma or contamination")
        }
    }

    /// The `q` quantile with linear interpolation between order statistics (numpy's default).
    public static func quantile(_ values: [Float], _ q: Double) -> Float {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = Float(position - Double(lower))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
