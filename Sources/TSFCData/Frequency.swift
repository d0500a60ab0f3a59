// Sampling frequencies that know the calendar: fixed steps (seconds … weeks), business days,
// anchored months, quarters and years, and integer index steps; how to step through them.

/// A regular sampling step on the UTC calendar (no daylight-saving time).
public struct Frequency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What one step is made of.
    public enum Unit: String, Sendable, Codable, CaseIterable {
        /// `multiple` seconds: seconds, minutes, hours, days and weeks (a weekly step keeps its
        /// weekday).
        case fixed
        /// `multiple` weekdays; Saturdays and Sundays are skipped.
        case businessDay
        /// `multiple` calendar months: 1 monthly, 3 quarterly, 12 yearly, placed by `anchor`.
        case month
        /// `multiple` integer steps of a row index (the time column holds plain numbers).
        case step
    }

    /// Where a month-based step falls within its month.
    public enum Anchor: String, Sendable, Codable, CaseIterable {
        /// The day of the month of the stamp it steps from (clamped to the month's length).
        case sameDay
        /// The first day of the month.
        case start
        /// The last day of the month (29 February in leap years).
        case end
    }

    public var unit: Unit
    /// Seconds, business days, months or index steps per step (see `unit`); positive.
    public var multiple: Int64
    /// Month-based units only.
    public var anchor: Anchor
    /// Fixed weekly steps given as `W-MON` … `W-SUN`: the weekday (Monday 0) every step falls on.
    public var weekday: Int?

    /// A frequency of `unit` made of `multiple` units.
    public init(unit: Unit, multiple: Int64 = 1, anchor: Anchor = .sameDay, weekday: Int? = nil) {
        precondition(multiple > 0, "a frequency needs a positive step")
        self.unit = unit
        self.multiple = multiple
        self.anchor = anchor
        self.weekday = weekday
    }

    /// A fixed step of `seconds`, or one calendar month (same day) when `isMonthly`.
    public init(seconds: Int64, isMonthly: Bool = false) {
        self.init(unit: isMonthly ? .month : .fixed, multiple: isMonthly ? 1 : max(1, seconds))
    }

    public static let monthStart = Frequency(unit: .month, multiple: 1, anchor: .start)
    public static let monthEnd = Frequency(unit: .month, multiple: 1, anchor: .end)
    public static let quarterStart = Frequency(unit: .month, multiple: 3, anchor: .start)
    public static let quarterEnd = Frequency(unit: .month, multiple: 3, anchor: .end)
    public static let yearStart = Frequency(unit: .month, multiple: 12, anchor: .start)
    public static let yearEnd = Frequency(unit: .month, multiple: 12, anchor: .end)
    public static let businessDay = Frequency(unit: .businessDay)
    public static let daily = Frequency(seconds: 86_400)
    public static let indexStep = Frequency(unit: .step)

    /// A nominal length in seconds (months 30 days, quarters 91, years 365, business days 1
    /// day, index steps `multiple`), for code that needs a single number.
    public var seconds: Int64 {
        switch unit {
        case .fixed, .step: return multiple
        case .businessDay: return multiple * 86_400
        case .month:
            switch multiple {
            case 3: return 91 * 86_400
            case 12: return 365 * 86_400
            default: return multiple * 30 * 86_400
            }
        }
    }

    /// True for month-based steps (months, quarters, years).
    public var isMonthly: Bool { unit == .month }

    /// The reference code's frequency letter: `s`, `t` (minutes), `h`, `d`, `w`, `m`.
    public var code: String {
        switch unit {
        case .month: return "m"
        case .businessDay: return "d"
        case .fixed, .step:
            switch multiple {
            case ..<60: return "s"
            case ..<3600: return "t"
            case ..<86_400: return "h"
            case ..<(7 * 86_400): return "d"
            default: return "w"
            }
        }
    }

    /// A short name: `15min`, `1h`, `1d`, `7d`, `30s` for fixed steps; `W-SUN` for anchored
    /// weeks; `B`, `MS`, `ME`, `QS`, `QE`, `YS`, `YE` (with a count when not 1, e.g. `2MS`);
    /// `1mo` / `3mo` / `12mo` for months on another day; `1 step` for an index.
    public var description: String {
        switch unit {
        case .fixed:
            if let weekday, multiple == 7 * 86_400 { return "W-" + Frequency.weekdayNames[weekday] }
            if multiple % 86_400 == 0 { return "\(multiple / 86_400)d" }
            if multiple % 3600 == 0 { return "\(multiple / 3600)h" }
            if multiple % 60 == 0 { return "\(multiple / 60)min" }
            return "\(multiple)s"
        case .businessDay:
            return multiple == 1 ? "B" : "\(multiple)B"
        case .step:
            return multiple == 1 ? "1 step" : "\(multiple) steps"
        case .month:
            if anchor == .sameDay { return "\(multiple)mo" }
            let suffix = anchor == .start ? "S" : "E"
            let (letter, count): (String, Int64) = multiple % 12 == 0 ? ("Y", multiple / 12)
                : multiple % 3 == 0 ? ("Q", multiple / 3) : ("M", multiple)
            return (count == 1 ? "" : "\(count)") + letter + suffix
        }
    }

    static let weekdayNames = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]

    // Codable: bundles and caches written before calendar units stored `seconds` and `isMonthly`.
    private enum CodingKeys: String, CodingKey { case seconds, isMonthly, unit, multiple, anchor, weekday }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let unit = try c.decodeIfPresent(Unit.self, forKey: .unit) {
            self.init(unit: unit, multiple: max(1, try c.decode(Int64.self, forKey: .multiple)),
                      anchor: try c.decodeIfPresent(Anchor.self, forKey: .anchor) ?? .sameDay,
                      weekday: try c.decodeIfPresent(Int.self, forKey: .weekday))
        } else {
            self.init(seconds: try c.decode(Int64.self, forKey: .seconds),
                      isMonthly: try c.decodeIfPresent(Bool.self, forKey: .isMonthly) ?? false)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(isMonthly, forKey: .isMonthly)
        try c.encode(unit, forKey: .unit)
        try c.encode(multiple, forKey: .multiple)
        try c.encode(anchor, forKey: .anchor)
        try c.encodeIfPresent(weekday, forKey: .weekday)
    }
}

// MARK: - Stepping

extension Frequency {
    /// The `count` stamps after `last`: the first is the next point of this frequency strictly
    /// after `last` (a month end later in the same month, the next `W-SUN` Sunday, the next
    /// weekday), then one step apart.
    public func future(after last: Int64, count: Int) -> [Int64] {
        guard count > 0 else { return [] }
        var stamps = [Int64]()
        stamps.reserveCapacity(count)
        var t = first(after: last)
        stamps.append(t)
        while stamps.count < count {
            t = advance(t, steps: 1)
            stamps.append(t)
        }
        return stamps
    }

    /// The first point of this frequency strictly after `t`.
    func first(after t: Int64) -> Int64 {
        switch unit {
        case .fixed:
            guard let weekday else { return t + multiple }
            let (days, secondOfDay) = Frequency.split(t)
            var next = days + 1
            while Frequency.weekday(ofDay: next) != weekday { next += 1 }
            return Int64(next) * 86_400 + secondOfDay
        case .month:
            let f = Timestamp.fields(t)
            let here = anchored(monthIndex: f.year * 12 + f.month - 1, day: f.day, like: t)
            return here > t ? here : advance(t, steps: 1)
        case .businessDay:
            let (days, secondOfDay) = Frequency.split(t)
            if Frequency.weekday(ofDay: days) >= 5 {  // from a weekend: the next Monday is one step
                var next = days + 1
                while Frequency.weekday(ofDay: next) >= 5 { next += 1 }
                return advance(Int64(next) * 86_400 + secondOfDay, steps: Int(multiple) - 1)
            }
            return advance(t, steps: 1)
        case .step:
            return t + multiple
        }
    }

    /// `t` moved by `steps` steps (negative: backwards), keeping its time of day; month-based
    /// steps place the day by the anchor (`sameDay`: `t`'s day, clamped to the month's length).
    public func advance(_ t: Int64, steps: Int) -> Int64 {
        switch unit {
        case .fixed, .step:
            return t + Int64(steps) * multiple
        case .businessDay:
            let (days, secondOfDay) = Frequency.split(t)
            var index = Frequency.businessIndex(ofDay: days)
            if Frequency.weekday(ofDay: days) >= 5, steps < 0 { index += 1 }  // a weekend counts as the next Monday
            return Int64(Frequency.day(ofBusinessIndex: index + Int64(steps) * multiple)) * 86_400 + secondOfDay
        case .month:
            let f = Timestamp.fields(t)
            return anchored(monthIndex: f.year * 12 + f.month - 1 + steps * Int(multiple), day: f.day, like: t)
        }
    }

    /// The stamp in month `monthIndex` (year·12 + month − 1) on the anchor's day, at `t`'s time
    /// of day.
    private func anchored(monthIndex: Int, day: Int, like t: Int64) -> Int64 {
        let year = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let month = monthIndex - year * 12 + 1
        let length = Timestamp.daysInMonth(year: year, month: month)
        let d: Int
        switch anchor {
        case .start: d = 1
        case .end: d = length
        case .sameDay: d = min(day, length)
        }
        let secondOfDay = Frequency.split(t).secondOfDay
        return Int64(Timestamp.daysFromCivil(year: year, month: month, day: d)) * 86_400 + secondOfDay
    }

    /// Whole days since 1970-01-01 and the second within the day.
    static func split(_ t: Int64) -> (days: Int, secondOfDay: Int64) {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        return (Int(days), t - days * 86_400)
    }

    /// Monday 0 … Sunday 6 of a day count since 1970-01-01 (a Thursday).
    static func weekday(ofDay days: Int) -> Int { ((days + 3) % 7 + 7) % 7 }

    /// Weekdays since Monday 1970-01-05 (a weekend day maps to the Friday before it).
    static func businessIndex(ofDay days: Int) -> Int64 {
        let d = days - 4
        let week = d >= 0 ? d / 7 : (d - 6) / 7
        return Int64(week * 5 + min(d - week * 7, 4))
    }

    /// The day (count since 1970-01-01) of a business-day index.
    static func day(ofBusinessIndex index: Int64) -> Int {
        let week = index >= 0 ? index / 5 : (index - 4) / 5
        return Int(week * 7 + (index - week * 5)) + 4
    }

    /// The step's position of `t` on a counting line where consecutive points of this frequency
    /// differ by one `unit` (months: year·12 + month; business days: the weekday count; fixed and
    /// index steps: `t` itself); nil when `t` is not on the unit's grid (a weekend day).
    func position(_ t: Int64) -> Int64? {
        switch unit {
        case .fixed, .step: return t
        case .businessDay:
            let days = Frequency.split(t).days
            return Frequency.weekday(ofDay: days) >= 5 ? nil : Frequency.businessIndex(ofDay: days)
        case .month:
            let f = Timestamp.fields(t)
            return Int64(f.year * 12 + f.month - 1)
        }
    }
}

// MARK: - Aliases

extension Frequency {
    /// Parses a Nixtla / pandas alias with an optional count: `s`, `min` (`T`), `h` (`H`), `D`,
    /// `B`, `W` (`W-SUN` … `W-SAT`), `MS`, `ME` (`M`), `QS`, `QE` (`Q`), `YS` (`AS`), `YE`
    /// (`Y`, `A`), e.g. `15min`, `2h`, `3MS`. Nil for anything else.
    public init?(alias text: String) {
        let trimmed = text.filter { $0 != " " }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let count = digits.isEmpty ? 1 : Int64(digits) ?? 0
        guard count > 0 else { return nil }
        let name = String(trimmed.dropFirst(digits.count))
        switch name {
        case "s", "S": self.init(seconds: count)
        case "min", "T": self.init(seconds: 60 * count)
        case "h", "H": self.init(seconds: 3600 * count)
        case "D", "d": self.init(seconds: 86_400 * count)
        case "B": self.init(unit: .businessDay, multiple: count)
        case "W": self.init(seconds: 7 * 86_400 * count)
        case "MS": self.init(unit: .month, multiple: count, anchor: .start)
        case "ME", "M": self.init(unit: .month, multiple: count, anchor: .end)
        case "QS": self.init(unit: .month, multiple: 3 * count, anchor: .start)
        case "QE", "Q": self.init(unit: .month, multiple: 3 * count, anchor: .end)
        case "YS", "AS": self.init(unit: .month, multiple: 12 * count, anchor: .start)
        case "YE", "Y", "A": self.init(unit: .month, multiple: 12 * count, anchor: .end)
        default:
            guard name.hasPrefix("W-"), count == 1,
                  let day = Frequency.weekdayNames.firstIndex(of: name.dropFirst(2).uppercased()) else { return nil }
            self.init(unit: .fixed, multiple: 7 * 86_400, weekday: day)
        }
    }

    /// The aliases `init(alias:)` accepts, for help texts and messages.
    public static let aliasHelp = "s, min, h, D, B, W, W-MON … W-SUN, MS, ME (M), QS, QE (Q), YS, YE (Y, A), with an optional count (15min, 2h)"
}

// MARK: - Inference

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

    /// Infers the frequency. Calendar frequencies come first: when every stamp is on a month's
    /// first day, last day, or the same day of the month (at one time of day), the step is the
    /// most common month count (1, 3, 12, …); when every stamp is a weekday and some step crosses
    /// a weekend, business days. Otherwise the most common positive step in seconds. Either way
    /// the step must cover at least half of all steps; longer whole multiples of it are gaps.
    /// With `isIndex` the stamps are plain integers and the step is an index step. Nil with
    /// fewer than 2 rows or without a dominant step.
    public static func infer(_ timestamps: [Int64], isIndex: Bool = false) -> FrequencyAnalysis? {
        guard timestamps.count > 1 else { return nil }
        if isIndex {
            return dominant(timestamps, unit: .step, anchor: .sameDay)
        }
        if let anchor = monthAnchor(timestamps), let analysis = dominant(timestamps, unit: .month, anchor: anchor) {
            return analysis
        }
        if isBusinessDaily(timestamps), let analysis = dominant(timestamps, unit: .businessDay, anchor: .sameDay),
           analysis.frequency.multiple == 1 {
            return analysis
        }
        if let analysis = dominant(timestamps, unit: .fixed, anchor: .sameDay) { return analysis }
        // Months on no common day (e.g. the last weekday): every step between 28 and 31 days.
        var monthly = true
        for k in 1..<timestamps.count {
            let step = timestamps[k] - timestamps[k - 1]
            if step < 28 * 86_400 || step > 31 * 86_400 { monthly = false; break }
        }
        return monthly ? FrequencyAnalysis(frequency: Frequency(seconds: 30 * 86_400, isMonthly: true), gaps: [],
                                           irregularSteps: 0, regularShare: 1) : nil
    }

    /// The month anchor shared by every stamp (first day, last day or one day of the month, one
    /// time of day), or nil.
    static func monthAnchor(_ timestamps: [Int64]) -> Frequency.Anchor? {
        let secondOfDay = Frequency.split(timestamps[0]).secondOfDay
        var allStart = true, allEnd = true, sameDay = true
        let firstDay = Timestamp.fields(timestamps[0]).day
        for t in timestamps {
            guard Frequency.split(t).secondOfDay == secondOfDay else { return nil }
            let f = Timestamp.fields(t)
            if f.day != 1 { allStart = false }
            if f.day != Timestamp.daysInMonth(year: f.year, month: f.month) { allEnd = false }
            if f.day != firstDay { sameDay = false }
            if !allStart, !allEnd, !sameDay { return nil }
        }
        // A run within one month (daily data starting on the 1st) is not monthly: the months must advance.
        let firstMonth = Frequency(unit: .month).position(timestamps[0])
        guard Frequency(unit: .month).position(timestamps[1]) != firstMonth else { return nil }
        return allStart ? .start : allEnd ? .end : .sameDay
    }

    /// Every stamp a weekday at one time of day, and at least one step over a weekend.
    static func isBusinessDaily(_ timestamps: [Int64]) -> Bool {
        let secondOfDay = Frequency.split(timestamps[0]).secondOfDay
        var crossesWeekend = false
        var previous = -1
        for t in timestamps {
            let (days, s) = Frequency.split(t)
            let weekday = Frequency.weekday(ofDay: days)
            guard s == secondOfDay, weekday < 5 else { return false }
            if previous >= 0, days - previous > 1, days - previous < 7, weekday < Frequency.weekday(ofDay: previous) {
                crossesWeekend = true
            }
            previous = days
        }
        return crossesWeekend
    }

    /// The most common positive step between positions on `unit`'s counting line, if it covers
    /// at least half of all steps; gaps and irregular steps relative to it.
    static func dominant(_ timestamps: [Int64], unit: Frequency.Unit, anchor: Frequency.Anchor) -> FrequencyAnalysis? {
        let probe = Frequency(unit: unit, anchor: anchor)
        var positions = timestamps  // fixed and index steps count the stamps themselves
        if unit == .month || unit == .businessDay {
            for k in positions.indices {
                guard let p = probe.position(timestamps[k]) else { return nil }
                positions[k] = p
            }
        }
        // Boyer–Moore majority vote: a step held by more than half of the steps needs no hashing.
        var candidate: Int64 = 0
        var votes = 0
        for k in 1..<positions.count {
            let step = positions[k] - positions[k - 1]
            if votes == 0 { candidate = step; votes = 1 } else if step == candidate { votes += 1 } else { votes -= 1 }
        }
        let steps = positions.count - 1
        var mode = candidate
        var modeCount = 0
        for k in 1..<positions.count where positions[k] - positions[k - 1] == candidate { modeCount += 1 }
        if modeCount * 2 <= steps || candidate <= 0 {
            // No strict majority: the most common positive step, if it still covers half.
            var counts = [Int64: Int]()
            for k in 1..<positions.count { counts[positions[k] - positions[k - 1], default: 0] += 1 }
            guard let best = counts.filter({ $0.key > 0 }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { return nil }
            (mode, modeCount) = best
        }
        guard mode > 0, modeCount * 2 >= steps else { return nil }
        var gaps = [TimeGap]()
        var irregular = 0
        if modeCount != steps {
            for k in 1..<positions.count {
                let step = positions[k] - positions[k - 1]
                if step == mode { continue }
                if step > mode, step % mode == 0 {
                    gaps.append(TimeGap(afterRow: k - 1, from: timestamps[k - 1], to: timestamps[k],
                                        missingSteps: Int(step / mode) - 1))
                } else {
                    irregular += 1
                }
            }
        }
        return FrequencyAnalysis(frequency: Frequency(unit: unit, multiple: mode, anchor: anchor), gaps: gaps,
                                 irregularSteps: irregular, regularShare: Double(modeCount) / Double(steps))
    }
}
