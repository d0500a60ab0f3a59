// ModelFactory: builds a Forecaster (adapter + backbone) from its configuration.
import Foundation
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// Errors building a model.
public struct ModelBuildError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Builds forecasters from configurations.
public enum ModelFactory {
    /// Extra learned positions a from-scratch decoder gets beyond its context, so the KV-cached
    /// rollout can grow the context to 720 points at S = 96 (they are trained only by rollout use).
    public static let rolloutPositions = 16

    /// The decoder a configuration asks for: a from-scratch one with `positions` learned positions
    /// (default: the AutoTimes context plus `rolloutPositions`), or the architecture stored with a
    /// bundle (`stored`) or read from a pretrained directory.
    public static func makeBackbone(_ config: ModelConfiguration, stored: DecoderConfiguration? = nil,
                                    positions: Int? = nil,
                                    using rng: inout SeededGenerator) throws -> Module & SequenceBackbone {
        let b = config.backbone
        switch b.kind {
        case .none:
            return IdentityBackbone(width: b.width)
        case .scratch:
            let dc = stored ?? DecoderConfiguration.scratch(
                style: .gpt2, layers: b.layers, width: b.width, heads: b.heads,
                mlpHidden: b.mlpHidden > 0 ? b.mlpHidden : nil,
                maxPositions: positions ?? (config.contextSegments + rolloutPositions), dropout: b.dropout)
            return try CausalDecoder(configuration: dc, using: &rng)
        case .pretrained:
            let decoder: CausalDecoder
            if let stored {
                decoder = try CausalDecoder(configuration: stored, using: &rng)
            } else {
                do {
                    decoder = try CausalDecoder(contentsOf: URL(fileURLWithPath: b.path))
                } catch {
                    throw ModelBuildError(message: "model.backbone.path '\(b.path)': \(error)")
                }
            }
            decoder.freeze()
            if b.loraRank > 0 { decoder.applyLoRA(rank: b.loraRank, alpha: b.loraAlpha, using: &rng) }
            return decoder
        }
    }

    /// A freshly initialised model for `config.adapter` (pretrained backbone weights loaded,
    /// everything else seeded). `storedBackbone` is the decoder architecture saved in a bundle;
    /// `calendarFeatures` the number of calendar features per token with `timestamps: calendar`.
    public static func makeModel(_ config: ModelConfiguration, seed: UInt64,
                                 storedBackbone: DecoderConfiguration? = nil,
                                 calendarFeatures: Int = 0) throws -> any ForecastingModel {
        guard let family = ModelRegistry.family(config.adapter) else {
            throw ModelBuildError(message: "no model family is registered for model.adapter '\(config.adapter)'")
        }
        return try family.build(config, ModelBuildContext(seed: seed, storedBackbone: storedBackbone,
                                                          calendarFeatures: calendarFeatures))
    }

    /// A freshly initialised AutoTimes forecaster (pretrained backbone weights loaded, everything else seeded).
    /// `calendarFeatures` is the number of calendar features per token with `timestamps: calendar`.
    public static func makeForecaster(_ config: ModelConfiguration, seed: UInt64,
                                      storedBackbone: DecoderConfiguration? = nil,
                                      calendarFeatures: Int = 0) throws -> Forecaster {
        var rng = SeededGenerator(seed: seed)
        let backbone = try makeBackbone(config, stored: storedBackbone, using: &rng)
        if config.timestamps == .text && !(backbone is CausalDecoder && config.backbone.kind == .pretrained) {
            throw ModelBuildError(message: "model.timestamps: text needs model.backbone.kind: pretrained")
        }
        if config.timestamps == .calendar && calendarFeatures <= 0 {
            throw ModelBuildError(message: "model.timestamps is calendar but no calendar features were given (does the data have timestamps?)")
        }
        let adapter = AutoTimesAdapter(segmentLength: config.segmentLength, width: backbone.width,
                                       hidden: config.embeddingHidden, activation: config.embeddingActivation,
                                       dropout: config.embeddingDropout,
                                       calendarFeatures: config.timestamps == .calendar ? calendarFeatures : 0,
                                       textPositions: config.timestamps == .text, using: &rng)
        return Forecaster(configuration: config, adapter: adapter, backbone: backbone)
    }
}
