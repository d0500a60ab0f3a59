// DetectionResult: per-channel scores judged against a calibrated threshold — aggregated into
// one score per step, and each step flagged when its score exceeds the threshold.

/// The result of running a detector over a series.
public struct DetectionResult: Sendable {
    /// Per-step, per-channel scores of the scored rows.
    public let channelScores: AnomalyScores
    /// One score per scored row (aggregated over channels).
    public let scores: [Float]
    /// Whether each score exceeds the threshold.
    public let isAnomaly: [Bool]
    /// The detector's threshold.
    public let threshold: Float

    /// Aggregates `channelScores` over channels and flags the steps whose score exceeds `threshold`.
    public init(channelScores: AnomalyScores, aggregation: ScoreAggregation, threshold: Float) {
        let scores = channelScores.aggregated(aggregation)
        self.channelScores = channelScores
        self.scores = scores
        self.isAnomaly = scores.map { $0 > threshold }
        self.threshold = threshold
    }
}
