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
    /// Seconds spent fitting the detector (0 when loaded) and scoring the input.
    var fitSeconds: Double = 0
    var scoreSeconds: Double = 0
    let topChannels: Int
    let labels: [Int]?
    /// Turns alarm runs into events (and the `is_anomaly` column into their flags).
    let extractor: EventExtractor

    /// The timestamp of scored step `i`, or its 1-based row number in the input.
    func ds(_ i: Int) -> String {
        frame.timestamps.map { frame.timestampPrecision.format($0[i]) } ?? String(firstRow + i + 1)
    }

    func top(_ i: Int) -> [String] {
        result.channelScores.topChannels(at: i, k: topChannels).map { detector.columns[$0] }
    }

    func csv() -> String {
        var out = topChannels > 0 ? "ds,score,is_anomaly,top_channels\n" : "ds,score,is_anomaly\n"
        let flags = eventFlags
        for i in 0..<result.scores.count {
            out += "\(CSVText.field(ds(i))),\(result.scores[i]),\(flags[i] ? 1 : 0)"
            if topChannels > 0 { out += "," + CSVText.field(top(i).joined(separator: ";")) }
            out += "\n"
        }
        return out
    }

    /// Alarm runs merged into events by `extractor` (minimum gap, minimum length, suppression).
    var anomalyEvents: [AnomalyEvent] { extractor.events(alarms: result.isAnomaly, scores: result.scores) }

    /// Per-step flags after event post-processing: 1 inside a kept event (merged gaps included).
    var eventFlags: [Bool] { EventExtractor.flags(of: anomalyEvents, count: result.scores.count) }

    /// The events with timestamps and the channels that drove each peak.
    func events() -> [DetectedEvent] {
        anomalyEvents.map { e in
            DetectedEvent(start: ds(e.start), end: ds(e.end), firstStep: e.start, lastStep: e.end, length: e.length,
                          peakScore: e.peakScore, peak: ds(e.peakIndex), topChannels: top(e.peakIndex))
        }
    }

    func eventsCSV() -> String {
        var out = "start,end,length,peak,peak_score,top_channels\n"
        for e in events() {
            out += "\(CSVText.field(e.start)),\(CSVText.field(e.end)),\(e.length),\(CSVText.field(e.peak)),\(e.peakScore),\(CSVText.field(e.topChannels.joined(separator: ";")))\n"
        }
        return out
    }

    func eventSummary() -> String {
        let list = events()
        let flagged = result.isAnomaly.filter { $0 }.count
        var lines = ["\(list.count) event\(list.count == 1 ? "" : "s") (\(extractor.minimumGap)-step gaps merged, shorter than \(extractor.minimumLength) dropped, \(extractor.suppression) suppressed after each), \(flagged) of \(result.scores.count) steps above the threshold \(result.threshold)"]
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
        let detector: ScorerKind
        let threshold: Float
        let aggregation: String
        let columns: [String]
        let first_row: Int
        let rows: [Row]
        let events: [DetectedEvent]
        let metrics: MetricsReport?
        let fit_seconds: Double
        let score_seconds: Double
    }

    func json() throws -> String {
        let flags = eventFlags
        let rows = (0..<result.scores.count).map {
            Row(ds: ds($0), score: result.scores[$0], is_anomaly: flags[$0], top_channels: topChannels > 0 ? top($0) : nil)
        }
        let document = Document(detector: detector.scorer.kind, threshold: result.threshold, aggregation: detector.aggregation.rawValue,
                                columns: detector.columns, first_row: firstRow + 1, rows: rows, events: events(),
                                metrics: try metrics(), fit_seconds: fitSeconds, score_seconds: scoreSeconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}

extension DetectReport {
    /// Every metric against the labels (nil without labels), at the detector's calibrated
    /// threshold after event post-processing; threshold-free metrics from the scores.
    func metrics() throws -> MetricsReport? {
        guard let labels else { return nil }
        do {
            return try MetricsReport(labels: labels.map { $0 == 1 }, scores: result.scores, predictions: eventFlags,
                                     labelSource: "the labels")
        } catch AnomalyLabelError.noContrast {
            return nil  // all-normal (or all-anomalous) labels: no metric is defined; `metricsNote` says so
        }
    }

    /// Why no metrics table is shown although labels were given, or nil.
    var metricsNote: String? {
        guard let labels else { return nil }
        let anomalies = labels.filter { $0 == 1 }.count
        guard anomalies == 0 || anomalies == labels.count else { return nil }
        return "no metrics: the labels of the scored rows are all \(anomalies == 0 ? "0 (no anomaly)" : "1"), so precision, recall and the curves are undefined"
    }

    /// The metrics as an aligned table for the terminal; plain and point-adjusted F1 side by side.
    func metricsTable() throws -> String? {
        guard let m = try metrics() else { return metricsNote }
        let width = m.rows.map(\.name.count).max() ?? 10
        var lines = ["metric".padding(toLength: width, withPad: " ", startingAt: 0) + "  value",
                     String(repeating: "-", count: width) + "  ------"]
        for row in m.rows {
            lines.append(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%.4f", row.value))
        }
        lines.append("(point-adjusted figures count a whole labelled event as found when one step of it is flagged; they overstate detection and are shown only beside the plain ones)")
        return lines.joined(separator: "\n")
    }
}
