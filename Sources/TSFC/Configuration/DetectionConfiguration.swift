// The `detection:` section of a run configuration: which anomaly scorer `tsfc train` fits, how
// per-channel scores are combined, how the alarm threshold is calibrated, and the geometry of the
// reconstruction model. `scorer: none` (the default) makes the run a forecasting run.

import TSFCNN

/// How an anomaly detector is trained and calibrated.
public struct DetectionConfiguration: Codable, Equatable, Sendable {
    /// `none` (a forecasting run), `residual` (errors of the `model:` forecaster) or
    /// `reconstruction` (a TriP-LLM-style patch autoencoder on the `model.backbone`).
    public var scorer: ScorerKind = .none
    /// How per-channel scores become one score per time step: `mean` or `max`.
    public var aggregation: ScoreAggregation = .mean
    /// The threshold rule, fitted on calibration scores only.
    public var threshold = ThresholdConfiguration()
    /// Trailing share of the training rows held out to calibrate the threshold (and validate).
    public var calibrationFraction: Double = 0.2
    /// Channels named per time step as the ones that drove its score.
    public var topChannels: Int = 3
    /// Reconstruction: points per window (L); scores use every stride-1 window.
    public var window: Int = 64
    /// Reconstruction: points per patch (P); `window` must be a multiple of it.
    public var patchLength: Int = 8
    /// Reconstruction: dropout inside the selection MLP and the patch decoder.
    public var dropout: Float = 0.1
    /// Reconstruction: remove each window's per-channel mean before it is reconstructed (in
    /// training and scoring), so level shifts and slow trends move no score — and a deviation
    /// that fills a whole window is not seen either (off by default: measured worse on SMD).
    public var centreWindows: Bool = false
    /// Reconstruction: divide each channel's errors by its mean error on the held-out
    /// calibration rows before the channels are aggregated (on by default: mean VUS-PR over the
    /// seven benchmark lines .425 against .405 raw; BENCHMARKS.md, issue 18).
    public var standardiseChannels: Bool = true
    /// kNN / LOF: neighbours k (0: 5 for kNN, 20 for LOF). Not optional: the YAML schema is the
    /// encoded defaults, so every key must appear in them.
    public var neighbours: Int = 0
    /// kNN / LOF: training windows kept as the reference (thinned evenly).
    public var referenceWindows: Int = 5000
    /// kNN / LOF: a row's score is that of the window centred on it (`centre`) or, per channel,
    /// the lowest of the windows that contain it (`minimum`: no smear onto clean neighbours).
    public var rowScore: WindowRowScore = .centre
    /// Ridge: autoregressive lags p (capped at a quarter of the fit rows).
    public var lags: Int = 64
    /// How raw values become scorer input: `global` (train mean and std), `rolling` (minus the
    /// trailing median of `rolling_window` rows, then scaled) or `auto` (rolling on channels that trend).
    public var normalization: DetectionNormalization = .global
    /// Rows of the trailing median for rolling normalisation (0: 4 windows).
    public var rollingWindow: Int = 0

    public init() {}

    /// Whether this run trains an anomaly detector.
    public var isEnabled: Bool { scorer != .none }

    enum CodingKeys: String, CodingKey {
        case scorer, aggregation, threshold, calibrationFraction = "calibration_fraction"
        case topChannels = "top_channels", window, patchLength = "patch_length", dropout, centreWindows = "centre_windows"
        case standardiseChannels = "standardise_channels"
        case neighbours, referenceWindows = "reference_windows", rowScore = "row_score", lags, normalization
        case rollingWindow = "rolling_window"
    }

    /// k for the neighbour scorers.
    public var resolvedNeighbours: Int { neighbours > 0 ? neighbours : (scorer == .lof ? 20 : 5) }
    /// The trailing-mean length of rolling normalisation.
    public var resolvedRollingWindow: Int { rollingWindow > 0 ? rollingWindow : 4 * window }

    /// Range checks; `fail(key, message)` builds the caller's error.
    func validate(_ fail: (String, String) -> Error) throws {
        if !(calibrationFraction > 0 && calibrationFraction < 1) {
            throw fail("detection.calibration_fraction", "must be in (0, 1), got \(calibrationFraction)")
        }
        if topChannels < 0 { throw fail("detection.top_channels", "must be ≥ 0") }
        if window < 2 { throw fail("detection.window", "must be ≥ 2") }
        if patchLength < 1 || window % patchLength != 0 {
            throw fail("detection.patch_length", "(\(patchLength)) must be ≥ 1 and divide detection.window (\(window))")
        }
        if !(0..<1).contains(dropout) { throw fail("detection.dropout", "must be in [0, 1)") }
        if neighbours < 0 { throw fail("detection.neighbours", "must be ≥ 1 (or 0: 5 for knn, 20 for lof), got \(neighbours)") }
        if referenceWindows < 2 { throw fail("detection.reference_windows", "must be ≥ 2, got \(referenceWindows)") }
        if lags < 1 { throw fail("detection.lags", "must be ≥ 1, got \(lags)") }
        if rollingWindow < 0 || rollingWindow == 1 { throw fail("detection.rolling_window", "must be ≥ 2 (or 0: 4 windows), got \(rollingWindow)") }
        if let problem = threshold.problem { throw fail("detection.threshold", problem) }
    }
}

/// The alarm threshold rule of a detector: a method and its parameter, fitted on the scores of
/// the calibration rows (never on the scores being judged).
public struct ThresholdConfiguration: Codable, Equatable, Sendable {
    /// `quantile` (value: the quantile, in (0, 1)), `zscore` / `ksigma` (value: k, mean + k·std
    /// of the calibration scores, k > 0), `contamination` (value: the expected anomaly share, in
    /// (0, 0.5]) or `pot` (value: the risk q of peaks-over-threshold, in (0, 0.02) with SPOT's initial quantile 0.98).
    public var method: ThresholdMethodName = .quantile
    public var value: Double = 0.995

    public init() {}

    public init(method: ThresholdMethodName, value: Double) {
        self.method = method
        self.value = value
    }

    /// What is wrong with the value for this method, or nil: the ranges of `ThresholdMethod.validate`.
    public var problem: String? {
        do {
            _ = try ThresholdMethod(self)
            return nil
        } catch {
            return "\(error)"
        }
    }
}


/// How a detector turns raw values into its input (`detection.normalization`).
public enum DetectionNormalization: String, ConfigurationChoice {
    /// (x − train mean) / train std.
    case global
    /// (x − mean of the trailing `rolling_window` rows) / the training std of that difference.
    case rolling
    /// `rolling` on the channels whose fit rows trend, `global` on the others.
    case auto
}
