// Errors from fitting alarm thresholds: an option out of range, or calibration scores that
// cannot support the requested rule (too few, non-finite, no spread).

/// Why a threshold could not be fitted. Every case says what to change.
public enum ThresholdError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An option of the rule is out of its range (`option` names it, `allowed` gives the range).
    case optionOutOfRange(option: String, value: Double, allowed: String)
    /// The method name is not a `ThresholdMethodName`.
    case unknownMethod(String)
    /// Fewer calibration scores than the rule needs.
    case tooFewCalibrationScores(method: String, count: Int, needed: Int)
    /// A calibration score is NaN or infinite.
    case nonFiniteCalibrationScore(index: Int)
    /// The calibration scores (or POT's peaks) have no spread, so the rule has no scale.
    case degenerateCalibration(method: String, reason: String)

    public var description: String {
        switch self {
        case let .optionOutOfRange(option, value, allowed):
            return "\(option) must be \(allowed), got \(value)"
        case let .unknownMethod(name):
            return "threshold \(ThresholdMethodName.unknownValueMessage(name))"
        case let .tooFewCalibrationScores(method, count, needed):
            return "the \(method) threshold needs at least \(needed) calibration scores but the training part gave \(count); "
                + "use a longer training/validation part or a less extreme threshold option"
        case let .nonFiniteCalibrationScore(index):
            return "calibration score \(index) is not finite; check the training data for missing or extreme values"
        case let .degenerateCalibration(method, reason):
            return "cannot fit the \(method) threshold: \(reason); use a quantile threshold or more varied training data"
        }
    }
}
