import TSFCNN

// The `model.patch_quantile:` section: geometry and quantiles of the zero-shot patch-token
// quantile decoder (see PatchQuantileModel.swift).

/// What the quantile head forecasts departures from (`model.patch_quantile.anchor`).
public enum PatchQuantileAnchor: String, ConfigurationChoice {
    /// The Theta method's forecast of the history (season length from the series' frequency).
    case theta
    /// The last observed value ("no change").
    case last
}

/// The units of the patch quantile decoder's training loss (`model.patch_quantile.loss_scale`).
public enum PatchQuantileLossScale: String, ConfigurationChoice {
    /// MASE's units: σ ÷ the history's in-sample (seasonal) naive mean absolute error per window.
    case mase
    /// Units of the history's standard deviation.
    case standard
}

/// Settings of the patch-token quantile decoder (`model.adapter: patch-quantile`).
public struct PatchQuantileConfiguration: Codable, Equatable, Sendable {
    /// Points per input token (P). Small, so a 24-point series is a few tokens.
    public var patchLength: Int = 8
    /// Points each forecast reads at most (inference); longer histories keep their last points.
    public var maxContext: Int = 2048
    /// The fewest points of history the model forecasts from.
    public var minimumContext: Int = 2
    /// Points the head forecasts directly (O); longer horizons roll out on the median.
    public var outputLength: Int = 64
    /// Quantile levels of the head, ascending, each in (0, 1); must contain 0.5 (the point forecast).
    public var quantiles: [Float] = [0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975]
    /// Hidden width of the residual MLPs that embed patches and read out quantiles.
    public var hidden: Int = 256
    /// What the head forecasts departures from: `theta` (the Theta method's forecast, fitted on
    /// each history in microseconds, also an input of the head) or `last` (the last value).
    public var anchor: PatchQuantileAnchor = .theta
    /// The units of the training loss: `mase` (each window's pinball loss times its σ ÷ in-sample
    /// seasonal naive MAE, the metric's own scale, so smooth trending series count as much as
    /// the evaluation says they do) or `standard` (units of the history's σ).
    public var lossScale: PatchQuantileLossScale = .mase
    /// Weight of the statistical (Theta) forecast in the point ensemble: the median becomes
    /// `(1 − w)·model + w·theta` and every quantile moves with it; 0 turns the ensemble off.
    public var thetaWeight: Float = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case patchLength = "patch_length", maxContext = "max_context", minimumContext = "minimum_context"
        case outputLength = "output_length", quantiles, hidden, anchor, lossScale = "loss_scale", thetaWeight = "theta_weight"
    }

    /// Problems of `model` for this family, as `(key, message)` pairs.
    public static func problems(_ model: ModelConfiguration) -> [(String, String)] {
        let c = model.patchQuantile
        var found: [(String, String)] = []
        if c.patchLength < 1 { found.append(("model.patch_quantile.patch_length", "must be at least 1, got \(c.patchLength)")) }
        if c.outputLength < 1 { found.append(("model.patch_quantile.output_length", "must be at least 1, got \(c.outputLength)")) }
        if c.minimumContext < 1 { found.append(("model.patch_quantile.minimum_context", "must be at least 1, got \(c.minimumContext)")) }
        if c.maxContext < max(c.minimumContext, c.patchLength) {
            found.append(("model.patch_quantile.max_context", "must be at least minimum_context and patch_length, got \(c.maxContext)"))
        }
        if c.hidden < 1 { found.append(("model.patch_quantile.hidden", "must be at least 1, got \(c.hidden)")) }
        if !(0...1).contains(c.thetaWeight) {
            found.append(("model.patch_quantile.theta_weight", "must be in [0, 1], got \(c.thetaWeight)"))
        }
        let q = c.quantiles
        if q.isEmpty || !q.allSatisfy({ $0 > 0 && $0 < 1 }) || zip(q, q.dropFirst()).contains(where: { $0 >= $1 })
            || !q.contains(0.5) {
            found.append(("model.patch_quantile.quantiles", "must be ascending levels in (0, 1) that include 0.5, got \(q)"))
        }
        if model.backbone.kind == .pretrained {
            found.append(("model.backbone.kind", "patch-quantile trains its own decoder: use scratch"))
        }
        return found
    }
}
