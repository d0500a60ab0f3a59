// The bridge from a run configuration's `training:` section to the `Trainer`: AdamW, warm-up
// steps then cosine decay, clipping, early stopping, independent seeded epoch permutations.
import TSFCDistributed
import TSFCTraining

extension TrainerOptions {
    /// The options a `training:` section describes; validation runs in batches of at least 256.
    public init(_ configuration: TrainingConfiguration) {
        self.init(epochs: configuration.epochs, batchSize: configuration.batchSize,
                  learningRate: configuration.learningRate)
        minLearningRate = configuration.minLearningRate
        warmup = .steps(configuration.warmupSteps)
        optimizer = .adamW(weightDecay: configuration.weightDecay)
        clipNorm = configuration.clipNorm
        patience = configuration.patience
        validateEvery = configuration.validateEvery
        maxTrainingExamples = configuration.maxTrainWindows
        maxValidationExamples = configuration.maxValidationWindows
        validationBatchSize = Swift.max(configuration.batchSize, 256)
        order = .independentPermutations
        failsOnNonFiniteLoss = true
    }
}

extension Trainer {
    /// A trainer for a run configuration's `training:` section and seed (data-parallel over
    /// `communicator`'s ranks when it has several).
    public convenience init(configuration: TrainingConfiguration, seed: UInt64,
                            communicator: Communicator = SingleProcessCommunicator()) {
        self.init(options: TrainerOptions(configuration), seed: seed, communicator: communicator)
    }
}
