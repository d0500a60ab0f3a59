// LoRA: low-rank adaptation of a frozen linear layer (Hu et al., 2021).
import TSFCTensor

/// y = base(x) + (α / r) · x·Aᵀ·Bᵀ with A `[r, in]` (torch-linear init) and B `[out, r]` (zeros),
/// so training starts exactly at the base layer's output. The base layer is frozen.
public final class LoRALinear: Module, UnaryLayer {
    public let base: Linear
    public let loraA: Parameter
    public let loraB: Parameter
    public let scale: Float

    public init(base: Linear, rank: Int, alpha: Float, using rng: inout SeededGenerator) {
        precondition(rank > 0, "LoRALinear: rank must be positive")
        self.base = base
        base.freeze()
        loraA = Parameter(Initializer.torchLinear([rank, base.inputCount], fanIn: base.inputCount, using: &rng))
        loraB = Parameter(Tensor.zeros([base.outputCount, rank]))
        scale = alpha / Float(rank)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let low = x.matmul(loraA.value, transposeB: true).matmul(loraB.value, transposeB: true)  // [..., out]
        return base(x) + low * scale
    }
}
