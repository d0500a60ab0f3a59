// `tsfc corpus`: draw series from the pretraining corpus (issue 16) — write them in long format
// (`unique_id, ds, y`) and/or print a summary per source.
import ArgumentParser
import Foundation
import TSFC

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Draw series from the pretraining corpus (synthetic + real); write them as unique_id,ds,y or summarise them.")

    @Option(help: "A run configuration whose `corpus:` section is used (e.g. Configs/pretrain.yaml).")
    var config: String?

    @Option(help: "Override corpus.seed.")
    var seed: UInt64?

    @Option(help: "How many series to draw.")
    var count: Int = 1000

    @Option(help: "The first index to draw (series start..<start+count).")
    var start: Int = 0

    @Option(help: "The folder real_paths are relative to.")
    var dataRoot: String = "Data"

    @Option(help: "Write the series to this CSV (long format unique_id,ds,y; written atomically).")
    var output: String?

    @Flag(help: "Print counts and lengths per source.")
    var summary = false

    @Option(name: .customLong("set"), help: "Override a configuration key (corpus.max_length=512); repeatable.")
    var set: [String] = []

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be ≥ 1") }
        if start < 0 { throw ValidationError("--start must be ≥ 0") }
    }

    func run() throws {
        var run = RunConfiguration()
        do {
            if let config {
                run = try ConfigurationLoader.load(contentsOf: URL(fileURLWithPath: config), overrides: set)
            } else if !set.isEmpty {
                run = try ConfigurationLoader.load(yaml: "{}", file: "--set", overrides: set)
            }
        } catch {
            throw ValidationError("\(error)")
        }
        var settings = run.corpus
        if let seed { settings.seed = seed }
        let outputURL = output.map { URL(fileURLWithPath: $0) }
        if let outputURL { try AtomicFile.checkWritable(outputURL) }
        let corpus: PretrainingCorpus
        do {
            corpus = try PretrainingCorpus(settings: settings, dataRoot: URL(fileURLWithPath: dataRoot))
        } catch {
            throw ValidationError("\(error)")
        }
        let clock = ContinuousClock()
        let began = clock.now
        let indices = start..<(start + count)
        let series = indices.map { corpus.series(at: $0) }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let outputURL {
            try AtomicFile.write(Data(CorpusCommand.longFormat(series, indices: indices).utf8), to: outputURL)
        }
        if summary || output == nil {
            print(CorpusCommand.summaryTable(series, indices: indices, corpus: corpus))
            print(String(format: "%d series in %.3f s (%.0f series/s)", series.count, seconds, Double(series.count) / max(seconds, 1e-9)))
        }
        if let output { print("wrote \(series.count) series to \(output)") }
    }

    /// `unique_id,ds,y` rows: ids `corpus-<index>`, stamps on the series' calendar from 2000-01-01
    /// (business days from Monday 2000-01-03; plain step numbers without a frequency).
    static func longFormat(_ series: [CorpusSeries], indices: Range<Int>) -> String {
        var text = "unique_id,ds,y\n"
        for (index, s) in zip(indices, series) {
            let id = "corpus-\(index)"
            let (stamps, precision) = calendar(of: s)
            for (t, v) in zip(stamps, s.values) {
                text += id + "," + precision.format(t) + "," + "\(v)" + "\n"
            }
        }
        return text
    }

    static func calendar(of s: CorpusSeries) -> ([Int64], TimestampPrecision) {
        let n = s.values.count
        guard let f = s.frequency, f.unit != .step else { return ((1...max(1, n)).map(Int64.init), .index) }
        let first = Timestamp.epochSeconds(year: 2000, month: 1, day: f.unit == .businessDay ? 3 : 1)
        let stamps = [first] + f.future(after: first, count: n - 1)
        let precision: TimestampPrecision
        switch f.unit {
        case .month: precision = f.multiple == 12 ? .year : f.multiple == 3 ? .quarter : .month
        case .businessDay: precision = .day
        default: precision = f.multiple % 86_400 == 0 ? .day : .second
        }
        return (stamps, precision)
    }

    /// One row per source (real series per file): count, validation count, lengths.
    static func summaryTable(_ series: [CorpusSeries], indices: Range<Int>, corpus: PretrainingCorpus) -> String {
        struct Row { var count = 0, validation = 0, points = 0, shortest = Int.max, longest = 0, seasonal = 0, frequencies = Set<String>() }
        var rows: [String: Row] = [:]
        for (index, s) in zip(indices, series) {
            let key = s.source.contains(":") ? "real " + String(s.source[..<s.source.lastIndex(of: ":")!]) : s.source
            var r = rows[key] ?? Row()
            r.count += 1
            if corpus.isValidation(index: index) { r.validation += 1 }
            r.points += s.values.count
            r.shortest = min(r.shortest, s.values.count)
            r.longest = max(r.longest, s.values.count)
            if s.seasonLength > 1 { r.seasonal += 1 }
            r.frequencies.insert(s.frequency?.description ?? "none")
            rows[key] = r
        }
        let header = ["source", "series", "validation", "mean length", "min", "max", "seasonal", "frequencies"]
        var table = [header]
        for key in rows.keys.sorted() {
            let r = rows[key]!
            table.append([key, "\(r.count)", "\(r.validation)", "\(r.points / max(1, r.count))", "\(r.shortest)", "\(r.longest)",
                          "\(r.seasonal)", r.frequencies.sorted().joined(separator: " ")])
        }
        let widths = (0..<header.count).map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
