// SpaceTimeModel: SpaceTime (Zhang et al., ICLR 2023) standalone, as the paper runs it — the
// encoder / closed-loop decoder network, trained with its three RMSE terms on windows
// [B, L + H], validated on the closed-loop horizon MSE; any horizon is rolled out by the
// closed-loop decoder in one pass. (`model.adapter: spacetime`, `model.backbone.kind: none`.)
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// The paper's SpaceTime network as a forecasting model of its own.
public final class SpaceTimeModel: Module, ForecastingModel {
    public let configuration: ModelConfiguration
    /// The SSM network with its closed-loop decoder.
    public let network: SpaceTimeNetwork

    /// Builds the model for `config`, seeded.
    public init(configuration config: ModelConfiguration, seed: UInt64) {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        network = SpaceTimeNetwork(architecture: config.spacetime.architecture, withDecoder: true, using: &rng)
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    /// The horizon H the closed loop trains on.
    public var targetLength: Int { configuration.horizonLength }

    var lossWeights: SpaceTimeLossWeights {
        let w = configuration.spacetime.lossWeights
        return SpaceTimeLossWeights(horizon: w[0], oneStep: w[1], nextInput: w[2])
    }

    /// MSE of the closed-loop horizon of windows `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength, total = windows.shape[1]
        let context = windows.slice(axis: 1, 0..<l)                                     // [B, L]
        return Loss.meanSquaredError(network.forecast(context, horizon: total - l), windows.slice(axis: 1, l..<total))
    }

    /// SpaceTime's weighted horizon + one-step + next-input RMSE.
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        network.trainingLoss(windows: windows, lag: contextLength, weights: lossWeights)
    }

    /// The closed-loop forecast `[B, H]` after contexts `[B, L]` (no KV cache, no marks).
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        precondition(horizon > 0, "SpaceTimeModel.forecast: horizon must be positive")
        return withoutGradients { network.forecast(context, horizon: horizon) }
    }
}
