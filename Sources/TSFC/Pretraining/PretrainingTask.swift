// PretrainingTask: a patch-quantile model on windows of the pretraining corpus, as a
// `TrainingTask` for the one `Trainer`. Example k is the k-th training series of the corpus with
// a window drawn from it by (seed, k); every batch shares one context length (drawn from the
// batch), so little of a batch is padding; validation windows are fixed by the corpus' held-out
// slice. Everything is a pure function of the seeds, so runs and resumed runs reproduce.
import Foundation
import TSFCCorpus
import TSFCModels
import TSFCNN
import TSFCTensor
import TSFCTraining

/// Pretrains a `PatchQuantileModel` on a `PretrainingCorpus`.
public final class PretrainingTask: TrainingTask {
    public let model: PatchQuantileModel
    public let corpus: PretrainingCorpus
    public let settings: PretrainingConfiguration
    /// Corpus indices of the training examples and of the validation windows.
    public let trainingIndices: [Int]
    public let validationIndices: [Int]
    let seed: UInt64

    /// - Parameters:
    ///   - examples: training windows (steps × batch size); each is drawn once.
    public init(model: PatchQuantileModel, corpus: PretrainingCorpus, settings: PretrainingConfiguration,
                examples: Int, seed: UInt64) {
        self.model = model
        self.corpus = corpus
        self.settings = settings
        self.seed = seed
        var train: [Int] = [], validation: [Int] = []
        train.reserveCapacity(examples)
        var index = 0
        while train.count < examples || validation.count < settings.validationWindows {
            if corpus.isValidation(index: index) {
                if validation.count < settings.validationWindows { validation.append(index) }
            } else if train.count < examples {
                train.append(index)
            }
            index += 1
            if index > 50 * (examples + settings.validationWindows) + 1000 { break }   // validation_fraction 0
        }
        trainingIndices = train
        validationIndices = validation
    }

    public var module: Module { model }
    public var trainingCount: Int { trainingIndices.count }
    public var validationCount: Int { validationIndices.count }

    /// The batch's context budget in points: log-uniform between one patch and
    /// `training_context`, or (a `long_context_fraction` of batches) uniform up to `max_context`.
    func contextBudget(batchKey: Int) -> Int {
        var rng = SeededGenerator(seed: CorpusSeeds.mix(seed, UInt64(truncatingIfNeeded: batchKey), salt: 0x6374_7874))
        let p = model.settings.patchLength, maxContext = model.settings.maxContext
        let typical = Swift.min(Swift.max(settings.trainingContext, p), maxContext)
        if rng.uniform() < settings.longContextFraction && maxContext > typical {
            return rng.integer(typical...maxContext)
        }
        let logLow = log(Double(p)), logHigh = log(Double(typical))
        return Swift.max(Int(exp(rng.uniform(logLow, logHigh)).rounded()), model.settings.minimumContext)
    }

    /// The history and targets of corpus series `index` for a context budget: the split point is
    /// drawn so the whole budget and all O targets fit when the series is long enough.
    /// A training window: its history, its targets (up to O points) and the season length of
    /// its series' frequency (as a forecast of a file with that frequency would use).
    typealias Window = (history: [Float], target: [Float], season: Int)

    func window(corpusIndex index: Int, budget: Int) -> Window {
        let series = corpus.series(at: index)
        let values = series.values, season = Baseline.seasonLength(for: series.frequency)
        var rng = SeededGenerator(seed: CorpusSeeds.mix(seed, UInt64(truncatingIfNeeded: index), salt: 0x7769_6e64))
        let t = values.count, o = model.settings.outputLength
        guard t >= 2 else { return (values.isEmpty ? [0] : values, values.isEmpty ? [0] : values, season) }
        let earliest = Swift.max(Swift.min(budget, t - 1), 1)           // the split leaves ≥ 1 target
        let latest = Swift.max(earliest, t - o)
        let end = rng.integer(earliest...latest)
        return (Array(values[Swift.max(0, end - budget)..<end]), Array(values[end..<Swift.min(end + o, t)]), season)
    }

    /// The windows of (corpus index, budget) pairs, generated on all cores (each is a pure
    /// function of its pair, so the order of work does not matter).
    func drawWindows(_ requests: [(Int, Int)]) -> [Window] {
        var out = [Window](repeating: ([], [], 1), count: requests.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: requests.count) { i in
                base[i] = window(corpusIndex: requests[i].0, budget: requests[i].1)
            }
        }
        return out
    }

    public func trainingLoss(indices: [Int], progress: Float) throws -> Tensor {
        let budget = contextBudget(batchKey: indices.min() ?? 0)
        let windows = drawWindows(indices.map { (trainingIndices[$0], budget) })
        return model.pinballLoss(histories: windows.map(\.history), targets: windows.map(\.target),
                                 seasonLengths: windows.map(\.season))
    }

    /// This rank's shard of a data-parallel step: the context budget is drawn from the whole
    /// batch (as one process draws it), the loss is the unnormalised masked pinball sum.
    public func trainingLossSum(shard: [Int], batch: [Int], progress: Float) throws -> (sum: Tensor, count: Double) {
        let budget = contextBudget(batchKey: batch.min() ?? 0)
        let windows = drawWindows(shard.map { (trainingIndices[$0], budget) })
        return model.pinballLossSum(histories: windows.map(\.history), targets: windows.map(\.target),
                                    seasonLengths: windows.map(\.season))
    }

    /// The median of the validation windows' own pinball losses: standardised targets are
    /// heavy-tailed (a short, smooth history has a small deviation), so the mean is ruled by a few
    /// unpredictable windows while the median follows what the model learns.
    public func validationLoss(indices: [Int]) throws -> Float {
        Self.median(windowLosses(corpusIndices: indices.map { validationIndices[$0] }, budgetKeys: indices.map { -1 - $0 }))
    }

    /// Each window's pinball loss (corpus series `corpusIndices[k]` with the context budget of
    /// key `budgetKeys[k]`; validation uses −1 − k for its k-th window), scored in chunks of
    /// similar lengths so short windows are not padded to long ones.
    public func windowLosses(corpusIndices: [Int], budgetKeys: [Int]) -> [Float] {
        let windows = drawWindows(zip(corpusIndices, budgetKeys).map { ($0, contextBudget(batchKey: $1)) })
        let order = windows.indices.sorted { windows[$0].history.count < windows[$1].history.count }
        var losses = [Float](repeating: 0, count: windows.count)
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<Swift.min(start + 32, order.count)])
            let values = model.pinballLossPerWindow(histories: chunk.map { windows[$0].history }, targets: chunk.map { windows[$0].target },
                                                    seasonLengths: chunk.map { windows[$0].season })
            for (i, v) in zip(chunk, values) { losses[i] = v }
            start += 32
        }
        return losses
    }

    static func median(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
