// The `pretraining:` section: how `tsfc train` pretrains a patch-quantile model on the corpus
// (`data.source: corpus`) — how many steps, which context lengths, how many validation windows.

/// Settings of pretraining on the corpus (read when `data.source` is `corpus`).
public struct PretrainingConfiguration: Codable, Equatable, Sendable {
    /// Optimiser steps (each of `training.batch_size` windows, every window drawn once).
    public var steps: Int = 6000
    /// Windows of the corpus' validation slice scored at each validation point.
    public var validationWindows: Int = 512
    /// Most points of context in a typical batch; each batch draws its context length
    /// log-uniformly between one patch and this.
    public var trainingContext: Int = 512
    /// The fraction of batches whose context is drawn uniformly between `training_context` and
    /// the model's `max_context`, so long histories are seen too.
    public var longContextFraction: Double = 0.1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case steps, validationWindows = "validation_windows", trainingContext = "training_context"
        case longContextFraction = "long_context_fraction"
    }
}

/// Where `tsfc train` reads its series (`data.source`).
public enum DataSource: String, ConfigurationChoice {
    /// The file at `data.path`, split by `data.split`.
    case file
    /// The pretraining corpus of the `corpus:` section (patch-quantile models only).
    case corpus
}
