// Options shared by several subcommands.
import ArgumentParser
import TSFC
import TSFCData
import TSFCTensor

/// `--threads`: the kernel and OpenBLAS thread count.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for kernels and OpenBLAS (default: TSFC_THREADS or the number of cores).")
    var threads: Int?

    func apply() throws {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
            Threading.threadCount = threads
        }
    }
}

extension RolloutMode: ExpressibleByArgument {}

extension TimestampFormat: ExpressibleByArgument {}

/// `--timestamp-column` and `--date-format`: which column holds the time and how it is written.
struct TimeColumnOptions: ParsableArguments {
    @Option(name: .customLong("timestamp-column"),
            help: "The time column (default: detected by name — ds, date, time, timestamp, year, month, period… — or content; \"\" for none).")
    var timestampColumn: String?

    @Option(name: .customLong("date-format"),
            help: ArgumentHelp("How the time column is written (default: detected; dmy or mdy settle ambiguous 03/04/2020 dates; epoch numbers only when given).",
                               valueName: TimestampFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var dateFormat: TimestampFormat?

    /// Sets the CSV options' time column and format.
    func apply(to options: inout CSVOptions) {
        if let timestampColumn { options.timestampColumn = timestampColumn }
        if let dateFormat { options.dateFormat = dateFormat }
    }
}

extension Frequency: ExpressibleByArgument {
    public init?(argument: String) { self.init(alias: argument) }
}

extension SplitKind: ExpressibleByArgument {}

extension CSVLayout: ExpressibleByArgument {}

/// `--format` of the commands that write rows: CSV or JSON.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case csv, json
}

/// Parses `--horizons 96,192,336`: positive integers separated by commas.
func parseHorizons(_ text: String) throws -> [Int] {
    let parsed = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("--horizons \(text): give positive integers separated by commas, e.g. 96,192")
    }
    return parsed.compactMap { $0 }
}
