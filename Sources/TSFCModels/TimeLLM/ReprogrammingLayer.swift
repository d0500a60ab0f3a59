// Time-LLM patch reprogramming (§3.1, reference `ReprogrammingLayer`): multi-head cross-attention
// whose queries are the patch embeddings and whose keys and values are the text prototypes.
// Heads have `keyWidth` channels each (the reference passes d_ff as d_keys), the scale is
// 1/√keyWidth, attention dropout applies to the probabilities, and an output map brings the
// heads back to the backbone width D.
//
// The prototypes are shared by the whole batch, so all B·P queries attend to one key/value set:
// they are laid out as one "batch" of B·P queries per head instead of copying the keys B times.
import TSFCNN
import TSFCTensor

/// Cross-attention from patch embeddings to text prototypes.
public final class ReprogrammingLayer: Module {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    public let heads: Int
    public let keyWidth: Int
    let attentionDropout: Dropout

    /// - Parameters:
    ///   - patchWidth: width of the patch embeddings (d_model).
    ///   - backboneWidth: D, the prototypes' and the output's width.
    ///   - heads: attention heads.
    ///   - keyWidth: channels per head.
    public init(patchWidth: Int, backboneWidth: Int, heads: Int, keyWidth: Int, dropout: Float,
                using rng: inout SeededGenerator) {
        self.heads = heads
        self.keyWidth = keyWidth
        query = Linear(patchWidth, heads * keyWidth, using: &rng)
        key = Linear(backboneWidth, heads * keyWidth, using: &rng)
        value = Linear(backboneWidth, heads * keyWidth, using: &rng)
        output = Linear(heads * keyWidth, backboneWidth, using: &rng)
        attentionDropout = Dropout(rate: dropout, seed: rng.next())
        super.init()
    }

    /// Attention probabilities `[B, heads, P, S]` (for inspection and tests; no dropout).
    public func attentionWeights(patches: Tensor, prototypes: Tensor) -> Tensor {
        let b = patches.shape[0], p = patches.shape[1], s = prototypes.shape[0]
        let q = query(patches).reshaped([b, p, heads, keyWidth]).permuted([0, 2, 1, 3])   // [B, h, P, k]
        let k = key(prototypes).reshaped([s, heads, keyWidth]).permuted([1, 2, 0])         // [h, k, S]
        let scores = q.matmul(k)                                                            // [B, h, P, S]
        return (scores * (1 / Float(keyWidth).squareRoot())).softmax()
    }

    /// Reprogrammed patches `[B, P, D]` from patch embeddings `[B, P, patchWidth]` and
    /// prototypes `[S, D]`.
    public func callAsFunction(patches: Tensor, prototypes: Tensor) -> Tensor {
        precondition(patches.rank == 3 && prototypes.rank == 2, "ReprogrammingLayer: expected [B, P, d] and [S, D]")
        let b = patches.shape[0], p = patches.shape[1], s = prototypes.shape[0], h = heads, dk = keyWidth
        let q = query(patches).reshaped([b * p, h, dk]).permuted([1, 0, 2])     // [h, B·P, k]
            .reshaped([1, h, b * p, dk])                                         // [1, h, B·P, k]
        let k = key(prototypes).reshaped([s, h, dk]).permuted([1, 0, 2]).reshaped([1, h, s, dk])    // [1, h, S, k]
        let v = value(prototypes).reshaped([s, h, dk]).permuted([1, 0, 2]).reshaped([1, h, s, dk])  // [1, h, S, k]
        var mask: Tensor? = nil
        if attentionDropout.isTraining && attentionDropout.rate > 0 {
            mask = attentionDropout(Tensor.ones([1, h, b * p, s]))
        }
        let attended = Tensor.scaledDotProductAttention(query: q, key: k, value: v, causal: false,
                                                        dropoutMask: mask)      // [1, h, B·P, k]
        let merged = attended.reshaped([h, b * p, dk]).permuted([1, 0, 2]).reshaped([b, p, h * dk])  // [B, P, h·k]
        return output(merged)                                                   // [B, P, D]
    }
}
