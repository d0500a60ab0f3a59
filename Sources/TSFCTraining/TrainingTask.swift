// TrainingTask: what the one `Trainer` needs to know about a job — the module, how many
// training and validation examples there are, and the losses of examples picked by index. The
// trainer owns everything else (order, batching, optimiser, schedule, clipping, dropout seeds,
// validation, early stopping, checkpoints), so forecasting models, the detectors' autoencoder and
// AR-Net's series fit train through the same loop.
import TSFCNN
import TSFCTensor

/// A training job over numbered examples (windows), `0..<trainingCount` and `0..<validationCount`.
public protocol TrainingTask: AnyObject {
    /// The module whose unfrozen parameters are optimised, saved in checkpoints and, after
    /// validation, restored to their best values.
    var module: Module { get }
    /// Training examples; the trainer draws batches of indices in `0..<trainingCount`.
    var trainingCount: Int { get }
    /// Validation examples; 0 means the task is not validated (no early stopping; the trainer
    /// keeps the last weights).
    var validationCount: Int { get }
    /// The training objective of the examples at `indices` (a scalar, recorded for gradients);
    /// `progress` runs from 0 towards 1 over the run (for regularisers with a warm-up). Throws
    /// when the examples cannot be built (the trainer passes the error on).
    func trainingLoss(indices: [Int], progress: Float) throws -> Tensor
    /// The mean validation loss of the examples at `indices` (called in evaluation mode, without
    /// gradients).
    func validationLoss(indices: [Int]) throws -> Float
    /// Fits the module in closed form (e.g. least squares) on at most `maxTrainingExamples`
    /// training examples (0: all) and returns true; or returns false, changing nothing, when the
    /// task has no closed form (the default), and the trainer runs gradient descent.
    func fitClosedForm(maxTrainingExamples: Int) throws -> Bool
    /// Data-parallel training: the loss of this rank's `shard` of the global `batch` as a sum
    /// (recorded for gradients) and the count the batch's loss is a mean over, so that the sums
    /// and counts added over all ranks give the loss of the whole batch
    /// (`trainingLoss(indices: batch, …)`) up to float summation order. The default scales
    /// `trainingLoss(indices: shard, …)` by the shard's example count (exact for a mean over
    /// examples of equal size); a task whose loss depends on the whole batch (a context length
    /// drawn from it, a mean over masked targets) overrides it.
    func trainingLossSum(shard: [Int], batch: [Int], progress: Float) throws -> (sum: Tensor, count: Double)
}

extension TrainingTask {
    public func fitClosedForm(maxTrainingExamples: Int) throws -> Bool { false }

    public func trainingLossSum(shard: [Int], batch: [Int], progress: Float) throws -> (sum: Tensor, count: Double) {
        let loss = try trainingLoss(indices: shard, progress: progress)
        return (loss * Float(shard.count), Double(shard.count))
    }
}
