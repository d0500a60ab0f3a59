// TrainerOptions: how the one `Trainer` runs — epochs and batches, the optimiser, the learning
// rate schedule (linear warm-up, cosine decay), gradient clipping, validation and early stopping,
// the order examples are visited in, and what a non-finite loss does. tsfc's `training:` section
// maps onto these; AR-Net's series fit picks Adam, a warm-up share and successive shuffles.

/// Settings of a `Trainer` run.
public struct TrainerOptions: Sendable, Equatable {
    public var epochs: Int
    /// Examples per optimisation step; the last, partial batch of an epoch is kept.
    public var batchSize: Int
    /// Peak learning rate (reached at the end of the warm-up).
    public var learningRate: Float
    /// Learning rate the cosine decay ends at.
    public var minLearningRate: Float = 0
    /// Length of the linear warm-up.
    public var warmup: Warmup = .steps(0)
    public var optimizer: OptimizerKind = .adamW(weightDecay: 0)
    /// Global gradient-norm clip (0 = off).
    public var clipNorm: Float = 0
    /// Stop after this many validations without improvement.
    public var patience: Int = .max
    /// Validate every this many steps (0 = once per epoch); also when a checkpoint is written.
    public var validateEvery: Int = 0
    /// Use at most this many training examples per epoch (0 = all).
    public var maxTrainingExamples: Int = 0
    /// Use at most this many validation examples, evenly spaced (0 = all).
    public var maxValidationExamples: Int = 0
    /// Validation examples per forward pass (the validation loss is their count-weighted mean).
    public var validationBatchSize: Int = 256
    public var order: EpochOrder = .independentPermutations
    /// Whether a NaN or infinite training loss ends the run with `TrainingError.nonFiniteLoss`
    /// (otherwise training goes on and the loss is reported as it is).
    public var failsOnNonFiniteLoss = true
    /// Whether the best-validation weights are restored at the end (early stopping's choice); when
    /// false the last weights are kept and validation only reports (pretraining on fresh data,
    /// where every step sees new windows and the schedule ends at its minimum).
    public var restoresBestWeights = true

    /// - Precondition: `epochs` and `batchSize` are positive.
    public init(epochs: Int, batchSize: Int, learningRate: Float) {
        precondition(epochs > 0 && batchSize > 0, "TrainerOptions: epochs and batch size must be positive")
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
    }

    /// The length of the learning rate's linear warm-up.
    public enum Warmup: Sendable, Equatable {
        /// This many steps (at most the run's total).
        case steps(Int)
        /// This share of the run's total steps, rounded down.
        case fraction(Float)

        func stepCount(total: Int) -> Int {
            switch self {
            case .steps(let n): return Swift.min(n, total)
            case .fraction(let f): return Swift.min(Int(Float(total) * f), total)
            }
        }
    }

    /// The optimiser (torch.optim semantics).
    public enum OptimizerKind: Sendable, Equatable {
        /// Adam without weight decay.
        case adam
        /// AdamW with decoupled weight decay.
        case adamW(weightDecay: Float)
    }

    /// The order in which epochs visit the training examples.
    public enum EpochOrder: Sendable, Equatable {
        /// Each epoch an independent seeded permutation (Fisher–Yates on the stream `epoch + 1`);
        /// its first `maxTrainingExamples` are used (tsfc's trainer).
        case independentPermutations
        /// One generator, seeded once, shuffles the previous epoch's order again each epoch with
        /// the standard library's `shuffle(using:)` (AR-Net's reference loop).
        case successiveShuffles
    }
}
