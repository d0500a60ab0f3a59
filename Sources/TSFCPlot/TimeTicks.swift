// Time axes: ticks on calendar boundaries (years, quarters, months, weeks, days, hours, minutes,
// seconds) no finer than the data's own step, labelled readably: `2019`, `Mar 2019`, `Jun 3`,
// `14:00`. All in UTC, as tsfc's timestamps are (epoch seconds).
import Foundation

/// A calendar tick interval: `count` units.
public struct CalendarStep: Sendable, Equatable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable { case second, minute, hour, day, week, month, year }
    public var unit: Unit
    public var count: Int

    public init(_ unit: Unit, _ count: Int = 1) {
        self.unit = unit
        self.count = count
    }

    /// Nominal seconds (months 30 days, years 365).
    public var seconds: Double {
        let base: Double
        switch unit {
        case .second: base = 1
        case .minute: base = 60
        case .hour: base = 3600
        case .day: base = 86_400
        case .week: base = 7 * 86_400
        case .month: base = 30 * 86_400
        case .year: base = 365 * 86_400
        }
        return base * Double(count)
    }

    public var description: String { "\(count) \(unit.rawValue)\(count == 1 ? "" : "s")" }

    /// Candidate intervals, finest first.
    public static let ladder: [CalendarStep] = [
        .init(.second, 1), .init(.second, 5), .init(.second, 15), .init(.second, 30),
        .init(.minute, 1), .init(.minute, 5), .init(.minute, 15), .init(.minute, 30),
        .init(.hour, 1), .init(.hour, 3), .init(.hour, 6), .init(.hour, 12),
        .init(.day, 1), .init(.day, 2), .init(.week, 1), .init(.week, 2),
        .init(.month, 1), .init(.month, 2), .init(.month, 3), .init(.month, 6),
        .init(.year, 1), .init(.year, 2), .init(.year, 5), .init(.year, 10), .init(.year, 25), .init(.year, 50),
        .init(.year, 100), .init(.year, 250), .init(.year, 500), .init(.year, 1000),
    ]
}

/// Ticks of a time axis: positions (epoch seconds) and their labels.
public struct TimeTicks: Sendable, Equatable {
    public var interval: CalendarStep
    public var values: [Double]
    public var labels: [String]

    /// The ticks for `lower…upper` (epoch seconds) drawn over `pixels`: the finest interval of
    /// the ladder that is no finer than `dataStep` (seconds between the data's points, nil when
    /// unknown) and whose labels are at least their own width plus `gap` pixels apart (label
    /// width estimated as `characterWidth` per character) and at least `minimumSpacing` apart.
    public static func make(lower: Double, upper: Double, pixels: Double, dataStep: Double?,
                            characterWidth: Double = 6.6, gap: Double = 14, minimumSpacing: Double = 64) -> TimeTicks {
        let span = max(upper - lower, 1)
        let minimum = (dataStep ?? 0) * 0.95
        for interval in CalendarStep.ladder where interval.seconds >= minimum {
            let spacing = interval.seconds / span * pixels
            guard spacing >= 24 else { continue }
            let values = tickValues(lower: lower, upper: upper, interval: interval)
            let labels = values.map { label(Int64($0), interval: interval) }
            let widest = Double(labels.map(\.count).max() ?? 0) * characterWidth
            if spacing >= max(widest + gap, minimumSpacing) || interval == CalendarStep.ladder.last {
                return TimeTicks(interval: interval, values: values, labels: labels)
            }
        }
        let last = CalendarStep.ladder.last!
        let values = tickValues(lower: lower, upper: upper, interval: last)
        return TimeTicks(interval: last, values: values, labels: values.map { label(Int64($0), interval: last) })
    }

    /// The interval's boundaries inside `lower…upper`: multiples of the count since midnight
    /// 1970-01-01 for seconds to days, Mondays (every `count` weeks), months whose index since
    /// January of year 0 is a multiple of the count (so 3 months are quarters, 6 half years),
    /// and years divisible by the count.
    public static func tickValues(lower: Double, upper: Double, interval: CalendarStep) -> [Double] {
        guard lower.isFinite, upper.isFinite, lower <= upper else { return [] }
        var out: [Double] = []
        let lo = Int64(lower.rounded(.down)), hi = Int64(upper.rounded(.up))
        switch interval.unit {
        case .second, .minute, .hour, .day:
            let step = Int64(interval.seconds)
            var t = floorDiv(lo, step) * step
            while t <= hi, out.count < 2000 {
                if Double(t) >= lower && Double(t) <= upper { out.append(Double(t)) }
                t += step
            }
        case .week:
            // 1970-01-05 (day 4) was a Monday.
            let step = Int64(7 * interval.count)
            var day = floorDiv(floorDiv(lo, 86_400) - 4, step) * step + 4
            while day * 86_400 <= hi, out.count < 2000 {
                let t = Double(day * 86_400)
                if t >= lower && t <= upper { out.append(t) }
                day += step
            }
        case .month, .year:
            let months = interval.unit == .month ? interval.count : 12 * interval.count
            let first = CivilDate(epochSeconds: lo)
            var index = floorDiv(Int64(first.year * 12 + first.month - 1), Int64(months)) * Int64(months)
            while out.count < 2000 {
                let year = Int(floorDiv(index, 12)), month = Int(index - floorDiv(index, 12) * 12) + 1
                let t = Double(CivilDate.epochSeconds(year: year, month: month, day: 1))
                if t > upper { break }
                if t >= lower { out.append(t) }
                index += Int64(months)
            }
        }
        return out
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// A tick's label at `interval`: years `2019`; months `Mar 2019`; weeks and days `Jun 3`
    /// (`2019` on 1 January); hours and minutes `14:00` (`Jun 3` at midnight); seconds `14:00:05`.
    public static func label(_ t: Int64, interval: CalendarStep) -> String {
        let d = CivilDate(epochSeconds: t)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let day = "\(monthNames[d.month - 1]) \(d.day)"
        switch interval.unit {
        case .year: return "\(d.year)"
        case .month: return "\(monthNames[d.month - 1]) \(d.year)"
        case .week, .day: return d.month == 1 && d.day == 1 ? "\(d.year)" : day
        case .hour, .minute:
            return d.hour == 0 && d.minute == 0 ? (d.month == 1 && d.day == 1 ? "\(d.year)" : day) : "\(two(d.hour)):\(two(d.minute))"
        case .second:
            return d.hour == 0 && d.minute == 0 && d.second == 0 ? day : "\(two(d.hour)):\(two(d.minute)):\(two(d.second))"
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// A UTC date and time of the proleptic Gregorian calendar (H. Hinnant's day algorithms; the
/// plotting module keeps its own copy so that it depends on Foundation only).
public struct CivilDate: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    public init(epochSeconds t: Int64) {
        let days = TimeTicks.floorDiv(t, 86_400)
        let secondOfDay = Int(t - days * 86_400)
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    /// Epoch seconds of midnight UTC on a date.
    public static func epochSeconds(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468) * 86_400
    }
}
