// Sampling-frequency inference that tolerates a few gaps and reports them.

/// A regular sampling step.
public struct Frequency: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The step in seconds (30 days for monthly data, whose steps vary from 28 to 31 days).
    public var seconds: Int64
    /// True for calendar-monthly data.
    public var isMonthly: Bool

    public init(seconds: Int64, isMonthly: Bool = false) {
        self.seconds = seconds
        self.isMonthly = isMonthly
    }

    /// The reference code's frequency letter: `s`, `t` (minutes), `h`, `d`, `w`, `m`.
    public var code: String {
        if isMonthly { return "m" }
        switch seconds {
        case ..<60: return "s"
        case ..<3600: return "t"
        case ..<86_400: return "h"
        case ..<(7 * 86_400): return "d"
        default: return "w"
        }
    }

    /// A short name: `15min`, `1h`, `1d`, `7d`, `1mo`, `30s`.
    public var description: String {
        if isMonthly { return "1mo" }
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)min" }
        return "\(seconds)s"
    }
}

/// A run of missing time steps between two consecutive rows.
public struct TimeGap: Sendable, Equatable, Codable {
    /// The row before the gap.
    public var afterRow: Int
    public var from: Int64
    public var to: Int64
    /// Steps absent between `from` and `to`.
    public var missingSteps: Int
}

/// The result of inferring a frequency from timestamps.
public struct FrequencyAnalysis: Sendable, Equatable {
    public var frequency: Frequency
    /// Steps that are whole multiples (> 1) of the frequency.
    public var gaps: [TimeGap]
    /// Steps that are neither the frequency nor a multiple of it (including non-positive ones).
    public var irregularSteps: Int
    /// Share of steps equal to the frequency.
    public var regularShare: Double

    /// Infers the frequency as the most common positive step, provided at least half of all
    /// steps have it (or all lie between 28 and 31 days: monthly). Nil with fewer than 2 rows.
    public static func infer(_ timestamps: [Int64]) -> FrequencyAnalysis? {
        guard timestamps.count > 1 else { return nil }
        // Boyer–Moore majority vote: a step held by more than half of the steps needs no hashing.
        var candidate: Int64 = 0
        var votes = 0
        var monthly = true
        for k in 1..<timestamps.count {
            let step = timestamps[k] - timestamps[k - 1]
            if votes == 0 { candidate = step; votes = 1 } else if step == candidate { votes += 1 } else { votes -= 1 }
            if step < 28 * 86_400 || step > 31 * 86_400 { monthly = false }
        }
        let steps = timestamps.count - 1
        if monthly {
            return FrequencyAnalysis(frequency: Frequency(seconds: 30 * 86_400, isMonthly: true), gaps: [],
                                     irregularSteps: 0, regularShare: 1)
        }
        var mode = candidate
        var modeCount = 0
        for k in 1..<timestamps.count where timestamps[k] - timestamps[k - 1] == candidate { modeCount += 1 }
        if modeCount * 2 <= steps || candidate <= 0 {
            // No strict majority: the most common positive step, if it still covers half.
            var counts = [Int64: Int]()
            for k in 1..<timestamps.count { counts[timestamps[k] - timestamps[k - 1], default: 0] += 1 }
            guard let best = counts.filter({ $0.key > 0 }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { return nil }
            (mode, modeCount) = best
        }
        guard mode > 0, modeCount * 2 >= steps else { return nil }
        var gaps = [TimeGap]()
        var irregular = 0
        if modeCount != steps {
            for k in 1..<timestamps.count {
                let step = timestamps[k] - timestamps[k - 1]
                if step == mode { continue }
                if step > mode, step % mode == 0 {
                    gaps.append(TimeGap(afterRow: k - 1, from: timestamps[k - 1], to: timestamps[k],
                                        missingSteps: Int(step / mode) - 1))
                } else {
                    irregular += 1
                }
            }
        }
        return FrequencyAnalysis(frequency: Frequency(seconds: mode), gaps: gaps, irregularSteps: irregular,
                                 regularShare: Double(modeCount) / Double(steps))
    }
}
