// Time-LLM text prototypes (§3.1 "Patch Reprogramming"): a small set of S prototypes, each a
// learned linear combination of the backbone's frozen token embeddings, E′ = W·E + b with
// E `[V, D]` and W `[S, V]` (reference: `mapping_layer = Linear(V, 1000)` applied to Eᵀ).
// The map is evaluated once per forward pass and shared by every sample in the batch.
import TSFCNN
import TSFCTensor

/// The vocabulary → prototype map.
public final class TextPrototypes: Module {
    /// `[S, V]`.
    public let weight: Parameter
    /// `[S]`.
    public let bias: Parameter

    public init(vocabulary: Int, count: Int, using rng: inout SeededGenerator) {
        weight = Parameter(Initializer.torchLinear([count, vocabulary], fanIn: vocabulary, using: &rng))
        bias = Parameter(Initializer.torchLinear([count], fanIn: vocabulary, using: &rng))
        super.init()
    }

    /// Number of prototypes S.
    public var count: Int { weight.shape[0] }

    /// Prototypes `[S, D]` from a token-embedding table `[V, D]`.
    public func callAsFunction(_ table: Tensor) -> Tensor {
        precondition(table.rank == 2 && table.shape[0] == weight.shape[1],
                     "TextPrototypes: table \(table.shape) does not have \(weight.shape[1]) rows")
        return weight.value.matmul(table) + bias.value.reshaped([count, 1])   // [S, D]
    }
}
