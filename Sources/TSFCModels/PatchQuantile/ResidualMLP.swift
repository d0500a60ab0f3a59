// ResidualMLP: the patch embedding and quantile read-out of the patch quantile decoder — a
// two-layer SiLU perceptron plus a linear skip, as Chronos-Bolt and TimesFM embed patches.
import TSFCNN
import TSFCTensor

/// `[..., in]` → `[..., out]`: `down(silu(up(x))) + skip(x)`.
public final class ResidualMLP: Module, UnaryLayer {
    public let up: Linear
    public let down: Linear
    public let skip: Linear

    public init(input: Int, hidden: Int, output: Int, using rng: inout SeededGenerator) {
        up = Linear(input, hidden, using: &rng)
        down = Linear(hidden, output, using: &rng)
        skip = Linear(input, output, using: &rng)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        down(up(x).silu()) + skip(x)                     // [..., out]
    }
}
