// Point-forecast accuracy over a backtest's windows: MAE, RMSE, MAPE, sMAPE and MASE.

/// Accuracy of one model's forecasts; a metric with no defined term (MAPE on all-zero actuals,
/// MASE on constant histories) is nil.
public struct ForecastMetrics: Sendable, Equatable, Codable {
    /// Mean absolute error.
    public var mae: Double?
    /// Root mean squared error.
    public var rmse: Double?
    /// Mean of 100·|y − ŷ|/|y| over the points where y ≠ 0.
    public var mape: Double?
    /// Mean of 200·|y − ŷ|/(|y| + |ŷ|) (the M3 definition; a term with y = ŷ = 0 is 0).
    public var smape: Double?
    /// Mean of |y − ŷ|/scale, the scale being the window's in-sample mean absolute seasonal
    /// difference (windows whose scale is zero or undefined are left out).
    public var mase: Double?

    /// The weighted quantile loss over the requested quantile levels (`QuantileScoreTotals.wql`:
    /// mean over the levels of 2·Σ pinball / Σ|y|, the GluonTS / Chronos definition, an estimate
    /// of the scaled CRPS); nil without quantiles.
    public var wql: Double? = nil
    /// Per interval level (`IntervalSettings.levels`), the fraction of actuals inside it.
    public var coverage: [Double?] = []
    /// Per interval level, the mean width (upper − lower) in the data's units.
    public var width: [Double?] = []

    /// Sets `wql`, `coverage` and `width` from quantile-score sums.
    public mutating func setIntervalScores(_ totals: QuantileScoreTotals) {
        (wql, coverage, width) = (totals.wql, totals.coverage, totals.width)
    }

    /// The metric names in table order.
    public static let names = ["MAE", "RMSE", "MAPE", "sMAPE", "MASE"]

    /// The values in the order of `names`.
    public var values: [Double?] { [mae, rmse, mape, smape, mase] }

    public init(mae: Double? = nil, rmse: Double? = nil, mape: Double? = nil, smape: Double? = nil, mase: Double? = nil) {
        (self.mae, self.rmse, self.mape, self.smape, self.mase) = (mae, rmse, mape, smape, mase)
    }

    /// The metrics of forecasts `predicted` against `actual` (same length), where point `i`'s
    /// MASE scale is `scales[i]` (nil or zero: no MASE term).
    public init(actual: [Double], predicted: [Double], scales: [Double?]) {
        precondition(actual.count == predicted.count && actual.count == scales.count, "one forecast and scale per actual")
        func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
        let pairs = Array(zip(actual, predicted))
        let errors = pairs.map { abs($0 - $1) }
        mae = mean(errors)
        rmse = mean(errors.map { $0 * $0 }).map { $0.squareRoot() }
        mape = mean(pairs.filter { $0.0 != 0 }.map { 100 * abs($0 - $1) / abs($0) })
        smape = mean(pairs.map { y, f in abs(y) + abs(f) == 0 ? 0 : 200 * abs(y - f) / (abs(y) + abs(f)) })
        mase = mean(zip(errors, scales).compactMap { e, s in s.flatMap { $0 > 0 ? e / $0 : nil } })
    }

    /// The mean of each metric over `all`, leaving out the nils.
    public static func mean(of all: [ForecastMetrics]) -> ForecastMetrics {
        func m(_ key: KeyPath<ForecastMetrics, Double?>) -> Double? {
            let xs = all.compactMap { $0[keyPath: key] }
            return xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
        }
        return ForecastMetrics(mae: m(\.mae), rmse: m(\.rmse), mape: m(\.mape), smape: m(\.smape), mase: m(\.mase))
    }

    /// The MASE scale of `history`: the mean of |y(t) − y(t − m)| for t ≥ m, with m =
    /// `seasonLength` when the history is longer than one season, else 1; nil for fewer than two
    /// values.
    public static func maseScale(_ history: [Double], seasonLength: Int) -> Double? {
        let m = history.count > seasonLength && seasonLength >= 1 ? seasonLength : 1
        guard history.count > m else { return nil }
        let diffs = (m..<history.count).map { abs(history[$0] - history[$0 - m]) }
        return diffs.reduce(0, +) / Double(diffs.count)
    }
}
