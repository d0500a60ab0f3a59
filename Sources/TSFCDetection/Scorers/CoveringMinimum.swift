// CoveringMinimum: a row's score as the lowest score of the windows that contain it, instead of
// the score of the one window centred on it. A centred window score smears an anomaly over the
// W/2 rows on each side of it (every window that contains the anomaly is far from the training
// windows), so the clean rows next to an anomaly are flagged with it. Of the windows covering a
// clean row next to an anomaly, some do not reach the anomaly, and their low score is the row's;
// every window covering an anomalous row contains that row. Per channel: channel c's score at row
// t is the minimum of channel c's scores over the windows starting at t − W + 1 … t (at the end
// of the input, those that exist). A row's score is final once the window starting at it is
// scored: W − 1 rows of context before it, and W − 1 rows of delay in a stream.
import TSFCNN

/// Which window scores a row of a neighbour scorer (kNN, LOF) gets (`detection.row_score`).
public enum WindowRowScore: String, ConfigurationChoice {
    /// The window centred on the row (TSB-AD's and the peers' convention).
    case centre
    /// Per channel, the minimum over every window that contains the row.
    case minimum
}

enum CoveringMinimum {
    /// Per-channel minima `[rows, C]`: row j takes the minimum of windows j … min(j + W − 1, N − 1)
    /// of `windowScores` `[N, C]` (windows with consecutive starts, window j starting W − 1 rows
    /// before row j).
    static func rows(_ windowScores: [Float], channels c: Int, windowLength w: Int, rows: Int) -> [Float] {
        let n = windowScores.count / c
        var out = [Float](repeating: 0, count: rows * c)
        var deque = [Int]()
        deque.reserveCapacity(n)
        for ch in 0..<c {
            // Window indices with increasing scores; the front is the minimum.
            deque.removeAll(keepingCapacity: true)
            var head = 0, next = 0
            for j in 0..<rows {
                let last = Swift.min(j + w - 1, n - 1)
                while next <= last {
                    let v = windowScores[next * c + ch]
                    while deque.count > head, windowScores[deque[deque.count - 1] * c + ch] >= v { deque.removeLast() }
                    deque.append(next)
                    next += 1
                }
                while deque[head] < j { head += 1 }
                out[j * c + ch] = windowScores[deque[head] * c + ch]
            }
        }
        return out
    }
}

/// Streams a `WindowScorer` whose rows take the covering minimum: every window is scored when its
/// last row arrives, and a row is returned once the window starting at it has been scored.
final class CoveringMinimumStream: AnomalyScoreStream {
    let scorer: any WindowScorer
    let channels: Int
    /// History rows (row-major) until the first scored row arrives; then the last W rows.
    var recent: [Float] = []
    /// Scores `[C]` of the last (up to) W windows, oldest first.
    var windows: [[Float]] = []
    var historyRows = 0
    /// Padded index of the first scored row (nil before it arrives) and of the last row seen.
    var firstScored: Int?
    var lastRow = -1
    var emitted = 0

    init(scorer: any WindowScorer, channels: Int) {
        self.scorer = scorer
        self.channels = channels
    }

    /// Per channel, the minimum over the last `count` windows.
    func minimum(last count: Int) -> [Float] {
        let range = (windows.count - count)..<windows.count
        return (0..<channels).map { ch in windows[range].map { $0[ch] }.min()! }
    }

    func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore] {
        guard row.count == channels else { throw DetectionError.wrongChannels(found: row.count, expected: channels) }
        let w = scorer.windowLength, c = channels
        if isHistory {
            guard firstScored == nil else { throw DetectionError.invalid("history rows must come before the scored rows") }
            historyRows += 1
            recent += row
            if recent.count > w * c { recent.removeFirst(recent.count - w * c) }
            return []
        }
        if firstScored == nil {
            // Copies of the first row stand in for missing context (as the batch scorer pads).
            let pad = Swift.max(0, w - 1 - historyRows)
            let first = historyRows > 0 ? Array(recent.prefix(c)) : row
            recent = Array([[Float]](repeating: first, count: pad).joined()) + recent
            firstScored = pad + historyRows
            lastRow = firstScored! - 1
        }
        recent += row
        lastRow += 1
        if recent.count > w * c { recent.removeFirst(recent.count - w * c) }
        // The window ending at this row; the first one ends at the first scored row.
        let scores = try scorer.scoreWindows(recent, channels: c, starts: [0])
        if !scores.allSatisfy(\.isFinite) { throw DetectionError.nonFiniteScores(row: emitted) }
        windows.append(scores)
        if windows.count > w { windows.removeFirst() }
        // The row this window starts at is covered by it and the W − 1 windows before it.
        guard lastRow - (w - 1) >= firstScored! else { return [] }
        emitted += 1
        return [StreamedScore(row: emitted - 1, scores: minimum(last: w))]
    }

    func finish() throws -> [StreamedScore] {
        guard let first = firstScored else {
            throw DetectionError.tooShort(what: "the stream", rows: 0, needed: 1, advice: "give at least one row to score")
        }
        let w = scorer.windowLength, lastStart = lastRow - (w - 1)
        var out: [StreamedScore] = []
        // Rows after the last window's first row: covered by the windows from W − 1 rows before them to the last.
        while first + emitted <= lastRow {
            let t = first + emitted
            out.append(StreamedScore(row: emitted, scores: minimum(last: Swift.min(windows.count, lastStart - t + w))))
            emitted += 1
        }
        return out
    }
}
