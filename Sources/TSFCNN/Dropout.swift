// Dropout with its own seeded generator: the same seed drops the same elements.
import TSFCTensor

/// Inverted dropout; active only in training mode.
public final class Dropout: Module, UnaryLayer {
    public let rate: Float
    private var generator: SeededGenerator

    public init(rate: Float, seed: UInt64 = 0) {
        precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) must be in [0, 1)")
        self.rate = rate
        generator = SeededGenerator(seed: seed)
        super.init()
    }

    /// Restarts the mask stream from `seed`.
    public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining, rate > 0 else { return x }
        return x.dropout(rate: rate, using: &generator)
    }
}
