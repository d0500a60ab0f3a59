// Rolling-origin evaluation with an expanding window: the last N windows of H points of every
// series, each forecast from the rows up to its cutoff only, by a model and the baselines.
import TSFCData

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

    public init(horizon: Int, windows: Int, step: Int? = nil, seasonLength: Int? = nil,
                baselines: [Baseline] = Baseline.allCases) {
        self.horizon = horizon
        self.windows = windows
        self.step = step ?? horizon
        self.seasonLength = seasonLength
        self.baselines = baselines
    }
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

/// Rolling-origin (expanding window) evaluation.
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
    public static func run(panel: [TimeSeriesFrame], settings: BacktestSettings,
                           model: BacktestModel? = nil) throws -> BacktestResult {
        guard settings.horizon > 0 else { throw BacktestError("the horizon must be a positive number of steps, got \(settings.horizon)") }
        guard settings.windows > 0 else { throw BacktestError("the number of windows must be positive, got \(settings.windows)") }
        guard settings.step > 0 else { throw BacktestError("the step between cutoffs must be positive, got \(settings.step)") }
        if let m = settings.seasonLength, m < 1 { throw BacktestError("the season length must be positive, got \(m)") }
        guard model != nil || !settings.baselines.isEmpty else { throw BacktestError("nothing to evaluate: no model and no baselines") }
        let models = (model.map { [$0.name] } ?? []) + settings.baselines.map(\.rawValue)
        var rows: [CrossValidationRow] = [], accuracy: [SeriesAccuracy] = [], notes: [String] = []
        for frame in panel {
            let part = try backtest(frame, settings: settings, model: model, models: models.count, notes: &notes)
            rows += part.rows
            accuracy += part.accuracy
        }
        guard !accuracy.isEmpty else {
            throw BacktestError("no series is long enough for a window of \(settings.horizon) points after at least one row of history\n"
                                + notes.joined(separator: "\n"))
        }
        let aggregate = models.indices.map { k in ForecastMetrics.mean(of: accuracy.map { $0.metrics[k] }) }
        return BacktestResult(frame: CrossValidationFrame(models: models, rows: rows), series: accuracy,
                              aggregate: aggregate, notes: notes)
    }

    /// The rows and accuracy of one frame's series.
    static func backtest(_ frame: TimeSeriesFrame, settings: BacktestSettings, model: BacktestModel?, models: Int,
                         notes: inout [String]) throws -> (rows: [CrossValidationRow], accuracy: [SeriesAccuracy]) {
        let h = settings.horizon, total = frame.rowCount
        let lengths = trainingLengths(rows: total, horizon: h, windows: settings.windows, step: settings.step)
        if lengths.count < settings.windows {
            notes.append("\(place(frame)): \(total) rows hold \(lengths.count) of the \(settings.windows) windows of \(h) points"
                         + (lengths.isEmpty ? "; left out" : ""))
        }
        guard !lengths.isEmpty else { return ([], []) }
        let precision: TimestampPrecision = frame.timestamps == nil ? .index : frame.timestampPrecision
        let stamp = { (i: Int) -> Int64 in frame.timestamps?[i] ?? Int64(i + 1) }
        let season = settings.seasonLength ?? Baseline.seasonLength(for: frame.frequency)
        let modelForecasts = try model.map { try forecasts(of: $0, frame: frame, lengths: lengths, horizon: h, notes: &notes) }
        var rows: [CrossValidationRow] = [], accuracy: [SeriesAccuracy] = []
        for c in 0..<frame.channelCount {
            let y = frame.column(c).map(Double.init)
            var predicted = [[Double]](repeating: [], count: models), actual = [[Double]](repeating: [], count: models)
            var scales = [[Double?]](repeating: [], count: models)
            for (w, n) in lengths.enumerated() {
                let history = Array(y[0..<n])
                var columns: [[Double]?] = []
                if let modelForecasts { columns.append(modelForecasts[w]?[c]) }
                columns += settings.baselines.map { Optional($0.forecast(history, horizon: h, seasonLength: season)) }
                let scale = ForecastMetrics.maseScale(history, seasonLength: season)
                for k in 0..<h {
                    rows.append(CrossValidationRow(uniqueId: frame.columns[c], ds: stamp(n + k), cutoff: stamp(n - 1), y: y[n + k],
                                                   forecasts: columns.map { $0?[k] }, precision: precision))
                }
                for (m, column) in columns.enumerated() {
                    guard let column else { continue }
                    predicted[m] += column
                    actual[m] += y[n..<(n + h)]
                    scales[m] += Array(repeating: scale, count: h)
                }
            }
            let metrics = (0..<models).map { ForecastMetrics(actual: actual[$0], predicted: predicted[$0], scales: scales[$0]) }
            accuracy.append(SeriesAccuracy(uniqueId: frame.columns[c], windows: lengths.count, metrics: metrics))
        }
        return (rows, accuracy)
    }

    /// The model's forecasts of every column of `frame` at each cutoff, from the rows up to the
    /// cutoff only: `[window][column][step]`, nil for a window shorter than the model's context.
    static func forecasts(of model: BacktestModel, frame: TimeSeriesFrame, lengths: [Int], horizon: Int,
                          notes: inout [String]) throws -> [[[Double]]?] {
        let minimum = model.forecaster.minimumContext
        var skipped: [Int] = []
        let result: [[[Double]]?] = try lengths.map { n in
            guard n >= minimum else { skipped.append(n); return nil }
            do {
                let forecast = try model.forecaster.forecast(frame.rows(0..<n), metadata: model.metadata, horizon: horizon)
                return forecast.series.map { $0.values.map(Double.init) }
            } catch let error as ForecastError {
                guard case .contextTooShort = error.kind else { throw error }
                skipped.append(n)
                return nil
            }
        }
        if !skipped.isEmpty {
            notes.append("\(place(frame)): \(skipped.count) of \(lengths.count) windows skipped for \(model.name): "
                         + "\(skipped.map(String.init).joined(separator: ", ")) rows of history, fewer than its minimum context of \(minimum)")
        }
        return result
    }

    /// The file and series a note is about (a panel's series already name themselves in `source`).
    static func place(_ frame: TimeSeriesFrame) -> String {
        let names = frame.columns.map { "'\($0)'" }.joined(separator: ", ")
        return frame.source.hasSuffix(names) ? frame.source : "\(frame.source), \(names)"
    }
}
