// Linear: y = x·Wᵀ + b, with W stored [out, in] as torch's nn.Linear.
import TSFCTensor

/// A fully connected layer. `weight` is `[out, in]`, `bias` is `[out]`.
public final class Linear: Module, UnaryLayer {
    public let weight: Parameter
    public let bias: Parameter?

    /// Creates a layer initialised like torch's `nn.Linear`.
    public init(_ inputCount: Int, _ outputCount: Int, bias: Bool = true, using rng: inout SeededGenerator) {
        weight = Parameter(Initializer.torchLinear([outputCount, inputCount], fanIn: inputCount, using: &rng))
        self.bias = bias ? Parameter(Initializer.torchLinear([outputCount], fanIn: inputCount, using: &rng)) : nil
        super.init()
    }

    /// Creates a layer from given values.
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
        super.init()
    }

    public var inputCount: Int { weight.shape[1] }
    public var outputCount: Int { weight.shape[0] }

    /// `[..., in]` → `[..., out]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = x.matmul(weight.value, transposeB: true)  // [..., out]
        if let bias { return y + bias.value }
        return y
    }
}
