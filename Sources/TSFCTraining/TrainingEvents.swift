// What a training run tells its caller while it runs (events, answered by a disposition) and
// when it ends (a summary). The CLI renders these; the library never prints.

/// What the trainer reports to its caller.
public enum TrainingEvent: Sendable {
    /// Training begins (or resumes at `startStep`).
    case started(totalSteps: Int, stepsPerEpoch: Int, trainWindows: Int, validationWindows: Int, startStep: Int)
    /// One optimisation step finished.
    case step(step: Int, epoch: Int, loss: Float, learningRate: Float)
    /// A validation pass finished.
    case validated(ValidationRecord)
}

/// One validation pass, as logged in the run folder's metrics file.
public struct ValidationRecord: Codable, Sendable, Equatable {
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double
    public let validationLoss: Double
    public let bestValidationLoss: Double
    public let improved: Bool
    public let learningRate: Float
    public let elapsedSeconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, step, trainLoss = "train_loss", validationLoss = "validation_loss"
        case bestValidationLoss = "best_validation_loss", improved, learningRate = "learning_rate"
        case elapsedSeconds = "elapsed_seconds"
    }
}

/// The caller's answer to an event.
public enum TrainingDisposition: Sendable { case proceed, stop }

/// The result of `Trainer.fit`.
public struct TrainingSummary: Sendable {
    /// Optimisation steps taken in all (0 for a closed-form fit).
    public let steps: Int
    /// The best validation loss seen (infinity when the task has no validation examples).
    public let bestValidationLoss: Double
    /// Whether `patience` validations without improvement ended the run.
    public let stoppedEarly: Bool
    /// Whether the caller stopped the run.
    public let interrupted: Bool
    /// Wall-clock seconds of this call (a resumed run counts only its own part).
    public let seconds: Double
    /// Wall-clock seconds this rank spent summing gradients over the ranks (0 on one process).
    public var communicationSeconds: Double = 0

    public init(steps: Int, bestValidationLoss: Double, stoppedEarly: Bool, interrupted: Bool, seconds: Double,
                communicationSeconds: Double = 0) {
        self.steps = steps; self.bestValidationLoss = bestValidationLoss; self.stoppedEarly = stoppedEarly
        self.interrupted = interrupted; self.seconds = seconds; self.communicationSeconds = communicationSeconds
    }
}
