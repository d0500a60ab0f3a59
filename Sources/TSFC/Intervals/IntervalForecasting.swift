// Forecasts with intervals and quantiles: from the model's quantile head when it has one, else
// from conformal calibration on the rolling-origin residuals of each series' own history.
import TSFCData

extension ForecastingModel {
    /// Forecasts every series of `panel` as `forecast(panel:metadata:horizon:mode:frequency:)`
    /// does and adds the quantiles `intervals` asks for (`SeriesForecast.quantiles`, ascending by
    /// level, monotone at every step).
    ///
    /// - A `QuantileForecastingModel` gives them from its head: linear interpolation between its
    ///   levels, the nearest level outside their range (with a note: such intervals are narrower
    ///   than nominal).
    /// - Every other model gets split-conformal intervals (`ConformalCalibrator`): the model
    ///   forecasts each series again from `intervals.calibrationWindows + horizon − 1` earlier
    ///   cutoffs inside its history, and step h's interval is the finite-sample quantile of the
    ///   absolute residuals of step h. A series with too few windows for the widest interval uses
    ///   the panel's pooled residuals, each divided by its series' in-sample naive/seasonal-naive
    ///   MAE and multiplied by its own; quantiles that even the pool cannot support are left out
    ///   of that series' forecast, with a note.
    ///
    /// `sharing` turns this panel's calibration sets into the sets the pool is built from and its
    /// calibration outcomes into those the notes count (a sharded forecast gathers every rank's
    /// there; each is called once, only for conformal intervals).
    public func forecast(panel: [TimeSeriesFrame], metadata: BundleMetadata, horizon: Int, intervals: IntervalSettings,
                         mode: RolloutMode = .renormalize, frequency: Frequency? = nil,
                         sharing: ConformalSharing = ConformalSharing()) throws -> ForecastResult {
        let point = try forecast(panel: panel, metadata: metadata, horizon: horizon, mode: mode, frequency: frequency)
        guard !intervals.isEmpty else { return point }
        var series = point.series, notes = point.notes
        let levels = intervals.quantileLevels
        if let head = self as? any QuantileForecastingModel {
            // The point forecast already carries every level of the head (`forecastWithQuantiles`).
            var clamped: [Double] = []
            for k in series.indices where series[k].quantiles.count == head.quantileLevels.count {
                let read = QuantileHeadInterpolation.interpolate(headLevels: head.quantileLevels,
                                                                 values: series[k].quantiles.map(\.values), at: levels)
                series[k].quantiles = zip(levels, read.values).map { QuantileForecast(level: Float($0), values: $1.map(Float.init)) }
                clamped = read.clamped
            }
            if !clamped.isEmpty {
                notes.append(QuantileHeadInterpolation.clampNote(clamped, headLevels: head.quantileLevels))
            }
        } else {
            var sets: [String: CalibrationSet] = [:]
            let wanted = Set(series.map(\.id))
            for frame in panel where frame.columns.contains(where: wanted.contains) {
                var cache: [Int: [[Double]]?] = [:]
                let forecastAt = { (c: Int) throws -> [[Double]]? in
                    if let hit = cache[c] { return hit }
                    var result: [[Double]]?
                    do {
                        result = try self.forecast(frame.rows(0..<c), metadata: metadata, horizon: horizon, mode: mode)
                            .series.map { $0.values.map(Double.init) }
                    } catch let error as ForecastError {
                        guard case .contextTooShort = error.kind else { throw error }
                        result = nil
                    }
                    cache[c] = result
                    return result
                }
                let season = Baseline.seasonLength(for: frame.frequency)
                for c in 0..<frame.channelCount {
                    let y = frame.column(c).map(Double.init)
                    let residuals = try ConformalCalibrator.residuals(
                        history: y[...], horizon: horizon, windows: intervals.calibrationWindows,
                        minimumHistory: minimumContext) { cutoff in try forecastAt(cutoff)?[c] }
                    sets[frame.columns[c]] = CalibrationSet(residuals: residuals, scale: ForecastMetrics.maseScale(y, seasonLength: season))
                }
            }
            // In the panel's order (the pool sorts its residuals, so the order does not change it).
            let ordered = series.compactMap { sets[$0.id] }
            let pool = ConformalPool(try sharing.pool(ordered), horizon: horizon)
            var outcomes: [(String, CalibrationOutcome)] = []
            for k in series.indices {
                guard let set = sets[series[k].id] else { continue }
                let (values, outcome) = ConformalCalibrator.quantiles(points: series[k].values.map(Double.init), levels: levels,
                                                                     calibration: set, pool: pool)
                outcomes.append((series[k].id, outcome))
                series[k].quantiles = zip(levels, values).compactMap { q, v in
                    v.allSatisfy { $0 != nil } ? QuantileForecast(level: Float(q), values: v.map { Float($0!) }) : nil
                }
            }
            notes += ConformalCalibrator.notes(try sharing.outcomes(outcomes), settings: intervals, horizon: horizon, subject: "")
        }
        return ForecastResult(horizon: point.horizon, series: series, precision: point.precision, notes: notes)
    }
}

extension QuantileHeadInterpolation {
    /// The note for levels outside the head's range.
    static func clampNote(_ clamped: [Double], headLevels: [Float]) -> String {
        let range = "\(headLevels.first.map { "\($0)" } ?? "?")…\(headLevels.last.map { "\($0)" } ?? "?")"
        return "the model's quantile head predicts levels \(range); quantile(s) "
            + clamped.map(IntervalSettings.label).joined(separator: ", ")
            + " clamped to the nearest of them, so those intervals are narrower than nominal"
    }
}

extension ConformalCalibrator {
    /// Notes on how a panel was calibrated: which series borrowed the pool, and which quantiles
    /// stayed undefined (`subject` names the model column in a backtest, "" otherwise).
    static func notes(_ outcomes: [(String, CalibrationOutcome)], settings: IntervalSettings, horizon: Int,
                      subject: String) -> [String] {
        let who = subject.isEmpty ? "" : "\(subject): "
        let needed = minimumCount(coverage: largestCoverage(settings.quantileLevels))
        var notes: [String] = []
        let pooled = outcomes.filter { $0.1.pooledSteps > 0 }
        if !pooled.isEmpty {
            notes.append("\(who)\(pooled.count) of \(outcomes.count) series had fewer than the \(needed) calibration windows per step "
                         + "that the widest interval needs, and used the panel's pooled scaled residuals: "
                         + list(pooled.map(\.0)))
        }
        let undefined = outcomes.filter { $0.1.undefined > 0 }
        let alone = undefined.filter { $0.1.unpoolable }, short = undefined.filter { !$0.1.unpoolable }
        if !short.isEmpty {
            notes.append("\(who)\(short.count) series have too few calibration residuals, even pooled, for some quantiles "
                         + "(the finite-sample quantile needs \(needed)); those are left out (empty): " + list(short.map(\.0))
                         + "; give longer histories, more --calibration-windows, or lower levels")
        }
        if !alone.isEmpty {
            notes.append("\(who)\(alone.count) series have too few calibration residuals for some quantiles (the finite-sample "
                         + "quantile needs \(needed)) and a constant or one-row history, which gives no scale to borrow the panel's "
                         + "pooled residuals with; those are left out (empty): " + list(alone.map(\.0)))
        }
        return notes
    }

    static func list(_ names: [String]) -> String {
        names.prefix(10).joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
    }
}

/// How a panel forecast's conformal calibration reaches beyond its own series: the calibration
/// sets its pool is built from and the outcomes its notes count. One process: its own.
public struct ConformalSharing {
    public var pool: ([CalibrationSet]) throws -> [CalibrationSet]
    public var outcomes: ([(String, CalibrationOutcome)]) throws -> [(String, CalibrationOutcome)]

    public init(pool: @escaping ([CalibrationSet]) throws -> [CalibrationSet] = { $0 },
                outcomes: @escaping ([(String, CalibrationOutcome)]) throws -> [(String, CalibrationOutcome)] = { $0 }) {
        (self.pool, self.outcomes) = (pool, outcomes)
    }
}

/// A series' calibration outcome, as ranks exchange it.
struct NamedOutcome: Codable {
    var id: String
    var outcome: CalibrationOutcome
}
