// One series' windows in a backtest: every model column's point forecasts, calibration sets and
// quantiles per window, and how they score into the cross-validation frame and the metrics.
import TSFCData

/// The forecasts of every model column (the model first, then the baselines) at each window of
/// one series.
struct SeriesWindows {
    let id: String
    let y: [Double]
    /// Rows of history of each window (its cutoff is the last of them), oldest first.
    let lengths: [Int]
    /// Windows dropped at the front (a short series keeps the last ones): window w is the
    /// (offset + w)-th of the N counted from the oldest.
    let offset: Int
    let season: Int
    let precision: TimestampPrecision
    let stamps: [Int64]?
    /// The column of the first baseline (1 after the model, 0 without one).
    let firstBaseline: Int
    /// `[model][window]`: H forecasts, nil where the model could not forecast.
    var points: [[[Double]?]]
    /// `[model][window]`: the residuals calibrating the window (nil: no conformal interval).
    var calibration: [[CalibrationSet?]]
    /// `[model][window]`: `[quantile level][step]` (nil entries undefined).
    var quantiles: [[[[Double?]]?]]

    init(frame: TimeSeriesFrame, channel c: Int, lengths: [Int], offset: Int, season: Int, hasModel: Bool, baselines: [Baseline]) {
        id = frame.columns[c]
        y = frame.column(c).map(Double.init)
        self.lengths = lengths
        self.offset = offset
        self.season = season
        precision = frame.timestamps == nil ? .index : frame.timestampPrecision
        stamps = frame.timestamps
        firstBaseline = hasModel ? 1 : 0
        let columns = firstBaseline + baselines.count
        points = Array(repeating: Array(repeating: nil, count: lengths.count), count: columns)
        calibration = Array(repeating: Array(repeating: nil, count: lengths.count), count: columns)
        quantiles = Array(repeating: Array(repeating: nil, count: lengths.count), count: columns)
    }

    func stamp(_ i: Int) -> Int64 { stamps?[i] ?? Int64(i + 1) }

    /// The frame rows, the accuracy and the quantile-score sums of this series.
    func score(models: Int, settings: BacktestSettings) -> (rows: [CrossValidationRow], accuracy: SeriesAccuracy,
                                                             totals: [QuantileScoreTotals]) {
        let h = settings.horizon, intervals = !settings.intervals.isEmpty
        let levelCount = settings.intervals.quantileLevels.count
        var rows: [CrossValidationRow] = []
        var predicted = [[Double]](repeating: [], count: models), actual = [[Double]](repeating: [], count: models)
        var scales = [[Double?]](repeating: [], count: models)
        var totals = [QuantileScoreTotals](repeating: QuantileScoreTotals(settings: settings.intervals), count: models)
        for (w, n) in lengths.enumerated() {
            let scale = ForecastMetrics.maseScale(Array(y[settings.history(cutoff: n)]), seasonLength: season)
            for k in 0..<h {
                let q: [[Double?]] = intervals
                    ? (0..<models).map { m in quantiles[m][w].map { levels in levels.map { $0[k] } } ?? Array(repeating: nil, count: levelCount) }
                    : []
                rows.append(CrossValidationRow(uniqueId: id, ds: stamp(n + k), cutoff: stamp(n - 1), y: y[n + k],
                                               forecasts: (0..<models).map { points[$0][w]?[k] }, precision: precision,
                                               quantiles: q))
                for m in 0..<models where intervals && quantiles[m][w] != nil { totals[m].add(actual: y[n + k], quantiles: q[m]) }
            }
            for m in 0..<models {
                guard let column = points[m][w] else { continue }
                predicted[m] += column
                actual[m] += y[n..<(n + h)]
                scales[m] += Array(repeating: scale, count: h)
            }
        }
        let metrics = (0..<models).map { m -> ForecastMetrics in
            var metric = ForecastMetrics(actual: actual[m], predicted: predicted[m], scales: scales[m])
            if intervals { metric.setIntervalScores(totals[m]) }
            return metric
        }
        return (rows, SeriesAccuracy(uniqueId: id, windows: lengths.count, metrics: metrics), totals)
    }
}
