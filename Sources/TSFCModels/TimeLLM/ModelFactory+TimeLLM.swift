// Building a Time-LLM forecaster: a from-scratch decoder with a 256-token byte vocabulary (its
// token table is the prototypes' source and embeds the prompt bytes), or a pretrained, frozen
// decoder with the BPE tokenizer found beside its weights.
import Foundation
import TSFCBackbone
import TSFCNN
import TSFCTensor

extension ModelFactory {
    /// Token vocabulary of a from-scratch Time-LLM backbone: one token per byte.
    public static let timeLLMScratchVocabulary = 256

    /// A freshly initialised Time-LLM forecaster (pretrained backbone weights loaded and frozen,
    /// everything else seeded). `storedBackbone` is the decoder architecture saved in a bundle.
    public static func makeTimeLLM(_ config: ModelConfiguration, seed: UInt64,
                                   storedBackbone: DecoderConfiguration? = nil) throws -> TimeLLMForecaster {
        var rng = SeededGenerator(seed: seed)
        var settings = TimeLLMSettings(contextLength: config.contextLength, horizon: config.horizonLength, section: config.timeLLM)
        let b = config.backbone
        let decoder: CausalDecoder
        var tokenizer: (any PromptTokenizer)? = nil
        switch b.kind {
        case .scratch:
            let dc = storedBackbone ?? DecoderConfiguration.scratch(
                style: .gpt2, layers: b.layers, width: b.width, heads: b.heads,
                mlpHidden: b.mlpHidden > 0 ? b.mlpHidden : nil, vocab: timeLLMScratchVocabulary,
                maxPositions: settings.longestSequence, dropout: b.dropout)
            decoder = try CausalDecoder(configuration: dc, using: &rng)
            if settings.prompt != nil { tokenizer = ByteTokenizer() }
        case .pretrained:
            guard let loaded = try makeBackbone(config, stored: storedBackbone, using: &rng) as? CausalDecoder else {
                throw ModelBuildError(message: "model.backbone: Time-LLM needs a causal decoder")
            }
            decoder = loaded
            if settings.prompt != nil {
                let bpe: BPETokenizer
                do {
                    bpe = try TextTimestamps.loadTokenizer(directory: b.path)
                } catch {
                    throw ModelBuildError(message: "model.time_llm.prompt needs the backbone's tokenizer: \(error) (or set model.time_llm.prompt: false)")
                }
                guard bpe.vocabularySize <= decoder.configuration.vocab else {
                    throw ModelBuildError(message: "\(b.path): the tokenizer has \(bpe.vocabularySize) tokens but the decoder only \(decoder.configuration.vocab); they do not belong together")
                }
                tokenizer = bpe
            }
            if let limit = decoder.maximumLength {
                let room = limit - settings.patchCount
                if room < (settings.prompt == nil ? 0 : 1) {
                    throw ModelBuildError(message: "model.context_length: \(settings.patchCount) patches exceed the backbone's \(limit) positions")
                }
                settings.maxPromptTokens = Swift.min(settings.maxPromptTokens, Swift.max(room, 1))
            }
        case .none:
            throw ModelBuildError(message: "model.backbone.kind '\(b.kind)': Time-LLM needs a scratch or pretrained decoder (its token table)")
        }
        let model = TimeLLM(settings: settings, backbone: decoder, tokenizer: tokenizer, using: &rng)
        return TimeLLMForecaster(configuration: config, adapter: model, backbone: decoder)
    }
}
