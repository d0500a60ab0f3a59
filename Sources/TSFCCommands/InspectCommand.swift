// `tsfc inspect FILE`: what is in a CSV or HDF5 file — rows, columns, types, time range,
// frequency, gaps, duplicate timestamps, missing values and basic statistics.
import ArgumentParser
import Foundation
import TSFCData

/// A data error as the command reports it: the library's message, exit status 1.
struct DataCommandError: Error, CustomStringConvertible {
    let underlying: Error
    var description: String { "\(underlying)" }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a CSV or HDF5 time-series file (FILE or FILE.h5:/group/dataset).")

    @Argument(help: "A CSV file, or an HDF5 file with an optional dataset path (file.h5:/group/values).")
    var file: String


    @OptionGroup var time: TimeColumnOptions

    @OptionGroup var rows: RowPolicyOptions

    @Option(help: "CSV layout: auto, wide or long.")
    var layout: CSVLayout = .auto

    @Option(help: "The target column (moved last).")
    var target: String?

    @Option(help: "Comma-separated columns to keep (long layout: series ids).")
    var columns: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print the load time and throughput to standard error.")
    var timing = false

    @OptionGroup var plotting: PlotOptions

    func run() throws {
        do {
            try plotting.checkWritable()
            let clock = ContinuousClock()
            let started = clock.now
            let cpuStarted = Self.processCPUSeconds()
            let frame = try load()
            if timing {
                let elapsed = clock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                let cpu = Self.processCPUSeconds() - cpuStarted
                let bytes = (try? FileManager.default.attributesOfItem(atPath: splitHDF5Path(file).file)[.size] as? Int) ?? 0
                FileHandle.standardError.write(Data(String(format: "load: %.3f s, cpu %.3f s, %.1f MB/s (%d bytes, %d rows × %d columns)\n",
                                                           seconds, cpu, Double(bytes) / 1e6 / max(seconds, 1e-9), bytes,
                                                           frame.rowCount, frame.channelCount).utf8))
            }
            let summary = FrameSummary.summarize(frame)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(render(summary))
            }
            if plotting.plot != nil { try plotting.write(ResultPlots.inspect(frame, input: file, options: plotting), terminal: Terminal()) }
        } catch let error as DataError {
            throw DataCommandError(underlying: error)
        }
    }

    /// CPU time of the whole process so far (user + system, every thread: large files load on
    /// several threads), for `--timing` on a busy machine where wall time mostly measures the
    /// wait for a core.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    private func load() throws -> TimeSeriesFrame {
        var options = CSVOptions(missingValues: .keep, timestampOrder: .allow)
        try time.apply(to: &options)
        // Without --fill, --sort or --dedupe the file is described as it is (missing cells and
        // order problems counted, not refused); with them, as a command would read it.
        if let fill = rows.fill { options.missingValues = fill.missingValuePolicy }
        if rows.sort || rows.dedupe != nil {
            options.timestampOrder = .error
            options.sort = rows.sort
            options.dedupe = rows.dedupe ?? .error
        }
        options.layout = layout
        options.target = target
        options.columns = columns?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try DataFile.open(file, options: options)
    }

    private func render(_ s: FrameSummary) -> String {
        var lines = ["\(s.source): \(s.rows) rows × \(s.columns.count) columns"]
        if let t = s.time {
            lines.append("time: \(t.first) … \(t.last), frequency \(t.frequency ?? "irregular")"
                + (t.regularShare.map { String(format: " (%.1f%% of steps regular)", $0 * 100) } ?? ""))
            lines.append("gaps: \(t.gapCount) (\(t.missingSteps) missing steps), irregular steps: \(t.irregularSteps), duplicate timestamps: \(t.duplicateTimestamps), backward steps: \(t.backwardSteps)")
            for gap in t.firstGaps { lines.append("  gap \(gap)") }
        } else {
            lines.append("time: no timestamp column")
        }
        lines.append("missing values: \(s.missingTotal)")
        let nameWidth = max(6, s.columns.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        func number(_ v: Double?) -> String { v.map { String(format: "%12.4f", $0) } ?? String(repeating: " ", count: 11) + "-" }
        lines.append("\(pad("column", nameWidth))  dtype  missing          min          max         mean          std")
        for c in s.columns {
            lines.append("\(pad(c.name, nameWidth))  \(pad(c.dtype, 5))  \(String(format: "%7d", c.missing)) \(number(c.min)) \(number(c.max)) \(number(c.mean)) \(number(c.std))")
        }
        return lines.joined(separator: "\n")
    }
}
