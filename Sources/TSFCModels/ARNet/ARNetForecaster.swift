// ARNetForecaster: AR-Net (Triebe, Laptev, Rajagopal 2019, arXiv 1911.12436) as a tsfc
// `ForecastingModel`.
//
// Standalone (`model.backbone.kind: none`): the paper's AR-Net on p = `context_length` lags with
// n_forecasts = `horizon` direct outputs (optional ReLU hidden layers `arnet.ar_layers`), trained
// with MSE + λ·R (the sparsity regulariser on the first layer, λ warmed up over training as the
// reference does); longer horizons are rolled out by feeding forecasts back.
//
// On the shared backbone (`scratch` / `pretrained`): one token per context position t ≥ p − 1;
// the token is a linear embedding of the p-lag window ending at t (the same regulariser sparsifies
// the embedding's lag weights); the causal decoder reads the tokens and a Linear D → H head
// predicts the H points after every token (next-window training as AutoTimes); windows are
// centred on their context mean.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// AR-Net, standalone or embedding lag windows into the shared causal decoder.
public final class ARNetForecaster: Module, ForecastingModel, LagWeightReporting {
    public let configuration: ModelConfiguration
    /// The standalone AR-Net (nil on a backbone).
    public let network: ARNetwork?
    /// Lag window `[p]` → token `[D]` (backbone variant).
    public let lagEmbedding: Linear?
    /// The shared causal decoder (backbone variant).
    public let backbone: (Module & SequenceBackbone)?
    /// Hidden state → next H points (backbone variant).
    public let head: Linear?

    /// Builds the model for `config` (`model.adapter: arnet`), seeded.
    public init(configuration config: ModelConfiguration, seed: UInt64, storedBackbone: DecoderConfiguration? = nil) throws {
        configuration = config
        var rng = SeededGenerator(seed: seed)
        if config.backbone.kind == .none {
            network = ARNetwork(lags: config.contextLength, forecasts: config.horizonLength,
                                hidden: config.arnet.arLayers, using: &rng)
            lagEmbedding = nil; backbone = nil; head = nil
        } else {
            let p = config.arnet.lags
            let decoder = try ModelFactory.makeBackbone(config, stored: storedBackbone,
                                                        positions: config.contextLength - p + 1, using: &rng)
            lagEmbedding = Linear(p, decoder.width, using: &rng)
            head = Linear(decoder.width, config.horizonLength, using: &rng)
            backbone = decoder
            network = nil
        }
        super.init()
    }

    public var isStandalone: Bool { network != nil }
    public var contextLength: Int { configuration.contextLength }
    public var targetLength: Int { configuration.horizonLength }
    public var decoderConfiguration: DecoderConfiguration? { (backbone as? CausalDecoder)?.configuration }
    /// Lags read per prediction (standalone: the whole context; backbone: per token).
    public var lags: Int { network?.lags ?? configuration.arnet.lags }

    /// The weights the sparsity regulariser acts on: the first layer reading the lags `[rows, p]`.
    public var lagLayerWeight: Tensor { (network?.firstLayer ?? lagEmbedding!).weight.value }

    /// Validation loss: MSE of the H points after the context (standalone) or after every token
    /// (backbone), on windows `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength
        if let network {
            return Loss.meanSquaredError(network(windows.slice(axis: 1, 0..<l)), windows.slice(axis: 1, l..<windows.shape[1]))
        }
        let p = lags, h = targetLength
        let mean = windows.slice(axis: 1, 0..<l).mean(axes: [1], keepDims: true).detached          // [B, 1]
        let centred = windows - mean                                                               // [B, L + H]
        let targets = centred.slice(axis: 1, p..<(l + h)).unfolded(axis: 1, size: h, stride: 1)    // [B, L − p + 1, H]
        return Loss.meanSquaredError(tokenForecasts(centred.slice(axis: 1, 0..<l)), targets)
    }

    /// `loss` + λ(progress)·R(first-layer lag weights).
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        let base = loss(windows: windows, marks: marks)
        guard let reg = configuration.arnet.regularizer.term(lagLayerWeight, progress: progress) else { return base }
        return base + reg
    }

    /// Backbone variant: the H-point forecast after every token of centred contexts `[B, L]` → `[B, N, H]`.
    func tokenForecasts(_ context: Tensor) -> Tensor {
        guard let lagEmbedding, let backbone, let head else {
            preconditionFailure("ARNetForecaster.tokenForecasts: standalone models have no tokens")
        }
        let windows = context.unfolded(axis: 1, size: lags, stride: 1)                              // [B, N, p]
        return head(backbone.hiddenStates(lagEmbedding(windows)))                                 // [B, N, H]
    }

    /// Forecasts `[B, H]` after contexts `[B, L]`, rolling out chunks of `horizon` points.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        withoutGradients {
            ARRollout.forecast(context: context, horizon: horizon, chunk: targetLength) { window in
                if let network { return network(window) }
                let mean = window.mean(axes: [1], keepDims: true)                                 // [B, 1]
                let all = tokenForecasts(window - mean)                                          // [B, N, H]
                let n = all.shape[1]
                return all.slice(axis: 1, (n - 1)..<n).reshaped([window.shape[0], targetLength]) + mean
            }
        }
    }

    public var lagWeightTable: LagWeightTable {
        if let network {
            return LagWeightTable(rowKind: network.isLinear ? "step" : "hidden unit", rows: network.lagWeights,
                                  intercepts: network.intercept)
        }
        return LagWeightTable(rowKind: "embedding", rows: ARLagOrder.lagFirst(lagEmbedding!.weight.value), intercepts: nil)
    }
}

extension ModelFactory {
    /// AR-Net (`arnet`) or least-squares Classic-AR (`classic-ar`).
    static func makeAutoregressive(_ config: ModelConfiguration, seed: UInt64,
                                   storedBackbone: DecoderConfiguration?) throws -> any ForecastingModel {
        if config.adapter == .classicAR { return ClassicARForecaster(configuration: config) }
        return try ARNetForecaster(configuration: config, seed: seed, storedBackbone: storedBackbone)
    }
}
