// DetectorBundle: a trained anomaly detector in a `.tsfc` model bundle — the scorer's weights as
// tensors, and in the metadata the usual configuration, columns and scaler plus a `detector`
// block with the scorer kind, the channel aggregation and the calibrated threshold.
import Foundation
import TSFCData

/// What a bundle stores about a detector besides the forecaster fields.
public struct DetectorMetadata: Codable, Sendable, Equatable {
    /// `residual` or `reconstruction`.
    public var scorer: ScorerKind
    /// Channel aggregation of the scores.
    public var aggregation: ScoreAggregation
    /// The calibrated alarm threshold (on aggregated scores).
    public var threshold: Float
    /// The rule it was fitted with.
    public var thresholdRule: ThresholdConfiguration
    /// Calibration scores the threshold was fitted on.
    public var calibrationCount: Int

    public init(scorer: ScorerKind, aggregation: ScoreAggregation, threshold: Float, thresholdRule: ThresholdConfiguration,
                calibrationCount: Int) {
        self.scorer = scorer
        self.aggregation = aggregation
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.calibrationCount = calibrationCount
    }
}

extension ModelBundle {
    /// Writes a trained detector atomically.
    public static func write(_ detector: TrainedDetector, summary: TrainingSummary, to url: URL) throws {
        var metadata = BundleMetadata(
            configuration: detector.configuration, columns: detector.columns, mean: detector.scaler.mean,
            std: detector.scaler.std, frequencySeconds: nil, trainingSteps: summary.steps,
            trainingSeconds: summary.seconds, bestValidationLoss: summary.bestValidationLoss)
        let parameters: [String: Tensor]
        switch detector.scorer {
        case let s as ForecastResidualScorer:
            metadata.backbone = s.model.decoderConfiguration
            parameters = s.model.parameterDictionary()
        case let s as ReconstructionScorer:
            metadata.backbone = (s.model.backbone as? CausalDecoder)?.configuration
            parameters = s.model.parameterDictionary()
        default:
            throw DetectionError.invalid("cannot store a \(detector.scorer.kind) scorer in a bundle")
        }
        metadata.detector = DetectorMetadata(scorer: detector.scorer.kind, aggregation: detector.aggregation,
                                             threshold: detector.threshold, thresholdRule: detector.thresholdRule,
                                             calibrationCount: detector.calibrationCount)
        try write(parameters: parameters, metadata: metadata, to: url)
    }

    /// Loads a detector bundle (evaluation mode).
    public static func loadDetector(contentsOf url: URL) throws -> TrainedDetector {
        let (metadata, parameters) = try read(contentsOf: url)
        guard let info = metadata.detector else {
            throw ModelBundleError.invalid(path: url.path, reason: "it is a forecasting model, not an anomaly detector; train one with a config whose detection.scorer is residual or reconstruction (e.g. Configs/detect-smd.yaml), or omit --model to fit one on the input")
        }
        let scorer: any AnomalyDetector
        do {
            switch info.scorer {
            case .residual:
                let model = try ModelFactory.makeModel(metadata.configuration.model, seed: 0, storedBackbone: metadata.backbone)
                try model.load(parameters)
                scorer = ForecastResidualScorer(model: model)
            case .reconstruction:
                let model = try DetectorTraining.makeAutoencoder(metadata.configuration, channels: metadata.columns.count,
                                                                 storedBackbone: metadata.backbone)
                try model.load(parameters)
                scorer = ReconstructionScorer(model: model)
            case .none:
                throw DetectionError.invalid("its detector block names no scorer (none)")
            }
        } catch {
            throw ModelBundleError.invalid(path: url.path, reason: "its detector weights do not fit its configuration: \(error)")
        }
        guard info.threshold.isFinite else { throw ModelBundleError.invalid(path: url.path, reason: "the stored threshold is not finite") }
        return TrainedDetector(scorer: scorer, columns: metadata.columns,
                               scaler: StandardScaler(mean: metadata.mean, std: metadata.std), aggregation: info.aggregation,
                               threshold: info.threshold, thresholdRule: info.thresholdRule,
                               configuration: metadata.configuration, calibrationCount: info.calibrationCount)
    }
}
