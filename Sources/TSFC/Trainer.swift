// Trainer: AdamW with linear warmup + cosine decay, gradient clipping, validation with early
// stopping and best-weights restore, atomic checkpoints and exact resume.
import Foundation
import TSFCNN
import TSFCOptim
import TSFCTensor

/// What the trainer reports to its caller (the CLI renders these; the library never prints).
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
    public let steps: Int
    public let bestValidationLoss: Double
    public let stoppedEarly: Bool
    public let interrupted: Bool
    public let seconds: Double
}

/// Errors raised while training.
public enum TrainingError: Error, CustomStringConvertible {
    case noTrainingWindows(rows: Int, needed: Int)
    case noValidationWindows(rows: Int, needed: Int)
    case nonFiniteLoss(step: Int)
    case checkpoint(String)

    public var description: String {
        switch self {
        case .noTrainingWindows(let r, let n):
            return "the training split has \(r) rows but one window needs \(n): use a longer series or a shorter context"
        case .noValidationWindows(let r, let n):
            return "the validation split has \(r) rows but one window needs \(n): use a longer series or other split ratios"
        case .nonFiniteLoss(let s):
            return "the training loss became NaN or infinite at step \(s): lower training.learning_rate or check the data"
        case .checkpoint(let m): return "checkpoint: \(m)"
        }
    }
}

/// Fits a `ForecastingModel` on its training windows (context + target points).
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let seed: UInt64

    public init(configuration: TrainingConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
    }

    /// Trains `model` on `train` windows (length L + S), validating on `validation`; on return
    /// the model holds the best-validation weights. With `checkpointURL`, the full training state
    /// is written there (atomically) after every validation, and `resume` continues from it.
    public func fit(
        _ model: any ForecastingModel, train: SegmentWindows, validation: SegmentWindows,
        checkpointURL: URL? = nil, resume: Bool = false,
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> TrainingSummary {
        let cfg = configuration
        let windowLength = model.contextLength + model.targetLength
        guard train.count > 0 else { throw TrainingError.noTrainingWindows(rows: train.range.count, needed: windowLength) }
        guard validation.count > 0 else {
            throw TrainingError.noValidationWindows(rows: validation.range.count, needed: windowLength)
        }
        let epochWindows = cfg.maxTrainWindows > 0 ? Swift.min(cfg.maxTrainWindows, train.count) : train.count
        let stepsPerEpoch = (epochWindows + cfg.batchSize - 1) / cfg.batchSize  // the last, partial batch is kept
        let totalSteps = stepsPerEpoch * cfg.epochs
        let validateEvery = cfg.validateEvery > 0 ? cfg.validateEvery : stepsPerEpoch
        let validationIndices = SegmentWindows.evenlySpaced(count: validation.count, limit: cfg.maxValidationWindows)
        let schedule = WarmupCosineSchedule(peak: cfg.learningRate, warmupSteps: Swift.min(cfg.warmupSteps, totalSteps),
                                            totalSteps: totalSteps, minimum: cfg.minLearningRate)
        let optimizer = AdamW(learningRate: cfg.learningRate, weightDecay: cfg.weightDecay)
        let named = model.namedParameters().filter { !$0.1.isFrozen }
        let parameters = named.map { $0.1 }
        let dropouts = model.modules().compactMap { $0 as? Dropout }

        var state = TrainerState(step: 0, bestLoss: .infinity, badValidations: 0, best: model.parameterDictionary())
        if resume, let url = checkpointURL {
            state = try TrainerState.load(from: url, into: model, optimizer: optimizer, named: named)
        }
        let start = Date()
        var interrupted = false, stoppedEarly = false
        var runningLoss: Double = 0, runningCount = 0
        if events(.started(totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch, trainWindows: epochWindows,
                           validationWindows: validationIndices.count, startStep: state.step)) == .stop {
            interrupted = true
        }
        var order: [Int] = []
        var orderEpoch = -1
        model.train()
        while !interrupted && !stoppedEarly && state.step < totalSteps {
            let step = state.step
            let epoch = step / stepsPerEpoch
            if orderEpoch != epoch {
                order = Trainer.epochOrder(count: train.count, take: epochWindows, seed: seed, epoch: epoch)
                orderEpoch = epoch
            }
            let offset = (step % stepsPerEpoch) * cfg.batchSize
            let batchIndices = Array(order[offset..<Swift.min(offset + cfg.batchSize, order.count)])
            let batch = train.batch(batchIndices)
            let batchMarks = model.usesMarks ? try train.marks(batchIndices, tokens: model.markTokens(horizon: model.targetLength)) : nil  // [B, N, F]
            for (i, d) in dropouts.enumerated() { d.reseed(seed ^ UInt64(step) &* 0x9E37_79B9 ^ UInt64(i) << 40) }
            let lr = schedule.learningRate(at: step)
            optimizer.learningRate = lr
            let progress = Float(step) / Float(Swift.max(totalSteps, 1))
            let loss = TSFCNN.valueAndGradient(for: parameters) {
                model.trainingLoss(windows: batch, marks: batchMarks, progress: progress)
            }.value.item
            guard loss.isFinite else { throw TrainingError.nonFiniteLoss(step: step) }
            if cfg.clipNorm > 0 { clipGradientNorm(parameters, maxNorm: cfg.clipNorm) }
            optimizer.step(parameters)
            state.step += 1
            runningLoss += Double(loss); runningCount += 1
            if events(.step(step: state.step, epoch: epoch, loss: loss, learningRate: lr)) == .stop { interrupted = true }

            if state.step % validateEvery == 0 || state.step == totalSteps {
                let validationLoss = try Trainer.validationLoss(model, validation, indices: validationIndices,
                                                            batchSize: Swift.max(cfg.batchSize, 256))
                model.train()
                let improved = validationLoss < state.bestLoss
                if improved {
                    state.bestLoss = validationLoss
                    state.best = model.parameterDictionary()
                    state.badValidations = 0
                } else {
                    state.badValidations += 1
                }
                let record = ValidationRecord(
                    epoch: epoch, step: state.step, trainLoss: runningLoss / Double(Swift.max(runningCount, 1)),
                    validationLoss: validationLoss, bestValidationLoss: state.bestLoss, improved: improved,
                    learningRate: lr, elapsedSeconds: Date().timeIntervalSince(start))
                runningLoss = 0; runningCount = 0
                if let url = checkpointURL { try state.save(to: url, model: model, optimizer: optimizer, named: named) }
                if state.badValidations >= cfg.patience { stoppedEarly = true }
                if events(.validated(record)) == .stop { interrupted = true }
            }
        }
        try model.load(state.best)
        model.eval()
        return TrainingSummary(steps: state.step, bestValidationLoss: state.bestLoss, stoppedEarly: stoppedEarly,
                               interrupted: interrupted, seconds: Date().timeIntervalSince(start))
    }

    /// Mean teacher-forced next-segment MSE over the chosen validation windows (eval mode).
    public static func validationLoss(_ model: any ForecastingModel, _ windows: SegmentWindows, indices: [Int], batchSize: Int) throws -> Double {
        model.eval()
        var total: Double = 0
        var seen = 0
        try withoutGradients {
            var i = 0
            while i < indices.count {
                let chunk = Array(indices[i..<Swift.min(i + batchSize, indices.count)])
                let marks = model.usesMarks ? try windows.marks(chunk, tokens: model.markTokens(horizon: model.targetLength)) : nil
                total += Double(model.loss(windows: windows.batch(chunk), marks: marks).item) * Double(chunk.count)
                seen += chunk.count
                i += batchSize
            }
        }
        return total / Double(Swift.max(seen, 1))
    }

    /// The first `take` indices of a seeded permutation of `0..<count` for `epoch`.
    static func epochOrder(count: Int, take: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = SeededGenerator(seed: seed, stream: UInt64(epoch) + 1)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return Array(order.prefix(take))
    }

}
