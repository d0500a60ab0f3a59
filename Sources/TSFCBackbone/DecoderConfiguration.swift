// DecoderConfiguration: the shape and components of a causal decoder, read from a Hugging Face
// `config.json` (GPT-2, LLaMA, Mistral, Qwen2) or written by hand for a from-scratch backbone.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TSFCNN

/// Everything needed to build a `CausalDecoder`.
///
/// Decodes from tsfc's own format (the keys below, with `family` present) or from a Hugging Face
/// `config.json` (recognised by `model_type`): GPT-2 keys `n_layer`, `n_embd`, `n_head`,
/// `n_inner`, `n_positions`, `layer_norm_epsilon`, `activation_function`; LLaMA-style keys
/// `num_hidden_layers`, `hidden_size`, `num_attention_heads`, `num_key_value_heads`, `head_dim`,
/// `intermediate_size`, `max_position_embeddings`, `rms_norm_eps`, `rope_theta` (or
/// `rope_parameters.rope_theta`), `attention_bias`, `mlp_bias`, `hidden_act`,
/// `tie_word_embeddings`. Encoding always writes tsfc's format.
public struct DecoderConfiguration: Codable, Equatable, Sendable {
    /// The checkpoint layout: decides how Hugging Face weight names map onto the model.
    public enum Family: String, Codable, Sendable {
        /// GPT-2 (Radford et al., 2019): fused `c_attn`, Conv1D weights stored `[in, out]`.
        case gpt2
        /// LLaMA (Touvron et al., 2023) and its relatives (Mistral, Qwen2).
        case llama
    }

    /// How token positions enter the model.
    public enum PositionEncoding: String, Codable, Sendable {
        /// A learned table `[maxPositions, D]` added to the input embeddings (GPT-2).
        case learned
        /// Rotary embeddings on queries and keys, rotate-half convention (LLaMA).
        case rotary
    }

    /// The normalisation used before each sub-layer and at the end.
    public enum Normalization: String, Codable, Sendable {
        /// LayerNorm with weight and bias (GPT-2).
        case layerNorm
        /// RMSNorm with a weight (LLaMA).
        case rmsNorm
    }

    /// The feed-forward block.
    public enum MLPKind: String, Codable, Sendable {
        /// up → activation → down (GPT-2).
        case plain
        /// down(activation(gate(x)) ∘ up(x)) (LLaMA's SwiGLU when the activation is SiLU).
        case gated
    }

    /// Version of this configuration format.
    public var version: Int = 1
    /// Checkpoint layout (which Hugging Face names the weights carry).
    public var family: Family
    /// Number of decoder blocks.
    public var layers: Int
    /// Model width D.
    public var width: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads (grouped-query attention when fewer than `heads`).
    public var kvHeads: Int
    /// Width of one head (usually `width / heads`).
    public var headDim: Int
    /// Hidden width of the MLP.
    public var mlpHidden: Int
    /// Vocabulary size V.
    public var vocab: Int
    /// Longest sequence (learned positions: the table size; rotary: informational).
    public var maxPositions: Int
    /// Epsilon of every normalisation.
    public var normEps: Float
    /// RoPE base θ (rotary only).
    public var ropeTheta: Float
    /// Bias on the query/key/value projections.
    public var attentionBias: Bool
    /// Bias on the attention output projection.
    public var attentionOutputBias: Bool
    /// Bias on the MLP projections.
    public var mlpBias: Bool
    /// Whether the language-model head reuses the token-embedding table.
    public var tiedEmbeddings: Bool
    /// Non-linearity of the MLP (GELU-tanh for GPT-2, SiLU for LLaMA).
    public var activation: Activation
    /// Learned position table or rotary embeddings.
    public var positionEncoding: PositionEncoding
    /// LayerNorm or RMSNorm, before each sub-layer and at the end.
    public var normalization: Normalization
    /// Plain or gated MLP.
    public var mlpKind: MLPKind
    /// Dropout on embeddings and on each residual branch while training (0 for pretrained models).
    public var dropout: Float

    /// Creates a configuration from every field.
    public init(
        family: Family, layers: Int, width: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil,
        mlpHidden: Int, vocab: Int, maxPositions: Int, normEps: Float = 1e-5, ropeTheta: Float = 10000,
        attentionBias: Bool, attentionOutputBias: Bool? = nil, mlpBias: Bool, tiedEmbeddings: Bool,
        activation: Activation, positionEncoding: PositionEncoding, normalization: Normalization,
        mlpKind: MLPKind, dropout: Float = 0
    ) {
        self.family = family
        self.layers = layers
        self.width = width
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        // A derived head width needs width to be a multiple of heads; 0 marks it invalid (see problems()).
        self.headDim = headDim ?? (heads > 0 && width % heads == 0 ? width / heads : 0)
        self.mlpHidden = mlpHidden
        self.vocab = vocab
        self.maxPositions = maxPositions
        self.normEps = normEps
        self.ropeTheta = ropeTheta
        self.attentionBias = attentionBias
        self.attentionOutputBias = attentionOutputBias ?? attentionBias
        self.mlpBias = mlpBias
        self.tiedEmbeddings = tiedEmbeddings
        self.activation = activation
        self.positionEncoding = positionEncoding
        self.normalization = normalization
        self.mlpKind = mlpKind
        self.dropout = dropout
    }

    /// A small decoder to train from scratch.
    ///
    /// `.gpt2` style: learned positions, LayerNorm, plain GELU-tanh MLP with biases.
    /// `.llama` style: rotary positions, RMSNorm, SiLU-gated MLP without biases.
    /// `normalization` and `mlpKind` override the style's choice.
    public static func scratch(
        style: Family = .gpt2, layers: Int, width: Int, heads: Int, kvHeads: Int? = nil,
        mlpHidden: Int? = nil, vocab: Int = 1, maxPositions: Int = 1024,
        normalization: Normalization? = nil, mlpKind: MLPKind? = nil, dropout: Float = 0
    ) -> DecoderConfiguration {
        let gpt = style == .gpt2
        return DecoderConfiguration(
            family: style, layers: layers, width: width, heads: heads, kvHeads: kvHeads,
            mlpHidden: mlpHidden ?? 4 * width, vocab: vocab, maxPositions: maxPositions,
            normEps: 1e-5, ropeTheta: 10000, attentionBias: gpt, mlpBias: gpt, tiedEmbeddings: true,
            activation: gpt ? .geluTanh : .silu, positionEncoding: gpt ? .learned : .rotary,
            normalization: normalization ?? (gpt ? .layerNorm : .rmsNorm),
            mlpKind: mlpKind ?? (gpt ? .plain : .gated), dropout: dropout)
    }

    /// Problems that make the configuration unbuildable, as sentences (empty when it is valid).
    public func problems() -> [String] {
        var out: [String] = []
        if layers < 0 { out.append("layers must be ≥ 0, got \(layers)") }
        if width <= 0 { out.append("width must be positive, got \(width)") }
        if heads <= 0 { out.append("heads must be positive, got \(heads)") }
        if kvHeads <= 0 || (heads > 0 && heads % kvHeads != 0) {
            out.append("kvHeads (\(kvHeads)) must be positive and divide heads (\(heads))")
        }
        if headDim <= 0 {
            out.append("headDim must be positive, got \(headDim) (without an explicit headDim, width \(width) must be a multiple of heads \(heads))")
        }
        if positionEncoding == .rotary && headDim % 2 != 0 {
            out.append("rotary positions need an even headDim, got \(headDim)")
        }
        if mlpHidden <= 0 { out.append("mlpHidden must be positive, got \(mlpHidden)") }
        if vocab <= 0 { out.append("vocab must be positive, got \(vocab)") }
        if maxPositions <= 0 { out.append("maxPositions must be positive, got \(maxPositions)") }
        if !(normEps > 0) { out.append("normEps must be positive, got \(normEps)") }
        if positionEncoding == .rotary && !(ropeTheta > 0) { out.append("ropeTheta must be positive, got \(ropeTheta)") }
        if !(dropout >= 0 && dropout < 1) { out.append("dropout must be in [0, 1), got \(dropout)") }
        return out
    }

    /// Reads a Hugging Face `config.json` (or a tsfc configuration) from a file.
    /// - Throws: `BackboneError.unreadableFile` or `.invalidConfiguration` naming the file.
    public static func load(contentsOf url: URL) throws -> DecoderConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BackboneError.unreadableFile(file: url.path, reason: "\(error)")
        }
        let config: DecoderConfiguration
        do {
            config = try JSONDecoder().decode(DecoderConfiguration.self, from: data)
        } catch let error as BackboneError {
            throw error.withFile(url.path)
        } catch let DecodingError.keyNotFound(key, context) {
            throw BackboneError.invalidConfiguration(
                file: url.path, detail: "missing key '\(codingPath(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw BackboneError.invalidConfiguration(
                file: url.path, detail: "at '\(codingPath(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw BackboneError.invalidConfiguration(file: url.path, detail: "\(error)")
        }
        let problems = config.problems()
        if !problems.isEmpty {
            throw BackboneError.invalidConfiguration(file: url.path, detail: problems.joined(separator: "; "))
        }
        return config
    }

    // MARK: Codable

    enum CodingKeys: String, CodingKey {
        case version, family, layers, width, heads, kvHeads, headDim, mlpHidden, vocab, maxPositions
        case normEps, ropeTheta, attentionBias, attentionOutputBias, mlpBias, tiedEmbeddings
        case activation, positionEncoding, normalization, mlpKind, dropout
    }

    public init(from decoder: Decoder) throws {
        let hf = try decoder.container(keyedBy: AnyKey.self)
        if !hf.contains(AnyKey("family")), hf.contains(AnyKey("model_type")) {
            self = try DecoderConfiguration(huggingFace: hf)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let family = try c.decode(Family.self, forKey: .family)
        let gpt = family == .gpt2
        let heads = try c.decode(Int.self, forKey: .heads)
        let width = try c.decode(Int.self, forKey: .width)
        let attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? gpt
        self.init(
            family: family,
            layers: try c.decode(Int.self, forKey: .layers), width: width, heads: heads,
            kvHeads: try c.decodeIfPresent(Int.self, forKey: .kvHeads),
            headDim: try c.decodeIfPresent(Int.self, forKey: .headDim),
            mlpHidden: try c.decodeIfPresent(Int.self, forKey: .mlpHidden) ?? 4 * width,
            vocab: try c.decodeIfPresent(Int.self, forKey: .vocab) ?? 1,
            maxPositions: try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? 1024,
            normEps: try c.decodeIfPresent(Float.self, forKey: .normEps) ?? 1e-5,
            ropeTheta: try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? 10000,
            attentionBias: attentionBias,
            attentionOutputBias: try c.decodeIfPresent(Bool.self, forKey: .attentionOutputBias),
            mlpBias: try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? gpt,
            tiedEmbeddings: try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? true,
            activation: try c.decodeIfPresent(Activation.self, forKey: .activation) ?? (gpt ? .geluTanh : .silu),
            positionEncoding: try c.decodeIfPresent(PositionEncoding.self, forKey: .positionEncoding)
                ?? (gpt ? .learned : .rotary),
            normalization: try c.decodeIfPresent(Normalization.self, forKey: .normalization)
                ?? (gpt ? .layerNorm : .rmsNorm),
            mlpKind: try c.decodeIfPresent(MLPKind.self, forKey: .mlpKind) ?? (gpt ? .plain : .gated),
            dropout: try c.decodeIfPresent(Float.self, forKey: .dropout) ?? 0)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(family, forKey: .family)
        try c.encode(layers, forKey: .layers)
        try c.encode(width, forKey: .width)
        try c.encode(heads, forKey: .heads)
        try c.encode(kvHeads, forKey: .kvHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(mlpHidden, forKey: .mlpHidden)
        try c.encode(vocab, forKey: .vocab)
        try c.encode(maxPositions, forKey: .maxPositions)
        try c.encode(normEps, forKey: .normEps)
        try c.encode(ropeTheta, forKey: .ropeTheta)
        try c.encode(attentionBias, forKey: .attentionBias)
        try c.encode(attentionOutputBias, forKey: .attentionOutputBias)
        try c.encode(mlpBias, forKey: .mlpBias)
        try c.encode(tiedEmbeddings, forKey: .tiedEmbeddings)
        try c.encode(activation, forKey: .activation)
        try c.encode(positionEncoding, forKey: .positionEncoding)
        try c.encode(normalization, forKey: .normalization)
        try c.encode(mlpKind, forKey: .mlpKind)
        try c.encode(dropout, forKey: .dropout)
    }
}

// MARK: Hugging Face config.json

/// A coding key for arbitrary JSON object keys.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private func codingPath(_ path: [CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

extension KeyedDecodingContainer where K == AnyKey {
    /// The value at `key`, treating JSON null as absent.
    func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        let k = AnyKey(key)
        guard contains(k), try !decodeNil(forKey: k) else { return nil }
        return try decode(T.self, forKey: k)
    }

    func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        guard let v = try optional(T.self, key) else {
            throw BackboneError.invalidConfiguration(file: "", detail: "missing key '\(key)'")
        }
        return v
    }
}

extension DecoderConfiguration {
    /// Maps a Hugging Face activation name to tsfc's.
    static func activation(huggingFace name: String) -> Activation? {
        switch name {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_tanh": return .geluTanh
        case "gelu": return .gelu
        case "relu": return .relu
        case "silu", "swish": return .silu
        case "tanh": return .tanh
        case "sigmoid": return .sigmoid
        default: return nil
        }
    }

    init(huggingFace c: KeyedDecodingContainer<AnyKey>) throws {
        let modelType = try c.required(String.self, "model_type")
        func unsupported(_ what: String) -> BackboneError {
            BackboneError.unsupportedConfiguration(file: "", detail: what)
        }
        switch modelType {
        case "gpt2":
            let width = try c.required(Int.self, "n_embd")
            let name = try c.optional(String.self, "activation_function") ?? "gelu_new"
            guard let act = Self.activation(huggingFace: name) else {
                throw unsupported("activation_function '\(name)'")
            }
            if try c.optional(Bool.self, "scale_attn_by_inverse_layer_idx") == true {
                throw unsupported("scale_attn_by_inverse_layer_idx = true")
            }
            if try c.optional(Bool.self, "scale_attn_weights") == false {
                throw unsupported("scale_attn_weights = false")
            }
            self.init(
                family: .gpt2, layers: try c.required(Int.self, "n_layer"), width: width,
                heads: try c.required(Int.self, "n_head"),
                mlpHidden: try c.optional(Int.self, "n_inner") ?? 4 * width,
                vocab: try c.required(Int.self, "vocab_size"),
                maxPositions: try c.optional(Int.self, "n_positions") ?? 1024,
                normEps: try c.optional(Float.self, "layer_norm_epsilon") ?? 1e-5,
                attentionBias: true, mlpBias: true,
                tiedEmbeddings: try c.optional(Bool.self, "tie_word_embeddings") ?? true,
                activation: act, positionEncoding: .learned, normalization: .layerNorm, mlpKind: .plain)
        case "llama", "mistral", "qwen2":
            let width = try c.required(Int.self, "hidden_size")
            let heads = try c.required(Int.self, "num_attention_heads")
            let name = try c.optional(String.self, "hidden_act") ?? "silu"
            guard let act = Self.activation(huggingFace: name) else { throw unsupported("hidden_act '\(name)'") }
            // RoPE: transformers ≥ 5 keeps it under rope_parameters, older files at the top level.
            var theta = try c.optional(Float.self, "rope_theta")
            var ropeType: String?
            if c.contains(AnyKey("rope_parameters")), try !c.decodeNil(forKey: AnyKey("rope_parameters")) {
                let rp = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("rope_parameters"))
                theta = try rp.optional(Float.self, "rope_theta") ?? theta
                ropeType = try rp.optional(String.self, "rope_type") ?? rp.optional(String.self, "type")
            }
            if c.contains(AnyKey("rope_scaling")), try !c.decodeNil(forKey: AnyKey("rope_scaling")) {
                let rs = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("rope_scaling"))
                ropeType = try rs.optional(String.self, "rope_type") ?? rs.optional(String.self, "type") ?? ropeType
            }
            if let ropeType, ropeType != "default" {
                throw unsupported("RoPE scaling '\(ropeType)' (only the default rotary embedding is implemented)")
            }
            // Qwen2 always has q/k/v biases and no output bias; LLaMA's attention_bias covers all four.
            let isQwen = modelType == "qwen2"
            let attentionBias = try isQwen ? true : (c.optional(Bool.self, "attention_bias") ?? false)
            let outputBias = try isQwen ? false : (c.optional(Bool.self, "attention_bias") ?? false)
            self.init(
                family: .llama, layers: try c.required(Int.self, "num_hidden_layers"), width: width,
                heads: heads, kvHeads: try c.optional(Int.self, "num_key_value_heads"),
                headDim: try c.optional(Int.self, "head_dim"),
                mlpHidden: try c.required(Int.self, "intermediate_size"),
                vocab: try c.required(Int.self, "vocab_size"),
                maxPositions: try c.optional(Int.self, "max_position_embeddings") ?? 2048,
                normEps: try c.optional(Float.self, "rms_norm_eps") ?? 1e-6,
                ropeTheta: theta ?? 10000,
                attentionBias: attentionBias, attentionOutputBias: outputBias,
                mlpBias: try c.optional(Bool.self, "mlp_bias") ?? false,
                tiedEmbeddings: try c.optional(Bool.self, "tie_word_embeddings") ?? false,
                activation: act, positionEncoding: .rotary, normalization: .rmsNorm, mlpKind: .gated)
        default:
            throw unsupported("model_type '\(modelType)' (supported: gpt2, llama, mistral, qwen2)")
        }
    }
}
