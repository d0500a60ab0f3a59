// Test support: multi-head causal self-attention with optional grouped key/value heads, on the
// fused attention kernel, as a small module for the module-tree and finite-difference tests.
// Moved here from TSFCNN, where nothing but tests and the tsfc-bench step benchmark used it (the
// library's decoder attention is TSFCBackbone's `DecoderAttention`).
import TSFCNN
import TSFCTensor

/// Multi-head causal self-attention (Vaswani et al., 2017) with grouped-query heads
/// (Ainslie et al., 2023) when `keyValueHeads < heads`.
final class CausalSelfAttention: Module {
    let query: Linear
    let key: Linear
    let value: Linear
    let outputProjection: Linear
    let heads: Int
    let keyValueHeads: Int

    init(dimension: Int, heads: Int, keyValueHeads: Int? = nil, bias: Bool = true,
         using rng: inout SeededGenerator) {
        let kv = keyValueHeads ?? heads
        precondition(dimension % heads == 0 && heads % kv == 0,
                     "CausalSelfAttention: dimension \(dimension), heads \(heads), kv heads \(kv) incompatible")
        let headDim = dimension / heads
        query = Linear(dimension, dimension, bias: bias, using: &rng)
        key = Linear(dimension, kv * headDim, bias: bias, using: &rng)
        value = Linear(dimension, kv * headDim, bias: bias, using: &rng)
        outputProjection = Linear(dimension, dimension, bias: bias, using: &rng)
        self.heads = heads
        self.keyValueHeads = kv
        super.init()
    }

    /// `[B, N, D]` → `[B, N, D]`, causal, with an optional additive mask `[N, N]`.
    func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        let b = x.shape[0], n = x.shape[1], d = x.shape[2], hd = d / heads
        let q = query(x).reshaped([b, n, heads, hd]).permuted([0, 2, 1, 3])           // [B, H, N, hd]
        let k = key(x).reshaped([b, n, keyValueHeads, hd]).permuted([0, 2, 1, 3])     // [B, Hkv, N, hd]
        let v = value(x).reshaped([b, n, keyValueHeads, hd]).permuted([0, 2, 1, 3])   // [B, Hkv, N, hd]
        let o = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, causal: true)
        return outputProjection(o.permuted([0, 2, 1, 3]).reshaped([b, n, d]))          // [B, N, D]
    }
}
