// The built-in baselines of a backtest: closed-form forecasts fitted on a window's history only.
import TSFCData

/// A closed-form forecast fitted on the history before a cutoff.
public enum Baseline: String, Sendable, CaseIterable, Codable {
    /// The last value, repeated.
    case naive
    /// The value one season earlier: ŷ(n + h) = y(n − m + ((h − 1) mod m)).
    case seasonalNaive = "seasonal_naive"
    /// The mean of the whole history.
    case mean
    /// The line through the first and last values: ŷ(n + h) = y(n) + h·(y(n) − y(1))/(n − 1).
    case drift

    /// `horizon` forecasts after `history` (at least one value). `seasonLength` is used by the
    /// seasonal naive forecast only; when the history holds less than one season it falls back
    /// to the naive forecast. A one-value history makes drift the naive forecast.
    public func forecast(_ history: [Double], horizon: Int, seasonLength: Int) -> [Double] {
        precondition(!history.isEmpty, "a baseline needs at least one value of history")
        let n = history.count, last = history[n - 1]
        switch self {
        case .naive:
            return Array(repeating: last, count: horizon)
        case .seasonalNaive:
            let m = seasonLength
            guard m >= 1, n >= m else { return Array(repeating: last, count: horizon) }
            return (0..<horizon).map { k in history[n - m + k % m] }
        case .mean:
            let mean = history.reduce(0, +) / Double(n)
            return Array(repeating: mean, count: horizon)
        case .drift:
            let slope = n > 1 ? (last - history[0]) / Double(n - 1) : 0
            return (0..<horizon).map { last + Double($0 + 1) * slope }
        }
    }

    /// The season length a frequency implies: hourly 24, daily 7, weekly 52, monthly 12,
    /// quarterly 4, anything else (or none) 1.
    public static func seasonLength(for frequency: Frequency?) -> Int {
        guard let frequency else { return 1 }
        switch (frequency.unit, frequency.multiple) {
        case (.fixed, 3_600): return 24
        case (.fixed, 86_400): return 7
        case (.fixed, 604_800): return 52
        case (.month, 1): return 12
        case (.month, 3): return 4
        default: return 1
        }
    }
}
