// Alarm events: consecutive alarms merged into events, with a minimum gap between events, a
// minimum event length, and suppression of new alarms for a while after an event.
//
// Order of the steps: (1) maximal runs of alarms; (2) runs separated by fewer than
// `minimumGap` quiet steps are merged (the quiet steps become part of the event); (3) events
// shorter than `minimumLength` steps are dropped; (4) going forward in time, an event that
// starts within `suppression` steps after the end of the last kept event is dropped (it is
// silenced and does not extend the silence), as an operator would not be paged again.

/// One anomaly event: an inclusive range of steps.
public struct AnomalyEvent: Codable, Equatable, Sendable {
    /// First step (0-based, inclusive).
    public let start: Int
    /// Last step (0-based, inclusive).
    public let end: Int
    /// The largest score inside the event.
    public let peakScore: Float
    /// The step of `peakScore` (the first one on ties).
    public let peakIndex: Int
    /// How many steps of the event were alarms (merged gaps are not).
    public let alarmCount: Int

    /// Number of steps, `end − start + 1`.
    public var length: Int { end - start + 1 }

    enum CodingKeys: String, CodingKey {
        case start, end, peakScore = "peak_score", peakIndex = "peak_index", alarmCount = "alarm_count"
    }

    public init(start: Int, end: Int, peakScore: Float, peakIndex: Int, alarmCount: Int) {
        self.start = start; self.end = end; self.peakScore = peakScore; self.peakIndex = peakIndex; self.alarmCount = alarmCount
    }
}

/// Why event options are unusable.
public enum EventOptionError: Error, CustomStringConvertible, Equatable, Sendable {
    case outOfRange(option: String, value: Int, allowed: String)

    public var description: String {
        switch self {
        case let .outOfRange(option, value, allowed): return "event option \(option) = \(value) is out of range: it must be \(allowed)"
        }
    }
}

/// Turns alarm flags into events.
public struct EventExtractor: Codable, Equatable, Sendable {
    /// Runs separated by fewer quiet steps than this are merged (1 = only touching runs, i.e. never merge).
    public let minimumGap: Int
    /// Events shorter than this many steps are dropped (1 keeps all).
    public let minimumLength: Int
    /// Steps after an event's end during which new events are suppressed (0 = none).
    public let suppression: Int

    enum CodingKeys: String, CodingKey { case minimumGap = "minimum_gap", minimumLength = "minimum_length", suppression }

    /// Throws `EventOptionError` when `minimumGap` < 1, `minimumLength` < 1 or `suppression` < 0.
    public init(minimumGap: Int = 1, minimumLength: Int = 1, suppression: Int = 0) throws {
        guard minimumGap >= 1 else { throw EventOptionError.outOfRange(option: "minimum_gap", value: minimumGap, allowed: "≥ 1") }
        guard minimumLength >= 1 else { throw EventOptionError.outOfRange(option: "minimum_length", value: minimumLength, allowed: "≥ 1") }
        guard suppression >= 0 else { throw EventOptionError.outOfRange(option: "suppression", value: suppression, allowed: "≥ 0") }
        self.minimumGap = minimumGap; self.minimumLength = minimumLength; self.suppression = suppression
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(minimumGap: try c.decode(Int.self, forKey: .minimumGap),
                      minimumLength: try c.decode(Int.self, forKey: .minimumLength),
                      suppression: try c.decode(Int.self, forKey: .suppression))
    }

    /// Events of `alarms`, with peaks taken from `scores` (same length).
    public func events(alarms: [Bool], scores: [Float]) -> [AnomalyEvent] {
        precondition(alarms.count == scores.count, "EventExtractor: \(alarms.count) alarms, \(scores.count) scores")
        var merged: [ClosedRange<Int>] = []
        for run in AnomalyLabels.runs(alarms) {
            if let last = merged.last, run.lowerBound - last.upperBound - 1 < minimumGap {
                merged[merged.count - 1] = last.lowerBound...run.upperBound
            } else {
                merged.append(run)
            }
        }
        var out: [AnomalyEvent] = []
        for range in merged where range.count >= minimumLength {
            if let last = out.last, range.lowerBound <= last.end + suppression { continue }
            var peak = range.lowerBound
            for i in range where scores[i] > scores[peak] { peak = i }
            out.append(AnomalyEvent(start: range.lowerBound, end: range.upperBound, peakScore: scores[peak], peakIndex: peak,
                                    alarmCount: range.filter { alarms[$0] }.count))
        }
        return out
    }

    /// Events of the scores above `threshold`.
    public func events(scores: [Float], threshold: FittedThreshold) -> [AnomalyEvent] {
        events(alarms: threshold.alarms(scores), scores: scores)
    }

    /// Per-step flags of `events` over `count` steps (1 inside an event, merged gaps included).
    public static func flags(of events: [AnomalyEvent], count: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        for e in events { for i in e.start...e.end { out[i] = true } }
        return out
    }
}
