// The `model:` section of a run configuration: the family (`adapter`), segment geometry, the
// shared decoder and each family's own section. Every field has a default; keys are snake_case.

/// The forecasting model: adapter, segment geometry and backbone.
public struct ModelConfiguration: Codable, Equatable, Sendable {
    /// Which adapter embeds the series (`autotimes`, `time-llm`).
    public var adapter: String = "autotimes"
    /// Context points the model reads; 0 means `segment_length × context_segments` (AutoTimes).
    public var contextLengthPoints: Int = 0
    /// Points the model's head emits and trains on; 0 means one segment (`segment_length`).
    public var horizon: Int = 0
    /// Points per segment token (AutoTimes: 96).
    public var segmentLength: Int = 96
    /// Segments in the context window (AutoTimes: 7, i.e. a 672-point context).
    public var contextSegments: Int = 7
    /// Hidden width of the segment embedding and projection MLPs; 0 makes them single linear maps.
    public var embeddingHidden: Int = 256
    /// Activation inside the segment MLPs.
    public var embeddingActivation: String = "tanh"
    /// Dropout inside the segment MLPs.
    public var embeddingDropout: Float = 0.1
    /// Position information added to segment tokens: `none`, `calendar` (learned from calendar
    /// features) or `text` (AutoTimes' textual timestamps, needs a pretrained backbone + tokenizer).
    public var timestamps: String = "none"
    public var backbone = BackboneConfiguration()
    /// Time-LLM's settings (`model.adapter: time-llm`).
    public var timeLLM = TimeLLMConfiguration()
    /// SpaceTime's settings (`model.spacetime:`), read when `adapter` is spacetime.
    public var spacetime = SpaceTimeConfiguration()
    /// AR-Net's settings (`model.arnet:`), read by the `arnet` and `classic-ar` adapters.
    public var arnet = ARNetConfiguration()
    /// DLinear's settings (`model.dlinear:`), read by the `dlinear` adapter.
    public var dlinear = DLinearConfiguration()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case timeLLM = "time_llm"
        case spacetime
        case arnet
        case dlinear
        case adapter, contextLengthPoints = "context_length", horizon
        case segmentLength = "segment_length", contextSegments = "context_segments"
        case embeddingHidden = "embedding_hidden", embeddingActivation = "embedding_activation"
        case embeddingDropout = "embedding_dropout", timestamps, backbone
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ModelConfiguration()
        adapter = try c.value(.adapter, default: d.adapter)
        contextLengthPoints = try c.value(.contextLengthPoints, default: d.contextLengthPoints)
        horizon = try c.value(.horizon, default: d.horizon)
        segmentLength = try c.value(.segmentLength, default: d.segmentLength)
        contextSegments = try c.value(.contextSegments, default: d.contextSegments)
        embeddingHidden = try c.value(.embeddingHidden, default: d.embeddingHidden)
        embeddingActivation = try c.value(.embeddingActivation, default: d.embeddingActivation)
        embeddingDropout = try c.value(.embeddingDropout, default: d.embeddingDropout)
        timestamps = try c.value(.timestamps, default: d.timestamps)
        backbone = try c.value(.backbone, default: d.backbone)
        timeLLM = try c.value(.timeLLM, default: d.timeLLM)
        spacetime = try c.value(.spacetime, default: d.spacetime)
        arnet = try c.value(.arnet, default: d.arnet)
        dlinear = try c.value(.dlinear, default: d.dlinear)
    }

    /// Context length in points: `context_length`, or `segment_length × context_segments` when 0.
    public var contextLength: Int { contextLengthPoints > 0 ? contextLengthPoints : segmentLength * contextSegments }

    /// Points the model's head emits: `horizon`, or `segment_length` when 0.
    public var horizonLength: Int { horizon > 0 ? horizon : segmentLength }

    /// `model` with `timestamps: none`.
    public static func withoutTimestamps(_ model: ModelConfiguration) -> ModelConfiguration {
        var copy = model
        copy.timestamps = "none"
        return copy
    }
}

/// The shared causal decoder: trained from scratch, pretrained and frozen, or absent.
public struct BackboneConfiguration: Codable, Equatable, Sendable {
    /// `scratch` (a small trainable decoder), `pretrained` (load `path`, frozen) or `none`.
    public var kind: String = "scratch"
    /// Directory with `config.json` + safetensors weights, for `pretrained`.
    public var path: String = ""
    public var layers: Int = 3
    public var width: Int = 128
    public var heads: Int = 4
    /// MLP hidden width inside each block (0 = 4 × width).
    public var mlpHidden: Int = 0
    public var dropout: Float = 0.1
    /// LoRA rank on a pretrained backbone's projections (0 = off).
    public var loraRank: Int = 0
    public var loraAlpha: Float = 16

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kind, path, layers, width, heads, mlpHidden = "mlp_hidden", dropout
        case loraRank = "lora_rank", loraAlpha = "lora_alpha"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BackboneConfiguration()
        kind = try c.value(.kind, default: d.kind)
        path = try c.value(.path, default: d.path)
        layers = try c.value(.layers, default: d.layers)
        width = try c.value(.width, default: d.width)
        heads = try c.value(.heads, default: d.heads)
        mlpHidden = try c.value(.mlpHidden, default: d.mlpHidden)
        dropout = try c.value(.dropout, default: d.dropout)
        loraRank = try c.value(.loraRank, default: d.loraRank)
        loraAlpha = try c.value(.loraAlpha, default: d.loraAlpha)
    }
}

/// How a forecast longer than one segment is rolled out.
public enum RolloutMode: String, Codable, Sendable, CaseIterable {
    /// Slide the context by one segment and re-normalise each step (the AutoTimes paper).
    case renormalize
    /// Keep the first context's normalisation and extend a KV cache (faster; slightly worse).
    case cached
}
