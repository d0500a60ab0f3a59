// `tsfc forecast input.csv --horizon 96 [--level 80,95] [--quantiles 0.1,0.9]`: forecasts for
// every numeric column, in long format (unique_id, ds, tsfc, tsfc-lo-80, tsfc-hi-80, …, tsfc-q-0.1)
// as CSV or JSON, to stdout or --output (written atomically).
import ArgumentParser
import Foundation
import TSFC
import TSFCData

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the next steps of a CSV or HDF5 series.")

    @Argument(help: "CSV file, or HDF5 dataset as file.h5:/path.")
    var input: String

    @Option(help: "Steps to forecast.")
    var horizon: Int

    @Option(help: "Model bundle (default: Data/models/default.tsfc).")
    var model: String?

    @Option(help: "Comma-separated columns to forecast (default: every numeric column; long layout: series ids).")
    var columns: String?

    @Option(help: "Write here instead of stdout.")
    var output: String?

    @Option(help: "csv or json.")
    var format: OutputFormat = .csv

    @Option(help: "Rollout: renormalize (the paper's) or cached (KV cache).")
    var rollout: RolloutMode = .renormalize

    @Option(help: ArgumentHelp("Frequency of the future stamps (default: inferred from the data): \(Frequency.aliasHelp).", valueName: "alias"))
    var freq: Frequency?

    @OptionGroup var intervals: IntervalOptions

    @OptionGroup var time: TimeColumnOptions

    @OptionGroup var rows: RowPolicyOptions

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var plotting: PlotOptions

    func validate() throws {
        guard horizon > 0 else { throw ValidationError("--horizon must be a positive number of steps, got \(horizon)") }
        _ = try intervals.settings()
    }

    func run() throws {
        try threading.apply()
        if let output { try AtomicFile.checkWritable(URL(fileURLWithPath: output)) }
        try plotting.checkWritable()
        guard let modelURL = model.map({ URL(fileURLWithPath: $0) }) ?? ModelLocation.defaultModel() else {
            throw ValidationError("no --model given and \(ModelLocation.defaultRelativePath) was not found")
        }
        let world = Launch.world
        if world.isDistributed { try Launch.checkRanksAgree(model: modelURL, plot: plotting.plot) }
        let (forecaster, metadata) = try ModelBundle.loadForecaster(contentsOf: modelURL)
        let wanted = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        var options = CSVOptions(columns: wanted.isEmpty ? nil : wanted)
        try time.apply(to: &options)
        rows.policies.apply(to: &options)
        // Under mpirun each rank reads and forecasts its own series; CSV is streamed to rank 0 rank
        // by rank (no rank holds the whole panel's forecasts), JSON is gathered whole.
        let panel = try DataFile.openPanelShard(input, options: options, communicator: world).frames
        let settings = try intervals.settings()
        let streams = world.isDistributed && format == .csv
        let result = try forecaster.forecast(shard: panel, metadata: metadata, horizon: horizon, intervals: settings,
                                             mode: rollout, frequency: freq, communicator: world, gathering: !streams)
        if streams { return try streamCSV(result, settings) }
        guard world.isRoot else { return }
        let terminal = Terminal()
        for note in result.notes { terminal.note("note: \(note)") }
        let text = format == .json ? try ForecastCommand.json(result, settings) : ForecastCommand.csv(result, settings)
        if let output {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if plotting.plot != nil {
            try plotting.write(ResultPlots.forecast(result, panel: panel, input: input, options: plotting), terminal: terminal)
        }
    }

    /// Under mpirun, CSV output: rank 0 writes the header and its own rows, then each other
    /// rank's rows as they arrive, in rank order (the panel's order), to --output (atomically)
    /// or stdout; the bytes equal one process' output.
    private func streamCSV(_ result: ForecastResult, _ settings: IntervalSettings) throws {
        let world = Launch.world
        let rows = Array(ForecastCommand.csvRows(result, settings).utf8)
        guard world.isRoot else { return try world.send(rows, to: 0) }
        let terminal = Terminal()
        for note in result.notes { terminal.note("note: \(note)") }
        let write = { (handle: FileHandle) throws in
            try handle.write(contentsOf: Data(ForecastCommand.csvHeader(settings).utf8))
            try handle.write(contentsOf: Data(rows))
            for rank in 1..<world.size { try handle.write(contentsOf: Data(try world.receive(from: rank))) }
        }
        if let output { try AtomicFile.stream(to: URL(fileURLWithPath: output), write) } else { try write(FileHandle.standardOutput) }
    }

    static func stamp(_ result: ForecastResult, _ series: SeriesForecast, _ k: Int) -> String {
        series.timestamps.map { (series.precision ?? result.precision).format($0[k]) } ?? String(k + 1)
    }

    /// `unique_id,ds,tsfc` and the interval and quantile columns; a quantile the series could
    /// not be given (too few calibration windows) leaves its cell empty.
    static func csv(_ result: ForecastResult, _ settings: IntervalSettings = .none) -> String {
        csvHeader(settings) + csvRows(result, settings)
    }

    /// The CSV header line.
    static func csvHeader(_ settings: IntervalSettings) -> String {
        (["unique_id", "ds", "tsfc"] + settings.columns(for: "tsfc").map(\.name)).joined(separator: ",") + "\n"
    }

    /// The CSV lines of every series of `result`, without the header.
    static func csvRows(_ result: ForecastResult, _ settings: IntervalSettings) -> String {
        let extra = settings.columns(for: "tsfc")
        var out = ""
        for s in result.series {
            let id = CSVText.field(s.id)
            let quantiles = extra.map { s.quantile(Float($0.quantile)) }
            for (k, v) in s.values.enumerated() {
                out += ([id, stamp(result, s, k), "\(v)"] + quantiles.map { $0.map { "\($0[k])" } ?? "" }).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// One output row: `unique_id`, `ds`, `tsfc` and the interval and quantile columns (null
    /// where the series has no such quantile).
    struct Row: Encodable {
        let unique_id: String, ds: String, tsfc: Float
        let extra: [(String, Float?)]
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: NamedKey.self)
            try c.encode(unique_id, forKey: NamedKey("unique_id"))
            try c.encode(ds, forKey: NamedKey("ds"))
            try c.encode(tsfc, forKey: NamedKey("tsfc"))
            for (name, value) in extra { try c.encode(value, forKey: NamedKey(name)) }
        }
    }

    static func json(_ result: ForecastResult, _ settings: IntervalSettings = .none) throws -> String {
        let extra = settings.columns(for: "tsfc")
        let rows = result.series.flatMap { s in
            let quantiles = extra.map { s.quantile(Float($0.quantile)) }
            return s.values.enumerated().map { k, v in
                Row(unique_id: s.id, ds: stamp(result, s, k), tsfc: v, extra: zip(extra, quantiles).map { ($0.name, $1?[k]) })
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }
}
