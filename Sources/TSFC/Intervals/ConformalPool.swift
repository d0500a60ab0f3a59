// Calibration sets and the panel pool: short series borrow the scaled residuals of the whole
// panel (each divided by its own series' in-sample naive / seasonal-naive MAE, then rescaled by
// the series'), the usual remedy when one series holds too few windows for a finite-sample quantile.

/// The calibration of one series at one forecast origin.
public struct CalibrationSet: Sendable, Equatable, Codable {
    /// Absolute residuals per horizon step (index h − 1), in the data's units.
    public var residuals: [[Double]]
    /// The series' scale for pooling: the mean absolute seasonal difference of the history before
    /// the origin (`ForecastMetrics.maseScale`); nil or zero keeps the series out of the pool.
    public var scale: Double?

    public init(residuals: [[Double]], scale: Double?) {
        (self.residuals, self.scale) = (residuals, scale)
    }

    /// Whether `scale` can divide and multiply residuals.
    var poolable: Bool { scale.map { $0 > 0 && $0.isFinite } ?? false }
}

/// Scale-free residuals of every series of a panel, per horizon step, ascending.
public struct ConformalPool: Sendable, Equatable {
    public let steps: [[Double]]

    /// Pools `sets` (series without a usable scale are left out).
    public init(_ sets: [CalibrationSet], horizon: Int) {
        var steps = [[Double]](repeating: [], count: horizon)
        for set in sets where set.poolable {
            for h in 0..<min(horizon, set.residuals.count) { steps[h] += set.residuals[h].map { $0 / set.scale! } }
        }
        self.steps = steps.map { $0.sorted() }
    }
}

/// Which residuals calibrated a series' intervals.
public struct CalibrationOutcome: Sendable, Equatable, Codable {
    /// Steps whose own residuals were too few for the widest level and that used the pool.
    public var pooledSteps = 0
    /// Quantile values left undefined (too few residuals even pooled).
    public var undefined = 0
    /// Whether the series had too few residuals of its own and no scale to borrow the pool with
    /// (a constant or one-row history).
    public var unpoolable = false
}

extension ConformalCalibrator {
    /// The quantiles `levels` (ascending, in (0, 1)) of the point forecasts `points` (one per
    /// step): `[level][step]`, nil where undefined.
    ///
    /// Per step, the series' own residuals are used when there are enough for the widest
    /// interval asked (`minimumCount`); otherwise, when the series has a scale and `pool` holds
    /// more residuals at that step, the pooled scale-free residuals times the series' scale; else
    /// its own, with the levels they cannot support left nil. All levels of a step come from one
    /// residual set, so they never cross.
    public static func quantiles(points: [Double], levels: [Double], calibration: CalibrationSet,
                                 pool: ConformalPool?) -> (values: [[Double?]], outcome: CalibrationOutcome) {
        let needed = minimumCount(coverage: largestCoverage(levels))
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: points.count), count: levels.count)
        var outcome = CalibrationOutcome()
        for (h, point) in points.enumerated() {
            var residuals = h < calibration.residuals.count ? calibration.residuals[h].sorted() : []
            if residuals.count < needed, calibration.poolable, let pool, h < pool.steps.count, pool.steps[h].count > residuals.count {
                residuals = pool.steps[h].map { $0 * calibration.scale! }
                outcome.pooledSteps += 1
            } else if residuals.count < needed && !calibration.poolable {
                outcome.unpoolable = true
            }
            for (k, q) in levels.enumerated() {
                values[k][h] = quantile(q, point: point, sorted: residuals)
                if values[k][h] == nil { outcome.undefined += 1 }
            }
        }
        return (values, outcome)
    }
}
