// Options shared by several subcommands.
import ArgumentParser
import Foundation
import TSFC
import TSFCData
import TSFCTensor

/// `--threads`: the kernel and OpenBLAS thread count.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for kernels and OpenBLAS (default: TSFC_THREADS or the number of cores; under mpirun, the cores shared by the ranks on this machine).")
    var threads: Int?

    func apply() throws {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
            Threading.threadCount = threads
        } else if Launch.world.isDistributed, ProcessInfo.processInfo.environment["TSFC_THREADS"] == nil,
                  let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init), local > 1 {
            // Ranks on one machine split its cores rather than each take them all.
            Threading.threadCount = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / local)
        }
    }
}

extension RolloutMode: ExpressibleByArgument {}

extension TimestampFormat: ExpressibleByArgument {}

/// `--timestamp-column`, `--date-format`, `--delimiter` and `--no-header`: which column holds the
/// time, how it is written, how a CSV's fields are separated, and whether its first line names them.
struct TimeColumnOptions: ParsableArguments {
    @Option(name: .customLong("timestamp-column"),
            help: "The time column (default: detected by name — ds, date, time, timestamp, year, month, period… — or content; \"\" for none).")
    var timestampColumn: String?

    @Option(name: .customLong("date-format"),
            help: ArgumentHelp("How the time column is written (default: detected; dmy or mdy settle ambiguous 03/04/2020 dates; epoch numbers only when given).",
                               valueName: TimestampFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var dateFormat: TimestampFormat?

    @Option(help: "CSV delimiter: ',', ';', '|' or 'tab' (default: detected from the header line).")
    var delimiter: String?

    @Flag(help: "The CSV files have no header line: every line is data and the columns are named c0, c1, ….")
    var noHeader = false

    /// Sets the CSV options' time column, format, delimiter and header.
    func apply(to options: inout CSVOptions) throws {
        if let timestampColumn { options.timestampColumn = timestampColumn }
        if let dateFormat { options.dateFormat = dateFormat }
        if noHeader { options.hasHeader = false }
        if let delimiter {
            guard let d = ["tab": "\t", "\\t": "\t", ",": ",", ";": ";", "|": "|"][delimiter] else {
                throw ValidationError("--delimiter '\(delimiter)' is not supported: use ',', ';', '|' or tab")
            }
            options.delimiter = Character(d)
        }
    }
}

extension FillPolicy: ExpressibleByArgument {}

extension DuplicatePolicy: ExpressibleByArgument {}

/// `--fill`, `--sort` and `--dedupe`: missing cells, rows out of time order, repeated timestamps
/// (the YAML keys `data.fill`, `data.sort`, `data.dedupe`).
struct RowPolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Missing cells: none (refuse the file), forward, interpolate, zero or drop (the rows).",
                               valueName: FillPolicy.allCases.map(\.rawValue).joined(separator: "|")))
    var fill: FillPolicy?

    @Flag(help: "Sort rows by time instead of refusing rows out of order.")
    var sort = false

    @Option(help: ArgumentHelp("Repeated timestamps: error, or keep the first or last row of each.",
                               valueName: DuplicatePolicy.allCases.map(\.rawValue).joined(separator: "|")))
    var dedupe: DuplicatePolicy?

    /// Whether any of the three was given.
    var isGiven: Bool { fill != nil || sort || dedupe != nil }

    /// The policies given, over `base` (a model's or configuration's own).
    func policies(over base: RowPolicies = RowPolicies()) -> RowPolicies {
        var result = base
        if let fill { result.fill = fill }
        if sort { result.sort = true }
        if let dedupe { result.dedupe = dedupe }
        return result
    }

    /// The policies given over the defaults.
    var policies: RowPolicies { policies() }
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

/// Parses `--ratios 0.7,0.1,0.2`: three positive shares summing to 1.
func parseRatios(_ text: String) throws -> [Double] {
    let parsed = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parsed.count == 3, parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("--ratios \(text): give three positive shares (train, validation, test) separated by commas, e.g. 0.7,0.1,0.2")
    }
    let shares = parsed.compactMap { $0 }
    guard abs(shares.reduce(0, +) - 1) < 1e-6 else {
        throw ValidationError("--ratios \(text): the shares sum to \(shares.reduce(0, +)), not 1; e.g. 0.7,0.1,0.2")
    }
    return shares
}
