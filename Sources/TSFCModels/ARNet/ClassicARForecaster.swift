// ClassicARForecaster: least-squares AR(L) with H direct outputs (AR-Net paper's "Classic-AR"
// baseline) as a `ForecastingModel`: fitted in closed form by LAPACK on the training windows,
// horizons beyond H rolled out by feeding forecasts back.
import TSFCNN
import TSFCTensor

/// Classic-AR on L = `model.context_length` lags emitting H = `model.horizon` points.
public final class ClassicARForecaster: Module, ForecastingModel, ClosedFormFitting, LagWeightReporting {
    public let configuration: ModelConfiguration
    /// The fitted linear model (weights `[H, L]`, inputs oldest first).
    public let autoregression: ClassicAR

    public init(configuration config: ModelConfiguration) {
        configuration = config
        autoregression = ClassicAR(lags: config.contextLength, forecasts: config.horizonLength)
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    public var targetLength: Int { configuration.horizonLength }

    /// MSE of the H-point forecast of windows `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength
        return Loss.meanSquaredError(autoregression.predict(windows.slice(axis: 1, 0..<l)),
                                     windows.slice(axis: 1, l..<windows.shape[1]))
    }

    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        withoutGradients { ARRollout.forecast(context: context, horizon: horizon, chunk: targetLength, predict: autoregression.predict) }
    }

    public func fitClosedForm(train: SegmentWindows, limit: Int) throws {
        let indices = SegmentWindows.evenlySpaced(count: train.count, limit: limit)
        let l = contextLength, h = targetLength
        let w = train.batch(indices).scalars                                   // [N, L + H]
        var x = [Float](), y = [Float]()
        x.reserveCapacity(indices.count * l); y.reserveCapacity(indices.count * h)
        for i in indices.indices {
            x.append(contentsOf: w[(i * (l + h))..<(i * (l + h) + l)])
            y.append(contentsOf: w[(i * (l + h) + l)..<((i + 1) * (l + h))])
        }
        try autoregression.fit(LagWindows(inputs: x, targets: y, lags: l, forecasts: h))
    }

    public var lagWeightTable: LagWeightTable {
        LagWeightTable(rowKind: "step", rows: autoregression.lagWeights, intercepts: autoregression.bias.value.scalars)
    }
}

/// Rolls a direct multi-step model out to any horizon.
enum ARRollout {
    /// Forecasts `[B, H]` from contexts `[B, L]` with a model mapping `[B, L]` → `[B, chunk]`,
    /// feeding each chunk back into the window.
    static func forecast(context: Tensor, horizon: Int, chunk: Int, predict: (Tensor) -> Tensor) -> Tensor {
        precondition(horizon > 0, "forecast: horizon must be positive")
        let l = context.shape[1]
        var window = context
        var pieces: [Tensor] = []
        var produced = 0
        while produced < horizon {
            let next = predict(window)                                          // [B, chunk]
            pieces.append(next)
            produced += chunk
            window = chunk >= l ? next.slice(axis: 1, (chunk - l)..<chunk)
                : Tensor.concat([window.slice(axis: 1, chunk..<l), next], axis: 1)  // [B, L]
        }
        return Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<horizon)     // [B, H]
    }
}
