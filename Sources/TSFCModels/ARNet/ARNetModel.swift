// ARNetModel: AR-Net (Triebe, Laptev, Rajagopal 2019, arXiv 1911.12436) standalone — the paper's
// network on p = `context_length` lags with n_forecasts = `horizon` direct outputs (optional ReLU
// hidden layers `arnet.ar_layers`), trained with MSE + λ·R (the sparsity regulariser on the first
// layer, λ warmed up over training as the reference does); longer horizons are rolled out by
// feeding forecasts back. (`model.adapter: arnet`, `model.backbone.kind: none`.)
import TSFCNN
import TSFCTensor

/// AR-Net as a forecasting model of its own.
public final class ARNetModel: Module, ForecastingModel, LagWeightReporting {
    public let configuration: ModelConfiguration
    public let network: ARNetwork

    /// Builds the model for `config`, seeded.
    public init(configuration config: ModelConfiguration, seed: UInt64) {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        network = ARNetwork(lags: config.contextLength, forecasts: config.horizonLength,
                            hidden: config.arnet.arLayers, using: &rng)
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    public var targetLength: Int { configuration.horizonLength }
    /// Lags read per prediction: the whole context.
    public var lags: Int { network.lags }

    /// MSE of the H points after the context of windows `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength
        return Loss.meanSquaredError(network(windows.slice(axis: 1, 0..<l)), windows.slice(axis: 1, l..<windows.shape[1]))
    }

    /// `loss` + λ(progress)·R(first-layer lag weights).
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        let base = loss(windows: windows, marks: marks)
        guard let reg = configuration.arnet.regularizer.term(network.firstLayer.weight.value, progress: progress) else { return base }
        return base + reg
    }

    /// Forecasts `[B, H]` after contexts `[B, L]`, rolling out chunks of `horizon` points.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        withoutGradients { ARRollout.forecast(context: context, horizon: horizon, chunk: targetLength, predict: network.callAsFunction) }
    }

    public var lagWeightTable: LagWeightTable {
        LagWeightTable(rowKind: network.isLinear ? "step" : "hidden unit", rows: network.lagWeights, intercepts: network.intercept)
    }
}
