// `tsfc detect --follow`: live monitoring. CSV rows (a header line first) are read from stdin
// and each step's score is printed as soon as it is final — at once for the residual scorer,
// window − 1 rows later for the reconstruction scorer — with the same numbers as a batch run.
import ArgumentParser
import Foundation
import TSFC
import TSFCData

struct DetectFollow {
    let command: DetectCommand
    let terminal: Terminal

    static let timestampNames = ["date", "ds", "timestamp", "time"]

    func run() throws {
        let detector: TrainedDetector
        var history: [Float] = []
        var historyRows = 0
        if let model = command.model {
            detector = try ModelBundle.loadDetector(contentsOf: URL(fileURLWithPath: model))
            // A live stream continues the data the detector was fitted on: its stored training tail is the context.
            let c = detector.columns.count
            historyRows = min(detector.trainingTail.count / c, detector.scorer.contextRows)
            history = detector.normalization.apply(Array(detector.trainingTail.suffix(historyRows * c)), channels: c)
        } else if let train = command.train {
            let trainFrame = try command.loadFrame(train)
            terminal.note("tsfc detect --follow: fitting a detector on \(train) (\(trainFrame.rowCount) rows)")
            detector = try command.fit(try command.fittingConfiguration(), frame: trainFrame, rows: 0..<trainFrame.rowCount,
                                       terminal: terminal)
            historyRows = min(trainFrame.rowCount, detector.scorer.contextRows)
            history = try detector.standardized(trainFrame.rows((trainFrame.rowCount - historyRows)..<trainFrame.rowCount))
        } else {
            throw ValidationError("--follow needs --model or --train")
        }
        if detector.normalization.detrend.contains(true) {
            throw ValidationError("--follow cannot yet stream a detector with rolling normalisation (detection.normalization); fit one with normalization: global")
        }
        let c = detector.columns.count
        let stream = detector.scorer.makeStream(channels: c)
        for t in 0..<historyRows { _ = try stream.append(Array(history[(t * c)..<((t + 1) * c)]), isHistory: true) }

        guard let headerLine = readLine() else { throw ValidationError("stdin: no header line; the first line must name the columns") }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
        let stampIndex = header.firstIndex { DetectFollow.timestampNames.contains($0.lowercased()) }
        var order: [Int] = []
        for name in detector.columns {
            guard let i = header.firstIndex(of: name) else {
                throw ValidationError("stdin: the header has no column '\(name)'; the detector reads [\(detector.columns.joined(separator: ", "))]")
            }
            order.append(i)
        }
        let extra = header.enumerated().filter { $0.offset != stampIndex && !detector.columns.contains($0.element) }.map(\.element)
        if !extra.isEmpty {
            throw ValidationError("stdin: columns [\(extra.joined(separator: ", "))] were not in the detector's training data [\(detector.columns.joined(separator: ", "))]")
        }
        let out = FileHandle.standardOutput
        if command.format == .csv {
            out.write(Data((command.topChannels > 0 ? "ds,score,is_anomaly,top_channels\n" : "ds,score,is_anomaly\n").utf8))
        }
        var stamps: [Int: String] = [:]
        var line = 1, rows = 0, alarms = 0
        var latency: [Double] = []
        func emit(_ scores: [StreamedScore]) {
            for s in scores {
                let score = AnomalyScores.aggregate(s.scores[...], detector.aggregation)
                let flag = score > detector.threshold
                if flag { alarms += 1 }
                let top = AnomalyScores.topChannels(s.scores[...], k: command.topChannels).map { detector.columns[$0] }
                let ds = stamps.removeValue(forKey: s.row) ?? String(s.row + 1)
                let text: String
                if command.format == .json {
                    let row = DetectReport.Row(ds: ds, score: score, is_anomaly: flag, top_channels: command.topChannels > 0 ? top : nil)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    text = String(decoding: (try? encoder.encode(row)) ?? Data(), as: UTF8.self) + "\n"
                } else {
                    text = "\(CSVText.field(ds)),\(score),\(flag ? 1 : 0)" + (command.topChannels > 0 ? "," + CSVText.field(top.joined(separator: ";")) : "") + "\n"
                }
                out.write(Data(text.utf8))
            }
        }
        while let raw = readLine() {
            line += 1
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let started = DispatchTime.now().uptimeNanoseconds
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == header.count else {
                throw ValidationError("stdin:\(line): \(fields.count) fields, the header has \(header.count)")
            }
            var values = [Float](repeating: 0, count: c)
            for (k, i) in order.enumerated() {
                guard let v = Float(fields[i]), v.isFinite else {
                    throw ValidationError("stdin:\(line): column '\(detector.columns[k])' holds '\(fields[i])', not a number")
                }
                values[k] = detector.normalization.transform(v, column: k)
            }
            if let stampIndex { stamps[rows] = fields[stampIndex].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            rows += 1
            emit(try stream.append(values, isHistory: false))
            latency.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        emit(try stream.finish())
        let mean = latency.reduce(0, +) / Double(max(latency.count, 1))
        let sorted = latency.sorted()
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        terminal.note(String(format: "follow: %d rows, %d above the threshold %g; %.3f ms per row on average (p99 %.3f ms)%@",
                             rows, alarms, detector.threshold, mean, p99,
                             detector.scorer.streamDelay > 0 ? ", each score \(detector.scorer.streamDelay) rows after its row" : ""))
    }
}
