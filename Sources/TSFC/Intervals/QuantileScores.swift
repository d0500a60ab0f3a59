// Accuracy of quantile forecasts: the weighted quantile loss (an estimate of the CRPS), and the
// coverage and mean width of each interval.

/// Running sums over forecast points for the weighted quantile loss and interval coverage.
///
/// WQL follows GluonTS and the Chronos benchmarks: for each quantile level q,
/// 2·Σ ρ_q(y, ŷ_q) / Σ |y| with the pinball loss ρ_q(y, ŷ) = max(q·(y − ŷ), (q − 1)·(y − ŷ)),
/// then the mean over the levels; the sums run over the points where every quantile is defined.
/// Averaged over many levels it estimates the CRPS scaled by Σ|y|. Sums add, so a panel's WQL is
/// the ratio of its totals (the dataset-level figure those benchmarks report), not a mean of
/// per-series ratios.
public struct QuantileScoreTotals: Sendable, Equatable {
    /// The quantile levels scored, ascending (`IntervalSettings.quantileLevels`).
    public let quantileLevels: [Double]
    /// For each interval, the indices of its lower and upper quantiles in `quantileLevels`.
    public let intervals: [(lower: Int, upper: Int)]
    var pinball: [Double]
    var absoluteActual = 0.0
    var wqlPoints = 0
    var covered: [Int]
    var widthSum: [Double]
    var intervalPoints: [Int]

    /// Empty sums for `settings`' quantiles and intervals.
    public init(settings: IntervalSettings) {
        quantileLevels = settings.quantileLevels
        intervals = settings.levels.indices.map { settings.bounds(ofLevel: $0) }
        pinball = Array(repeating: 0, count: quantileLevels.count)
        covered = Array(repeating: 0, count: intervals.count)
        widthSum = Array(repeating: 0, count: intervals.count)
        intervalPoints = Array(repeating: 0, count: intervals.count)
    }

    public static func == (a: QuantileScoreTotals, b: QuantileScoreTotals) -> Bool {
        a.quantileLevels == b.quantileLevels && a.intervals.elementsEqual(b.intervals, by: { $0 == $1 })
            && a.pinball == b.pinball && a.absoluteActual == b.absoluteActual && a.wqlPoints == b.wqlPoints
            && a.covered == b.covered && a.widthSum == b.widthSum && a.intervalPoints == b.intervalPoints
    }

    /// The pinball loss of `forecast` at level `q` against `actual`.
    public static func pinball(_ q: Double, actual: Double, forecast: Double) -> Double {
        let d = actual - forecast
        return max(q * d, (q - 1) * d)
    }

    /// Adds one point: its actual value and the forecast quantiles (aligned with
    /// `quantileLevels`; nil where undefined).
    public mutating func add(actual y: Double, quantiles: [Double?]) {
        if !quantileLevels.isEmpty, quantiles.count == quantileLevels.count, quantiles.allSatisfy({ $0 != nil }) {
            for (k, q) in quantileLevels.enumerated() { pinball[k] += Self.pinball(q, actual: y, forecast: quantiles[k]!) }
            absoluteActual += abs(y)
            wqlPoints += 1
        }
        for (k, b) in intervals.enumerated() {
            guard b.upper < quantiles.count, let lo = quantiles[b.lower], let hi = quantiles[b.upper] else { continue }
            if lo <= y && y <= hi { covered[k] += 1 }
            widthSum[k] += hi - lo
            intervalPoints[k] += 1
        }
    }

    /// Adds another total's sums (same settings).
    public mutating func add(_ other: QuantileScoreTotals) {
        for k in pinball.indices { pinball[k] += other.pinball[k] }
        absoluteActual += other.absoluteActual
        wqlPoints += other.wqlPoints
        for k in covered.indices {
            covered[k] += other.covered[k]
            widthSum[k] += other.widthSum[k]
            intervalPoints[k] += other.intervalPoints[k]
        }
    }

    /// The weighted quantile loss; nil without a scored point, quantile or nonzero actual.
    public var wql: Double? {
        guard wqlPoints > 0, !quantileLevels.isEmpty, absoluteActual > 0 else { return nil }
        return pinball.map { 2 * $0 / absoluteActual }.reduce(0, +) / Double(pinball.count)
    }

    /// Per interval, the fraction of points inside it (nil: none scored).
    public var coverage: [Double?] {
        covered.indices.map { intervalPoints[$0] > 0 ? Double(covered[$0]) / Double(intervalPoints[$0]) : nil }
    }

    /// Per interval, its mean width in the data's units (nil: none scored).
    public var width: [Double?] {
        widthSum.indices.map { intervalPoints[$0] > 0 ? widthSum[$0] / Double(intervalPoints[$0]) : nil }
    }
}
