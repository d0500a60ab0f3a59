// Rolling-origin evaluation with an expanding (or sliding) window: the last N windows of H
// points of every series, each forecast from the rows up to its cutoff only, by a model and the
// baselines, with conformal intervals calibrated on residuals inside that history.
import TSFCData
import TSFCDistributed

/// What a backtest cuts and who forecasts.
public struct BacktestSettings: Sendable {
    /// Points per window, H.
    public var horizon: Int
    /// Windows per series, N (fewer on a series too short for them all).
    public var windows: Int
    /// Rows between consecutive cutoffs (default H: windows that tile the end of the series).
    public var step: Int
    /// The season of the seasonal naive forecast and the MASE scale; nil: from each series'
    /// frequency (`Baseline.seasonLength(for:)`).
    public var seasonLength: Int?
    /// The baselines to forecast beside the model, in column order.
    public var baselines: [Baseline]
    /// The intervals and quantiles of every model column (conformal, or the model's quantile
    /// head), and the calibration windows.
    public var intervals: IntervalSettings
    /// Rows of history each forecast reads: nil for an expanding window (every row up to the
    /// cutoff), W for a sliding one (the last W rows up to it). The MASE scale and the pooling
    /// scale come from the same rows.
    public var windowSize: Int?
    /// Whether the model is refitted at every cutoff on that series' history (closed-form models
    /// only, `BacktestModel.refitForecast`); otherwise the bundle is used as it is.
    public var refit: Bool

    public init(horizon: Int, windows: Int, step: Int? = nil, seasonLength: Int? = nil,
                baselines: [Baseline] = Baseline.allCases, intervals: IntervalSettings = .none,
                windowSize: Int? = nil, refit: Bool = false) {
        self.horizon = horizon
        self.windows = windows
        self.step = step ?? horizon
        self.seasonLength = seasonLength
        self.baselines = baselines
        self.intervals = intervals
        self.windowSize = windowSize
        self.refit = refit
    }

    /// The rows a forecast from cutoff `c` (rows 0 ..< c before it) reads.
    public func history(cutoff c: Int) -> Range<Int> { (windowSize.map { max(0, c - $0) } ?? 0)..<c }
}

/// A trained model to evaluate, under the column name `name`.
public struct BacktestModel {
    public var name: String
    public var forecaster: any ForecastingModel
    public var metadata: BundleMetadata

    public init(name: String = "tsfc", forecaster: any ForecastingModel, metadata: BundleMetadata) {
        (self.name, self.forecaster, self.metadata) = (name, forecaster, metadata)
    }
}

/// Errors from a backtest.
public struct BacktestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Rolling-origin (expanding or sliding window) evaluation.
public enum Backtest {
    /// The training lengths (rows up to and including each cutoff) of a series of `rows` rows,
    /// oldest first: `rows − H − (N − 1 − k)·S` for k = 0 … N − 1, keeping those of at least one
    /// row; the last window ends at the last row.
    public static func trainingLengths(rows: Int, horizon: Int, windows: Int, step: Int) -> [Int] {
        (0..<max(windows, 0)).map { rows - horizon - (windows - 1 - $0) * step }.filter { $0 >= 1 }
    }

    /// Backtests every series of `panel` (each column of each frame is a series, as
    /// `DataFile.openPanel` gives them): the baselines always, and `model` when given. Windows
    /// a series is too short for are dropped with a note; a window whose history is shorter
    /// than the model's minimum context has no model forecast (nil), with a note.
    ///
    /// With `settings.intervals`, every model column gets quantiles at every window: the
    /// model's quantile head where it has one, else conformal intervals calibrated on the
    /// residuals of forecasts cut inside that window's history (`ConformalCalibrator`); series
    /// with too few calibration windows borrow the pool of every series' scaled residuals at the
    /// same window (counted from the end), each from that series' own history before its cutoff.
    ///
    /// With a distributed `communicator`, `panel` is this rank's shard (`DataFile.openPanelShard`):
    /// each rank forecasts its own series, the conformal pools take every rank's residuals, and
    /// rank 0 returns the whole panel's result, equal to one process' over the whole panel (the
    /// other ranks return their own part).
    public static func run(panel: [TimeSeriesFrame], settings: BacktestSettings,
                           model: BacktestModel? = nil,
                           communicator: Communicator = SingleProcessCommunicator()) throws -> BacktestResult {
        guard settings.horizon > 0 else { throw BacktestError("the horizon must be a positive number of steps, got \(settings.horizon)") }
        guard settings.windows > 0 else { throw BacktestError("the number of windows must be positive, got \(settings.windows)") }
        guard settings.step > 0 else { throw BacktestError("the step between cutoffs must be positive, got \(settings.step)") }
        if let m = settings.seasonLength, m < 1 { throw BacktestError("the season length must be positive, got \(m)") }
        if let w = settings.windowSize, w < 1 { throw BacktestError("the sliding window size must be positive, got \(w)") }
        guard model != nil || !settings.baselines.isEmpty else { throw BacktestError("nothing to evaluate: no model and no baselines") }
        let models = (model.map { [$0.name] } ?? []) + settings.baselines.map(\.rawValue)
        var notes: [String] = []
        var series: [SeriesWindows] = []
        for frame in panel {
            series += try windows(of: frame, settings: settings, model: model, notes: &notes)
        }
        let world = communicator
        let anySeries = world.isDistributed ? try world.allGather(series.count).reduce(0, +) > 0 : !series.isEmpty
        guard anySeries else {
            let allNotes = world.isDistributed ? try world.allGather(notes).flatMap { $0 } : notes
            throw BacktestError("no series is long enough for a window of \(settings.horizon) points after at least one row of history\n"
                                + allNotes.joined(separator: "\n"))
        }
        var calibrationNotes: [String] = []               // the same on every rank
        if !settings.intervals.isEmpty {
            try calibrate(&series, models: models, settings: settings, notes: &calibrationNotes, communicator: world)
        }
        var part = ScoredPart(rows: [], accuracy: [], rowCounts: [], notes: notes)
        for s in series {
            let scored = s.score(models: models.count, settings: settings)
            part.rows += scored.rows
            part.accuracy.append(scored.accuracy)
            part.rowCounts.append(scored.rows.count)
        }
        if world.isDistributed {
            let parts = try world.gather(part, root: 0) ?? [part]
            // A note every rank made (the model's clamped quantile levels) is kept once, as one process makes it once.
            var seen = Set<String>()
            part = ScoredPart(rows: parts.flatMap(\.rows), accuracy: parts.flatMap(\.accuracy), rowCounts: parts.flatMap(\.rowCounts),
                              notes: parts.flatMap(\.notes).filter { seen.insert($0).inserted })
        }
        let (rows, accuracy) = (part.rows, part.accuracy)
        notes = part.notes + calibrationNotes
        let totals = intervalTotals(part, models: models.count, settings: settings)
        var aggregate = models.indices.map { k in ForecastMetrics.mean(of: accuracy.map { $0.metrics[k] }) }
        if !settings.intervals.isEmpty {
            for m in models.indices { aggregate[m].setIntervalScores(totals[m]) }
        }
        return BacktestResult(frame: CrossValidationFrame(models: models, rows: rows, intervals: settings.intervals),
                              series: accuracy, aggregate: aggregate, notes: notes)
    }

    /// The forecasts of every series of `frame` at each window (and, with intervals, at the
    /// calibration cutoffs inside each window's history).
    static func windows(of frame: TimeSeriesFrame, settings: BacktestSettings, model: BacktestModel?,
                        notes: inout [String]) throws -> [SeriesWindows] {
        let h = settings.horizon, total = frame.rowCount
        let lengths = trainingLengths(rows: total, horizon: h, windows: settings.windows, step: settings.step)
        if lengths.count < settings.windows {
            notes.append("\(place(frame)): \(total) rows hold \(lengths.count) of the \(settings.windows) windows of \(h) points"
                         + (lengths.isEmpty ? "; left out" : ""))
        }
        guard !lengths.isEmpty else { return [] }
        let season = settings.seasonLength ?? Baseline.seasonLength(for: frame.frequency)
        let source = model.map { ModelForecasts(model: $0, frame: frame, settings: settings) }
        let headLevels = (model?.forecaster as? any QuantileForecastingModel)?.quantileLevels
        var out = (0..<frame.channelCount).map { c in
            SeriesWindows(frame: frame, channel: c, lengths: lengths, offset: settings.windows - lengths.count, season: season,
                          hasModel: model != nil, baselines: settings.baselines)
        }
        // The model: one forecast of every column per cutoff.
        if let source {
            var skipped: [Int] = []
            for (w, n) in lengths.enumerated() {
                let f = try source.forecast(cutoff: n)
                if f == nil { skipped.append(n) }
                for c in out.indices { out[c].points[0][w] = f?[c] }
                if let headLevels, !settings.intervals.isEmpty, f != nil {
                    let q = try source.headQuantiles(cutoff: n)
                    for c in out.indices {
                        let read = QuantileHeadInterpolation.interpolate(headLevels: headLevels, values: q[c], at: settings.intervals.quantileLevels)
                        out[c].quantiles[0][w] = read.values.map { $0.map(Optional.some) }
                        if !read.clamped.isEmpty, !notes.contains(where: { $0.hasPrefix("\(source.model.name): the model's quantile head") }) {
                            notes.append("\(source.model.name): " + QuantileHeadInterpolation.clampNote(read.clamped, headLevels: headLevels))
                        }
                    }
                }
            }
            if !skipped.isEmpty {
                notes.append("\(place(frame)): \(skipped.count) of \(lengths.count) windows skipped for \(source.model.name): "
                             + "\(skipped.map { String(settings.history(cutoff: $0).count) }.joined(separator: ", ")) rows of history, "
                             + "fewer than \(settings.refit ? "a refit needs" : "its minimum context of \(source.minimumHistory)")")
            }
        }
        for c in out.indices {
            let y = out[c].y
            for (w, n) in lengths.enumerated() {
                for (b, baseline) in settings.baselines.enumerated() {
                    out[c].points[out[c].firstBaseline + b][w] = baseline.forecast(Array(y[settings.history(cutoff: n)]), horizon: h, seasonLength: season)
                }
            }
        }
        guard !settings.intervals.isEmpty else { return out }
        // Calibration residuals: every model column without a quantile head, each window from its own history.
        for c in out.indices {
            let y = out[c].y
            for (w, n) in lengths.enumerated() {
                let scale = ForecastMetrics.maseScale(Array(y[settings.history(cutoff: n)]), seasonLength: season)
                for m in 0..<out[c].points.count {
                    if m == 0, model != nil, headLevels != nil { continue }
                    if out[c].points[m][w] == nil { continue }
                    let residuals: [[Double]]
                    if m == 0, let source {
                        residuals = try ConformalCalibrator.residuals(history: y[0..<n], horizon: h, windows: settings.intervals.calibrationWindows,
                                                                      minimumHistory: source.minimumHistory) { try source.forecast(cutoff: $0)?[c] }
                    } else {
                        let baseline = settings.baselines[m - out[c].firstBaseline]
                        residuals = ConformalCalibrator.residuals(history: y[0..<n], horizon: h, windows: settings.intervals.calibrationWindows,
                                                                  minimumHistory: 1) {
                            baseline.forecast(Array(y[settings.history(cutoff: $0)]), horizon: h, seasonLength: season)
                        }
                    }
                    out[c].calibration[m][w] = CalibrationSet(residuals: residuals, scale: scale)
                }
            }
        }
        return out
    }

    /// The scored rows of a panel (or of one rank's shard): every row, each series' accuracy and
    /// row count, and the notes.
    struct ScoredPart: Codable {
        var rows: [CrossValidationRow]
        var accuracy: [SeriesAccuracy]
        var rowCounts: [Int]
        var notes: [String]
    }

    /// The panel's interval sums per model: each series' rows summed on their own, then the
    /// series added in order (the same additions whether the rows came from one process or
    /// were gathered from ranks).
    static func intervalTotals(_ part: ScoredPart, models: Int, settings: BacktestSettings) -> [QuantileScoreTotals] {
        let empty = QuantileScoreTotals(settings: settings.intervals)
        var totals = [QuantileScoreTotals](repeating: empty, count: models)
        guard !settings.intervals.isEmpty else { return totals }
        var start = 0
        for count in part.rowCounts {
            var series = [QuantileScoreTotals](repeating: empty, count: models)
            for row in part.rows[start..<(start + count)] where row.quantiles.count == models {
                for m in 0..<models { series[m].add(actual: row.y, quantiles: row.quantiles[m]) }
            }
            for m in 0..<models { totals[m].add(series[m]) }
            start += count
        }
        return totals
    }

    /// Conformal quantiles of every calibrated (series, model, window), pooling per model and
    /// window (counted from the end) across the panel (across every rank's series when
    /// `communicator` is distributed).
    static func calibrate(_ series: inout [SeriesWindows], models: [String], settings: BacktestSettings, notes: inout [String],
                          communicator: Communicator) throws {
        let levels = settings.intervals.quantileLevels, h = settings.horizon
        // [model][window key]: the calibration sets of every series, gathered from every rank.
        var gathered = models.indices.map { m in
            (0..<settings.windows).map { key in
                series.compactMap { s -> CalibrationSet? in
                    let w = key - s.offset
                    return w >= 0 && w < s.lengths.count ? s.calibration[m][w] : nil
                }
            }
        }
        if communicator.isDistributed {
            let parts = try communicator.allGather(gathered)
            gathered = models.indices.map { m in (0..<settings.windows).map { key in parts.flatMap { $0[m][key] } } }
        }
        for m in models.indices {
            var pools: [Int: ConformalPool] = [:]
            for key in 0..<settings.windows {
                let sets = gathered[m][key]
                if !sets.isEmpty { pools[key] = ConformalPool(sets, horizon: h) }
            }
            var outcomes: [(String, CalibrationOutcome)] = []
            for i in series.indices {
                var total = CalibrationOutcome(), any = false
                for w in series[i].lengths.indices {
                    guard let set = series[i].calibration[m][w], let point = series[i].points[m][w] else { continue }
                    let (values, outcome) = ConformalCalibrator.quantiles(points: point, levels: levels, calibration: set,
                                                                         pool: pools[w + series[i].offset])
                    series[i].quantiles[m][w] = values
                    total.pooledSteps += outcome.pooledSteps
                    total.undefined += outcome.undefined
                    total.unpoolable = total.unpoolable || outcome.unpoolable
                    any = true
                }
                if any { outcomes.append((series[i].id, total)) }
            }
            if communicator.isDistributed {           // the note counts the whole panel's series
                let named = try communicator.allGather(outcomes.map { NamedOutcome(id: $0.0, outcome: $0.1) }).flatMap { $0 }
                outcomes = named.map { ($0.id, $0.outcome) }
            }
            notes += ConformalCalibrator.notes(outcomes, settings: settings.intervals, horizon: h, subject: models[m])
        }
    }

    /// The file and series a note is about (a panel's series already name themselves in `source`).
    static func place(_ frame: TimeSeriesFrame) -> String {
        let names = frame.columns.map { "'\($0)'" }.joined(separator: ", ")
        return frame.source.hasSuffix(names) ? frame.source : "\(frame.source), \(names)"
    }
}
