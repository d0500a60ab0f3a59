// Z-score calibration: the mean and standard deviation of calibration scores (train/validation
// only), so that scores from different detectors or channels share one scale.

/// Maps raw scores to z-scores `(s − mean) / scale` with statistics of calibration scores.
public struct ZScoreCalibration: Codable, Equatable, Sendable {
    /// Mean of the calibration scores.
    public let mean: Double
    /// Population standard deviation of the calibration scores.
    public let standardDeviation: Double

    /// The divisor used by `zScore`: the standard deviation, or 1 when it is 0
    /// (scikit-learn's StandardScaler convention), so constant calibration scores never divide by 0.
    public var scale: Double { standardDeviation > 0 ? standardDeviation : 1 }

    enum CodingKeys: String, CodingKey { case mean, standardDeviation = "standard_deviation" }

    public init(mean: Double, standardDeviation: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits mean and standard deviation on `calibrationScores` (finite, at least 2).
    public init(calibrationScores scores: [Float]) throws {
        guard scores.count >= 2 else {
            throw ThresholdError.tooFewCalibrationScores(method: "z-score", count: scores.count, needed: 2)
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw ThresholdError.nonFiniteCalibrationScore(index: bad) }
        let n = Double(scores.count)
        let mean = scores.reduce(0.0) { $0 + Double($1) } / n
        let variance = scores.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        self.init(mean: mean, standardDeviation: variance.squareRoot())
    }

    /// The z-score of one raw score.
    public func zScore(_ score: Float) -> Double { (Double(score) - mean) / scale }

    /// Z-scores of raw scores, as Float.
    public func zScores(_ scores: [Float]) -> [Float] { scores.map { Float(zScore($0)) } }
}
