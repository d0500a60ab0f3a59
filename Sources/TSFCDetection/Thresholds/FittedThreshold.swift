// A threshold fitted on calibration scores, storable in a model bundle (Codable).

/// The result of `ThresholdMethod.fit`: the alarm threshold, how it was made, and the z-score
/// calibration of the same calibration scores.
public struct FittedThreshold: Codable, Equatable, Sendable {
    /// The rule that produced `value`.
    public let method: ThresholdMethod
    /// The alarm threshold in raw score units: a score strictly above it is an alarm.
    public let value: Float
    /// Mean and standard deviation of the calibration scores.
    public let calibration: ZScoreCalibration
    /// How many calibration scores the threshold was fitted on.
    public let calibrationCount: Int
    /// The generalized Pareto tail, for POT thresholds only.
    public let tail: GeneralizedParetoFit?

    enum CodingKeys: String, CodingKey {
        case method, value, calibration, calibrationCount = "calibration_count", tail
    }

    public init(method: ThresholdMethod, value: Float, calibration: ZScoreCalibration, calibrationCount: Int,
                tail: GeneralizedParetoFit? = nil) {
        self.method = method; self.value = value; self.calibration = calibration
        self.calibrationCount = calibrationCount; self.tail = tail
    }

    /// The threshold expressed as a z-score of the calibration scores.
    public var zValue: Double { calibration.zScore(value) }

    /// Whether `score` raises an alarm (strictly above the threshold).
    public func isAlarm(_ score: Float) -> Bool { score > value }

    /// One alarm flag per score.
    public func alarms(_ scores: [Float]) -> [Bool] { scores.map { $0 > value } }
}
