// AR-Net's and Classic-AR's registrations.
import TSFCBackbone
import TSFCNN
import TSFCTensor

extension ModelFamily {
    /// AR-Net: sparse linear autoregression, standalone or as lag-window tokens on the decoder.
    public static let arNet = ModelFamily(kind: .arnet, paper: "AR-Net (Triebe et al., 2019)", build: { config, context in
        try ModelFactory.makeARNet(config, seed: context.seed, storedBackbone: context.storedBackbone)
    }, problems: { ARNetConfiguration.problems($0) })

    /// Classic-AR: least-squares AR fitted in closed form (AR-Net's baseline).
    public static let classicAR = ModelFamily(kind: .classicAR, paper: "least-squares AR (AR-Net's Classic-AR baseline)",
                                              build: { config, _ in ClassicARForecaster(configuration: config) },
                                              problems: { ARNetConfiguration.problems($0) })
}

extension ModelFactory {
    /// AR-Net: the standalone network, or lag-window tokens on the decoder (draws: decoder →
    /// lag embedding → head).
    static func makeARNet(_ config: ModelConfiguration, seed: UInt64,
                                   storedBackbone: DecoderConfiguration?) throws -> any ForecastingModel {
        if config.backbone.kind == .none { return ARNetModel(configuration: config, seed: seed) }
        var rng = SeededGenerator(seed: seed)
        let p = config.arnet.lags
        let decoder = try makeBackbone(config, stored: storedBackbone, positions: config.contextLength - p + 1, using: &rng)
        let embedding = Linear(p, decoder.width, using: &rng)
        let head = Linear(decoder.width, config.horizonLength, using: &rng)
        let adapter = ARNetTokenAdapter(lagEmbedding: embedding, head: head, lags: p, regularizer: config.arnet.regularizer)
        return TokenForecaster(configuration: config, adapter: adapter, backbone: decoder)
    }
}
