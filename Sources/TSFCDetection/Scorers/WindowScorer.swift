// WindowScorer: the shared geometry of scorers that judge a fixed-length window of rows (kNN,
// LOF, ridge AR). A window of `windowLength` rows gives per-channel scores to one of its rows,
// `scoredOffset` rows after its first one: the centre for the neighbour scorers (TSB-AD's and
// the peers' convention: the window ending at t + W/2 scores step t), the last row for the
// causal ridge residual. Rows before the first window's scored row take context from the
// history (or copies of the first row); the last rows, which no window centres on, take the
// last window's score. A stream gives the batch's scores (up to Float summation order in the
// neighbour scorers), `streamDelay` rows late.

/// A scorer of fixed-length windows; `WindowScoring` turns it into an `AnomalyDetector`.
public protocol WindowScorer: AnomalyDetector {
    /// Rows per window (W).
    var windowLength: Int { get }
    /// The row of a window (0-based) that its score belongs to.
    var scoredOffset: Int { get }
    /// Per-channel scores `[starts.count, C]` of the windows starting at `starts` in row-major `x` `[T, C]`.
    func scoreWindows(_ x: [Float], channels: Int, starts: [Int]) throws -> [Float]
    /// Whether a row takes the score of the window that `scoredOffset` places on it, or the
    /// minimum over the windows that contain it (`CoveringMinimum`).
    var rowScore: WindowRowScore { get }
}

extension WindowScorer {
    public var rowScore: WindowRowScore { .centre }
    /// Rows before a row that its score reads: W − 1 for the covering minimum.
    var rowOffset: Int { rowScore == .minimum ? windowLength - 1 : scoredOffset }
    public var contextRows: Int { rowOffset }
    public var streamDelay: Int { rowScore == .minimum ? windowLength - 1 : windowLength - 1 - scoredOffset }

    /// The batch scores of every row after the input's history.
    public func windowChannelScores(_ input: ScoringInput) throws -> AnomalyScores {
        try windowRowScores(input) { x, c, starts in [try scoreWindows(x, channels: c, starts: starts)] }[0]
    }

    /// Row scores from several sets of window scores over the same windows (`score` returns one
    /// `[starts.count, C]` array per set): the geometry of `windowChannelScores`, shared by
    /// scorers that read one neighbour search.
    func windowRowScores(_ input: ScoringInput, _ score: ([Float], Int, [Int]) throws -> [[Float]]) throws -> [AnomalyScores] {
        let c = input.channels, w = windowLength, scoredOffset = rowOffset
        let pad = Swift.max(0, scoredOffset - input.historyRows)
        var x: [Float] = []
        x.reserveCapacity((pad + input.rows) * c)
        if pad > 0, input.rows > 0 { for _ in 0..<pad { x += input.row(0) } }
        x += input.values
        let rows = x.count / c
        let r0 = pad + input.historyRows
        let scored = rows - r0
        guard scored > 0 else { return [AnomalyScores(channels: c, perChannel: [])] }
        // Window for scored row t starts at t − offset; the last full window starts at rows − W.
        let lastStart = rows - w
        guard lastStart >= r0 - scoredOffset else {
            throw DetectionError.tooShort(what: "the series", rows: input.rows, needed: w,
                                          advice: "this detector reads windows of \(w) rows; give a longer input or a shorter detection.window")
        }
        let starts = Array((r0 - scoredOffset)...lastStart)
        return try score(x, c, starts).map { windowScores in
            var out = [Float](repeating: 0, count: scored * c)
            if rowScore == .minimum {
                // One window per scored row, the first starting W − 1 rows before the first scored row.
                out = CoveringMinimum.rows(windowScores, channels: c, windowLength: w, rows: scored)
            } else {
                for i in 0..<scored {
                    let k = Swift.min(i, starts.count - 1)
                    for ch in 0..<c { out[i * c + ch] = windowScores[k * c + ch] }
                }
            }
            if let bad = out.firstIndex(where: { !$0.isFinite }) { throw DetectionError.nonFiniteScores(row: bad / c) }
            return AnomalyScores(channels: c, perChannel: out)
        }
    }

    public func makeStream(channels: Int) -> AnomalyScoreStream {
        rowScore == .minimum ? CoveringMinimumStream(scorer: self, channels: channels) : WindowScoreStream(scorer: self, channels: channels)
    }
}

/// Streams a `WindowScorer`: each window is scored when its last row arrives.
final class WindowScoreStream: AnomalyScoreStream {
    let scorer: any WindowScorer
    let channels: Int
    /// The last W rows (row-major), oldest first.
    var recent: [Float] = []
    var historyRows = 0
    var rowsSeen = 0
    /// Scored rows returned so far, and the last window's scores (for the tail at `finish`).
    var emitted = 0
    var lastScores: [Float]?
    /// Rows of the input (history excluded) seen so far.
    var scoredRowsSeen: Int { rowsSeen - historyRows }
    var padded = false
    var pad = 0

    init(scorer: any WindowScorer, channels: Int) {
        self.scorer = scorer
        self.channels = channels
    }

    func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore] {
        guard row.count == channels else { throw DetectionError.wrongChannels(found: row.count, expected: channels) }
        let w = scorer.windowLength, c = channels
        if isHistory {
            guard rowsSeen == historyRows else { throw DetectionError.invalid("history rows must come before the scored rows") }
            historyRows += 1
        } else if !padded {
            padded = true
            pad = Swift.max(0, scorer.scoredOffset - historyRows)
            for _ in 0..<pad { recent += row }
        }
        recent += row
        rowsSeen += 1
        if recent.count > w * c { recent.removeFirst(recent.count - w * c) }
        // The window ending at this (padded) row scores the row `streamDelay` before it.
        let scoredRow = pad + rowsSeen - 1 - scorer.streamDelay
        guard !isHistory, recent.count == w * c, scoredRow >= pad + historyRows else { return [] }
        let scores = try scorer.scoreWindows(recent, channels: c, starts: [0])
        if !scores.allSatisfy(\.isFinite) { throw DetectionError.nonFiniteScores(row: emitted) }
        lastScores = scores
        let out = StreamedScore(row: emitted, scores: scores)
        emitted += 1
        return [out]
    }

    func finish() throws -> [StreamedScore] {
        guard let last = lastScores else {
            throw DetectionError.tooShort(what: "the stream", rows: scoredRowsSeen, needed: scorer.windowLength,
                                          advice: "this detector reads windows of \(scorer.windowLength) rows")
        }
        var out: [StreamedScore] = []
        while emitted < scoredRowsSeen {
            out.append(StreamedScore(row: emitted, scores: last))
            emitted += 1
        }
        return out
    }
}

/// Sliding windows flattened row-major: window i is rows `starts[i] ..< starts[i] + length` of `x` `[T, C]`.
public enum SlidingWindows {
    /// `[starts.count, length · C]`.
    public static func matrix(_ x: [Float], channels c: Int, length: Int, starts: [Int]) -> [Float] {
        let span = length * c
        var out = [Float](repeating: 0, count: starts.count * span)
        x.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for (i, s) in starts.enumerated() {
                    (o.baseAddress! + i * span).update(from: v.baseAddress! + s * c, count: span)
                }
            }
        }
        return out
    }

    /// At most `cap` of `0...last`, evenly spaced (numpy's `linspace(0, last, cap).astype(int)`).
    public static func thinned(last: Int, cap: Int) -> [Int] {
        let n = last + 1
        guard n > cap, cap > 1 else { return Array(0..<n) }
        return (0..<cap).map { Int(Double($0) * Double(last) / Double(cap - 1)) }
    }
}
