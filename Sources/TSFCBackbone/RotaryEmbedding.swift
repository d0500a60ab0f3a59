// Rotary position embedding (Su et al., 2021, "RoFormer"), in the rotate-half layout that
// LLaMA's Hugging Face implementation uses: the first and second halves of each head's features
// form the rotated pairs (not interleaved neighbours).
#if canImport(Glibc)
import Glibc
#endif
import TSFCTensor

/// Rotates queries and keys by position-dependent angles θ_i·p, θ_i = base^(−2i/Dh).
public struct RotaryEmbedding: Sendable {
    /// Width of one head (even).
    public let headDim: Int
    /// The base θ (`rope_theta`).
    public let base: Float
    /// Inverse frequencies `[Dh/2]`, computed in Float like the reference implementation.
    let inverseFrequencies: [Float]

    public init(headDim: Int, base: Float) {
        precondition(headDim > 0 && headDim % 2 == 0, "RotaryEmbedding: head width \(headDim) must be even")
        self.headDim = headDim
        self.base = base
        inverseFrequencies = (0..<(headDim / 2)).map { i in
            Float(1 / Glibc.pow(Double(base), Double(2 * i) / Double(headDim)))
        }
    }

    /// cos and sin tables `[N, Dh]` for positions `offset..<offset + count` (each half repeated).
    public func tables(offset: Int, count: Int) -> (cos: Tensor, sin: Tensor) {
        let half = headDim / 2
        var c = [Float](repeating: 0, count: count * headDim)
        var s = [Float](repeating: 0, count: count * headDim)
        for p in 0..<count {
            for i in 0..<half {
                let angle = Float(offset + p) * inverseFrequencies[i]  // Float product, as the reference
                let cv = Float(Glibc.cos(Double(angle))), sv = Float(Glibc.sin(Double(angle)))
                c[p * headDim + i] = cv; c[p * headDim + half + i] = cv
                s[p * headDim + i] = sv; s[p * headDim + half + i] = sv
            }
        }
        return (Tensor(shape: [count, headDim], scalars: c), Tensor(shape: [count, headDim], scalars: s))
    }

    /// Rotates `x` `[B, H, N, Dh]` whose tokens sit at positions `offset..<offset + N`:
    /// x·cos + rotateHalf(x)·sin with rotateHalf([x₁, x₂]) = [−x₂, x₁]. Differentiable.
    public func callAsFunction(_ x: Tensor, offset: Int) -> Tensor {
        precondition(x.rank == 4 && x.shape[3] == headDim, "RotaryEmbedding: expected [B, H, N, \(headDim)], got \(x.shape)")
        let n = x.shape[2], half = headDim / 2
        let (cos, sin) = tables(offset: offset, count: n)                  // [N, Dh]
        let x1 = x.slice(axis: 3, 0..<half), x2 = x.slice(axis: 3, half..<headDim)  // [B, H, N, Dh/2]
        let rotated = Tensor.concat([-x2, x1], axis: 3)                      // [B, H, N, Dh]
        return x * cos + rotated * sin
    }
}
