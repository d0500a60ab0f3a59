// EnsembleScorer: the mean of several scorers' per-channel scores after rank normalisation. Each
// member's scores on a channel are mapped through the empirical distribution of that member's
// scores on the calibration rows (101 quantiles; linear between them), so every member speaks
// in "share of normal rows below this score"; above the largest calibration score the map keeps
// rising, by (s − q₁₀₀) / (q₁₀₀ − q₅₀), so the anomalies beyond it stay ranked.
import TSFCTensor

/// Maps scores to calibration ranks, per channel.
public struct RankNormalizer: Sendable, Equatable {
    /// `[C, 101]` quantiles q₀ … q₁₀₀ of each channel's calibration scores.
    public let quantiles: [Float]
    public let channels: Int
    public static let levels = 101

    /// Per channel, the score distance that adds 1 to the rank beyond the calibration maximum: the
    /// channel's upper half-spread (maximum − median), floored at a tenth of the median half-spread
    /// of the channels and at a tenth of their median maximum, so a channel whose calibration
    /// scores are (nearly) constant cannot turn a tiny score into a rank in the millions — nor, for
    /// scores that sit in a narrow band far from zero (LOF's, around 1), into a rank of several.
    public let excessScales: [Float]
    /// The ranks of detectors saved before the floor at a tenth of the median maximum and the
    /// constant-channel rank existed (floor: the half-spreads alone; a constant channel ranked as
    /// any other), so that they score after reloading as they did when saved.
    public let legacy: Bool

    /// - Parameter legacy: rank as detectors saved before the current floor did.
    public init(quantiles: [Float], channels: Int, legacy: Bool = false) {
        precondition(quantiles.count == channels * RankNormalizer.levels, "RankNormalizer: shapes")
        self.quantiles = quantiles
        self.channels = channels
        self.legacy = legacy
        let m = RankNormalizer.levels
        let spreads = (0..<channels).map { ch in quantiles[ch * m + m - 1] - quantiles[ch * m + (m - 1) / 2] }
        let maxima = (0..<channels).map { ch in Swift.abs(quantiles[ch * m + m - 1]) }
        func medianPositive(_ x: [Float]) -> Float? {
            let p = x.filter { $0 > 0 }.sorted()
            return p.isEmpty ? nil : p[p.count / 2]
        }
        let floor = Swift.max(0.1 * (medianPositive(spreads) ?? 10), legacy ? 0 : 0.1 * (medianPositive(maxima) ?? 0), 1e-12)
        excessScales = spreads.map { Swift.max($0, floor) }
    }

    /// The quantiles of calibration scores `[T, C]`.
    public init(calibration: AnomalyScores) {
        let c = calibration.channels, n = calibration.count, m = RankNormalizer.levels
        var q = [Float](repeating: 0, count: c * m)
        for ch in 0..<c {
            let sorted = (0..<n).map { Double(calibration.perChannel[$0 * c + ch]) }.sorted()
            for i in 0..<m { q[ch * m + i] = sorted.isEmpty ? 0 : Float(EmpiricalQuantile.of(sorted: sorted, Double(i) / Double(m - 1))) }
        }
        self.init(quantiles: q, channels: c)
    }

    /// The rank of score `s` on channel `ch`, in [0, 1] inside the calibration range. A channel
    /// whose calibration scores are all equal has no range to rank within: its rank rises from 0
    /// at that score by 1 per excess scale, so a small change of a channel that was constant in
    /// training moves the rank a little instead of jumping it past every normal row.
    public func rank(_ s: Float, channel ch: Int) -> Float {
        let m = RankNormalizer.levels, base = ch * m
        if s <= quantiles[base] { return 0 }
        let top = quantiles[base + m - 1]
        if quantiles[base] == top && !legacy { return (s - top) / excessScales[ch] }
        if s >= top {
            return 1 + (s - top) / excessScales[ch]
        }
        var lo = 0, hi = m - 1                                  // q[lo] < s < q[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if quantiles[base + mid] <= s { lo = mid } else { hi = mid }
        }
        let a = quantiles[base + lo], b = quantiles[base + hi]
        return (Float(lo) + (b > a ? (s - a) / (b - a) : 0)) / Float(m - 1)
    }
}

/// The mean rank-normalised score of its members.
public final class EnsembleScorer: AnomalyDetector {
    public let members: [any AnomalyDetector]
    public let normalizers: [RankNormalizer]

    public init(members: [any AnomalyDetector], normalizers: [RankNormalizer]) {
        precondition(!members.isEmpty && members.count == normalizers.count, "EnsembleScorer: one normaliser per member")
        self.members = members
        self.normalizers = normalizers
    }

    /// Normalisers alone, for `combine`.
    private init(members: [any AnomalyDetector], normalizers: [RankNormalizer], unchecked: Void) {
        self.members = members
        self.normalizers = normalizers
    }

    public var kind: ScorerKind { .ensemble }
    public var requiredChannels: Int? { members.compactMap(\.requiredChannels).first }
    public var contextRows: Int { members.map(\.contextRows).max() ?? 0 }
    public var streamDelay: Int { members.map(\.streamDelay).max() ?? 0 }

    func combine(_ parts: [[Float]], channels c: Int) -> [Float] {
        var out = [Float](repeating: 0, count: parts[0].count)
        for (m, part) in parts.enumerated() {
            for i in 0..<part.count { out[i] += normalizers[m].rank(part[i], channel: i % c) }
        }
        let n = Float(parts.count)
        return out.map { $0 / n }
    }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        let parts = try Self.memberScores(members, input).map(\.perChannel)
        return AnomalyScores(channels: input.channels, perChannel: combine(parts, channels: input.channels))
    }

    /// Each member's scores of `input`, in order. A kNN and a LOF member over the same reference
    /// windows share one neighbour search (the kNN's k-th neighbour is among the LOF's k).
    public static func memberScores(_ members: [any AnomalyDetector], _ input: ScoringInput) throws -> [AnomalyScores] {
        var shared: (knn: Int, lof: Int)?
        if let k = members.firstIndex(where: { $0 is KNNScorer }), let l = members.firstIndex(where: { $0 is LOFScorer }),
           (members[l] as! LOFScorer).sharesSearch(with: members[k] as! KNNScorer) {
            shared = (k, l)
        }
        guard let pair = shared else { return try members.map { try $0.channelScores(input) } }
        let both = try (members[pair.lof] as! LOFScorer).channelScores(input, with: members[pair.knn] as! KNNScorer)
        return try members.indices.map { m in
            m == pair.lof ? both.lof : m == pair.knn ? both.knn : try members[m].channelScores(input)
        }
    }

    /// Scores of `input`'s rows for threshold calibration, each row's member ranks taken against
    /// normalisers fitted on the other half of the rows (two folds). The stored normalisers were
    /// fitted on these very rows, so their own ranks top out at 1 and a threshold from them sits
    /// below the ranks that later normal rows reach; out-of-fold ranks behave like later rows'.
    public func crossFittedScores(_ input: ScoringInput) throws -> AnomalyScores {
        Self.crossFitted(try Self.memberScores(members, input), normalizers: normalizers)
    }

    /// `crossFittedScores` from the members' scores of the calibration rows (`memberScores`);
    /// `normalizers` (fitted on all of them) serve inputs too short for two folds.
    public static func crossFitted(_ parts: [AnomalyScores], normalizers: [RankNormalizer]) -> AnomalyScores {
        let c = parts[0].channels
        let t = parts[0].count, half = t / 2
        guard half >= 2 else {
            let scorer = EnsembleScorer(members: [], normalizers: normalizers, unchecked: ())
            return AnomalyScores(channels: c, perChannel: scorer.combine(parts.map(\.perChannel), channels: c))
        }
        func rows(_ s: AnomalyScores, _ r: Range<Int>) -> AnomalyScores {
            AnomalyScores(channels: c, perChannel: Array(s.perChannel[(r.lowerBound * c)..<(r.upperBound * c)]))
        }
        var out = [Float](repeating: 0, count: t * c)
        for (fit, judged) in [(0..<half, half..<t), (half..<t, 0..<half)] {
            for part in parts {
                let normalizer = RankNormalizer(calibration: rows(part, fit))
                for i in judged.lowerBound * c..<judged.upperBound * c {
                    out[i] += normalizer.rank(part.perChannel[i], channel: i % c)
                }
            }
        }
        let n = Float(parts.count)
        return AnomalyScores(channels: c, perChannel: out.map { $0 / n })
    }

    public func makeStream(channels: Int) -> AnomalyScoreStream { Stream(scorer: self, channels: channels) }

    /// Feeds every member's stream and returns a row once all members have scored it.
    final class Stream: AnomalyScoreStream {
        let scorer: EnsembleScorer
        let channels: Int
        let streams: [AnomalyScoreStream]
        var pending: [Int: [Int: [Float]]] = [:]
        var next = 0

        init(scorer: EnsembleScorer, channels: Int) {
            self.scorer = scorer
            self.channels = channels
            streams = scorer.members.map { $0.makeStream(channels: channels) }
        }

        func collect(_ batches: [[StreamedScore]]) -> [StreamedScore] {
            for (m, batch) in batches.enumerated() { for s in batch { pending[s.row, default: [:]][m] = s.scores } }
            var out: [StreamedScore] = []
            while let parts = pending[next], parts.count == streams.count {
                let scores = scorer.combine((0..<streams.count).map { parts[$0]! }, channels: channels)
                out.append(StreamedScore(row: next, scores: scores))
                pending[next] = nil
                next += 1
            }
            return out
        }

        func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore] {
            collect(try streams.map { try $0.append(row, isHistory: isHistory) })
        }

        func finish() throws -> [StreamedScore] { collect(try streams.map { try $0.finish() }) }
    }
}
