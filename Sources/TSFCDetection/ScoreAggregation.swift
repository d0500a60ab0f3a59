// How a detector turns the per-channel scores of a time step into one score.
import TSFCNN

/// How per-channel scores are combined into one score per time step (`detection.aggregation`).
public enum ScoreAggregation: String, ConfigurationChoice {
    case mean, max
}
