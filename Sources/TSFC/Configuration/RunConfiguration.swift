// The typed, versioned configuration of a training run (YAML in Configs/). Every field has a
// default; keys are snake_case in YAML.

/// The whole configuration of a run: data, model, training and evaluation.
public struct RunConfiguration: Codable, Equatable, Sendable {
    /// Format version of this configuration; files from a newer tsfc are refused.
    public var version: Int = RunConfiguration.currentVersion
    /// Seed for initialisation, dropout and batch shuffling.
    public var seed: UInt64 = 2021
    public var data = DataConfiguration()
    public var model = ModelConfiguration()
    public var training = TrainingConfiguration()
    public var evaluation = EvaluationConfiguration()
    /// Anomaly detection (`detection.scorer: none` for a forecasting run).
    public var detection = DetectionConfiguration()

    /// The newest configuration version this build understands.
    public static let currentVersion = 1

    public init() {}

    enum CodingKeys: String, CodingKey { case version, seed, data, model, training, evaluation, detection }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RunConfiguration()
        version = try c.value(.version, default: d.version)
        seed = try c.value(.seed, default: d.seed)
        data = try c.value(.data, default: d.data)
        model = try c.value(.model, default: d.model)
        training = try c.value(.training, default: d.training)
        evaluation = try c.value(.evaluation, default: d.evaluation)
        detection = try c.value(.detection, default: d.detection)
    }
}

/// Where the series come from and how they are split.
public struct DataConfiguration: Codable, Equatable, Sendable {
    /// CSV or HDF5 file (`file.h5:/dataset`); relative paths resolve against the working directory.
    public var path: String = "Data/ETTh1.csv"
    /// Columns to model; empty means every numeric column.
    public var columns: [String] = []
    /// Timestamp column name; empty means detect (`date`, `ds`, `timestamp`, `time`).
    public var timestampColumn: String = ""
    /// `ett-hourly`, `ett-minute` (the papers' 12/4/4-month borders) or `ratios`.
    public var split: SplitKind = .ettHourly
    /// Train / validation / test fractions for `split: ratios`.
    public var ratios: [Double] = [0.7, 0.1, 0.2]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case path, columns, timestampColumn = "timestamp_column", split, ratios
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DataConfiguration()
        path = try c.value(.path, default: d.path)
        columns = try c.value(.columns, default: d.columns)
        timestampColumn = try c.value(.timestampColumn, default: d.timestampColumn)
        split = try c.value(.split, default: d.split)
        ratios = try c.value(.ratios, default: d.ratios)
    }
}

/// How a dataset is divided into train, validation and test rows.
public enum SplitKind: String, Codable, Sendable, CaseIterable {
    case ettHourly = "ett-hourly", ettMinute = "ett-minute", ratios
}

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

    public init() {}

    enum CodingKeys: String, CodingKey {
        case timeLLM = "time_llm"
        case spacetime
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
    }

    /// Context length in points: `context_length`, or `segment_length × context_segments` when 0.
    public var contextLength: Int { contextLengthPoints > 0 ? contextLengthPoints : segmentLength * contextSegments }

    /// Points the model's head emits: `horizon`, or `segment_length` when 0.
    public var horizonLength: Int { horizon > 0 ? horizon : segmentLength }

    /// `model` with `timestamps: none`.
    static func withoutTimestamps(_ model: ModelConfiguration) -> ModelConfiguration {
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

/// Optimisation settings.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var epochs: Int = 10
    public var batchSize: Int = 256
    public var learningRate: Float = 5e-4
    public var minLearningRate: Float = 0
    public var weightDecay: Float = 0.1
    public var warmupSteps: Int = 100
    /// Stop after this many validations without improvement.
    public var patience: Int = 3
    /// Global gradient-norm clip (0 = off).
    public var clipNorm: Float = 1
    /// Validate every this many steps (0 = once per epoch).
    public var validateEvery: Int = 0
    /// Use at most this many training windows per epoch, drawn at random (0 = all).
    public var maxTrainWindows: Int = 0
    /// Use at most this many validation windows, evenly spaced (0 = all).
    public var maxValidationWindows: Int = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epochs, batchSize = "batch_size", learningRate = "learning_rate", minLearningRate = "min_learning_rate"
        case weightDecay = "weight_decay", warmupSteps = "warmup_steps", patience, clipNorm = "clip_norm"
        case validateEvery = "validate_every", maxTrainWindows = "max_train_windows"
        case maxValidationWindows = "max_validation_windows"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        epochs = try c.value(.epochs, default: d.epochs)
        batchSize = try c.value(.batchSize, default: d.batchSize)
        learningRate = try c.value(.learningRate, default: d.learningRate)
        minLearningRate = try c.value(.minLearningRate, default: d.minLearningRate)
        weightDecay = try c.value(.weightDecay, default: d.weightDecay)
        warmupSteps = try c.value(.warmupSteps, default: d.warmupSteps)
        patience = try c.value(.patience, default: d.patience)
        clipNorm = try c.value(.clipNorm, default: d.clipNorm)
        validateEvery = try c.value(.validateEvery, default: d.validateEvery)
        maxTrainWindows = try c.value(.maxTrainWindows, default: d.maxTrainWindows)
        maxValidationWindows = try c.value(.maxValidationWindows, default: d.maxValidationWindows)
    }
}

/// How forecasts are scored.
public struct EvaluationConfiguration: Codable, Equatable, Sendable {
    /// Horizons scored by `tsfc evaluate` (one-for-all rollout).
    public var horizons: [Int] = [96, 192, 336, 720]
    /// `renormalize` (AutoTimes: slide and re-normalise each step) or `cached` (keep the
    /// context's normalisation, reuse the KV cache).
    public var rollout: RolloutMode = .renormalize

    public init() {}

    enum CodingKeys: String, CodingKey { case horizons, rollout }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EvaluationConfiguration()
        horizons = try c.value(.horizons, default: d.horizons)
        rollout = try c.value(.rollout, default: d.rollout)
    }
}

/// How a forecast longer than one segment is rolled out.
public enum RolloutMode: String, Codable, Sendable, CaseIterable {
    /// Slide the context by one segment and re-normalise each step (the AutoTimes paper).
    case renormalize
    /// Keep the first context's normalisation and extend a KV cache (faster; slightly worse).
    case cached
}
