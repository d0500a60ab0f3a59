// The `model:` section of a run configuration: the family (`adapter`), segment geometry, the
// shared decoder and each family's own section. Every field has a default; keys are snake_case.
import TSFCNN

/// The forecasting model: adapter, segment geometry and backbone.
public struct ModelConfiguration: Codable, Equatable, Sendable {
    /// The model family (`autotimes`, `time-llm`, `spacetime`, `arnet`, `classic-ar`).
    public var adapter: ModelKind = .autotimes
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
    public var embeddingActivation: Activation = .tanh
    /// Dropout inside the segment MLPs.
    public var embeddingDropout: Float = 0.1
    /// Position information added to segment tokens: `none`, `calendar` (learned from calendar
    /// features) or `text` (AutoTimes' textual timestamps, needs a pretrained backbone + tokenizer).
    public var timestamps: TimestampMode = .none
    public var backbone = BackboneConfiguration()
    /// Time-LLM's settings (`model.adapter: time-llm`).
    public var timeLLM = TimeLLMConfiguration()
    /// SpaceTime's settings (`model.spacetime:`), read when `adapter` is spacetime.
    public var spacetime = SpaceTimeConfiguration()
    /// AR-Net's settings (`model.arnet:`), read by the `arnet` and `classic-ar` adapters.
    public var arnet = ARNetConfiguration()
    /// DLinear's settings (`model.dlinear:`), read by the `dlinear` adapter.
    public var dlinear = DLinearConfiguration()
    /// The zero-shot patch quantile decoder's settings (`model.patch_quantile:`).
    public var patchQuantile = PatchQuantileConfiguration()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case timeLLM = "time_llm"
        case spacetime
        case arnet
        case dlinear
        case patchQuantile = "patch_quantile"
        case adapter, contextLengthPoints = "context_length", horizon
        case segmentLength = "segment_length", contextSegments = "context_segments"
        case embeddingHidden = "embedding_hidden", embeddingActivation = "embedding_activation"
        case embeddingDropout = "embedding_dropout", timestamps, backbone
    }

    /// Context length in points: `context_length`, or `segment_length × context_segments` when 0.
    public var contextLength: Int { contextLengthPoints > 0 ? contextLengthPoints : segmentLength * contextSegments }

    /// Points the model's head emits: `horizon`, or `segment_length` when 0.
    public var horizonLength: Int { horizon > 0 ? horizon : segmentLength }

    /// `model` with `timestamps: none`.
    public static func withoutTimestamps(_ model: ModelConfiguration) -> ModelConfiguration {
        var copy = model
        copy.timestamps = .none
        return copy
    }
}

/// The shared causal decoder: trained from scratch, pretrained and frozen, or absent.
public struct BackboneConfiguration: Codable, Equatable, Sendable {
    /// `scratch` (a small trainable decoder), `pretrained` (load `path`, frozen) or `none`.
    public var kind: BackboneKind = .scratch
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
}

/// Which shared decoder a model runs on (`model.backbone.kind`).
public enum BackboneKind: String, ConfigurationChoice {
    /// A small trainable decoder built from `layers`, `width` and `heads`.
    case scratch
    /// A decoder loaded from `path` and frozen (LoRA optional).
    case pretrained
    /// No decoder: the model is standalone (identity backbone).
    case none
}

/// Position information added to segment tokens (`model.timestamps`).
public enum TimestampMode: String, ConfigurationChoice {
    /// No position marks.
    case none
    /// Learned embeddings of calendar features of each segment's timestamps.
    case calendar
    /// AutoTimes' textual timestamps, embedded by a pretrained decoder and its tokenizer.
    case text

    public static func unknownValueMessage(_ value: String) -> String {
        "is '\(value)'; use none, calendar or text"
    }
}

/// How a forecast longer than one segment is rolled out.
public enum RolloutMode: String, ConfigurationChoice {
    /// Slide the context by one segment and re-normalise each step (the AutoTimes paper).
    case renormalize
    /// Keep the first context's normalisation and extend a KV cache (faster; slightly worse).
    case cached
}
