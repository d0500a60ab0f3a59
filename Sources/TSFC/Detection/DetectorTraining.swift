// DetectorTraining: fits an anomaly detector on normal (training) rows. The rows are split in
// time: the leading part trains the scorer's model, the trailing `detection.calibration_fraction`
// validates it (early stopping) and calibrates the alarm threshold on its scores. The rows being
// judged later are never seen by the threshold.
import Foundation
import TSFCModels
import TSFCBackbone
import TSFCData
import TSFCTensor
import TSFCTraining

/// A trained detector with its training summary.
public struct DetectorTrainingOutcome {
    public let detector: TrainedDetector
    public let summary: TrainingSummary
    /// Rows that trained the model and rows that calibrated the threshold.
    public let fitRows: Range<Int>
    public let calibrationRows: Range<Int>
    /// The aggregated calibration scores the threshold was fitted on.
    public let calibrationScores: [Float]
    /// What the fit changed from the configuration, for the user (e.g. a threshold fallback).
    public var notes: [String] = []
}

/// Trains detectors from a `RunConfiguration` whose `detection.scorer` is not `none`.
public enum DetectorTraining {
    /// Calibration scores needed at the least.
    public static let minimumCalibrationRows = 20

    /// Trains on `rows` of `frame` (default: all rows). `configuration.data` is not read.
    public static func fit(
        _ configuration: RunConfiguration, frame: TimeSeriesFrame, rows: Range<Int>? = nil,
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> DetectorTrainingOutcome {
        let det = configuration.detection
        guard det.isEnabled else { throw DetectionError.invalid("detection.scorer is none: this is a forecasting configuration") }
        let all = rows ?? 0..<frame.rowCount
        let calibrationCount = Int((Double(all.count) * det.calibrationFraction).rounded())
        let fitRows = all.lowerBound..<(all.upperBound - calibrationCount)
        let calibrationRows = fitRows.upperBound..<all.upperBound
        let model = configuration.model
        let needFit = det.scorer == .residual ? model.contextLength + model.horizonLength : det.window
        let ruleMinimum = (try? ThresholdMethod(det.threshold, initialQuantile: det.threshold.method == .pot ? 0.9 : ThresholdMethod.defaultPOTInitialQuantile))?.minimumCalibrationCount ?? 0
        // POT falls back to the largest calibration score when a short training part leaves too few
        // scores for its tail fit (`ThresholdCalibration.thresholdOrMaximum`).
        let needCalibration = Swift.max(minimumCalibrationRows, det.threshold.method == .pot ? 0 : ruleMinimum,
                                        det.scorer == .residual ? model.horizonLength : 1)
        let advice = "give more training rows (--train FILE or a larger --train-fraction), or shorten the model's context / detection.window"
        if fitRows.count < needFit || calibrationRows.count < needCalibration {
            let needed = Swift.max(Int((Double(needFit) / (1 - det.calibrationFraction)).rounded(.up)),
                                   Int((Double(needCalibration) / det.calibrationFraction).rounded(.up)))
            throw DetectionError.tooShort(
                what: "the training part (\(frame.source))", rows: all.count, needed: needed,
                advice: "\(fitRows.count) rows train the model (it needs \(needFit)) and \(calibrationRows.count) calibrate the threshold (it needs \(needCalibration)); \(advice)")
        }
        if frame.values[(all.lowerBound * frame.channelCount)..<(all.upperBound * frame.channelCount)].contains(where: { !$0.isFinite }) {
            throw DetectionError.invalid("\(frame.source): the training rows contain missing or non-finite values; fill them first (see tsfc inspect)")
        }
        let channels = frame.channelCount
        let normalization = InputNormalization.fit(
            values: frame.values, channels: channels, rows: fitRows,
            mode: det.scorer.isClosedForm ? det.normalization : .global, rollingWindow: det.resolvedRollingWindow,
            // A residual's excursion is its score: clipping its inputs would cap exactly that.
            clip: det.scorer == .ridge ? .greatestFiniteMagnitude : InputNormalization.clip)
        let standardized = normalization.apply(Array(frame.values[..<(all.upperBound * channels)]), channels: channels)
        let started = Date()

        var scorer: any AnomalyDetector
        let summary: TrainingSummary
        // Calibration scores (the held-out rows, with the fit rows before them as context).
        func calibrationInput(_ scorer: any AnomalyDetector) -> ScoringInput {
            let context = Swift.min(scorer.contextRows, calibrationRows.lowerBound - all.lowerBound)
            let from = calibrationRows.lowerBound - context
            return ScoringInput(values: Array(standardized[(from * channels)..<(calibrationRows.upperBound * channels)]),
                                channels: channels, historyRows: context)
        }
        var calibrationChannelScores: AnomalyScores?
        switch det.scorer {
        case .residual:
            if model.timestamps != .none {
                throw DetectionError.invalid("detection needs model.timestamps: none (the detector scores rows without calendar marks)")
            }
            let forecaster = try ModelFactory.makeModel(model, seed: configuration.seed)
            let length = forecaster.contextLength + forecaster.targetLength
            let train = SegmentWindows(values: standardized, channels: channels, range: fitRows, length: length)
            let validation = SegmentWindows(values: standardized, channels: channels,
                                            range: (calibrationRows.lowerBound - forecaster.contextLength)..<calibrationRows.upperBound,
                                            length: length)
            let trainer = Trainer(configuration: configuration.training, seed: configuration.seed)
            summary = try trainer.fit(forecaster, train: train, validation: validation, events: events)
            scorer = ForecastResidualScorer(model: forecaster)
        case .reconstruction:
            let autoencoder = try makeAutoencoder(configuration, channels: channels)
            let task = AutoencoderTrainingTask(
                model: autoencoder, values: standardized, channels: channels, fitRows: fitRows,
                validationRows: (calibrationRows.lowerBound - (det.window - 1))..<calibrationRows.upperBound,
                centresWindows: det.centreWindows)
            var options = TrainerOptions(configuration.training)
            options.validationBatchSize = 256
            summary = try Trainer(options: options, seed: configuration.seed).fit(task, events: events)
            let raw = ReconstructionScorer(model: autoencoder, centresWindows: det.centreWindows)
            scorer = raw
            if det.standardiseChannels {
                // Each channel's errors in units of its mean error on the held-out rows; the
                // threshold sees each half of those rows scaled by the other half (out of fold).
                let rawCalibration = try raw.channelScores(calibrationInput(raw))
                scorer = raw.withChannelScale(ChannelScoreScale.fit(calibration: rawCalibration))
                calibrationChannelScores = ChannelScoreScale.crossFittedScores(calibration: rawCalibration)
            }
        case .knn, .lof, .ridge, .ensemble:
            (scorer, calibrationChannelScores) = try fitClosedForm(det, values: standardized, channels: channels, fitRows: fitRows,
                                                                   calibrationRows: calibrationRows, all: all)
            summary = TrainingSummary(steps: 0, bestValidationLoss: 0, stoppedEarly: false, interrupted: false,
                                      seconds: Date().timeIntervalSince(started))
        case .none:
            throw DetectionError.invalid("detection.scorer is none: this is a forecasting configuration")
        }
        if summary.interrupted {
            throw DetectionError.invalid("training was interrupted; no detector was written")
        }
        let input = calibrationInput(scorer)
        var calibration = try (calibrationChannelScores ?? scorer.channelScores(input)).aggregated(det.aggregation)
        if let knn = scorer as? KNNScorer {
            // kNN window scores are smooth over W rows, so the held-out rows hold few independent
            // tails; every fit window judged without its overlapping neighbours adds more.
            let warmUp = Swift.min(normalization.historyNeeded, fitRows.count)
            calibration += try knn.leaveOverlapOutScores(from: warmUp).aggregated(det.aggregation)
        }
        let (threshold, thresholdNote) = try ThresholdCalibration.thresholdOrMaximum(det.threshold, calibrationScores: calibration)
        let tailRows = Swift.min(all.count, scorer.contextRows + normalization.historyNeeded)
        let tail = Array(frame.values[((all.upperBound - tailRows) * channels)..<(all.upperBound * channels)])
        let stamps = frame.timestamps
        let end = stamps.map { $0[all.upperBound - 1] }
        let step: Int64? = stamps.flatMap { s in all.count >= 2 ? s[all.upperBound - 1] - s[all.upperBound - 2] : nil }
        let detector = TrainedDetector(scorer: scorer, columns: frame.columns, normalization: normalization,
                                       aggregation: det.aggregation, threshold: threshold, thresholdRule: det.threshold,
                                       configuration: configuration, calibrationCount: calibration.count,
                                       trainingTail: tail, trainingEnd: end, trainingStep: step)
        var outcome = DetectorTrainingOutcome(detector: detector, summary: summary, fitRows: fitRows,
                                       calibrationRows: calibrationRows, calibrationScores: calibration)
        outcome.notes = thresholdNote.map { [$0] } ?? []
        return outcome
    }

    /// Fits a kNN, LOF, ridge or ensemble scorer on the fit rows of standardised `values`; the
    /// ensemble's rank normalisers come from its members' scores on the calibration rows, and its
    /// threshold's calibration scores are those rows' out-of-fold ranks (nil for the others).
    static func fitClosedForm(_ det: DetectionConfiguration, values: [Float], channels: Int, fitRows: Range<Int>,
                              calibrationRows: Range<Int>, all: Range<Int>) throws -> (any AnomalyDetector, AnomalyScores?) {
        func knn() throws -> KNNScorer {
            try KNNScorer.fit(values: values, channels: channels, rows: fitRows, windowLength: det.window,
                              neighbours: det.resolvedNeighbours, maximumReference: det.referenceWindows, rowScore: det.rowScore)
        }
        func ridge() throws -> RidgeARScorer {
            try RidgeARScorer.fit(values: values, channels: channels, rows: fitRows,
                                  lags: Swift.max(1, Swift.min(det.lags, fitRows.count / 4)))
        }
        func lof() throws -> LOFScorer {
            try LOFScorer.fit(values: values, channels: channels, rows: fitRows, windowLength: det.window,
                              neighbours: det.neighbours > 0 ? det.neighbours : 20, maximumReference: det.referenceWindows)
                .withRowScore(det.rowScore)
        }
        switch det.scorer {
        case .knn: return (try knn(), nil)
        case .lof: return (try lof(), nil)
        case .ridge: return (try ridge(), nil)
        default:
            let members: [any AnomalyDetector] = [try knn(), try ridge(), try lof()]
            // Every member reads the same context (the largest), as it does inside the ensemble.
            let context = Swift.min(members.map(\.contextRows).max() ?? 0, calibrationRows.lowerBound - all.lowerBound)
            let from = calibrationRows.lowerBound - context
            let input = ScoringInput(values: Array(values[(from * channels)..<(calibrationRows.upperBound * channels)]),
                                     channels: channels, historyRows: context)
            let parts = try EnsembleScorer.memberScores(members, input)
            let normalizers = parts.map { RankNormalizer(calibration: $0) }
            return (EnsembleScorer(members: members, normalizers: normalizers), EnsembleScorer.crossFitted(parts, normalizers: normalizers))
        }
    }

    /// A freshly initialised reconstruction autoencoder for `channels` channels (seeded), or one
    /// rebuilt around a stored decoder architecture.
    public static func makeAutoencoder(_ configuration: RunConfiguration, channels: Int,
                                       storedBackbone: DecoderConfiguration? = nil) throws -> TriPLLMAutoencoder {
        let det = configuration.detection
        var rng = SeededGenerator(seed: configuration.seed)
        let patches = det.window / det.patchLength
        let backbone = try ModelFactory.makeBackbone(configuration.model, stored: storedBackbone, positions: patches, using: &rng)
        if let limit = backbone.maximumLength, limit < patches {
            throw DetectionError.invalid("the backbone accepts \(limit) positions but a window has \(patches) patches; lower detection.window or raise detection.patch_length")
        }
        return TriPLLMAutoencoder(windowLength: det.window, patchLength: det.patchLength, channels: channels,
                                  backbone: backbone, dropout: det.dropout, using: &rng)
    }
}
