// ARNetModel: AR-Net (Triebe, Laptev, Rajagopal 2019, arXiv 1911.12436) standalone — the paper's
// network on p = `context_length` lags with n_forecasts = `horizon` direct outputs (optional ReLU
// hidden layers `arnet.ar_layers`), trained with MSE + λ·R (the sparsity regulariser on the first
// layer, λ warmed up over training as the reference does); longer horizons are rolled out by
// feeding forecasts back. (`model.adapter: arnet`, `model.backbone.kind: none`.)
import TSFCNN
import TSFCTensor

/// AR-Net as a forecasting model of its own.
public final class ARNetModel: Module, DirectForecaster, LagWeightReporting {
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

    /// The H points after contexts `[B, L]` → `[B, H]`.
    public func predict(_ context: Tensor) -> Tensor { network(context) }

    /// `loss` + λ(progress)·R(first-layer lag weights).
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        let base = loss(windows: windows, marks: marks)
        guard let reg = configuration.arnet.regularizer.term(network.firstLayer.weight.value, progress: progress) else { return base }
        return base + reg
    }

    public var lagWeightTable: LagWeightTable {
        LagWeightTable(rowKind: network.isLinear ? "step" : "hidden unit", rows: network.lagWeights, intercepts: network.intercept)
    }
}
