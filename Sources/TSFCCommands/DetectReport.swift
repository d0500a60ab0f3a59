// Rendering `tsfc detect` results: the per-step table (CSV or JSON), the events and their summary.
import Foundation
import TSFC
import TSFCData

/// A contiguous run of anomalous steps.
struct DetectedEvent: Encodable, Equatable {
    let start: String
    let end: String
    /// 0-based indices among the scored rows, inclusive.
    let firstStep: Int
    let lastStep: Int
    let length: Int
    let peakScore: Float
    let peak: String
    /// The channels that drove the score at the peak.
    let topChannels: [String]

    enum CodingKeys: String, CodingKey {
        case start, end, firstStep = "first_step", lastStep = "last_step", length, peakScore = "peak_score", peak
        case topChannels = "top_channels"
    }
}

struct DetectReport {
    let frame: TimeSeriesFrame
    /// Input row number of the first scored row (0-based).
    let firstRow: Int
    let detector: TrainedDetector
    let result: DetectionResult
    let topChannels: Int
    let labels: [Int]?
    /// How alarms become events.
    let extractor: EventExtractor

    /// The timestamp of scored step `i`, or its 1-based row number in the input.
    func ds(_ i: Int) -> String {
        frame.timestamps.map { Timestamp.format($0[i]) } ?? String(firstRow + i + 1)
    }

    func top(_ i: Int) -> [String] {
        result.channelScores.topChannels(at: i, k: topChannels).map { detector.columns[$0] }
    }

    static func quoted(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s
    }

    func csv() -> String {
        var out = topChannels > 0 ? "ds,score,is_anomaly,top_channels\n" : "ds,score,is_anomaly\n"
        for i in 0..<result.scores.count {
            out += "\(DetectReport.quoted(ds(i))),\(result.scores[i]),\(result.isAnomaly[i] ? 1 : 0)"
            if topChannels > 0 { out += "," + DetectReport.quoted(top(i).joined(separator: ";")) }
            out += "\n"
        }
        return out
    }

    /// The events of the alarms (Detection/Events: runs of alarms, merged and filtered by `extractor`).
    func events() -> [DetectedEvent] {
        extractor.events(alarms: result.isAnomaly, scores: result.scores).map { e in
            DetectedEvent(start: ds(e.start), end: ds(e.end), firstStep: e.start, lastStep: e.end, length: e.length,
                          peakScore: e.peakScore, peak: ds(e.peakIndex), topChannels: top(e.peakIndex))
        }
    }

    func eventsCSV() -> String {
        var out = "start,end,length,peak,peak_score,top_channels\n"
        for e in events() {
            out += "\(DetectReport.quoted(e.start)),\(DetectReport.quoted(e.end)),\(e.length),\(DetectReport.quoted(e.peak)),\(e.peakScore),\(DetectReport.quoted(e.topChannels.joined(separator: ";")))\n"
        }
        return out
    }

    func eventSummary() -> String {
        let list = events()
        let flagged = result.isAnomaly.filter { $0 }.count
        var lines = ["\(list.count) event\(list.count == 1 ? "" : "s"), \(flagged) of \(result.scores.count) steps above the threshold \(result.threshold)"]
        for e in list.prefix(10) {
            lines.append("  \(e.start) – \(e.end) (\(e.length) steps), peak \(e.peakScore) at \(e.peak)\(e.topChannels.isEmpty ? "" : ", channels \(e.topChannels.joined(separator: ", "))")")
        }
        if list.count > 10 { lines.append("  … \(list.count - 10) more (see --events or --format json)") }
        return lines.joined(separator: "\n")
    }

    struct Row: Encodable {
        let ds: String
        let score: Float
        let is_anomaly: Bool
        let top_channels: [String]?
    }

    struct Document: Encodable {
        let detector: String
        let threshold: Float
        let aggregation: String
        let columns: [String]
        let first_row: Int
        let rows: [Row]
        let events: [DetectedEvent]
        let metrics: [String: Double]?
    }

    func json() throws -> String {
        let rows = (0..<result.scores.count).map {
            Row(ds: ds($0), score: result.scores[$0], is_anomaly: result.isAnomaly[$0], top_channels: topChannels > 0 ? top($0) : nil)
        }
        let document = Document(detector: detector.scorer.kind, threshold: result.threshold, aggregation: detector.aggregation.rawValue,
                                columns: detector.columns, first_row: firstRow + 1, rows: rows, events: events(),
                                metrics: metrics())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}

extension DetectReport {
    /// Every metric of the scores and alarms against the labels (nil without labels), from the
    /// Detection/Metrics library; `problem` says why none could be computed (e.g. no anomaly labelled).
    func metricsReport() -> (report: MetricsReport?, problem: String?) {
        guard let labels else { return (nil, nil) }
        do {
            return (try MetricsReport(labels: labels.map { $0 == 1 }, scores: result.scores, predictions: result.isAnomaly,
                                      labelSource: "the labels"), nil)
        } catch {
            return (nil, "metrics: \(error)")
        }
    }

    /// The metrics as a JSON object (snake_case keys), or nil.
    func metrics() -> [String: Double]? {
        guard let r = metricsReport().report else { return nil }
        return ["vus_pr": r.vusPR, "vus_roc": r.vusROC, "pate": r.pate, "pate_f1": r.pateF1,
                "precision": r.pointPrecision, "recall": r.pointRecall, "f1": r.pointF1,
                "point_adjusted_f1": r.pointAdjustedF1, "best_f1": r.bestPointF1,
                "best_point_adjusted_f1": r.bestPointAdjustedF1, "auc_pr": r.aucPR, "auc_roc": r.aucROC,
                "affiliation_f1": r.affiliationF1]
    }

    /// The metrics as an aligned table for the terminal.
    func metricsTable() -> String? {
        let (report, problem) = metricsReport()
        if let problem { return problem }
        guard let report else { return nil }
        let width = report.rows.map { $0.name.count }.max() ?? 10
        var lines = ["metric".padding(toLength: width, withPad: " ", startingAt: 0) + "  value"]
        for row in report.rows {
            lines.append(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%.4f", row.value))
        }
        return lines.joined(separator: "\n")
    }
}
