// The figures of `--plot`: what each command's result looks like drawn with TSFCPlot.
//   forecast  — per series: the history's tail, the forecast, its shaded intervals
//   backtest  — per series: each cutoff's forecast against the truth; the error per horizon step
//   detect    — the series with the events shaded; the score, its threshold and the events
//   inspect   — per column: the series, with gaps in time and missing values marked
import Foundation
import TSFC
import TSFCData
import TSFCPlot

enum ResultPlots {
    /// A series' points on the x-axis of its panel: epoch seconds on a calendar axis, else row
    /// numbers (or the index column's numbers).
    struct Axis {
        let x: XAxis
        /// Seconds (or rows) between points, for event widths and line breaks.
        let step: Double
        let isTime: Bool

        init(_ frame: TimeSeriesFrame, numberLabel: String = "row") {
            if frame.timestamps != nil, frame.timestampPrecision != .index {
                let seconds = frame.frequency.map { Double($0.seconds) }
                x = .time(dataStep: seconds)
                step = seconds ?? Axis.medianStep(frame.timestamps ?? []) ?? 1
                isTime = true
            } else {
                x = .number(label: numberLabel, integers: true)
                step = Double(frame.frequency?.multiple ?? 1)
                isTime = false
            }
        }

        static func medianStep(_ stamps: [Int64]) -> Double? {
            guard stamps.count > 1 else { return nil }
            let steps = zip(stamps.dropFirst(), stamps).map { Double($0 - $1) }.sorted()
            return steps[steps.count / 2]
        }
    }

    /// The x of every row of `frame`: its stamps, or row numbers from 1 (+ `offset`).
    static func xs(_ frame: TimeSeriesFrame, offset: Int = 0) -> [Double] {
        frame.timestamps.map { $0.map(Double.init) } ?? (0..<frame.rowCount).map { Double(offset + $0 + 1) }
    }

    static func place(_ source: String) -> String { URL(fileURLWithPath: source).lastPathComponent }

    /// Where each series of a panel is: its frame and column.
    static func locate(_ panel: [TimeSeriesFrame]) -> [String: (frame: TimeSeriesFrame, column: Int)] {
        var out: [String: (TimeSeriesFrame, Int)] = [:]
        for frame in panel { for (c, name) in frame.columns.enumerated() where out[name] == nil { out[name] = (frame, c) } }
        return out
    }

    // MARK: - forecast

    /// The history points drawn before a forecast of `horizon` steps.
    static func historyTail(horizon: Int) -> Int { max(3 * horizon, 48) }

    /// Intervals from whatever quantiles a forecast carries: each level q < 0.5 whose 1 − q is
    /// there too, widest first, as (coverage in %, lower, upper).
    static func intervals(_ s: SeriesForecast) -> [(coverage: Int, lower: [Float], upper: [Float])] {
        s.quantiles.filter { $0.level < 0.5 }.sorted { $0.level < $1.level }.compactMap { q in
            guard let upper = s.quantile(1 - q.level), upper.count == q.values.count else { return nil }
            return (Int(((1 - 2 * q.level) * 100).rounded()), q.values, upper)
        }
    }

    static func forecast(_ result: ForecastResult, panel: [TimeSeriesFrame], input: String, options: PlotOptions) throws -> Figure {
        let located = locate(panel)
        let (chosen, note) = try options.select(result.series.map(\.id))
        let byID = Dictionary(result.series.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var panels: [Panel] = []
        var coverages = Set<Int>()
        for id in chosen {
            guard let s = byID[id] else { continue }
            var lines: [LineMark] = [], bands: [BandMark] = [], rules: [RuleMark] = []
            var axis = XAxis.number(label: "row", integers: true)
            var historyX: [Double] = []
            if let (frame, c) = located[id] {
                let a = Axis(frame)
                axis = a.x
                let n = min(frame.rowCount, historyTail(horizon: result.horizon))
                historyX = Array(xs(frame).suffix(n))
                let y = frame.column(c).suffix(n).map(Double.init)
                lines.append(LineMark(role: "history", series: id, label: "history", xs: historyX, ys: y, color: Palette.ink,
                                      width: 1.3, maxStep: a.step * 1.5))
            }
            let last = historyX.last ?? 0
            let fx = s.timestamps.map { $0.map(Double.init) } ?? (1...s.values.count).map { last + Double($0) }
            for (k, band) in intervals(s).enumerated() {
                coverages.insert(band.coverage)
                bands.append(BandMark(role: "band band-\(band.coverage)", series: id, label: "\(band.coverage) % interval", xs: fx,
                                      lower: band.lower.map(Double.init), upper: band.upper.map(Double.init), color: Palette.blue,
                                      opacity: k == 0 ? 0.16 : 0.30))
            }
            lines.append(LineMark(role: "forecast", series: id, label: "forecast", xs: fx, ys: s.values.map(Double.init),
                                  color: Palette.blue, width: 1.8))
            if !historyX.isEmpty { rules.append(RuleMark(role: "origin", orientation: .vertical, value: last, color: "#999999", dash: "3 3")) }
            panels.append(Panel(title: id, x: axis, bands: bands, lines: lines, rules: rules))
        }
        let shaded = coverages.sorted().map { "\($0) %" }
        var span = ""
        if let first = result.series.first, let stamps = first.timestamps, let a = stamps.first, let b = stamps.last,
           (first.precision ?? result.precision) != .index {
            let precision = first.precision ?? result.precision
            let shared = result.series.allSatisfy { $0.timestamps?.first == a && $0.timestamps?.last == b }
            span = shared ? ", \(precision.format(a)) … \(precision.format(b))" : ""
        }
        let subtitle = "\(result.horizon) steps after each series' last row\(span); the last \(historyTail(horizon: result.horizon)) rows of history"
            + (shaded.isEmpty ? "" : "; shaded: \(shaded.joined(separator: " and ")) intervals")
        return Figure(title: "Forecast: \(place(input))", subtitle: subtitle, panels: panels, notes: note.map { [$0] } ?? [])
    }

    // MARK: - backtest

    static func backtest(_ result: BacktestResult, panel: [TimeSeriesFrame], settings: BacktestSettings, input: String,
                         options: PlotOptions) throws -> Figure {
        let located = locate(panel)
        let models = result.frame.models
        let primary = 0
        let (chosen, note) = try options.select(result.series.map(\.uniqueId), limit: max(1, options.plotLimit / 2))
        var panels: [Panel] = []
        let h = settings.horizon
        for id in chosen {
            let rows = result.frame.rows.filter { $0.uniqueId == id }
            guard let (frame, c) = located[id], !rows.isEmpty else { continue }
            let a = Axis(frame)
            let lengths = Backtest.trainingLengths(rows: frame.rowCount, horizon: h, windows: settings.windows, step: settings.step)
            let start = max(0, (lengths.first ?? 0) - 2 * h)
            let allX = xs(frame)
            var lines = [LineMark(role: "truth", series: id, label: "actual", xs: Array(allX[start...]),
                                  ys: frame.column(c)[start...].map(Double.init), color: Palette.ink, width: 1.3, maxStep: a.step * 1.5)]
            var rules: [RuleMark] = []
            // One forecast line per cutoff (the frame holds H rows per window, oldest cutoff first).
            var byCutoff: [(cutoff: Int64, rows: [CrossValidationRow])] = []
            for row in rows {
                if byCutoff.last?.cutoff == row.cutoff { byCutoff[byCutoff.count - 1].rows.append(row) } else { byCutoff.append((row.cutoff, [row])) }
            }
            for (w, window) in byCutoff.enumerated() {
                lines.append(LineMark(role: "cutoff-forecast", series: "\(id) cutoff \(w + 1)", label: "\(models[primary]) forecast at each cutoff",
                                      xs: window.rows.map { Double($0.ds) }, ys: window.rows.map { $0.forecasts[primary] ?? .nan },
                                      color: Palette.vermillion, width: 1.8))
                rules.append(RuleMark(role: "cutoff", label: "cutoff", orientation: .vertical, value: Double(window.cutoff),
                                      color: "#999999", dash: "3 3"))
            }
            panels.append(Panel(title: "\(id): forecasts against the actual values", x: a.x, lines: lines, rules: rules))

            // Mean absolute error per step ahead, over the windows, for every model.
            var errorLines: [LineMark] = []
            for (m, name) in models.enumerated() {
                var sums = [Double](repeating: 0, count: h), counts = [Int](repeating: 0, count: h)
                for window in byCutoff {
                    for (k, row) in window.rows.enumerated() where k < h {
                        if let f = row.forecasts[m] { sums[k] += abs(row.y - f); counts[k] += 1 }
                    }
                }
                errorLines.append(LineMark(role: "step-error", series: name, label: name, xs: (1...h).map(Double.init),
                                           ys: (0..<h).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .nan },
                                           color: m == primary ? Palette.vermillion : Palette.color(m + 1),
                                           width: m == primary ? 2.2 : 1.4, dash: m == primary ? nil : "5 3"))
            }
            panels.append(Panel(title: "\(id): MAE by steps ahead (\(byCutoff.count) windows)", x: .number(label: "steps ahead", integers: true),
                                yLabel: "MAE", lines: errorLines))
        }
        let subtitle = "\(settings.windows) windows of \(h) steps, cutoffs \(settings.step) rows apart; left: \(models[primary])'s forecast from each cutoff; right: its error and the baselines' by steps ahead"
        return Figure(title: "Backtest: \(place(input))", subtitle: subtitle, panels: panels, columns: 2, notes: note.map { [$0] } ?? [],
                      panelHeight: 250)
    }

    // MARK: - detect

    static func detect(_ report: DetectReport, input: String, options: PlotOptions) throws -> Figure {
        let frame = report.frame
        let a = Axis(frame)
        let x = xs(frame, offset: report.firstRow)
        let (chosen, note) = try options.select(frame.columns, limit: min(options.plotLimit, 8), noun: "channels")
        func span(_ first: Int, _ last: Int) -> (Double, Double) {
            (x[first] - a.step / 2, x[last] + a.step / 2)
        }
        let events = report.anomalyEvents.map { e -> SpanMark in
            let (from, to) = span(e.start, e.end)
            return SpanMark(role: "event", label: "detected event", from: from, to: to, color: Palette.vermillion, opacity: 0.22)
        }
        var labelled: [SpanMark] = []
        if let labels = report.labels {
            let rows = min(labels.count, x.count)
            var k = 0
            while k < rows {
                guard labels[k] == 1 else { k += 1; continue }
                var end = k
                while end + 1 < rows, labels[end + 1] == 1 { end += 1 }
                let (from, to) = span(k, end)
                labelled.append(SpanMark(role: "labelled", label: "labelled anomaly", from: from, to: to, color: Palette.green, opacity: 0.2))
                k = end + 1
            }
        }
        let seriesLines = chosen.enumerated().compactMap { k, name -> LineMark? in
            guard let c = frame.columnIndex(name) else { return nil }
            return LineMark(role: "series", series: name, label: chosen.count > 1 ? name : nil, xs: x, ys: frame.column(c).map(Double.init),
                            color: chosen.count > 1 ? Palette.color(k) : Palette.ink, width: 1.1, maxStep: a.step * 1.5)
        }
        let series = Panel(title: chosen.count == 1 ? chosen[0] : "the series (\(chosen.count) channels)", x: a.x,
                           spans: labelled + events, lines: seriesLines)
        let score = Panel(title: "anomaly score (\(report.detector.scorer.kind.rawValue), \(report.detector.aggregation.rawValue) over channels)",
                          x: a.x, yLabel: "score", spans: labelled + events,
                          lines: [LineMark(role: "score", series: "score", label: "score", xs: x, ys: report.result.scores.map(Double.init),
                                           color: Palette.blue, width: 1.2, maxStep: a.step * 1.5)],
                          rules: [RuleMark(role: "threshold", label: "threshold " + String(format: "%.4g", Double(report.result.threshold)), orientation: .horizontal,
                                           value: Double(report.result.threshold), color: Palette.vermillion, dash: "6 3")])
        let count = report.anomalyEvents.count
        let subtitle = "\(report.result.scores.count) scored rows, \(count) event\(count == 1 ? "" : "s") above the threshold (shaded)"
            + (report.firstRow > 0 ? "; rows 1–\(report.firstRow) fitted the detector and are not drawn" : "")
        return Figure(title: "Anomalies: \(place(input))", subtitle: subtitle, panels: [series, score], columns: 1, notes: note.map { [$0] } ?? [],
                      panelHeight: 240)
    }

    // MARK: - inspect

    static func inspect(_ frame: TimeSeriesFrame, input: String, options: PlotOptions) throws -> Figure {
        let a = Axis(frame)
        let x = xs(frame)
        let (chosen, note) = try options.select(frame.columns, noun: "columns")
        let analysis = frame.timestamps == nil ? nil : frame.frequencyAnalysis()
        let gaps = (analysis?.gaps ?? []).map {
            SpanMark(role: "gap", label: "gap in time", from: Double($0.from), to: Double($0.to), color: Palette.orange, opacity: 0.35)
        }
        var panels: [Panel] = []
        for name in chosen {
            guard let c = frame.columnIndex(name) else { continue }
            let y = frame.column(c)
            var missing: [SpanMark] = []
            for (i, v) in y.enumerated() where v.isNaN {
                missing.append(SpanMark(role: "missing", label: "missing value", from: x[i] - a.step / 2, to: x[i] + a.step / 2,
                                        color: Palette.purple, opacity: 0.45))
            }
            let line = LineMark(role: "series", series: name, xs: x, ys: y.map(Double.init), color: Palette.blue, width: 1.0,
                                maxStep: analysis.map { _ in a.step * 1.5 })
            panels.append(Panel(title: name, x: a.x, spans: gaps + missing, lines: [line]))
        }
        var subtitle = "\(frame.rowCount) rows"
        if let t = frame.timestamps, let first = t.first, let last = t.last {
            subtitle += ", \(frame.timestampPrecision.format(first)) … \(frame.timestampPrecision.format(last))"
            subtitle += analysis.map { ", frequency \($0.frequency)" } ?? ", irregular"
            let g = analysis?.gaps ?? []
            subtitle += g.isEmpty ? ", no gaps" : ", \(g.count) gap\(g.count == 1 ? "" : "s") (\(g.reduce(0) { $0 + $1.missingSteps }) missing steps, shaded)"
        }
        let missingCount = frame.values.filter(\.isNaN).count
        if missingCount > 0 { subtitle += ", \(missingCount) missing values (marked)" }
        return Figure(title: "Data: \(place(input))", subtitle: subtitle, panels: panels, notes: note.map { [$0] } ?? [])
    }
}
