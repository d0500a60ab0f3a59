// ReconstructionScorer: anomaly scores from a patch autoencoder trained on normal data
// (TriP-LLM, arXiv 2508.00047). Every stride-1 window of L rows is reconstructed; a step's score
// on a channel is its squared reconstruction error averaged over all windows that cover the step
// (TriP-LLM gives the window's mean error to its last step instead; averaging keeps one score per
// channel, so the channels behind an alarm can be named). A step's score is final once the window
// starting at it has been reconstructed, so a stream returns each score L − 1 rows late.
//
// Per-window normalisation (`centresWindows`): each window has its per-channel mean subtracted
// before it is reconstructed (and the autoencoder is trained on windows centred the same way), so
// a level shift or a slow trend moves no score — only the window's shape is judged. Per-channel
// standardisation (`channelScale`): each channel's error is divided by its typical error on
// held-out normal rows before the channels are aggregated.
import TSFCModels
import TSFCTensor

/// Scores steps by the reconstruction error of a `TriPLLMAutoencoder`.
public final class ReconstructionScorer: AnomalyDetector {
    public let model: TriPLLMAutoencoder
    /// Windows per forward pass.
    public let batchSize: Int
    /// Whether each window is centred (per-channel mean removed) before reconstruction; the model
    /// must have been trained on windows centred the same way.
    public let centresWindows: Bool
    /// Per-channel divisors of the errors (nil: raw squared errors).
    public let channelScale: ChannelScoreScale?

    /// - Parameters:
    ///   - centresWindows: remove each window's per-channel mean before reconstructing it.
    ///   - channelScale: divide channel `c`'s errors by `channelScale.scales[c]`.
    public init(model: TriPLLMAutoencoder, batchSize: Int = 256, centresWindows: Bool = false,
                channelScale: ChannelScoreScale? = nil) {
        precondition(channelScale.map { $0.scales.count == model.channels } ?? true,
                     "ReconstructionScorer: channelScale has the wrong number of channels")
        self.model = model
        self.batchSize = Swift.max(1, batchSize)
        self.centresWindows = centresWindows
        self.channelScale = channelScale
        model.eval()
    }

    /// The same model and centring with another channel scale.
    public func withChannelScale(_ scale: ChannelScoreScale?) -> ReconstructionScorer {
        ReconstructionScorer(model: model, batchSize: batchSize, centresWindows: centresWindows, channelScale: scale)
    }

    public var kind: ScorerKind { .reconstruction }
    public var requiredChannels: Int? { model.channels }
    public var contextRows: Int { model.windowLength - 1 }
    public var streamDelay: Int { model.windowLength - 1 }

    /// Squared reconstruction errors of the windows starting at `starts`, each `[L, C]`, in order.
    func windowErrors(_ x: [Float], channels c: Int, starts: ArraySlice<Int>) -> [Float] {
        let l = model.windowLength
        var batch = [Float](repeating: 0, count: starts.count * l * c)
        for (b, s) in starts.enumerated() {
            for i in 0..<(l * c) { batch[b * l * c + i] = x[s * c + i] }
        }
        if centresWindows { AutoencoderTrainingTask.centre(&batch, length: l, channels: c) }
        let reconstructed = withoutGradients {
            model.reconstruct(Tensor(shape: [starts.count, l, c], scalars: batch)).scalars  // [B, L, C]
        }
        return zip(batch, reconstructed).map { ($0 - $1) * ($0 - $1) }
    }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        let c = input.channels, l = model.windowLength
        guard c == model.channels else { throw DetectionError.wrongChannels(found: c, expected: model.channels) }
        // History beyond L − 1 rows covers no scored step.
        let drop = Swift.max(0, input.historyRows - (l - 1))
        let x = Array(input.values[(drop * c)...])
        let rows = input.rows - drop, r0 = input.historyRows - drop
        guard rows >= l else {
            throw DetectionError.tooShort(what: "the series", rows: rows, needed: l,
                                          advice: "the reconstruction detector reads windows of \(l) rows; give a longer input")
        }
        var sums = [Float](repeating: 0, count: rows * c)
        var covered = [Float](repeating: 0, count: rows)
        let starts = Array(0...(rows - l))
        var i = 0
        while i < starts.count {
            let chunk = starts[i..<Swift.min(i + batchSize, starts.count)]
            let errors = windowErrors(x, channels: c, starts: chunk)
            for (b, s) in chunk.enumerated() {
                for t in 0..<l {
                    covered[s + t] += 1
                    for ch in 0..<c { sums[(s + t) * c + ch] += errors[(b * l + t) * c + ch] }
                }
            }
            i += batchSize
        }
        var scores = [Float](repeating: 0, count: (rows - r0) * c)
        let scale = channelScale?.scales ?? [Float](repeating: 1, count: c)
        for t in r0..<rows { for ch in 0..<c { scores[(t - r0) * c + ch] = sums[t * c + ch] / covered[t] / scale[ch] } }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw DetectionError.nonFiniteScores(row: bad / c) }
        return AnomalyScores(channels: c, perChannel: scores)
    }

    public func makeStream(channels: Int) -> AnomalyScoreStream { Stream(scorer: self, channels: channels) }

    /// Reconstructs each window when its last row arrives and returns the row that became final.
    final class Stream: AnomalyScoreStream {
        let scorer: ReconstructionScorer
        let channels: Int
        /// The last L rows, oldest first, with their row numbers starting at `firstRow`.
        var recent: [Float] = []
        var firstRow = 0
        /// Error sums and window counts of rows `firstRow…`, not yet final.
        var sums: [Float] = []
        var covered: [Float] = []
        var rowsSeen = 0
        var historyRows = 0

        init(scorer: ReconstructionScorer, channels: Int) {
            self.scorer = scorer
            self.channels = channels
        }

        func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore] {
            let c = channels, l = scorer.model.windowLength
            guard row.count == c else { throw DetectionError.wrongChannels(found: row.count, expected: c) }
            guard c == scorer.model.channels else { throw DetectionError.wrongChannels(found: c, expected: scorer.model.channels) }
            if isHistory {
                guard rowsSeen == historyRows else { throw DetectionError.invalid("history rows must come before the scored rows") }
                historyRows += 1
            }
            recent += row
            sums += [Float](repeating: 0, count: c)
            covered.append(0)
            rowsSeen += 1
            guard rowsSeen >= l else { return [] }
            let start = rowsSeen - l                      // this window's first row
            var out: [StreamedScore] = []
            if rowsSeen > historyRows {                   // windows ending in the history cover no scored row
                let window = Array(recent.suffix(l * c))
                let errors = scorer.windowErrors(window, channels: c, starts: [0])
                let offset = start - firstRow
                for t in 0..<l {
                    covered[offset + t] += 1
                    for ch in 0..<c { sums[(offset + t) * c + ch] += errors[t * c + ch] }
                }
            }
            // Row `start` is final now; emit it if scored, then forget it.
            if start >= historyRows { out.append(try final(0, row: start)) }
            recent.removeFirst(c)
            sums.removeFirst(c)
            covered.removeFirst()
            firstRow += 1
            return out
        }

        func final(_ offset: Int, row: Int) throws -> StreamedScore {
            let c = channels
            let scale = scorer.channelScale?.scales ?? [Float](repeating: 1, count: c)
            let scores = (0..<c).map { sums[offset * c + $0] / covered[offset] / scale[$0] }
            if !scores.allSatisfy(\.isFinite) { throw DetectionError.nonFiniteScores(row: row - historyRows) }
            return StreamedScore(row: row - historyRows, scores: scores)
        }

        func finish() throws -> [StreamedScore] {
            let l = scorer.model.windowLength
            guard rowsSeen >= l else {
                throw DetectionError.tooShort(what: "the stream", rows: rowsSeen, needed: l,
                                              advice: "the reconstruction detector reads windows of \(l) rows")
            }
            var out: [StreamedScore] = []
            for offset in 0..<covered.count where firstRow + offset >= historyRows {
                out.append(try final(offset, row: firstRow + offset))
            }
            covered = []; sums = []; recent = []
            return out
        }
    }
}
