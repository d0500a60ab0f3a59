// SpaceTime's registration: standalone (`backbone.kind: none`) or on the shared decoder.
import TSFCBackbone
import TSFCNN
import TSFCTensor

extension ModelFactory {
    /// SpaceTime for `config`: the closed-loop model, or its encoder feeding the decoder. The
    /// random draws follow the order network → decoder → token projection → head.
    static func makeSpaceTime(_ config: ModelConfiguration, seed: UInt64,
                              storedBackbone: DecoderConfiguration?) throws -> any ForecastingModel {
        if config.backbone.kind == .none { return SpaceTimeModel(configuration: config, seed: seed) }
        var rng = SeededGenerator(seed: seed)
        let network = SpaceTimeNetwork(architecture: config.spacetime.architecture, withDecoder: false, using: &rng)
        let decoder = try makeBackbone(config, stored: storedBackbone,
                                       positions: config.contextLength / config.segmentLength, using: &rng)
        let projection = Linear(config.spacetime.architecture.channels, decoder.width, using: &rng)
        let head = Linear(decoder.width, config.segmentLength, using: &rng)
        let adapter = SpaceTimeTokenAdapter(network: network, tokenProjection: projection, segmentHead: head,
                                            segmentLength: config.segmentLength)
        return TokenForecaster(configuration: config, adapter: adapter, backbone: decoder)
    }
}

extension ModelFamily {
    /// SpaceTime: the closed-loop companion SSM, or its encoder feeding the shared decoder.
    public static let spaceTime = ModelFamily(kind: .spacetime, paper: "SpaceTime (Zhang et al., ICLR 2023)",
                                              build: { config, context in
        try ModelFactory.makeSpaceTime(config, seed: context.seed, storedBackbone: context.storedBackbone)
    }, problems: { SpaceTimeConfiguration.problems($0) })
}
