// Weight initialisers (torch's defaults where a layer mirrors a torch layer).
import TSFCTensor

/// Initial values for weights.
public enum Initializer {
    /// U(−1/√fanIn, 1/√fanIn): torch's default for `nn.Linear` weights and biases
    /// (kaiming_uniform with a = √5 reduces to this bound).
    public static func torchLinear(_ shape: [Int], fanIn: Int, using rng: inout SeededGenerator) -> Tensor {
        let bound = 1 / Float(Swift.max(fanIn, 1)).squareRoot()
        return Tensor.randomUniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Glorot/Xavier uniform: U(−√(6/(fanIn+fanOut)), +…).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, using rng: inout SeededGenerator) -> Tensor {
        let bound = (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.randomUniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Kaiming (He) uniform for ReLU-like activations: U(−√(6/fanIn), +…).
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, using rng: inout SeededGenerator) -> Tensor {
        let bound = (6 / Float(Swift.max(fanIn, 1))).squareRoot()
        return Tensor.randomUniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// N(0, σ²), as GPT-2 initialises its weights (σ = 0.02).
    public static func normal(_ shape: [Int], standardDeviation: Float, using rng: inout SeededGenerator) -> Tensor {
        Tensor.randomNormal(shape, standardDeviation: standardDeviation, using: &rng)
    }
}
