// Forecasting a panel: every series of a long-layout file from its own last stamp, at its own
// frequency, from its own rows only.
import TSFCData

extension ForecastingModel {
    /// Forecasts `horizon` steps of every series in `panel` (as `DataFile.openPanel`
    /// gives it): each series continues from its own last stamp at its own inferred frequency
    /// (or `frequency` when given) and reads only its own rows as context. The series keep the
    /// panel's order; each records its own stamp precision, and the result's `precision` is the
    /// finest of them. A single frame is forecast as `forecast(_:metadata:...)` does.
    public func forecast(panel: [TimeSeriesFrame], metadata: BundleMetadata, horizon: Int,
                         mode: RolloutMode = .renormalize, frequency: Frequency? = nil) throws -> ForecastResult {
        guard panel.count != 1 else {
            return try forecast(panel[0], metadata: metadata, horizon: horizon, mode: mode, frequency: frequency)
        }
        guard !panel.isEmpty else { throw ForecastError(message: "the panel holds no series to forecast") }
        var series: [SeriesForecast] = []
        var notes: [String] = []
        var finest: TimestampPrecision?
        for frame in panel {
            let result = try forecast(frame, metadata: metadata, horizon: horizon, mode: mode, frequency: frequency)
            notes += result.notes
            for var s in result.series {
                s.precision = result.precision
                series.append(s)
            }
            finest = finest.map { TimestampPrecision.finer($0, result.precision) } ?? result.precision
        }
        return ForecastResult(horizon: horizon, series: series, precision: finest ?? .second, notes: notes)
    }
}

extension TimestampPrecision {
    /// The finer of two precisions (`index` counts as the coarsest: it is not a calendar).
    static func finer(_ a: TimestampPrecision, _ b: TimestampPrecision) -> TimestampPrecision {
        let order = TimestampPrecision.allCases
        return order.firstIndex(of: a)! >= order.firstIndex(of: b)! ? a : b
    }
}
