// ForecastResidualScorer: anomaly scores from the forecast errors of any trained forecaster.
// The series is cut into blocks of h steps (h = the model's own output length: one segment for
// AutoTimes, one step for a one-step model); each block is forecast from the L true points before
// it, channel by channel, and a step's score is its squared error in standardised units. All
// blocks of all channels go through the model in large batches (one teacher-forced pass per
// block). Each score reads only earlier rows, so a stream gives the same scores as a batch.
//
// Why not AutoTimes' single teacher-forced pass over a long window (every segment's prediction at
// once)? Its per-window instance normalisation uses the whole window's mean and deviation, so a
// step's prediction would depend on later rows: scores would change as rows arrive.
import TSFCModels
import TSFCTensor

/// Scores steps by the squared error of a forecaster's block forecasts.
public final class ForecastResidualScorer: AnomalyDetector {
    /// The forecaster (evaluation mode).
    public let model: any ForecastingModel
    /// Steps per forecast block (h).
    public let blockLength: Int
    /// Contexts per forward pass.
    public let batchSize: Int

    /// - Parameters:
    ///   - model: a trained forecaster; it is switched to evaluation mode.
    ///   - blockLength: steps forecast from each context (default: the model's own output length).
    public init(model: any ForecastingModel, blockLength: Int? = nil, batchSize: Int = 256) {
        self.model = model
        self.blockLength = Swift.max(1, blockLength ?? model.targetLength)
        self.batchSize = Swift.max(1, batchSize)
        model.eval()
    }

    public var kind: ScorerKind { .residual }
    public var requiredChannels: Int? { nil }
    public var contextRows: Int { model.contextLength }
    public var streamDelay: Int { 0 }

    /// The input with `L − history` copies of its first row in front (none when the history is
    /// long enough), and the index of the first scored row in it.
    func padded(_ input: ScoringInput) -> (values: [Float], firstScored: Int) {
        let pad = Swift.max(0, contextRows - input.historyRows)
        guard pad > 0, input.rows > 0 else { return (input.values, input.historyRows) }
        let first = Array(input.row(0))
        var values: [Float] = []
        values.reserveCapacity((pad + input.rows) * input.channels)
        for _ in 0..<pad { values += first }
        values += input.values
        return (values, pad + input.historyRows)
    }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        let c = input.channels, l = contextRows, h = blockLength
        let (x, r0) = padded(input)
        let rows = x.count / c
        let scored = rows - r0
        var scores = [Float](repeating: 0, count: scored * c)
        guard scored > 0 else { return AnomalyScores(channels: c, perChannel: []) }
        // Jobs: (block start row, channel); block k starts at r0 + k·h.
        let blocks = (scored + h - 1) / h
        var jobs: [(start: Int, channel: Int)] = []
        jobs.reserveCapacity(blocks * c)
        for k in 0..<blocks { for ch in 0..<c { jobs.append((r0 + k * h, ch)) } }
        var i = 0
        while i < jobs.count {
            let chunk = jobs[i..<Swift.min(i + batchSize, jobs.count)]
            var contexts = [Float](repeating: 0, count: chunk.count * l)
            for (b, job) in chunk.enumerated() {
                for t in 0..<l { contexts[b * l + t] = x[(job.start - l + t) * c + job.channel] }
            }
            let predicted = forecastBlocks(contexts, count: chunk.count)             // [B, h]
            for (b, job) in chunk.enumerated() {
                for j in 0..<h where job.start + j < rows {
                    let row = job.start + j
                    let e = x[row * c + job.channel] - predicted[b * h + j]
                    scores[(row - r0) * c + job.channel] = e * e
                }
            }
            i += batchSize
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw DetectionError.nonFiniteScores(row: bad / c) }
        return AnomalyScores(channels: c, perChannel: scores)
    }

    /// Forecasts `h` steps for `count` contexts `[count, L]` (row-major) → `[count, h]`.
    func forecastBlocks(_ contexts: [Float], count: Int) -> [Float] {
        withoutGradients {
            model.forecast(context: Tensor(shape: [count, contextRows], scalars: contexts), horizon: blockLength).scalars
        }
    }

    public func makeStream(channels: Int) -> AnomalyScoreStream { Stream(scorer: self, channels: channels) }

    /// Scores rows as they arrive: a block is forecast when its first row arrives.
    final class Stream: AnomalyScoreStream {
        let scorer: ForecastResidualScorer
        let channels: Int
        /// The last L rows (or fewer before the first scored row), oldest first.
        var recent: [[Float]] = []
        var scoredCount = 0
        /// The current block's forecasts, `[C][h]`.
        var block: [[Float]] = []

        init(scorer: ForecastResidualScorer, channels: Int) {
            self.scorer = scorer
            self.channels = channels
        }

        func push(_ row: [Float]) {
            recent.append(row)
            if recent.count > scorer.contextRows { recent.removeFirst(recent.count - scorer.contextRows) }
        }

        func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore] {
            guard row.count == channels else { throw DetectionError.wrongChannels(found: row.count, expected: channels) }
            if isHistory {
                guard scoredCount == 0 else { throw DetectionError.invalid("history rows must come before the scored rows") }
                push(row)
                return []
            }
            let l = scorer.contextRows, h = scorer.blockLength
            if scoredCount == 0 && recent.count < l {
                let first = recent.first ?? row
                recent = [[Float]](repeating: first, count: l - recent.count) + recent
            }
            if scoredCount % h == 0 {
                var contexts = [Float](repeating: 0, count: channels * l)
                for ch in 0..<channels { for t in 0..<l { contexts[ch * l + t] = recent[t][ch] } }
                let predicted = scorer.forecastBlocks(contexts, count: channels)      // [C, h]
                block = (0..<channels).map { Array(predicted[($0 * h)..<(($0 + 1) * h)]) }
            }
            let j = scoredCount % h
            let scores = (0..<channels).map { ch -> Float in
                let e = row[ch] - block[ch][j]
                return e * e
            }
            if !scores.allSatisfy(\.isFinite) { throw DetectionError.nonFiniteScores(row: scoredCount) }
            push(row)
            scoredCount += 1
            return [StreamedScore(row: scoredCount - 1, scores: scores)]
        }

        func finish() throws -> [StreamedScore] { [] }
    }
}
