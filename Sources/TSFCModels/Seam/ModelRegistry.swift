// ModelRegistry: every model family tsfc can build, one line each. A family is one folder under
// Sources/TSFCModels/<Paper>/ holding its configuration section, layers, model and a
// `ModelFamily` value; adding a family is that folder plus its line here (and its `model.adapter`
// value). Families depend on the seam, never on each other.
import TSFCBackbone

/// What a family needs to build a model besides its configuration.
public struct ModelBuildContext: Sendable {
    /// Seed of every random draw (initialisation, dropout masks).
    public var seed: UInt64
    /// The decoder architecture stored in a bundle (rebuild it without the original files).
    public var storedBackbone: DecoderConfiguration?
    /// Calendar features per token, with `model.timestamps: calendar`.
    public var calendarFeatures: Int

    public init(seed: UInt64, storedBackbone: DecoderConfiguration? = nil, calendarFeatures: Int = 0) {
        self.seed = seed
        self.storedBackbone = storedBackbone
        self.calendarFeatures = calendarFeatures
    }
}

/// One model family: its `model.adapter` value, the paper it implements, how to build it and how
/// to check its configuration.
public struct ModelFamily: Sendable {
    /// The `model.adapter` value that selects the family.
    public let kind: ModelKind
    /// The paper (or method) the family implements.
    public let paper: String
    /// A freshly initialised model (pretrained weights loaded where the configuration names them).
    public let build: @Sendable (ModelConfiguration, ModelBuildContext) throws -> any ForecastingModel
    /// Problems of a configuration for this family, as `(key, message)` pairs (empty: valid).
    public let problems: @Sendable (ModelConfiguration) -> [(String, String)]

    public init(kind: ModelKind, paper: String,
                build: @escaping @Sendable (ModelConfiguration, ModelBuildContext) throws -> any ForecastingModel,
                problems: @escaping @Sendable (ModelConfiguration) -> [(String, String)] = { _ in [] }) {
        self.kind = kind
        self.paper = paper
        self.build = build
        self.problems = problems
    }
}

/// The families, in the order `tsfc` lists them.
public enum ModelRegistry {
    public static let families: [ModelFamily] = [
        .autoTimes,
        .timeLLM,
        .spaceTime,
        .arNet,
        .classicAR,
        .dLinear,
        .nLinear,
        .patchQuantile,
    ]

    /// The family selected by `kind` (`model.adapter`), if there is one.
    public static func family(_ kind: ModelKind) -> ModelFamily? { families.first { $0.kind == kind } }

    /// Every `model.adapter` value.
    public static var kinds: [ModelKind] { families.map(\.kind) }
}
