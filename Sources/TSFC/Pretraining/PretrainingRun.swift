// PretrainingRun: `tsfc train` with `data.source: corpus` — build the corpus from the
// `corpus:` section, a patch-quantile model from `model:`, and pretrain it through the one
// `Trainer` with checkpoints and exact resume.
import Foundation
import TSFCCorpus
import TSFCDistributed
import TSFCModels
import TSFCTraining

/// Errors of a pretraining configuration.
public struct PretrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

public enum PretrainingRun {
    /// The folder real corpus paths are relative to: the `Data/` folder (one holding
    /// `corpus/`) of the nearest checkout above `configurationDirectory`, else above the working
    /// directory, else `./Data`.
    public static func dataRoot(near configurationDirectory: URL?) -> URL {
        let fm = FileManager.default
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        for start in [configurationDirectory, cwd].compactMap({ $0?.standardizedFileURL }) {
            var dir = start
            while true {
                let data = dir.appendingPathComponent("Data")
                if fm.fileExists(atPath: data.appendingPathComponent("corpus").path) { return data }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return cwd.appendingPathComponent("Data")
    }

    /// Pretrains the configured patch-quantile model on the corpus (data-parallel over
    /// `communicator`'s ranks: each draws its shard of every global batch).
    public static func run(
        _ configuration: RunConfiguration, dataRoot: URL, checkpointURL: URL? = nil, resume: Bool = false,
        communicator: Communicator = SingleProcessCommunicator(),
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> TrainingOutcome {
        guard configuration.model.adapter == .patchQuantile else {
            throw PretrainingError(description: "data.source: corpus pretrains model.adapter: patch-quantile, not '\(configuration.model.adapter.rawValue)'")
        }
        let corpus = try PretrainingCorpus(settings: configuration.corpus, dataRoot: dataRoot)
        let model = try PatchQuantileModel(configuration: configuration.model, seed: configuration.seed)
        let p = configuration.pretraining
        guard p.steps > 0, p.validationWindows >= 0 else {
            throw PretrainingError(description: "pretraining.steps must be positive and pretraining.validation_windows ≥ 0")
        }
        var options = TrainerOptions(configuration.training)
        options.epochs = 1
        options.maxTrainingExamples = 0
        options.order = .independentPermutations
        options.restoresBestWeights = false          // fresh windows every step: keep the last weights
        options.patience = .max
        let task = PretrainingTask(model: model, corpus: corpus, settings: p,
                                   examples: p.steps * configuration.training.batchSize, seed: configuration.seed)
        let summary = try Trainer(options: options, seed: configuration.seed, communicator: communicator)
            .fit(task, checkpointURL: checkpointURL, resume: resume, events: events)
        let metadata = BundleMetadata(
            configuration: configuration, columns: [], scaler: StandardScaler(mean: [], std: []),
            frequencySeconds: nil, trainingSteps: summary.steps, trainingSeconds: summary.seconds,
            bestValidationLoss: summary.bestValidationLoss, backbone: model.decoderConfiguration, calendarFeatures: nil)
        return TrainingOutcome(forecaster: model, metadata: metadata, summary: summary, dataset: nil)
    }
}
