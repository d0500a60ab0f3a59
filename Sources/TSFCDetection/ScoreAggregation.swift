// How a detector turns the per-channel scores of a time step into one score.

/// How per-channel scores are combined into one score per time step.
public enum ScoreAggregation: String, Codable, Sendable, CaseIterable {
    case mean, max
}
