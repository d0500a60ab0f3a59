// ForecastingModel: what every forecasting model in tsfc offers the trainer, the evaluator, the
// model bundle and the CLI — AutoTimes' `Forecaster` and the other adapters alike. Models are
// channel-independent: they read standardised univariate contexts `[B, L]`.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// A trainable univariate forecaster that reads `contextLength` points and forecasts any horizon.
public protocol ForecastingModel: Module {
    /// The model configuration it was built from.
    var configuration: ModelConfiguration { get }
    /// Points of context the model reads (L).
    var contextLength: Int { get }
    /// The fewest points of real history the model forecasts from; a shorter series is refused,
    /// never padded with invented values. Defaults to `contextLength`: every model in tsfc today
    /// reads a fixed context. A model trained for variable contexts (attention mask, learned pad)
    /// may lower it, and then receives contexts `[B, L']` with `minimumContext ≤ L' ≤ contextLength`.
    var minimumContext: Int { get }
    /// Points after the context that a training window holds (AutoTimes: one segment; a direct
    /// multi-step head: its horizon).
    var targetLength: Int { get }
    /// Whether the model reads position marks (`model.timestamps` calendar or text).
    var usesMarks: Bool { get }
    /// The forecasting loss on windows `[B, L + targetLength]` (a scalar): what validation
    /// minimises. `marks` are the context tokens' position marks when `usesMarks`.
    func loss(windows: Tensor, marks: Tensor?) -> Tensor
    /// The training objective: `loss` plus any auxiliary term (a regulariser); `progress` runs
    /// from 0 to 1 over the training run (for regularisers with a warm-up).
    func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor
    /// Forecasts `horizon` points after each context `[B, L]` → `[B, H]`; horizons beyond the
    /// model's own output length are rolled out autoregressively.
    func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor
    /// The longest horizon the KV-cached rollout reaches (nil: no limit or no cached mode).
    var longestCachedHorizon: Int? { get }
    /// The causal decoder's architecture, when the model has one (stored in bundles).
    var decoderConfiguration: DecoderConfiguration? { get }
    /// Position marks needed for a horizon: tokens per context window including the rollout's
    /// appended tokens (used only when `usesMarks`).
    func markTokens(horizon: Int) -> Int
    /// `stored` (a bundle's tensors) with names written by earlier tsfc versions renamed to this
    /// model's parameter names; the identity for current bundles.
    func migratingLegacyNames(_ stored: [String: Tensor]) -> [String: Tensor]
}

extension ForecastingModel {
    public var minimumContext: Int { contextLength }
    public var usesMarks: Bool { false }
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        loss(windows: windows, marks: marks)
    }
    public var longestCachedHorizon: Int? { nil }
    public var decoderConfiguration: DecoderConfiguration? { nil }
    public func markTokens(horizon: Int) -> Int { 0 }
    public func migratingLegacyNames(_ stored: [String: Tensor]) -> [String: Tensor] { stored }
}

extension ForecastingModel {
    /// The forecasting loss of windows without position marks.
    public func loss(windows: Tensor) -> Tensor { loss(windows: windows, marks: nil) }

    /// Forecasts with the given rollout and no marks.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode) -> Tensor {
        forecast(context: context, horizon: horizon, mode: mode, marks: nil)
    }

    /// Forecasts with the default (paper) rollout and no marks.
    public func forecast(context: Tensor, horizon: Int) -> Tensor {
        forecast(context: context, horizon: horizon, mode: .renormalize, marks: nil)
    }
}
