// EpochSampler: the training examples an epoch visits, in order, for either `EpochOrder`. Both
// are pure functions of the seed and the epoch, so a resumed run sees the same batches.
import TSFCTensor

/// The example order of each epoch.
struct EpochSampler {
    let order: TrainerOptions.EpochOrder
    /// Training examples (the permutations' length).
    let count: Int
    /// Examples an epoch uses (a prefix of its permutation).
    let take: Int
    let seed: UInt64
    /// Successive shuffles: the generator after the shuffles of epochs `0..<shuffledEpochs`, and
    /// the order they left.
    private var generator: SeededGenerator
    private var current: [Int]
    private var shuffledEpochs = 0

    init(order: TrainerOptions.EpochOrder, count: Int, take: Int, seed: UInt64) {
        self.order = order
        self.count = count
        self.take = take
        self.seed = seed
        generator = SeededGenerator(seed: seed)
        current = Array(0..<count)
    }

    /// The examples of `epoch`, in visiting order (`take` of them).
    mutating func examples(epoch: Int) -> [Int] {
        switch order {
        case .independentPermutations:
            return EpochSampler.permutation(count: count, take: take, seed: seed, epoch: epoch)
        case .successiveShuffles:
            if epoch < shuffledEpochs - 1 { self = EpochSampler(order: order, count: count, take: take, seed: seed) }
            while shuffledEpochs <= epoch {
                current.shuffle(using: &generator)
                shuffledEpochs += 1
            }
            return Array(current.prefix(take))
        }
    }

    /// The first `take` indices of a seeded permutation of `0..<count` for `epoch`.
    static func permutation(count: Int, take: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = SeededGenerator(seed: seed, stream: UInt64(epoch) + 1)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return Array(order.prefix(take))
    }
}
