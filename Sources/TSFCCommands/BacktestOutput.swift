// How `tsfc backtest` writes its result: the cross-validation frame as CSV or JSON, and the
// metrics table.
import Foundation
import TSFC

enum BacktestOutput {
    /// A number as the frame writes it: the shortest text of its single-precision value, the
    /// precision of the data read.
    static func number(_ x: Double) -> String { "\(Float(x))" }

    static func quoted(_ field: String) -> String {
        field.contains(",") || field.contains("\"") || field.contains("\n")
            ? "\"\(field.replacingOccurrences(of: "\"", with: "\"\""))\"" : field
    }

    /// `unique_id,ds,cutoff,y,<models…>`; a model that skipped a window leaves its cell empty.
    static func csv(_ frame: CrossValidationFrame) -> String {
        var out = (["unique_id", "ds", "cutoff", "y"] + frame.models).map(quoted).joined(separator: ",") + "\n"
        for row in frame.rows {
            let fields = [quoted(row.uniqueId), row.precision.format(row.ds), row.precision.format(row.cutoff), number(row.y)]
                + row.forecasts.map { $0.map(number) ?? "" }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// One frame row with the model columns as keys.
    struct Row: Encodable {
        let row: CrossValidationRow
        let models: [String]
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(row.uniqueId, forKey: Key("unique_id"))
            try c.encode(row.precision.format(row.ds), forKey: Key("ds"))
            try c.encode(row.precision.format(row.cutoff), forKey: Key("cutoff"))
            try c.encode(Float(row.y), forKey: Key("y"))
            for (name, value) in zip(models, row.forecasts) { try c.encode(value.map(Float.init), forKey: Key(name)) }
        }
    }

    /// Each model's metrics, keyed by model then metric name (nil: undefined).
    struct Metrics: Encodable {
        let models: [String]
        let metrics: [ForecastMetrics]
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (name, m) in zip(models, metrics) {
                var inner = c.nestedContainer(keyedBy: Key.self, forKey: Key(name))
                for (metric, value) in zip(ForecastMetrics.names, m.values) { try inner.encode(value, forKey: Key(metric)) }
            }
        }
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
        let models = result.frame.models
        let document = Document(
            cross_validation: result.frame.rows.map { Row(row: $0, models: models) },
            series: result.series.map { SeriesEntry(unique_id: $0.uniqueId, windows: $0.windows, metrics: Metrics(models: models, metrics: $0.metrics)) },
            aggregate: Metrics(models: models, metrics: result.aggregate), notes: result.notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// The metrics per series and model, then their mean over the series, aligned in columns.
    static func table(_ result: BacktestResult) -> String {
        let models = result.frame.models
        var lines: [[String]] = [["series", "model"] + ForecastMetrics.names]
        func add(_ id: String, _ metrics: [ForecastMetrics]) {
            for (name, m) in zip(models, metrics) {
                lines.append([id, name] + m.values.map { $0.map { String(format: "%.4f", $0) } ?? "-" })
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
            + (lines.contains { $0.contains("-") } ? "\n-: undefined (MAPE: every actual is zero; MASE: each history has one row or is constant)" : "")
    }
}
