// SequenceBackbone: what an adapter needs from the shared decoder — embeddings in, hidden states
// out, optionally through a key/value cache for incremental decoding.
import TSFCNN
import TSFCTensor

/// A causal sequence model over embeddings `[B, N, D]` → hidden states `[B, N, D]`.
public protocol SequenceBackbone: Module {
    /// The embedding width D.
    var width: Int { get }
    /// Hidden states for `embeddings` `[B, N, D]`; position i sees positions ≤ i only.
    func hiddenStates(_ embeddings: Tensor) -> Tensor
}

/// The "w/o LLM" ablation of AutoTimes: no backbone, hidden states equal the embeddings.
public final class IdentityBackbone: Module, SequenceBackbone {
    public let width: Int
    public init(width: Int) { self.width = width; super.init() }
    public func hiddenStates(_ embeddings: Tensor) -> Tensor { embeddings }
}
