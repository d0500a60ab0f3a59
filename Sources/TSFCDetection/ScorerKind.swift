// The kinds of anomaly scorer: what `AnomalyDetector.kind` reports, a bundle stores and
// `detection.scorer` names.
import TSFCNN

/// Which anomaly scorer a run fits (`detection.scorer`).
public enum ScorerKind: String, ConfigurationChoice {
    /// No detector: a forecasting run.
    case none
    /// Forecast residuals of the `model:` forecaster.
    case residual
    /// A TriP-LLM-style patch autoencoder on the `model.backbone`.
    case reconstruction
}
