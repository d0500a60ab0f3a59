// What a backtest returns: Nixtla's cross-validation frame and the accuracy of each model.
import TSFCData

/// One forecast point of a backtest: a series, a held-out row, the cutoff it was forecast from,
/// the actual value and each model's forecast.
public struct CrossValidationRow: Sendable, Equatable, Codable {
    /// The series' name.
    public var uniqueId: String
    /// The held-out row's stamp (epoch seconds, or its 1-based row number without a time column).
    public var ds: Int64
    /// The stamp of the last row the forecast saw.
    public var cutoff: Int64
    /// The actual value.
    public var y: Double
    /// One forecast per model, in `CrossValidationFrame.models` order; nil where the model
    /// could not forecast this window (a history shorter than its context).
    public var forecasts: [Double?]
    /// How this row's stamps are written (the series' own precision).
    public var precision: TimestampPrecision
    /// Per model, the quantiles at `CrossValidationFrame.intervals.quantileLevels` (nil where
    /// undefined or the model skipped the window); empty without intervals.
    public var quantiles: [[Double?]] = []

    public init(uniqueId: String, ds: Int64, cutoff: Int64, y: Double, forecasts: [Double?], precision: TimestampPrecision,
                quantiles: [[Double?]] = []) {
        (self.uniqueId, self.ds, self.cutoff, self.y, self.forecasts, self.precision, self.quantiles)
            = (uniqueId, ds, cutoff, y, forecasts, precision, quantiles)
    }

    /// Model `m`'s value at quantile level `q` (nil: not forecast).
    public func quantile(model m: Int, level q: Double, in frame: CrossValidationFrame) -> Double? {
        guard let k = frame.intervals.index(of: q), m < quantiles.count else { return nil }
        return quantiles[m][k]
    }
}

/// Nixtla's cross-validation frame: `unique_id, ds, cutoff, y, <models…>`, each model followed
/// by its interval and quantile columns (`<model>-lo-80, <model>-hi-80, …, <model>-q-0.1`).
public struct CrossValidationFrame: Sendable, Equatable {
    /// The model columns, in order (the evaluated model first, then the baselines).
    public var models: [String]
    /// Series by series, window by window (oldest cutoff first), step by step.
    public var rows: [CrossValidationRow]
    /// The intervals and quantiles each row carries per model.
    public var intervals: IntervalSettings = .none

    public init(models: [String], rows: [CrossValidationRow], intervals: IntervalSettings = .none) {
        (self.models, self.rows, self.intervals) = (models, rows, intervals)
    }
}

/// The accuracy of every model on one series.
public struct SeriesAccuracy: Sendable, Equatable, Codable {
    /// The series' name.
    public var uniqueId: String
    /// How many windows it was cut into.
    public var windows: Int
    /// Per model (the frame's `models` order), over the windows the model forecast.
    public var metrics: [ForecastMetrics]
}

/// The result of `Backtest.run`.
public struct BacktestResult: Sendable {
    /// Every forecast point.
    public var frame: CrossValidationFrame
    /// Per series accuracy, in the panel's order.
    public var series: [SeriesAccuracy]
    /// Per model, the mean of each metric over the series (nils left out).
    public var aggregate: [ForecastMetrics]
    /// Remarks for the user (windows dropped on short series, series skipped for the model).
    public var notes: [String]
}
