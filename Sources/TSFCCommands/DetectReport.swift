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

    /// Runs of consecutive anomalous steps.
    func events() -> [DetectedEvent] {
        var out: [DetectedEvent] = []
        var i = 0
        let flags = result.isAnomaly
        while i < flags.count {
            guard flags[i] else { i += 1; continue }
            var j = i
            while j + 1 < flags.count && flags[j + 1] { j += 1 }
            let peak = (i...j).max { result.scores[$0] < result.scores[$1] } ?? i
            out.append(DetectedEvent(start: ds(i), end: ds(j), firstStep: i, lastStep: j, length: j - i + 1,
                                     peakScore: result.scores[peak], peak: ds(peak), topChannels: top(peak)))
            i = j + 1
        }
        return out
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
    /// Quality of the alarms against the labels (nil without labels): precision, recall and F1
    /// of `is_anomaly` at the detector's calibrated threshold.
    func metrics() -> [String: Double]? {
        guard let labels else { return nil }
        var tp = 0, fp = 0, fn = 0
        for (flag, label) in zip(result.isAnomaly, labels) {
            if flag && label == 1 { tp += 1 } else if flag { fp += 1 } else if label == 1 { fn += 1 }
        }
        let precision = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0
        let recall = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return ["precision": precision, "recall": recall, "f1": f1,
                "anomaly_share": Double(labels.filter { $0 == 1 }.count) / Double(max(labels.count, 1))]
    }

    /// The metrics as an aligned table for the terminal.
    func metricsTable() -> String? {
        guard let m = metrics() else { return nil }
        let order = ["precision", "recall", "f1", "anomaly_share"]
        var lines = ["metric           value", "---------------  ------"]
        for key in order { if let v = m[key] { lines.append(key.padding(toLength: 15, withPad: " ", startingAt: 0) + "  " + String(format: "%.4f", v)) } }
        return lines.joined(separator: "\n")
    }
}
