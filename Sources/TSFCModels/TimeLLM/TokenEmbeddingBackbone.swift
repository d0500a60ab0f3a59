// What Time-LLM needs from a backbone beyond hidden states: its token-embedding table (the
// source of the text prototypes) and token lookup (to embed the prompt).
import TSFCBackbone
import TSFCTensor

/// A sequence backbone with a token vocabulary.
public protocol TokenEmbeddingBackbone: SequenceBackbone {
    /// The token-embedding table `[V, D]` (recorded on the gradient tape when trainable).
    var tokenEmbeddingTable: Tensor { get }
    /// Embeddings of token ids laid out as `shape` → `shape + [D]`.
    /// - Precondition: every id is in `0..<V`.
    func embedTokens(_ ids: [Int], shape: [Int]) -> Tensor
}

extension CausalDecoder: TokenEmbeddingBackbone {
    public var tokenEmbeddingTable: Tensor { tokenEmbedding.weight.value }
    public func embedTokens(_ ids: [Int], shape: [Int]) -> Tensor { tokenEmbedding(ids, shape: shape) }
}
