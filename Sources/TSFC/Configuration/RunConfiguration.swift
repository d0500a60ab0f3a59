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
    /// The pretraining corpus (`tsfc corpus`, pretraining runs); unused by other runs.
    public var corpus = CorpusSettings()

    /// The newest configuration version this build understands.
    public static let currentVersion = 1

    public init() {}
}

/// Where the series come from and how they are split.
public struct DataConfiguration: Codable, Equatable, Sendable {
    /// CSV or HDF5 file (`file.h5:/dataset`); relative paths resolve against the working directory.
    public var path: String = "Data/ETTh1.csv"
    /// Columns to model; empty means every numeric column.
    public var columns: [String] = []
    /// Timestamp column name; empty means detect (`date`, `ds`, `timestamp`, `time`, `year`, …).
    public var timestampColumn: String = ""
    /// How the time column is written: `detect`, or a format as `--date-format` takes it
    /// (`dmy` / `mdy` settle ambiguous day/month dates; epoch numbers only when named).
    public var dateFormat: DateFormatSetting = .detect
    /// `ett-hourly`, `ett-minute` (the papers' 12/4/4-month borders) or `ratios`.
    public var split: SplitKind = .ettHourly
    /// Train / validation / test fractions for `split: ratios`.
    public var ratios: [Double] = [0.7, 0.1, 0.2]
    /// Missing cells: `none` (refuse), `forward`, `interpolate`, `zero` or `drop`.
    public var fill: FillPolicy = .none
    /// Sort rows by time instead of refusing rows out of order.
    public var sort: Bool = false
    /// Repeated timestamps: `error`, or keep the `first` or `last` row of each.
    public var dedupe: DuplicatePolicy = .error

    public init() {}

    /// The fill, sort and dedupe settings together.
    public var rowPolicies: RowPolicies { RowPolicies(fill: fill, sort: sort, dedupe: dedupe) }

    enum CodingKeys: String, CodingKey {
        case path, columns, timestampColumn = "timestamp_column", dateFormat = "date_format", split, ratios, fill, sort, dedupe
    }
}

extension FillPolicy: ConfigurationChoice {}

extension DuplicatePolicy: ConfigurationChoice {}

/// `data.date_format`: detect how the time column is written, or read it in one format.
public enum DateFormatSetting: ConfigurationChoice, Equatable {
    case detect
    case format(TimestampFormat)

    public init?(rawValue: String) {
        if rawValue == "detect" { self = .detect } else if let f = TimestampFormat(rawValue: rawValue) { self = .format(f) } else { return nil }
    }

    public var rawValue: String {
        switch self {
        case .detect: return "detect"
        case .format(let f): return f.rawValue
        }
    }

    public static var allCases: [DateFormatSetting] { [.detect] + TimestampFormat.allCases.map { .format($0) } }

    /// The format to read with, or nil to detect it.
    public var timestampFormat: TimestampFormat? {
        if case .format(let f) = self { return f }
        return nil
    }
}

/// How a dataset is divided into train, validation and test rows.
public enum SplitKind: String, ConfigurationChoice {
    case ettHourly = "ett-hourly", ettMinute = "ett-minute", ratios
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
}

/// How forecasts are scored.
public struct EvaluationConfiguration: Codable, Equatable, Sendable {
    /// Horizons scored by `tsfc evaluate` (one-for-all rollout).
    public var horizons: [Int] = [96, 192, 336, 720]
    /// `renormalize` (AutoTimes: slide and re-normalise each step) or `cached` (keep the
    /// context's normalisation, reuse the KV cache).
    public var rollout: RolloutMode = .renormalize

    public init() {}
}
