// DLinear and NLinear — Zeng, Chen, Zhang, Xu, "Are Transformers Effective for Time Series
// Forecasting?" (AAAI 2023), following LTSF-Linear's `models/DLinear.py` and `NLinear.py` with
// `individual=False` (one pair of maps shared by every channel):
//
//   DLinear: trend = moving average of the context (window k, replicate-padded at both ends),
//            seasonal = context − trend, forecast = Linear_s(seasonal) + Linear_t(trend);
//   NLinear: forecast = Linear(context − last point) + last point.
//
// Both map L points to H directly; longer horizons are rolled out by feeding forecasts back.
// The moving average is a fixed [L, L] averaging matrix, so the decomposition is one matmul.
import TSFCNN
import TSFCTensor

/// LTSF-Linear's series decomposition as a fixed averaging matrix.
public struct MovingAverageDecomposition: Sendable {
    /// `[L, L]`: row t averages the k points centred on t, indices clamped to the context.
    public let matrix: Tensor
    public let window: Int

    /// - Precondition: `window` is odd and positive, `length` positive.
    public init(length: Int, window: Int) {
        precondition(length > 0 && window > 0 && window % 2 == 1, "MovingAverageDecomposition: needs an odd window")
        let half = (window - 1) / 2
        var a = [Float](repeating: 0, count: length * length)
        for t in 0..<length {
            for j in -half...half { a[t * length + Swift.min(Swift.max(t + j, 0), length - 1)] += 1 / Float(window) }
        }
        matrix = Tensor(shape: [length, length], scalars: a)
        self.window = window
    }

    /// The trend `[B, L]` of contexts `[B, L]`.
    public func trend(_ x: Tensor) -> Tensor { x.matmul(matrix, transposeB: true) }
}

/// DLinear: separate linear maps of the seasonal and trend parts.
public final class DLinearModel: Module, DirectForecaster {
    public let configuration: ModelConfiguration
    public let seasonal: Linear
    public let trend: Linear
    let decomposition: MovingAverageDecomposition

    /// Builds the model for `config` (`model.adapter: dlinear`), seeded (seasonal map first).
    public init(configuration config: ModelConfiguration, seed: UInt64) {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        seasonal = Linear(config.contextLength, config.horizonLength, using: &rng)
        trend = Linear(config.contextLength, config.horizonLength, using: &rng)
        decomposition = MovingAverageDecomposition(length: config.contextLength, window: config.dlinear.movingAverage)
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    public var targetLength: Int { configuration.horizonLength }

    /// `[B, L]` → `[B, H]`.
    public func predict(_ context: Tensor) -> Tensor {
        let t = decomposition.trend(context)                          // [B, L]
        return seasonal(context - t) + trend(t)                       // [B, H]
    }
}

/// NLinear: one linear map of the context relative to its last point.
public final class NLinearModel: Module, DirectForecaster {
    public let configuration: ModelConfiguration
    public let linear: Linear

    /// Builds the model for `config` (`model.adapter: nlinear`), seeded.
    public init(configuration config: ModelConfiguration, seed: UInt64) {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        linear = Linear(config.contextLength, config.horizonLength, using: &rng)
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    public var targetLength: Int { configuration.horizonLength }

    /// `[B, L]` → `[B, H]`.
    public func predict(_ context: Tensor) -> Tensor {
        let l = context.shape[1]
        let last = context.slice(axis: 1, (l - 1)..<l)                // [B, 1]
        return linear(context - last) + last                          // [B, H]
    }
}
