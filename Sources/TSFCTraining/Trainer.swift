// Trainer: the one training loop of tsfc — Adam or AdamW with linear warmup + cosine decay,
// gradient clipping, seeded dropout, validation with early stopping and best-weights restore,
// atomic checkpoints and exact resume — over any `TrainingTask`; or the task's closed-form fit.
// Data-parallel over MPI ranks when given a distributed `Communicator` (DataParallelStep.swift).
import Foundation
import TSFCDistributed
import TSFCNN
import TSFCOptim
import TSFCTensor

/// Fits a `TrainingTask`'s module by minibatch gradient descent (or in closed form, when the
/// task has one).
public final class Trainer {
    public let options: TrainerOptions
    /// Seeds the epoch order and the dropout masks.
    public let seed: UInt64
    /// The ranks that share the work; each draws its shard of every global batch, gradients are
    /// summed over ranks, and only rank 0 writes checkpoints. One process by default.
    public let communicator: Communicator

    public init(options: TrainerOptions, seed: UInt64, communicator: Communicator = SingleProcessCommunicator()) {
        self.options = options
        self.seed = seed
        self.communicator = communicator
    }

    /// Trains `task.module` on the task's training examples, validating on its validation
    /// examples; on return the module holds the best-validation weights (the last weights when
    /// the task has no validation examples) and is in evaluation mode. With `checkpointURL`, the
    /// full training state is written there (atomically) at every validation point, and `resume`
    /// continues from it. A task with a closed form is fitted that way and validated once (no
    /// events, no checkpoint).
    public func fit(
        _ task: some TrainingTask, checkpointURL: URL? = nil, resume: Bool = false,
        events: (TrainingEvent) -> TrainingDisposition = { _ in .proceed }
    ) throws -> TrainingSummary {
        let opts = options
        let model = task.module
        let validates = task.validationCount > 0
        let validationIndices = Trainer.evenlySpaced(count: task.validationCount, limit: opts.maxValidationExamples)
        let start = Date()
        if try task.fitClosedForm(maxTrainingExamples: opts.maxTrainingExamples) {
            let loss = validates ? try validationLoss(task, indices: validationIndices) : .infinity
            model.eval()
            return TrainingSummary(steps: 0, bestValidationLoss: loss, stoppedEarly: false, interrupted: false,
                                   seconds: Date().timeIntervalSince(start))
        }
        let epochExamples = opts.maxTrainingExamples > 0
            ? Swift.min(opts.maxTrainingExamples, task.trainingCount) : task.trainingCount
        let stepsPerEpoch = (epochExamples + opts.batchSize - 1) / opts.batchSize  // the last, partial batch is kept
        let totalSteps = stepsPerEpoch * opts.epochs
        let validateEvery = opts.validateEvery > 0 ? opts.validateEvery : stepsPerEpoch
        let schedule = WarmupCosineSchedule(peak: opts.learningRate, warmupSteps: opts.warmup.stepCount(total: totalSteps),
                                            totalSteps: totalSteps, minimum: opts.minLearningRate)
        let optimizer: Adam
        switch opts.optimizer {
        case .adam: optimizer = Adam(learningRate: opts.learningRate)
        case .adamW(let decay): optimizer = AdamW(learningRate: opts.learningRate, weightDecay: decay)
        }
        let named = model.namedParameters().filter { !$0.1.isFrozen }
        let parameters = named.map { $0.1 }
        let dropouts = model.modules().compactMap { $0 as? Dropout }
        let world = communicator
        if world.isDistributed { try DataParallel.checkRankCount(world.size, batchSize: opts.batchSize) }
        // Each rank's dropout masks differ (its examples differ); one process keeps its old seeds.
        let rankSalt = world.isDistributed ? UInt64(world.rank + 1) << 52 : 0

        var state = TrainerState(step: 0, bestLoss: .infinity, badValidations: 0,
                                 best: validates ? model.parameterDictionary() : [:])
        if resume, let url = checkpointURL {
            state = try TrainerState.load(from: url, into: model, optimizer: optimizer, named: named)
        }
        var interrupted = false, stoppedEarly = false
        var runningLoss: Double = 0, runningCount = 0
        var communication: Double = 0
        if events(.started(totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch, trainWindows: epochExamples,
                           validationWindows: validationIndices.count, startStep: state.step)) == .stop {
            interrupted = true
        }
        var sampler = EpochSampler(order: opts.order, count: task.trainingCount, take: epochExamples, seed: seed)
        var order: [Int] = []
        var orderEpoch = -1
        model.train()
        while !interrupted && !stoppedEarly && state.step < totalSteps {
            let step = state.step
            let epoch = step / stepsPerEpoch
            if orderEpoch != epoch {
                order = sampler.examples(epoch: epoch)
                orderEpoch = epoch
            }
            let offset = (step % stepsPerEpoch) * opts.batchSize
            let batch = Array(order[offset..<Swift.min(offset + opts.batchSize, order.count)])
            for (i, d) in dropouts.enumerated() { d.reseed(seed ^ UInt64(step) &* 0x9E37_79B9 ^ UInt64(i) << 40 ^ rankSalt) }
            let lr = schedule.learningRate(at: step)
            optimizer.learningRate = lr
            let progress = Float(step) / Float(Swift.max(totalSteps, 1))
            let loss: Float
            if world.isDistributed {
                loss = try DataParallel.step(task, batch: batch, progress: progress, parameters: parameters, communicator: world,
                                             communicationSeconds: &communication)
            } else {
                loss = try TSFCNN.valueAndGradient(for: parameters) {
                    try task.trainingLoss(indices: batch, progress: progress)
                }.value.item
            }
            if opts.failsOnNonFiniteLoss && !loss.isFinite { throw TrainingError.nonFiniteLoss(step: step) }
            if opts.clipNorm > 0 { clipGradientNorm(parameters, maxNorm: opts.clipNorm) }
            optimizer.step(parameters)
            state.step += 1
            runningLoss += Double(loss); runningCount += 1
            if events(.step(step: state.step, epoch: epoch, loss: loss, learningRate: lr)) == .stop { interrupted = true }
            // A stop asked on any rank (an interrupt) stops every rank after the same step.
            if world.isDistributed, !(try world.allSucceeded(!interrupted)) { interrupted = true }

            guard state.step % validateEvery == 0 || state.step == totalSteps else { continue }
            var record: ValidationRecord?
            if validates {
                // Rank 0 validates and tells the others, so every rank takes the same decisions.
                var measured = try world.isRoot ? validationLoss(task, indices: validationIndices) : 0
                if world.isDistributed { measured = try world.broadcast(measured, root: 0) }
                let validationLoss = measured
                model.train()
                let improved = validationLoss < state.bestLoss
                if improved {
                    state.bestLoss = validationLoss
                    state.best = model.parameterDictionary()
                    state.badValidations = 0
                } else {
                    state.badValidations += 1
                }
                record = ValidationRecord(
                    epoch: epoch, step: state.step, trainLoss: runningLoss / Double(Swift.max(runningCount, 1)),
                    validationLoss: validationLoss, bestValidationLoss: state.bestLoss, improved: improved,
                    learningRate: lr, elapsedSeconds: Date().timeIntervalSince(start))
                runningLoss = 0; runningCount = 0
            }
            if let url = checkpointURL, world.isRoot { try state.save(to: url, model: model, optimizer: optimizer, named: named) }
            if validates && state.badValidations >= opts.patience { stoppedEarly = true }
            if let record, events(.validated(record)) == .stop { interrupted = true }
        }
        if world.isDistributed {
            // Every rank applied the same summed gradients: their weights must be bit-identical.
            var bytes: [UInt8] = []
            for (_, p) in named { p.value.scalars.withUnsafeBytes { bytes += $0 } }
            try world.agree(on: bytes, what: "the trained weights (the ranks' updates diverged)")
        }
        if validates && opts.restoresBestWeights { try model.load(state.best) }
        model.eval()
        return TrainingSummary(steps: state.step, bestValidationLoss: state.bestLoss, stoppedEarly: stoppedEarly,
                               interrupted: interrupted, seconds: Date().timeIntervalSince(start), communicationSeconds: communication)
    }

    /// The count-weighted mean of the task's validation loss over `indices`, in batches of
    /// `options.validationBatchSize` (evaluation mode, no gradients).
    func validationLoss(_ task: some TrainingTask, indices: [Int]) throws -> Double {
        task.module.eval()
        let batchSize = Swift.max(options.validationBatchSize, 1)
        var total: Double = 0
        var seen = 0
        try withoutGradients {
            var i = 0
            while i < indices.count {
                let chunk = Array(indices[i..<Swift.min(i + batchSize, indices.count)])
                total += Double(try task.validationLoss(indices: chunk)) * Double(chunk.count)
                seen += chunk.count
                i += batchSize
            }
        }
        return total / Double(Swift.max(seen, 1))
    }

    /// `limit` evenly spaced indices of `0..<count` (all when `limit` is 0 or ≥ count).
    public static func evenlySpaced(count: Int, limit: Int) -> [Int] {
        guard limit > 0, limit < count else { return Array(0..<count) }
        return (0..<limit).map { $0 * count / limit }
    }
}
