// Time-LLM output projection (§3.1 "Output Projection", reference `FlattenHead`): the backbone's
// hidden states at the P patch positions, cut to their first `channels` features (the reference
// keeps `d_ff` of them), are flattened channel-major and mapped linearly to H values.
// Dropout is applied to the flattened features (the reference applies it after the linear map,
// to the forecast itself; at inference both are the identity).
import TSFCNN
import TSFCTensor

/// Hidden states `[B, P, D]` → forecast `[B, H]`.
public final class FlattenHead: Module, UnaryLayer {
    public let linear: Linear
    /// Hidden features kept per position.
    public let channels: Int
    /// Patch positions read.
    public let positions: Int
    let dropout: Dropout

    public init(channels: Int, positions: Int, horizon: Int, dropout rate: Float, using rng: inout SeededGenerator) {
        self.channels = channels
        self.positions = positions
        linear = Linear(channels * positions, horizon, using: &rng)
        dropout = Dropout(rate: rate, seed: rng.next())
        super.init()
    }

    /// Values emitted (H).
    public var horizon: Int { linear.outputCount }

    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        precondition(hidden.rank == 3 && hidden.shape[1] == positions && hidden.shape[2] >= channels,
                     "FlattenHead: expected [B, \(positions), ≥\(channels)], got \(hidden.shape)")
        let b = hidden.shape[0]
        let kept = hidden.shape[2] == channels ? hidden : hidden.slice(axis: 2, 0..<channels)  // [B, P, c]
        let flat = kept.permuted([0, 2, 1]).reshaped([b, channels * positions])                // [B, c·P]
        return linear(dropout(flat))                                                           // [B, H]
    }
}
