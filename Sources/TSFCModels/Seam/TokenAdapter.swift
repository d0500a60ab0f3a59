// TokenAdapter: the per-paper half of the shared-decoder path (DESIGN.md "Adapter"). An adapter
// turns a normalised context window into token embeddings for the shared causal decoder and
// turns the decoder's hidden states back into points; `TokenForecaster` does everything else
// (normalisation, targets, the loss, one rollout) for every adapter alike.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// How a token forecaster normalises each context window before the adapter sees it.
public enum WindowNormalization: Sendable {
    /// Subtract the window's mean and divide by its standard deviation (biased variance + 1e-5):
    /// AutoTimes' and Time-LLM's instance normalisation (RevIN without affine parameters).
    case standardize
    /// Subtract the window's mean only (SpaceTime's `data_transform mean`; AR-Net's centring).
    case centre
}

/// Series → tokens → series around a `SequenceBackbone`.
///
/// Output token `i` of `outputs` predicts the `outputLength` points that start at context
/// position `firstTargetOffset + i · targetStride`; the trainer's targets follow from that, and
/// the rollout appends the last output token's points to the window.
public protocol TokenAdapter: Module {
    /// State computed once per forecast call and shared by its rollout passes (Time-LLM: the text
    /// prototypes); `Void` for adapters without any.
    associatedtype Session = Void

    /// Points each output token predicts (K).
    var outputLength: Int { get }
    /// Context position where output token 0's target starts.
    var firstTargetOffset: Int { get }
    /// Positions between consecutive output tokens' targets.
    var targetStride: Int { get }
    /// How windows are normalised before `embed`.
    var normalization: WindowNormalization { get }
    /// Position marks per context window of `contextLength` points, when the adapter reads marks
    /// (AutoTimes: its N tokens).
    func markedTokens(contextLength: Int) -> Int
    /// Whether `forecast` needs marks.
    var usesMarks: Bool { get }

    /// Prepares the per-call session for `backbone`.
    func beginSession(backbone: any SequenceBackbone) -> Session
    /// Token embeddings `[B, N, D]` for normalised contexts `[B, L]` (marks `[B, N, F]` when used).
    func embed(_ normalized: Tensor, marks: Tensor?, session: Session) -> Tensor
    /// Normalised predictions `[B, N', K]` from hidden states `[B, N, D]`.
    func project(_ hidden: Tensor, session: Session) -> Tensor
    /// embed → backbone → project; adapters whose samples need separate backbone passes (Time-LLM's
    /// prompts of different lengths) override this, everything else uses the default.
    func outputs(_ normalized: Tensor, marks: Tensor?, backbone: any SequenceBackbone, session: Session) -> Tensor
    /// An auxiliary training term (AR-Net's sparsity regulariser); `progress` runs 0 → 1 over training.
    func auxiliaryLoss(progress: Float) -> Tensor?

    /// Whether `embedAppended` exists, i.e. the KV-cached rollout can extend the sequence one
    /// predicted token at a time (AutoTimes: a segment's token depends on that segment only).
    var supportsCachedRollout: Bool { get }
    /// The token `[B, 1, D]` of one appended normalised prediction `[B, 1, K]` (cached rollout).
    func embedAppended(_ normalized: Tensor, marks: Tensor?, session: Session) -> Tensor

    /// The prefix of this adapter's parameters in bundles written before the token forecaster
    /// existed (Time-LLM: `model.`, its backbone under `model.backbone.`; "" when the adapter's
    /// parameters sat at the model's root).
    static var legacyParameterPrefix: String { get }
    /// Whether the forecaster lists the backbone before the adapter (parameters, dropout layers):
    /// the order the paper's original model declared them in, which the trainer's seeded
    /// dropout streams and the optimizer follow (Time-LLM: true; its model held the backbone).
    static var listsBackboneFirst: Bool { get }
    /// Whether the loss compares normalised outputs with normalised targets (AR-Net's centred
    /// windows) instead of de-normalised outputs with the data (AutoTimes, SpaceTime, Time-LLM);
    /// the same value up to rounding, kept as each paper's code computes it.
    static var scoresNormalizedTargets: Bool { get }
}

extension TokenAdapter {
    public func markedTokens(contextLength: Int) -> Int { 0 }
    public var usesMarks: Bool { false }
    public func outputs(_ normalized: Tensor, marks: Tensor?, backbone: any SequenceBackbone, session: Session) -> Tensor {
        project(backbone.hiddenStates(embed(normalized, marks: marks, session: session)), session: session)
    }
    public func auxiliaryLoss(progress: Float) -> Tensor? { nil }
    public var supportsCachedRollout: Bool { false }
    public static var legacyParameterPrefix: String { "" }
    public static var listsBackboneFirst: Bool { false }
    public static var scoresNormalizedTargets: Bool { false }
    public func embedAppended(_ normalized: Tensor, marks: Tensor?, session: Session) -> Tensor {
        preconditionFailure("\(type(of: self)) has no cached rollout (supportsCachedRollout is false)")
    }
    /// Output tokens N' per context of L points: targets start at `firstTargetOffset + i · targetStride` ≤ L.
    public func outputTokens(contextLength: Int) -> Int { (contextLength - firstTargetOffset) / targetStride + 1 }
}

extension TokenAdapter where Session == Void {
    public func beginSession(backbone: any SequenceBackbone) {}
}
