// SpaceTimeForecaster: SpaceTime (Zhang et al., ICLR 2023) as a tsfc `ForecastingModel`.
//
// Standalone (`model.backbone.kind: none`): the paper's encoder/decoder network; trained with
// its three RMSE terms on windows [B, L + H]; validated on the closed-loop horizon MSE; any
// horizon is rolled out by the closed-loop decoder in one pass.
//
// On the shared backbone (`scratch` / `pretrained`): the SpaceTime encoder's features at every
// segment boundary (points S−1, 2S−1, …, L−1) become the tokens of the causal decoder (through a
// Linear C → D); a Linear D → S head predicts the next segment at every token (next-token
// training, as AutoTimes), and longer horizons are rolled out by sliding the context one segment.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// SpaceTime, standalone or feeding segment tokens to the shared causal decoder.
public final class SpaceTimeForecaster: Module, ForecastingModel {
    public let configuration: ModelConfiguration
    /// The SSM network (without its closed-loop decoder on a backbone).
    public let network: SpaceTimeNetwork
    /// Encoder features → token embeddings (backbone variant only).
    public let tokenProjection: Linear?
    /// The shared causal decoder (backbone variant only).
    public let backbone: (Module & SequenceBackbone)?
    /// Hidden state → next segment (backbone variant only).
    public let segmentHead: Linear?

    /// Builds the model for `config` (`model.adapter: spacetime`), seeded.
    public init(configuration config: ModelConfiguration, seed: UInt64, storedBackbone: DecoderConfiguration? = nil) throws {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        let standalone = config.backbone.kind == .none
        network = SpaceTimeNetwork(architecture: config.spacetime.architecture, withDecoder: standalone, using: &rng)
        if standalone {
            tokenProjection = nil
            backbone = nil
            segmentHead = nil
        } else {
            let decoder = try ModelFactory.makeBackbone(config, stored: storedBackbone,
                                                        positions: config.contextLength / config.segmentLength, using: &rng)
            tokenProjection = Linear(config.spacetime.architecture.channels, decoder.width, using: &rng)
            segmentHead = Linear(decoder.width, config.segmentLength, using: &rng)
            backbone = decoder
        }
        super.init()
    }

    /// Whether the paper's closed-loop model runs alone (no shared decoder).
    public var isStandalone: Bool { backbone == nil }
    public var contextLength: Int { configuration.contextLength }
    /// Standalone: the horizon H the closed loop trains on; on a backbone: one segment.
    public var targetLength: Int { isStandalone ? configuration.horizonLength : configuration.segmentLength }
    public var decoderConfiguration: DecoderConfiguration? { (backbone as? CausalDecoder)?.configuration }

    var lossWeights: SpaceTimeLossWeights {
        let w = configuration.spacetime.lossWeights
        return SpaceTimeLossWeights(horizon: w[0], oneStep: w[1], nextInput: w[2])
    }

    /// Validation loss: MSE of the closed-loop horizon (standalone) or of the next segment at
    /// every token (backbone), on windows `[B, L + targetLength]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength, total = windows.shape[1]
        let context = windows.slice(axis: 1, 0..<l)                                     // [B, L]
        if isStandalone {
            return Loss.meanSquaredError(network.forecast(context, horizon: total - l), windows.slice(axis: 1, l..<total))
        }
        let s = configuration.segmentLength, b = windows.shape[0]
        let target = windows.slice(axis: 1, s..<(l + s)).reshaped([b, l / s, s])        // [B, N, S]
        return Loss.meanSquaredError(nextSegments(context), target)
    }

    /// Standalone: SpaceTime's weighted horizon + one-step + next-input RMSE; backbone: `loss`.
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        guard isStandalone else { return loss(windows: windows, marks: marks) }
        return network.trainingLoss(windows: windows, lag: contextLength, weights: lossWeights)
    }

    /// Next-segment predictions `[B, N, S]` at every segment boundary of contexts `[B, L]`
    /// (backbone variant), on the context's scale.
    public func nextSegments(_ context: Tensor) -> Tensor {
        guard let backbone, let tokenProjection, let segmentHead else {
            preconditionFailure("SpaceTimeForecaster.nextSegments: standalone models have no segment tokens")
        }
        let s = configuration.segmentLength, b = context.shape[0], n = context.shape[1] / s
        let mean = context.mean(axes: [1], keepDims: true).detached                     // [B, 1]
        let features = network.encode(context - mean)                                    // [B, C, L]
        let boundaries = (1...n).map { $0 * s - 1 }
        let tokens = features.indexSelect(axis: 2, indices: boundaries).permuted([0, 2, 1])  // [B, N, C]
        let hidden = backbone.hiddenStates(tokenProjection(tokens))                      // [B, N, D]
        return segmentHead(hidden) + mean.reshaped([b, 1, 1])                            // [B, N, S]
    }

    /// Forecasts `[B, H]` after contexts `[B, L]`: the closed loop (standalone) or a sliding
    /// segment rollout (backbone). `mode` and `marks` are not used (no KV cache, no marks).
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        precondition(horizon > 0, "SpaceTimeForecaster.forecast: horizon must be positive")
        return withoutGradients {
            if isStandalone { return network.forecast(context, horizon: horizon) }
            let s = configuration.segmentLength, b = context.shape[0], l = context.shape[1]
            var window = context
            var pieces: [Tensor] = []
            for _ in 0..<((horizon + s - 1) / s) {
                let predicted = nextSegments(window)                                     // [B, N, S]
                let n = predicted.shape[1]
                let next = predicted.slice(axis: 1, (n - 1)..<n).reshaped([b, s])       // [B, S]
                pieces.append(next)
                window = Tensor.concat([window.slice(axis: 1, s..<l), next], axis: 1)
            }
            return Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<horizon)            // [B, H]
        }
    }
}
