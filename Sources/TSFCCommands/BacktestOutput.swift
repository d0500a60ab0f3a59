// How `tsfc backtest` writes its result: the cross-validation frame as CSV or JSON, and the
// metrics table.
import Foundation
import TSFC

enum BacktestOutput {
    /// A number as the frame writes it: the shortest text of its single-precision value, the
    /// precision of the data read.
    static func number(_ x: Double) -> String { "\(Float(x))" }

    /// Per model: its column name, then its interval and quantile columns with their index in
    /// the frame's quantile levels.
    static func columns(_ frame: CrossValidationFrame) -> [(model: Int, name: String, quantile: Int?)] {
        frame.models.enumerated().flatMap { m, name in
            [(m, name, nil)] + frame.intervals.columns(for: name).map { (m, $0.name, frame.intervals.index(of: $0.quantile)) }
        }
    }

    /// A row's value in a column of `columns`.
    static func value(_ row: CrossValidationRow, _ column: (model: Int, name: String, quantile: Int?)) -> Double? {
        guard let k = column.quantile else { return row.forecasts[column.model] }
        return column.model < row.quantiles.count ? row.quantiles[column.model][k] : nil
    }

    /// `unique_id,ds,cutoff,y,<model>,<model>-lo-80,…`; a model that skipped a window, or a
    /// quantile it could not calibrate, leaves its cell empty.
    static func csv(_ frame: CrossValidationFrame) -> String {
        let columns = columns(frame)
        var out = (["unique_id", "ds", "cutoff", "y"] + columns.map(\.name)).map(CSVText.field).joined(separator: ",") + "\n"
        for row in frame.rows {
            let fields = [CSVText.field(row.uniqueId), row.precision.format(row.ds), row.precision.format(row.cutoff), number(row.y)]
                + columns.map { value(row, $0).map(number) ?? "" }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// One frame row with the model columns as keys.
    struct Row: Encodable {
        let row: CrossValidationRow
        let columns: [(model: Int, name: String, quantile: Int?)]
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(row.uniqueId, forKey: NamedKey("unique_id"))
            try c.encode(row.precision.format(row.ds), forKey: NamedKey("ds"))
            try c.encode(row.precision.format(row.cutoff), forKey: NamedKey("cutoff"))
            try c.encode(Float(row.y), forKey: NamedKey("y"))
            for column in columns { try c.encode(value(row, column).map(Float.init), forKey: NamedKey(column.name)) }
        }
    }

    /// Each model's metrics, keyed by model then metric name (nil: undefined): the point metrics,
    /// and with intervals `WQL`, `coverage-80`, `width-80` … per level.
    struct Metrics: Encodable {
        let models: [String]
        let metrics: [ForecastMetrics]
        let intervals: IntervalSettings
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: NamedKey.self)
            for (name, m) in zip(models, metrics) {
                var inner = c.nestedContainer(keyedBy: NamedKey.self, forKey: NamedKey(name))
                for (metric, value) in zip(BacktestOutput.metricNames(intervals), BacktestOutput.metricValues(m, intervals)) {
                    try inner.encode(value, forKey: NamedKey(metric))
                }
            }
        }
    }

    /// The metric names: the point metrics, then `WQL` and per level `coverage-L`, `width-L`.
    static func metricNames(_ intervals: IntervalSettings) -> [String] {
        ForecastMetrics.names + (intervals.isEmpty ? [] : ["WQL"])
            + intervals.levels.flatMap { ["coverage-\(IntervalSettings.label($0))", "width-\(IntervalSettings.label($0))"] }
    }

    /// The values in the order of `metricNames`.
    static func metricValues(_ m: ForecastMetrics, _ intervals: IntervalSettings) -> [Double?] {
        m.values + (intervals.isEmpty ? [] : [m.wql])
            + intervals.levels.indices.flatMap { k in [k < m.coverage.count ? m.coverage[k] : nil, k < m.width.count ? m.width[k] : nil] }
    }

    struct SeriesEntry: Encodable {
        let unique_id: String
        let windows: Int
        let metrics: Metrics
    }

    struct Document: Encodable {
        let cross_validation: [Row]
        let series: [SeriesEntry]
        let aggregate: Metrics
        let notes: [String]
    }

    /// `{cross_validation: [rows], series: [{unique_id, windows, metrics}], aggregate, notes}`.
    static func json(_ result: BacktestResult) throws -> String {
        let models = result.frame.models, intervals = result.frame.intervals, columns = columns(result.frame)
        let document = Document(
            cross_validation: result.frame.rows.map { Row(row: $0, columns: columns) },
            series: result.series.map {
                SeriesEntry(unique_id: $0.uniqueId, windows: $0.windows, metrics: Metrics(models: models, metrics: $0.metrics, intervals: intervals))
            },
            aggregate: Metrics(models: models, metrics: result.aggregate, intervals: intervals), notes: result.notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// The metrics per series and model, then over the panel, aligned in columns.
    static func table(_ result: BacktestResult) -> String {
        let models = result.frame.models, intervals = result.frame.intervals
        var lines: [[String]] = [["series", "model"] + metricNames(intervals)]
        func add(_ id: String, _ metrics: [ForecastMetrics]) {
            for (name, m) in zip(models, metrics) {
                lines.append([id, name] + metricValues(m, intervals).map { $0.map { String(format: "%.4f", $0) } ?? "-" })
            }
        }
        for s in result.series { add(s.uniqueId, s.metrics) }
        add("mean (\(result.series.count) series)", result.aggregate)
        let widths = (0..<lines[0].count).map { k in lines.map { $0[k].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { k, field in
                let pad = String(repeating: " ", count: widths[k] - field.count)
                return k < 2 ? field + pad : pad + field
            }.joined(separator: "  ")
        }.joined(separator: "\n")
            + (lines.contains { $0.contains("-") } ? "\n-: undefined (MAPE: every actual is zero; MASE: each history has one row or is constant"
                + (intervals.isEmpty ? ")" : "; WQL, coverage, width: no calibrated interval)") : "")
            + (intervals.isEmpty ? "" : "\nWQL: mean over the quantile levels of 2·Σ pinball / Σ|y|; coverage: share of actuals inside the interval; "
                + "the last line's point metrics are means over the series, its WQL, coverage and width pooled over every point")
    }
}
