// Threshold rules for anomaly scores. Every rule is fitted on calibration scores — the scores
// of training/validation rows — and never on the scores it will judge: `fit` takes only the
// calibration scores, and the fitted value is then applied unchanged to any other scores.

import Foundation
import TSFCNN

/// The names of the threshold rules (`detection.threshold.method`, `--threshold-method`): the one
/// list every validator reads. `zscore` and `ksigma` are the same rule, mean + k · std.
public enum ThresholdMethodName: String, ConfigurationChoice {
    case quantile, zscore, ksigma, contamination, pot

    public static func unknownValueMessage(_ value: String) -> String {
        "method '\(value)' is unknown; use \(allowedValues.joined(separator: ", "))"
    }
}

/// How an alarm threshold is derived from calibration scores.
public enum ThresholdMethod: Equatable, Sendable {
    /// The `q` quantile of the calibration scores, 0 < q < 1.
    case quantile(Double)
    /// `mean + k · std` of the calibration scores (k-sigma, i.e. a z-score above k), k > 0.
    case kSigma(Double)
    /// The expected share `c` of anomalies (0 < c ≤ 0.5): the (1 − c) quantile of the calibration scores.
    case contamination(Double)
    /// Peaks over threshold (SPOT, Siffer et al. KDD 2017): a generalized Pareto tail fitted to the
    /// excesses over the `initialQuantile` of the calibration scores, then the score whose
    /// exceedance probability is `risk` under that tail. 0 < initialQuantile < 1, 0 < risk < 1 − initialQuantile.
    case pot(risk: Double, initialQuantile: Double)

    /// The default initial quantile for POT (SPOT's 0.98).
    public static let defaultPOTInitialQuantile = 0.98

    /// The rule named `name` (a `ThresholdMethodName` raw value; `zscore` is k-sigma) with its main
    /// option `value`. Throws `ThresholdError.unknownMethod` for any other name, or for an option
    /// out of range.
    public init(name: String, value: Double, initialQuantile: Double = ThresholdMethod.defaultPOTInitialQuantile) throws {
        guard let method = ThresholdMethodName(rawValue: name) else { throw ThresholdError.unknownMethod(name) }
        try self.init(method, value: value, initialQuantile: initialQuantile)
    }

    /// The rule `method` with its main option `value` (the quantile, k, the contamination or POT's
    /// risk). Throws `ThresholdError.optionOutOfRange` for an option out of range.
    public init(_ method: ThresholdMethodName, value: Double,
                initialQuantile: Double = ThresholdMethod.defaultPOTInitialQuantile) throws {
        switch method {
        case .quantile: self = .quantile(value)
        case .zscore, .ksigma: self = .kSigma(value)
        case .contamination: self = .contamination(value)
        case .pot: self = .pot(risk: value, initialQuantile: initialQuantile)
        }
        try validate()
    }

    /// The canonical method name.
    public var name: String {
        switch self {
        case .quantile: return "quantile"
        case .kSigma: return "ksigma"
        case .contamination: return "contamination"
        case .pot: return "pot"
        }
    }

    /// Throws `ThresholdError.optionOutOfRange` when an option is outside its range.
    public func validate() throws {
        func check(_ option: String, _ v: Double, _ ok: Bool, _ allowed: String) throws {
            if !(v.isFinite && ok) { throw ThresholdError.optionOutOfRange(option: option, value: v, allowed: allowed) }
        }
        switch self {
        case let .quantile(q): try check("quantile", q, q > 0 && q < 1, "in (0, 1)")
        case let .kSigma(k): try check("ksigma k", k, k > 0, "> 0 (and finite)")
        case let .contamination(c): try check("contamination", c, c > 0 && c <= 0.5, "in (0, 0.5]")
        case let .pot(risk, initial):
            try check("pot initial quantile", initial, initial > 0 && initial < 1, "in (0, 1)")
            try check("pot risk q", risk, risk > 0 && risk < 1 - initial,
                      "in (0, \(1 - initial)) (above the initial quantile \(initial))")
        }
    }

    /// The fewest calibration scores this rule accepts: 2 for k-sigma; enough that the requested
    /// quantile lies inside the sample for quantile/contamination (⌈1/(1 − q)⌉); and enough for
    /// `PeaksOverThreshold.minimumPeaks` excesses over the initial quantile for POT.
    public var minimumCalibrationCount: Int {
        func within(_ tail: Double) -> Int { Swift.max(2, Int((1 / tail - 1e-9).rounded(.up))) }
        switch self {
        case let .quantile(q): return within(1 - q)
        case .kSigma: return 2
        case let .contamination(c): return within(c)
        case let .pot(_, initial): return Swift.max(2, Int((Double(PeaksOverThreshold.minimumPeaks) / (1 - initial) - 1e-9).rounded(.up)))
        }
    }

    /// Fits the threshold on `calibrationScores` (scores of training/validation rows only).
    public func fit(calibrationScores scores: [Float]) throws -> FittedThreshold {
        try validate()
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw ThresholdError.nonFiniteCalibrationScore(index: bad) }
        guard scores.count >= minimumCalibrationCount else {
            throw ThresholdError.tooFewCalibrationScores(method: name, count: scores.count, needed: minimumCalibrationCount)
        }
        let calibration = try ZScoreCalibration(calibrationScores: scores)
        let sorted = scores.map(Double.init).sorted()
        var tail: GeneralizedParetoFit?
        let value: Double
        switch self {
        case let .quantile(q):
            value = EmpiricalQuantile.of(sorted: sorted, q)
        case let .contamination(c):
            value = EmpiricalQuantile.of(sorted: sorted, 1 - c)
        case let .kSigma(k):
            guard calibration.standardDeviation > 0 else {
                throw ThresholdError.degenerateCalibration(method: name, reason: "all \(scores.count) calibration scores are equal (standard deviation 0)")
            }
            value = calibration.mean + k * calibration.standardDeviation
        case let .pot(risk, initial):
            let fit = try PeaksOverThreshold.fit(sortedCalibrationScores: sorted, initialQuantile: initial)
            tail = fit
            value = fit.threshold(risk: risk)
        }
        return FittedThreshold(method: self, value: Float(value), calibration: calibration,
                               calibrationCount: scores.count, tail: tail)
    }
}

extension ThresholdMethod: Codable {
    enum CodingKeys: String, CodingKey { case method, value, risk, initialQuantile = "initial_quantile" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(ThresholdMethodName.self, forKey: .method)
        if name == .pot {
            self = .pot(risk: try c.decode(Double.self, forKey: .risk),
                        initialQuantile: try c.decode(Double.self, forKey: .initialQuantile))
            try validate()
        } else {
            try self.init(name, value: try c.decode(Double.self, forKey: .value))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .method)
        switch self {
        case let .quantile(v), let .kSigma(v), let .contamination(v): try c.encode(v, forKey: .value)
        case let .pot(risk, initial):
            try c.encode(risk, forKey: .risk)
            try c.encode(initial, forKey: .initialQuantile)
        }
    }
}
