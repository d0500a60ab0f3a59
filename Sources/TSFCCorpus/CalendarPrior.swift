// The calendar every synthetic series is drawn on: a sampling frequency, the seasonal periods
// that frequency implies (monthly → 12, hourly → 24 and 168 …), and a length prior skewed to
// short series (yearly series stay short, as real ones are).
import Foundation
import TSFCData
import TSFCTensor

/// A sampling frequency with the seasonal periods its calendar implies.
public struct CalendarFrequency: Sendable, Equatable {
    /// A short name (`yearly`, `monthly`, `15min` …).
    public var name: String
    /// The step.
    public var frequency: Frequency
    /// Calendar seasonal periods in steps, strongest first (empty for yearly).
    public var periods: [Int]
    /// How often this frequency is drawn (relative).
    public var weight: Double
    /// The longest series drawn at this frequency (yearly and quarterly series stay short).
    public var maxLength: Int

    /// Every frequency the corpus uses, yearly to minutely.
    public static let all: [CalendarFrequency] = [
        .init(name: "yearly", frequency: .yearStart, periods: [], weight: 0.08, maxLength: 200),
        .init(name: "quarterly", frequency: .quarterStart, periods: [4], weight: 0.10, maxLength: 400),
        .init(name: "monthly", frequency: .monthStart, periods: [12], weight: 0.20, maxLength: 1200),
        .init(name: "weekly", frequency: Frequency(seconds: 7 * 86_400), periods: [52], weight: 0.08, maxLength: .max),
        .init(name: "daily", frequency: .daily, periods: [7, 365], weight: 0.16, maxLength: .max),
        .init(name: "business_daily", frequency: .businessDay, periods: [5, 261], weight: 0.04, maxLength: .max),
        .init(name: "hourly", frequency: Frequency(seconds: 3600), periods: [24, 168], weight: 0.16, maxLength: .max),
        .init(name: "30min", frequency: Frequency(seconds: 1800), periods: [48, 336], weight: 0.04, maxLength: .max),
        .init(name: "15min", frequency: Frequency(seconds: 900), periods: [96, 672], weight: 0.06, maxLength: .max),
        .init(name: "10min", frequency: Frequency(seconds: 600), periods: [144, 1008], weight: 0.04, maxLength: .max),
        .init(name: "5min", frequency: Frequency(seconds: 300), periods: [288, 2016], weight: 0.03, maxLength: .max),
        .init(name: "minutely", frequency: Frequency(seconds: 60), periods: [60, 1440], weight: 0.01, maxLength: .max),
    ]

    /// The entry named `name`, if any.
    public static func named(_ name: String) -> CalendarFrequency? { all.first { $0.name == name } }

    /// A frequency drawn by weight.
    public static func draw(using rng: inout SeededGenerator) -> CalendarFrequency {
        all[rng.categorical(all.map(\.weight))]
    }

    /// The calendar periods of `frequency` (matched by its step; `[]` when unknown).
    public static func periods(of frequency: Frequency?) -> [Int] {
        guard let frequency else { return [] }
        if let hit = all.first(where: { $0.frequency.unit == frequency.unit && $0.frequency.multiple == frequency.multiple }) {
            return hit.periods
        }
        guard frequency.unit == .fixed else { return [] }
        // Other fixed steps: a day and a week of them, when whole.
        let s = frequency.multiple
        return [86_400, 7 * 86_400].compactMap { $0 % s == 0 && $0 / s >= 2 ? Int($0 / s) : nil }
    }

    /// The periods that fit at least two whole cycles into `length` steps.
    public func periods(fitting length: Int) -> [Int] { periods.filter { $0 >= 2 && 2 * $0 <= length } }
}

/// Series lengths: log-uniform between the bounds with extra mass on short series.
public enum LengthPrior {
    /// A length in `minLength ... maxLength`: `exp(log(min) + u^skew · log(max/min))`, so with
    /// `skew` 1.5 the median is about min·(max/min)^0.4 (≈ 140 for 24…2048).
    public static func draw(minLength: Int, maxLength: Int, skew: Double = 1.5,
                            using rng: inout SeededGenerator) -> Int {
        let lo = max(1, minLength), hi = max(lo, maxLength)
        guard hi > lo else { return lo }
        let u = pow(rng.uniform(), skew)
        let n = Int((Double(lo) * pow(Double(hi) / Double(lo), u)).rounded())
        return min(hi, max(lo, n))
    }
}
