// CausalDecoder: the shared decoder-only transformer backbone of tsfc.
//
// Follows GPT-2 (Radford et al., 2019, "Language Models are Unsupervised Multitask Learners":
// learned positions, pre-LN LayerNorm blocks, GELU-tanh MLP, tied LM head) and LLaMA (Touvron
// et al., 2023, "LLaMA: Open and Efficient Foundation Language Models": rotary positions,
// RMSNorm, SiLU-gated MLP; grouped-query attention as in LLaMA 2), matching Hugging Face
// transformers' GPT2Model and LlamaModel numerically (see the golden tests).
import TSFCNN
import TSFCTensor

/// A decoder-only transformer: embeddings `[B, N, D]` → hidden states after the final norm `[B, N, D]`.
///
/// ```swift
/// let decoder = try CausalDecoder(contentsOf: modelDirectory)   // frozen, eval mode
/// let hidden = decoder(embeddings: x)                            // [B, N, D]
/// let dx = decoder.inputGradient(embeddings: x, outputGradient: w)
/// ```
public final class CausalDecoder: Module {
    /// The architecture.
    public let configuration: DecoderConfiguration
    /// Token-embedding table `[V, D]`.
    public let tokenEmbedding: Embedding
    /// Learned position table `[maxPositions, D]` (nil with rotary positions).
    public let positionEmbedding: Embedding?
    /// The decoder blocks, input first.
    public let blocks: [DecoderBlock]
    /// The final LayerNorm / RMSNorm.
    public let finalNorm: any UnaryLayer
    /// Separate language-model head `[V, D]` (nil when tied to `tokenEmbedding`).
    public let lmHead: Linear?
    let embeddingDropout: Dropout

    /// A randomly initialised, trainable decoder (GPT-2's scheme: N(0, 0.02) weights and
    /// embeddings, N(0, 0.02/√(2·layers)) for the projections that feed the residual stream, zero
    /// biases, unit norms).
    /// - Throws: `BackboneError.invalidConfiguration` when `configuration.problems()` is not empty.
    public convenience init(configuration: DecoderConfiguration, using rng: inout SeededGenerator) throws {
        let problems = configuration.problems()
        guard problems.isEmpty else {
            throw BackboneError.invalidConfiguration(file: "(decoder configuration)", detail: problems.joined(separator: "; "))
        }
        let residualStd = 0.02 / Float(2 * Swift.max(configuration.layers, 1)).squareRoot()
        let seeds = (0...configuration.layers).map { _ in rng.next() }
        var weightRNG = SeededGenerator(seed: rng.next())
        let factory = WeightFactory { shape, kind in
            Tensor.randomNormal(shape, standardDeviation: kind == .residualProjection ? residualStd : 0.02, using: &weightRNG)
        }
        self.init(configuration, factory: factory, dropoutSeeds: seeds)
    }

    /// Builds the module tree; weights come from `factory`.
    init(_ config: DecoderConfiguration, factory: WeightFactory, dropoutSeeds: [UInt64]) {
        configuration = config
        tokenEmbedding = Embedding(weight: factory.make([config.vocab, config.width], .embedding))
        positionEmbedding = config.positionEncoding == .learned
            ? Embedding(weight: factory.make([config.maxPositions, config.width], .embedding)) : nil
        blocks = (0..<config.layers).map { DecoderBlock(config, factory: factory, seed: dropoutSeeds[$0 + 1]) }
        finalNorm = makeNorm(config)
        lmHead = config.tiedEmbeddings ? nil : factory.linear(config.width, config.vocab, bias: false)
        embeddingDropout = Dropout(rate: config.dropout, seed: dropoutSeeds[0])
        super.init()
    }

    /// Model width D.
    public var width: Int { configuration.width }

    /// The token-embedding table `[V, D]` (Time-LLM's text prototypes are a linear map of it).
    public var tokenEmbeddings: Tensor { tokenEmbedding.weight.value }

    /// Checks that `length` positions starting at `positionOffset` fit the model (learned
    /// position tables are finite; rotary positions always fit).
    /// - Throws: `BackboneError.sequenceTooLong`.
    public func checkSequenceLength(_ length: Int, positionOffset: Int = 0) throws {
        if configuration.positionEncoding == .learned && positionOffset + length > configuration.maxPositions {
            throw BackboneError.sequenceTooLong(length: positionOffset + length, maxPositions: configuration.maxPositions)
        }
    }

    /// Hidden states after the final norm for input embeddings.
    ///
    /// - Parameters:
    ///   - embeddings: `[B, N, D]`; with learned positions the position embeddings are added here.
    ///   - cache: optional KV cache; the tokens' keys and values are appended to it and
    ///     attention covers everything cached before them (incremental decoding).
    ///   - positionOffset: position of the first token (default: the tokens already in `cache`,
    ///     or 0).
    ///   - attentionMask: optional additive mask broadcastable to `[B, heads, N, N]`, on top of
    ///     the causal one (e.g. `[B, 1, 1, N]` with a large negative value on padded keys, so left
    ///     padding never reaches a real token); not combined with `cache`.
    /// - Returns: `[B, N, D]`.
    /// - Precondition: `D` matches; with learned positions the sequence fits `maxPositions`
    ///   (validate user-controlled lengths with `checkSequenceLength`).
    public func callAsFunction(embeddings: Tensor, cache: KVCache? = nil, positionOffset: Int? = nil,
                               attentionMask: Tensor? = nil) -> Tensor {
        precondition(attentionMask == nil || cache == nil, "CausalDecoder: an attention mask cannot be combined with a KV cache")
        precondition(embeddings.rank == 3 && embeddings.shape[2] == width,
                     "CausalDecoder: embeddings must be [B, N, \(width)], got \(embeddings.shape)")
        let n = embeddings.shape[1]
        let offset = positionOffset ?? cache?.count ?? 0
        var h = embeddings                                                        // [B, N, D]
        if let positionEmbedding {
            precondition(offset >= 0 && offset + n <= configuration.maxPositions,
                         "CausalDecoder: positions \(offset)..<\(offset + n) exceed the \(configuration.maxPositions) learned positions")
            h = h + positionEmbedding.weight.value.slice(axis: 0, offset..<(offset + n))  // + [N, D]
        }
        h = embeddingDropout(h)
        let reserve = cache?.reservedCapacity ?? 0
        for (i, block) in blocks.enumerated() {
            h = block(h, positionOffset: offset, cache: cache?.layer(i), reserve: reserve, mask: attentionMask)
        }
        return finalNorm(h)
    }

    /// Token embeddings for ids laid out as `shape` (e.g. `[B, N]`) → `shape + [D]`.
    /// - Throws: `BackboneError.tokenOutOfRange` for an id outside the vocabulary.
    public func embed(tokenIDs: [Int], shape: [Int]) throws -> Tensor {
        precondition(shapeCount(shape) == tokenIDs.count, "CausalDecoder.embed: \(tokenIDs.count) ids for shape \(shape)")
        if let bad = tokenIDs.first(where: { $0 < 0 || $0 >= configuration.vocab }) {
            throw BackboneError.tokenOutOfRange(id: bad, vocab: configuration.vocab)
        }
        return tokenEmbedding(tokenIDs, shape: shape)
    }

    /// Hidden states for token ids `[B, N]` (token embeddings, then the decoder).
    /// - Throws: `BackboneError.tokenOutOfRange` or `.sequenceTooLong`.
    public func callAsFunction(tokenIDs: [Int], shape: [Int], cache: KVCache? = nil) throws -> Tensor {
        precondition(shape.count == 2, "CausalDecoder: token ids need shape [B, N], got \(shape)")
        let offset = cache?.count ?? 0
        try checkSequenceLength(shape[1], positionOffset: offset)
        return self(embeddings: try embed(tokenIDs: tokenIDs, shape: shape), cache: cache)
    }

    /// Language-model logits `[..., V]` for hidden states `[..., D]`, through the separate head
    /// or the tied token-embedding table.
    public func logits(hidden: Tensor) -> Tensor {
        if let lmHead { return lmHead(hidden) }
        return hidden.matmul(tokenEmbedding.weight.value, transposeB: true)     // [..., V]
    }

    /// d(Σ out ∘ outputGradient)/d(embeddings): the gradient an adapter receives through the
    /// decoder (no parameter gradients are computed or stored).
    /// - Parameters:
    ///   - embeddings: `[B, N, D]`.
    ///   - outputGradient: `[B, N, D]`, the gradient of the loss with respect to the output.
    /// - Returns: `[B, N, D]`.
    public func inputGradient(embeddings: Tensor, outputGradient: Tensor) -> Tensor {
        precondition(outputGradient.shape == embeddings.shape,
                     "CausalDecoder.inputGradient: output gradient \(outputGradient.shape) != embeddings \(embeddings.shape)")
        return withGradientTape { tape in
            let x = tape.watching(embeddings.detached)
            let out = self(embeddings: x)
            return tape.gradients(of: out, seed: outputGradient, withRespectTo: [x])[0]
        }
    }
}
