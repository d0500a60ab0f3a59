// Embedding: a lookup table of row vectors.
import TSFCTensor

/// A table `[count, dimension]`; looking up ids gathers rows.
public final class Embedding: Module {
    public let weight: Parameter

    /// Creates a table initialised N(0, σ²) (torch's default σ = 1).
    public init(count: Int, dimension: Int, standardDeviation: Float = 1, using rng: inout SeededGenerator) {
        weight = Parameter(Initializer.normal([count, dimension], standardDeviation: standardDeviation, using: &rng))
        super.init()
    }

    public init(weight: Tensor) {
        self.weight = Parameter(weight)
        super.init()
    }

    /// ids with shape `shape` → `shape + [dimension]`.
    /// - Precondition: every id is in `0..<count` (callers validate user-provided ids).
    public func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
        precondition(shapeCount(shape) == ids.count, "Embedding: \(ids.count) ids for shape \(shape)")
        return weight.value.indexSelect(axis: 0, indices: ids).reshaped(shape + [weight.shape[1]])
    }
}
