// MLP: Linear → activation → dropout → Linear.
import TSFCTensor

/// A two-layer perceptron `[..., in]` → `[..., out]`.
public final class MLP: Module, UnaryLayer {
    public let input: Linear
    public let output: Linear
    public let activation: Activation
    public let dropout: Dropout

    public init(inputCount: Int, hiddenCount: Int, outputCount: Int, activation: Activation = .gelu,
                dropout: Float = 0, bias: Bool = true, using rng: inout SeededGenerator) {
        input = Linear(inputCount, hiddenCount, bias: bias, using: &rng)
        output = Linear(hiddenCount, outputCount, bias: bias, using: &rng)
        self.activation = activation
        self.dropout = Dropout(rate: dropout, seed: rng.next())
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        output(dropout(activation(input(x))))  // [..., hidden] → [..., out]
    }
}
