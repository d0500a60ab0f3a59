// ForecastingTask: a `ForecastingModel` on its training and validation windows as a
// `TrainingTask`, so every forecasting model trains through the one `Trainer` — by gradient
// descent on `trainingLoss`, or, when asked, in closed form if the model is `ClosedFormFitting`.
import Foundation
import TSFCNN
import TSFCTensor
import TSFCTraining

/// Trains a forecaster on univariate windows of `contextLength + targetLength` points.
public final class ForecastingTask: TrainingTask {
    public let model: any ForecastingModel
    public let train: SegmentWindows
    public let validation: SegmentWindows
    /// Whether a `ClosedFormFitting` model is fitted in closed form (as `tsfc train` does) rather
    /// than by gradient descent (as the residual anomaly detector trains every model).
    public let closedForm: Bool

    /// Throws `TrainingError.noTrainingWindows` / `.noValidationWindows` when a split holds no
    /// whole window.
    public init(model: any ForecastingModel, train: SegmentWindows, validation: SegmentWindows,
                closedForm: Bool = false) throws {
        let windowLength = model.contextLength + model.targetLength
        guard train.count > 0 else { throw TrainingError.noTrainingWindows(rows: train.range.count, needed: windowLength) }
        guard validation.count > 0 else {
            throw TrainingError.noValidationWindows(rows: validation.range.count, needed: windowLength)
        }
        self.model = model
        self.train = train
        self.validation = validation
        self.closedForm = closedForm
    }

    public var module: Module { model }
    public var trainingCount: Int { train.count }
    public var validationCount: Int { validation.count }

    /// The model's training objective on the windows `[B, L + S]` (and their marks `[B, N, F]`).
    public func trainingLoss(indices: [Int], progress: Float) throws -> Tensor {
        model.trainingLoss(windows: train.batch(indices), marks: try marks(train, indices), progress: progress)
    }

    /// The model's teacher-forced forecasting loss on the windows `[B, L + S]`.
    public func validationLoss(indices: [Int]) throws -> Float {
        model.loss(windows: validation.batch(indices), marks: try marks(validation, indices)).item
    }

    public func fitClosedForm(maxTrainingExamples: Int) throws -> Bool {
        guard closedForm, let fitting = model as? any ClosedFormFitting else { return false }
        try fitting.fitClosedForm(train: train, limit: maxTrainingExamples)
        return true
    }

    /// Marks `[B, N, F]` of the windows when the model reads them, else nil; throws when a text
    /// timestamp cannot be encoded.
    func marks(_ windows: SegmentWindows, _ indices: [Int]) throws -> Tensor? {
        model.usesMarks ? try windows.marks(indices, tokens: model.markTokens(horizon: model.targetLength)) : nil
    }
}

extension Trainer {
    /// Trains `model` on `train` windows (length L + S), validating on `validation`; on return
    /// the model holds the best-validation weights (see `fit(_:checkpointURL:resume:events:)`).
    /// With `closedForm`, a `ClosedFormFitting` model is fitted in closed form instead.
    public func fit(
        _ model: any ForecastingModel, train: SegmentWindows, validation: SegmentWindows,
        closedForm: Bool = false, checkpointURL: URL? = nil, resume: Bool = false,
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> TrainingSummary {
        try fit(ForecastingTask(model: model, train: train, validation: validation, closedForm: closedForm),
                checkpointURL: checkpointURL, resume: resume, events: events)
    }
}
