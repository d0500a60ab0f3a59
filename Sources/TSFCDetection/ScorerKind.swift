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
    /// Distance of each standardised sliding window to its k-th nearest training window (exact).
    case knn
    /// Local outlier factor of each sliding window among the training windows (novelty scoring).
    case lof
    /// Squared one-step residual of a per-channel ridge autoregression.
    case ridge
    /// The mean of the kNN, ridge and LOF scores, each rank-normalised on the calibration rows.
    case ensemble

    /// Scorers fitted in closed form (no gradient training, no `model:` section).
    public var isClosedForm: Bool { self == .knn || self == .lof || self == .ridge || self == .ensemble }
}
