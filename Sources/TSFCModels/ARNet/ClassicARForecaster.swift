// ClassicARForecaster: least-squares AR(L) with H direct outputs (AR-Net paper's "Classic-AR"
// baseline) as a `ForecastingModel`: fitted in closed form by LAPACK on the training windows,
// horizons beyond H rolled out by feeding forecasts back.
import TSFCNN
import TSFCTensor

/// Classic-AR on L = `model.context_length` lags emitting H = `model.horizon` points.
public final class ClassicARForecaster: Module, DirectForecaster, ClosedFormFitting, LagWeightReporting {
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

    /// The H points after contexts `[B, L]` → `[B, H]`.
    public func predict(_ context: Tensor) -> Tensor { autoregression.predict(context) }

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
