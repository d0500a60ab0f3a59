// KNNScorer: the distance of each standardised sliding window (W rows × C channels, flattened) to
// its k-th nearest training window — pyod's KNN with method "largest", the strongest simple
// baseline of shared/research/anomaly-baselines.md — with an exact search over the diagonals of
// the row-distance matrix (`SlidingWindowIndex`), whose cost does not grow with W.
// A window's score goes to its centre row. Per channel, the score is that channel's part of the
// squared distance to the k-th neighbour: the parts add up to d², so the `mean` aggregation is
// d²/C (the same order as d) and the top channels are the ones that differ most from it.
import TSFCTensor

/// Scores windows by their distance to the k-th nearest training window.
public final class KNNScorer: WindowScorer {
    public let index: SlidingWindowIndex
    public let windowLength: Int
    public let channels: Int
    /// Neighbours (k).
    public let neighbours: Int
    /// The centred window's score or the minimum over the covering windows.
    public let rowScore: WindowRowScore

    /// - Parameters:
    ///   - rows: standardised training rows `[T, C]` (row-major).
    ///   - starts: first rows of the reference windows within `rows`.
    ///   - rowScore: which window scores give a row its score.
    public init(rows: [Float], starts: [Int], windowLength: Int, channels: Int, neighbours: Int, rowScore: WindowRowScore = .centre) {
        index = SlidingWindowIndex(rows: rows, channels: channels, windowLength: windowLength, starts: starts)
        self.windowLength = windowLength
        self.channels = channels
        self.neighbours = Swift.max(1, neighbours)
        self.rowScore = rowScore
    }

    /// The same fitted scorer with another row score.
    public func withRowScore(_ rowScore: WindowRowScore) -> KNNScorer {
        KNNScorer(rows: index.rows, starts: index.starts, windowLength: windowLength, channels: channels,
                  neighbours: neighbours, rowScore: rowScore)
    }

    /// From flattened reference windows `[N, W·C]` (bundles written before the rows were stored):
    /// the windows are laid end to end and only their own starts are searched.
    public convenience init(reference: [Float], windowLength: Int, channels: Int, neighbours: Int) {
        let n = reference.count / Swift.max(1, windowLength * channels)
        self.init(rows: reference, starts: (0..<n).map { $0 * windowLength }, windowLength: windowLength,
                  channels: channels, neighbours: neighbours)
    }

    /// Fits on every stride-1 window of rows `rows` of standardised `values` `[T, C]`, thinned evenly
    /// to at most `maximumReference` windows.
    public static func fit(values: [Float], channels: Int, rows: Range<Int>, windowLength: Int, neighbours: Int,
                           maximumReference: Int, rowScore: WindowRowScore = .centre) throws -> KNNScorer {
        let starts = try referenceStarts(rows: rows, windowLength: windowLength, maximumReference: maximumReference)
        return KNNScorer(rows: Array(values[(rows.lowerBound * channels)..<(rows.upperBound * channels)]),
                         starts: starts.map { $0 - rows.lowerBound }, windowLength: windowLength,
                         channels: channels, neighbours: neighbours, rowScore: rowScore)
    }

    static func referenceStarts(rows: Range<Int>, windowLength w: Int, maximumReference: Int) throws -> [Int] {
        guard rows.count >= w + 1 else {
            throw DetectionError.tooShort(what: "the training part", rows: rows.count, needed: w + 1,
                                          advice: "the window detectors need at least two training windows of \(w) rows; give more training rows or a shorter detection.window")
        }
        return SlidingWindows.thinned(last: rows.count - w, cap: Swift.max(2, maximumReference)).map { rows.lowerBound + $0 }
    }

    public var kind: ScorerKind { .knn }
    public var requiredChannels: Int? { channels }
    public var scoredOffset: Int { windowLength - 1 - windowLength / 2 }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        guard input.channels == channels else { throw DetectionError.wrongChannels(found: input.channels, expected: channels) }
        return try windowChannelScores(input)
    }

    public func scoreWindows(_ x: [Float], channels c: Int, starts: [Int]) throws -> [Float] {
        try scoreWindows(x, channels: c, starts: starts, band: 0)
    }

    /// Per-channel scores `[N, C]` of the training windows starting at rows `from…T − W` of the
    /// stored rows, each judged without the reference windows that overlap it (starts fewer than
    /// W rows apart): out-of-sample-like scores of the training windows, for calibration. Beyond
    /// `maximum` windows, evenly spaced runs of 256 consecutive ones (the search's block) are kept.
    public func leaveOverlapOutScores(from: Int, maximum: Int = 4096) throws -> AnomalyScores {
        let last = index.rows.count / channels - windowLength
        guard from <= last else { return AnomalyScores(channels: channels, perChannel: []) }
        var starts = Array(from...last)
        let run = SlidingWindowIndex.block
        if starts.count > maximum {
            let runs = Swift.max(1, maximum / run)
            starts = SlidingWindows.thinned(last: starts.count - run, cap: runs).flatMap { first in starts[first..<(first + run)] }
        }
        let scores = try scoreWindows(index.rows, channels: channels, starts: starts, band: windowLength)
        guard rowScore == .minimum else { return AnomalyScores(channels: channels, perChannel: scores) }
        // Rows take the covering minimum: within each run of consecutive starts, the rows that all
        // W of their windows cover.
        let c = channels, w = windowLength
        var rows: [Float] = [], first = 0
        for i in starts.indices where i == starts.count - 1 || starts[i + 1] != starts[i] + 1 {
            let m = i - first + 1
            if m >= w {
                rows += CoveringMinimum.rows(Array(scores[(first * c)..<((i + 1) * c)]), channels: c, windowLength: w, rows: m - w + 1)
            }
            first = i + 1
        }
        return AnomalyScores(channels: c, perChannel: rows)
    }

    func scoreWindows(_ x: [Float], channels c: Int, starts: [Int], band: Int) throws -> [Float] {
        let (indices, _) = index.search(x, queryStarts: starts, k: neighbours, band: band)
        let k = indices.count / Swift.max(1, starts.count)
        return scores(x, channels: c, starts: starts) { indices[$0 * k + k - 1] }
    }

    /// Per-channel scores `[starts.count, C]` of the windows of `x` starting at `starts`, given the
    /// k-th nearest reference window of each (an index into `index.starts`).
    func scores(_ x: [Float], channels c: Int, starts: [Int], kthNeighbour: (Int) -> Int) -> [Float] {
        let w = windowLength
        var out = [Float](repeating: 0, count: starts.count * c)
        let reference = index.rows
        for i in 0..<starts.count {
            let r = index.starts[kthNeighbour(i)]
            for t in 0..<w {
                for ch in 0..<c {
                    let e = x[(starts[i] + t) * c + ch] - reference[(r + t) * c + ch]
                    out[i * c + ch] += e * e
                }
            }
        }
        return out
    }

    /// The training rows `[T, C]` and the reference windows' starts (what a bundle stores).
    public var parameters: [String: Tensor] {
        ["knn.rows": Tensor(shape: [index.rows.count / channels, channels], scalars: index.rows),
         "knn.starts": Tensor(shape: [index.count], scalars: index.starts.map(Float.init))]
    }
}
