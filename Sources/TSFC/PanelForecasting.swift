// Forecasting a panel: every series of a long-layout file from its own last stamp, at its own
// frequency, from its own rows only.
import TSFCData

extension ForecastingModel {
    /// Forecasts `horizon` steps of every series in `panel` (as `DataFile.openPanel`
    /// gives it): each series continues from its own last stamp at its own inferred frequency
    /// (or `frequency` when given) and reads only its own rows as context. The series keep the
    /// panel's order; each records its own stamp precision, and the result's `precision` is the
    /// finest of them. A single frame is forecast as `forecast(_:metadata:...)` does.
    ///
    /// A series with fewer rows than the model's `minimumContext` is skipped, and a note names it
    /// (with its row count and the minimum); when every series is too short the panel is refused
    /// with a `ForecastError` of kind `.contextTooShort` listing them all.
    public func forecast(panel: [TimeSeriesFrame], metadata: BundleMetadata, horizon: Int,
                         mode: RolloutMode = .renormalize, frequency: Frequency? = nil) throws -> ForecastResult {
        guard panel.count != 1 else {
            return try forecast(panel[0], metadata: metadata, horizon: horizon, mode: mode, frequency: frequency)
        }
        guard !panel.isEmpty else { throw ForecastError(message: "the panel holds no series to forecast") }
        var series: [SeriesForecast] = []
        var notes: [String] = []
        var finest: TimestampPrecision?
        var skipped: [ForecastError] = []
        // A quantile model forecasts every long-enough series in one batched pass.
        var batched: [Int: ForecastResult] = [:]
        if let quantileModel = self as? any QuantileForecastingModel, horizon > 0 {
            let eligible = panel.indices.filter { panel[$0].rowCount >= minimumContext && panel[$0].channelCount > 0 }
            let results = try quantileModel.forecastWithQuantiles(frames: eligible.map { panel[$0] }, horizon: horizon, frequency: frequency)
            for (i, r) in zip(eligible, results) { batched[i] = r }
        }
        for (index, frame) in panel.enumerated() {
            let result: ForecastResult
            do {
                result = try batched[index] ?? forecast(frame, metadata: metadata, horizon: horizon, mode: mode, frequency: frequency)
            } catch let error as ForecastError {
                guard case .contextTooShort = error.kind else { throw error }
                skipped.append(error)
                notes.append("skipped, too short to forecast: \(error.message)")
                continue
            }
            notes += result.notes
            for var s in result.series {
                s.precision = result.precision
                series.append(s)
            }
            finest = finest.map { TimestampPrecision.finer($0, result.precision) } ?? result.precision
        }
        guard !series.isEmpty else {
            let minimum = minimumContext
            throw ForecastError(
                message: "no series of the panel could be forecast: all \(panel.count) have fewer rows than the model's minimum context of \(minimum)\n"
                    + skipped.map(\.message).joined(separator: "\n"),
                kind: .contextTooShort(rows: panel.map(\.rowCount).max() ?? 0, minimum: minimum))
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
