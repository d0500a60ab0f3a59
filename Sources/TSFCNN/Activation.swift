// Activation functions selectable by name in configurations.
import TSFCTensor

/// An elementwise non-linearity.
public enum Activation: String, ConfigurationChoice {
    case relu, gelu, geluTanh = "gelu_tanh", silu, tanh, sigmoid, identity

    /// Applies the activation.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .relu: return x.relu()
        case .gelu: return x.gelu()
        case .geluTanh: return x.gelu(approximate: true)
        case .silu: return x.silu()
        case .tanh: return x.tanh()
        case .sigmoid: return x.sigmoid()
        case .identity: return x
        }
    }
}
