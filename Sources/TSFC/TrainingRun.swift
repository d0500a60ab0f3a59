// TrainingRun: the whole `tsfc train` job as a library call — load and split the data, fit the
// scaler on train rows, build the model, train with checkpoints, and describe the bundle.
import Foundation
import TSFCBackbone
import TSFCData
import TSFCDistributed
import TSFCTensor

/// A finished (or interrupted) training run.
public struct TrainingOutcome {
    public let forecaster: any ForecastingModel
    public let metadata: BundleMetadata
    public let summary: TrainingSummary
    /// The prepared file (nil for pretraining on the corpus).
    public let dataset: PreparedDataset?
}

/// Runs training jobs described by a `RunConfiguration`.
public enum TrainingRun {
    /// Trains a model on `configuration.data`'s train split, selecting on its validation split;
    /// data-parallel over `communicator`'s ranks (each rank reads the file; only the caller of
    /// rank 0 should write what it returns).
    public static func run(
        _ configuration: RunConfiguration, checkpointURL: URL? = nil, resume: Bool = false,
        communicator: Communicator = SingleProcessCommunicator(),
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> TrainingOutcome {
        let model = configuration.model
        let dataset = try PreparedDataset.load(configuration.data, lookback: model.contextLength)
        let calendar = try dataset.segmentMarks(for: model.timestamps == .calendar ? model : ModelConfiguration.withoutTimestamps(model))
        let forecaster = try ModelFactory.makeModel(model, seed: configuration.seed,
                                                    calendarFeatures: calendar?.featureCount ?? 0)
        let marks = model.timestamps == .text
            ? try dataset.segmentMarks(for: model, forecaster: forecaster as? Forecaster) : calendar
        let length = forecaster.contextLength + forecaster.targetLength
        let channels = dataset.frame.channelCount
        let train = SegmentWindows(values: dataset.standardized, channels: channels, range: dataset.split.train,
                                   length: length, marks: marks)
        let validation = SegmentWindows(values: dataset.standardized, channels: channels,
                                        range: dataset.split.validation, length: length, marks: marks)
        let trainer = Trainer(configuration: configuration.training, seed: configuration.seed, communicator: communicator)
        let summary = try trainer.fit(forecaster, train: train, validation: validation, closedForm: true,
                                      checkpointURL: checkpointURL, resume: resume, events: events)
        let metadata = BundleMetadata(
            configuration: configuration, columns: dataset.frame.columns, scaler: dataset.scaler,
            frequencySeconds: dataset.frame.frequency.map { Int($0.seconds) },
            trainingSteps: summary.steps, trainingSeconds: summary.seconds,
            bestValidationLoss: summary.bestValidationLoss,
            backbone: forecaster.decoderConfiguration, calendarFeatures: marks?.features)
        return TrainingOutcome(forecaster: forecaster, metadata: metadata, summary: summary, dataset: dataset)
    }
}

extension ModelBundle {
    /// Writes a trained forecaster.
    public static func write(_ forecaster: any ForecastingModel, metadata: BundleMetadata, to url: URL) throws {
        try write(parameters: forecaster.parameterDictionary(), metadata: metadata, to: url)
    }

    /// Loads a bundle into a ready-to-use forecaster (evaluation mode).
    public static func loadForecaster(contentsOf url: URL) throws -> (any ForecastingModel, BundleMetadata) {
        let (metadata, parameters) = try read(contentsOf: url)
        if let detector = metadata.detector { throw ModelBundleError.detectorBundle(path: url.path, scorer: detector.scorer) }
        let forecaster: any ForecastingModel
        do {
            forecaster = try ModelFactory.makeModel(metadata.configuration.model, seed: 0,
                                                         storedBackbone: metadata.backbone,
                                                         calendarFeatures: metadata.calendarFeatures?.count ?? 0)
            try forecaster.load(forecaster.migratingLegacyNames(parameters))
        } catch {
            throw ModelBundleError.invalid(path: url.path, reason: "its weights do not fit its configuration: \(error)")
        }
        forecaster.eval()
        return (forecaster, metadata)
    }
}
