// SequenceBackbone: what an adapter needs from the shared decoder — embeddings in, hidden states
// out, optionally through a key/value cache for incremental decoding.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// A causal sequence model over embeddings `[B, N, D]` → hidden states `[B, N, D]`.
public protocol SequenceBackbone: Module {
    /// The embedding width D.
    var width: Int { get }
    /// Hidden states for `embeddings` `[B, N, D]`; position i sees positions ≤ i only.
    func hiddenStates(_ embeddings: Tensor) -> Tensor
    /// Hidden states of new tokens `[B, N, D]` that follow the tokens already in `cache`
    /// (which this call extends), equal to the matching rows of one full causal pass.
    func hiddenStates(_ embeddings: Tensor, cache: KVCache) -> Tensor
    /// The longest sequence the backbone accepts (learned positions), or nil for no limit.
    var maximumLength: Int? { get }
}

extension CausalDecoder: SequenceBackbone {
    public func hiddenStates(_ embeddings: Tensor) -> Tensor { self(embeddings: embeddings) }
    public func hiddenStates(_ embeddings: Tensor, cache: KVCache) -> Tensor { self(embeddings: embeddings, cache: cache) }
    public var maximumLength: Int? { configuration.positionEncoding == .learned ? configuration.maxPositions : nil }
}

/// The "w/o LLM" ablation of AutoTimes: no backbone, hidden states equal the embeddings.
public final class IdentityBackbone: Module, SequenceBackbone {
    public let width: Int
    public init(width: Int) { self.width = width; super.init() }
    public func hiddenStates(_ embeddings: Tensor) -> Tensor { embeddings }
    public func hiddenStates(_ embeddings: Tensor, cache: KVCache) -> Tensor { embeddings }
    public var maximumLength: Int? { nil }
}
