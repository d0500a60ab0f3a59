// Closed-form "training": models fitted by least squares go through the same summary and
// validation scoring as gradient-trained ones.
import Foundation
import TSFCModels
import TSFCTensor

extension ClosedFormFitting {
    /// Fits, then scores the validation windows as `Trainer` does; a summary of the "run".
    func fitAndValidate(train: SegmentWindows, validation: SegmentWindows,
                        configuration: TrainingConfiguration) throws -> TrainingSummary {
        let length = contextLength + targetLength
        guard train.count > 0 else { throw TrainingError.noTrainingWindows(rows: train.range.count, needed: length) }
        guard validation.count > 0 else { throw TrainingError.noValidationWindows(rows: validation.range.count, needed: length) }
        let start = Date()
        try fitClosedForm(train: train, limit: configuration.maxTrainWindows)
        let indices = SegmentWindows.evenlySpaced(count: validation.count, limit: configuration.maxValidationWindows)
        let loss = try Trainer.validationLoss(self, validation, indices: indices, batchSize: Swift.max(configuration.batchSize, 256))
        eval()
        return TrainingSummary(steps: 0, bestValidationLoss: loss, stoppedEarly: false, interrupted: false,
                               seconds: Date().timeIntervalSince(start))
    }
}
