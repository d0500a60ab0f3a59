// AnomalyDetector: the one protocol every anomaly scorer follows (forecast residuals,
// reconstruction error), the scores it returns — one per time step and channel, so the channels
// that drove an alarm can be named — and the streaming form used by `tsfc detect --follow`.
import TSFCTensor

/// A standardised multichannel series to score: row-major `[T, C]`. The first `historyRows`
/// rows are context only (e.g. the tail of the training data) and get no score.
public struct ScoringInput: Sendable {
    public let values: [Float]
    public let channels: Int
    public let historyRows: Int

    /// - Precondition: `values` holds whole rows and `historyRows` of them at most.
    public init(values: [Float], channels: Int, historyRows: Int = 0) {
        precondition(channels > 0 && values.count % channels == 0, "ScoringInput: \(values.count) values are not rows of \(channels)")
        precondition(historyRows >= 0 && historyRows * channels <= values.count, "ScoringInput: history longer than the input")
        self.values = values
        self.channels = channels
        self.historyRows = historyRows
    }

    /// All rows, history included.
    public var rows: Int { values.count / channels }
    /// Rows that get a score.
    public var scoredRows: Int { rows - historyRows }

    /// Row `t` (C values).
    public func row(_ t: Int) -> ArraySlice<Float> { values[(t * channels)..<((t + 1) * channels)] }
}

/// Anomaly scores of consecutive time steps: one per step and channel (larger = more anomalous).
public struct AnomalyScores: Sendable, Equatable {
    /// Channels per step (C).
    public let channels: Int
    /// Row-major `[T, C]` per-channel scores.
    public var perChannel: [Float]

    public init(channels: Int, perChannel: [Float]) {
        precondition(channels > 0 && perChannel.count % channels == 0, "AnomalyScores: not whole rows")
        self.channels = channels
        self.perChannel = perChannel
    }

    /// Time steps (T).
    public var count: Int { perChannel.count / channels }

    /// The per-channel scores of step `t`.
    public func channelScores(at t: Int) -> ArraySlice<Float> { perChannel[(t * channels)..<((t + 1) * channels)] }

    /// One score per step: the mean or the maximum over channels.
    public func aggregated(_ aggregation: ScoreAggregation) -> [Float] {
        (0..<count).map { AnomalyScores.aggregate(channelScores(at: $0), aggregation) }
    }

    /// The mean or maximum of one step's channel scores.
    public static func aggregate(_ scores: ArraySlice<Float>, _ aggregation: ScoreAggregation) -> Float {
        switch aggregation {
        case .mean: return scores.reduce(0, +) / Float(Swift.max(scores.count, 1))
        case .max: return scores.max() ?? 0
        }
    }

    /// Indices of the `k` channels with the largest scores at step `t`, largest first (ties: lower index first).
    public func topChannels(at t: Int, k: Int) -> [Int] {
        AnomalyScores.topChannels(channelScores(at: t), k: k)
    }

    /// Indices (0-based within `scores`) of the `k` largest values, largest first.
    public static func topChannels(_ scores: ArraySlice<Float>, k: Int) -> [Int] {
        let base = scores.startIndex
        return scores.indices.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }.prefix(k).map { $0 - base }
    }

    /// Appends the steps of `other` (same channel count).
    public mutating func append(_ other: AnomalyScores) {
        precondition(other.channels == channels, "AnomalyScores.append: \(other.channels) channels, expected \(channels)")
        perChannel += other.perChannel
    }
}

/// One scored step from a stream: its index among the scored rows and its per-channel scores.
public struct StreamedScore: Sendable, Equatable {
    public let row: Int
    public let scores: [Float]
}

/// An anomaly scorer: per-step, per-channel scores for a standardised series.
public protocol AnomalyDetector: AnyObject {
    /// `residual` or `reconstruction`.
    var kind: ScorerKind { get }
    /// Channels the scorer was built for (nil: any number, channel-independent).
    var requiredChannels: Int? { get }
    /// Rows of context before a step that its score reads; a shorter history is padded.
    var contextRows: Int { get }
    /// Steps a streamed score lags behind its row (0: scored as it arrives).
    var streamDelay: Int { get }
    /// Scores of `input`'s rows after its history, `[scoredRows, C]`.
    func channelScores(_ input: ScoringInput) throws -> AnomalyScores
    /// A stream that scores rows one at a time with the same numbers as `channelScores`.
    func makeStream(channels: Int) -> AnomalyScoreStream
}

/// Rows in, final scores out, in order; the same scores as the batch scorer on the same rows.
public protocol AnomalyScoreStream: AnyObject {
    /// Feeds one standardised row; history rows give context only. Returns the steps whose
    /// scores became final (possibly none, possibly earlier rows).
    func append(_ row: [Float], isHistory: Bool) throws -> [StreamedScore]
    /// The end of the input: the scores of every row not yet returned.
    func finish() throws -> [StreamedScore]
}

/// Errors from scoring or training detectors.
public enum DetectionError: Error, CustomStringConvertible, Equatable {
    case tooShort(what: String, rows: Int, needed: Int, advice: String)
    case wrongChannels(found: Int, expected: Int)
    case nonFiniteScores(row: Int)
    case invalid(String)

    public var description: String {
        switch self {
        case let .tooShort(what, rows, needed, advice):
            return "\(what) has \(rows) rows but needs at least \(needed): \(advice)"
        case let .wrongChannels(found, expected):
            return "the series has \(found) channels but the detector was built for \(expected)"
        case let .nonFiniteScores(row):
            return "the scorer produced a non-finite score at row \(row); check the input for extreme values"
        case let .invalid(message): return message
        }
    }
}
