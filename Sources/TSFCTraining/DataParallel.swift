// DataParallel: one synchronous data-parallel step over the ranks of a `Communicator` — each
// rank differentiates the loss sum of its contiguous shard of the global batch, the gradients
// (with the loss sums and counts) are summed over ranks in fixed-size buckets, and every rank
// divides by the global count, so every rank applies the same update as one process would on the
// whole batch, up to float summation order.
import Dispatch
import TSFCDistributed
import TSFCNN
import TSFCTensor

/// The data-parallel pieces of `Trainer`.
public enum DataParallel {
    /// Elements per allreduce (4 MiB of Float): large enough to amortise the per-call latency,
    /// small enough that no single message holds the whole model.
    public static let bucketElements = 1 << 20

    /// Refuses rank counts the global batch cannot be split over evenly.
    public static func checkRankCount(_ size: Int, batchSize: Int) throws {
        guard size <= batchSize, batchSize % size == 0 else {
            throw DistributedError(
                "training.batch_size \(batchSize) cannot be split evenly over \(size) ranks: start mpirun with a rank count "
                    + "that divides \(batchSize) (e.g. \(divisors(of: batchSize).filter { $0 > 1 }.prefix(6).map(String.init).joined(separator: ", ")))")
        }
    }

    static func divisors(of n: Int) -> [Int] { (1...Swift.max(n, 1)).filter { n % $0 == 0 } }

    /// Runs one step's forward and backward on this rank's shard of `batch`, sums gradients,
    /// loss and count over the ranks, leaves every parameter's `gradient` at the global mean
    /// gradient and returns the global batch loss. `communicationSeconds` grows by the time
    /// spent in the allreduce (waiting for slower ranks included).
    public static func step(
        _ task: some TrainingTask, batch: [Int], progress: Float, parameters: [Parameter], communicator: Communicator,
        communicationSeconds: inout Double
    ) throws -> Float {
        let range = Sharding.evenRange(count: batch.count, rank: communicator.rank, size: communicator.size)
        let shard = Array(batch[range])
        var localSum: Float = 0, localCount: Double = 0
        var gradients: [[Float]]
        if shard.isEmpty {
            gradients = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        } else {
            var count: Double = 0
            let (value, grads) = try TSFCNN.valueAndGradient(for: parameters) {
                let part = try task.trainingLossSum(shard: shard, batch: batch, progress: progress)
                count = part.count
                return part.sum
            }
            localSum = value.item
            localCount = count
            gradients = grads.map(\.scalars)
        }
        // [every gradient, flattened | loss sum | count], summed over ranks bucket by bucket.
        var flat = [Float]()
        flat.reserveCapacity(gradients.reduce(2) { $0 + $1.count })
        for g in gradients { flat += g }
        flat.append(localSum)
        flat.append(Float(localCount))
        let started = DispatchTime.now().uptimeNanoseconds
        try allReduceInBuckets(&flat, communicator: communicator)
        communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let count = flat[flat.count - 1]
        guard count > 0 else { throw DistributedError("a data-parallel step had no examples on any rank") }
        let scale = 1 / count
        var offset = 0
        for (p, g) in zip(parameters, gradients) {
            let n = g.count
            var mean = [Float](repeating: 0, count: n)
            for i in 0..<n { mean[i] = flat[offset + i] * scale }
            p.gradient = Tensor(shape: p.value.shape, scalars: mean)
            offset += n
        }
        return flat[flat.count - 2] * scale
    }

    /// Sums `values` over the ranks in buckets of `bucketElements`.
    static func allReduceInBuckets(_ values: inout [Float], communicator: Communicator) throws {
        if values.count <= bucketElements { return try communicator.allReduceSum(&values) }
        var start = 0
        while start < values.count {
            let end = Swift.min(start + bucketElements, values.count)
            var bucket = Array(values[start..<end])
            try communicator.allReduceSum(&bucket)
            values.replaceSubrange(start..<end, with: bucket)
            start = end
        }
    }
}
