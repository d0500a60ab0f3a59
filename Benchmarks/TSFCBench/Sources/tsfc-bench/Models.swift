// The models the step benchmarks train; `Benchmarks/torch_step_bench.py` builds the same ones
// in PyTorch (same layer order, shapes, activations, loss and optimizer).
import TSFCNN
import TSFCTensor

/// Pre-LN causal transformer block: x + attn(LN(x)), then h + MLP(LN(h)).
final class BenchBlock: Module {
    let norm1: LayerNorm
    let attention: CausalSelfAttention
    let norm2: LayerNorm
    let mlp: MLP

    init(width: Int, heads: Int, hidden: Int, using rng: inout SeededGenerator) {
        norm1 = LayerNorm(width)
        attention = CausalSelfAttention(dimension: width, heads: heads, using: &rng)
        norm2 = LayerNorm(width)
        mlp = MLP(inputCount: width, hiddenCount: hidden, outputCount: width, activation: .gelu, using: &rng)
        super.init()
    }

    /// `[B, N, D]` → `[B, N, D]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = x + attention(norm1(x))
        return h + mlp(norm2(h))
    }
}

/// A stack of `BenchBlock`s followed by a final LayerNorm.
final class BenchTransformer: Module {
    let blocks: [BenchBlock]
    let finalNorm: LayerNorm

    init(layers: Int, width: Int, heads: Int, hidden: Int, using rng: inout SeededGenerator) {
        var bs: [BenchBlock] = []
        for _ in 0..<layers { bs.append(BenchBlock(width: width, heads: heads, hidden: hidden, using: &rng)) }
        blocks = bs
        finalNorm = LayerNorm(width)
        super.init()
    }

    /// `[B, N, D]` → `[B, N, D]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for b in blocks { h = b(h) }
        return finalNorm(h)
    }
}

/// Linear → GELU → Linear → GELU → Linear.
final class BenchMLP: Module {
    let layers: [Linear]

    init(sizes: [Int], using rng: inout SeededGenerator) {
        var ls: [Linear] = []
        for i in 0..<(sizes.count - 1) { ls.append(Linear(sizes[i], sizes[i + 1], using: &rng)) }
        layers = ls
        super.init()
    }

    /// `[B, sizes.first]` → `[B, sizes.last]`.
    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, l) in layers.enumerated() {
            h = l(h)
            if i < layers.count - 1 { h = h.gelu() }
        }
        return h
    }
}
