// LayerNorm and RMSNorm layers over the last axis (fused kernels in TSFCTensor).
import TSFCTensor

/// Layer normalisation (Ba et al., 2016) with learnable scale and shift.
public final class LayerNorm: Module, UnaryLayer {
    public let weight: Parameter?
    public let bias: Parameter?
    public let epsilon: Float

    public init(_ dimension: Int, epsilon: Float = 1e-5, affine: Bool = true) {
        weight = affine ? Parameter(Tensor.ones([dimension])) : nil
        bias = affine ? Parameter(Tensor.zeros([dimension])) : nil
        self.epsilon = epsilon
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNormalized(weight: weight?.value, bias: bias?.value, epsilon: epsilon)
    }
}

/// Root-mean-square normalisation (Zhang & Sennrich, 2019), as LLaMA uses.
public final class RMSNorm: Module, UnaryLayer {
    public let weight: Parameter
    public let epsilon: Float

    public init(_ dimension: Int, epsilon: Float = 1e-6) {
        weight = Parameter(Tensor.ones([dimension]))
        self.epsilon = epsilon
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.rmsNormalized(weight: weight.value, epsilon: epsilon)
    }
}
