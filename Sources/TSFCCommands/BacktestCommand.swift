// `tsfc backtest data.csv --horizon 12 --windows 3`: rolling-origin evaluation of a model and the
// baselines over every series, as Nixtla's cross-validation frame, with a metrics table.
import ArgumentParser
import Foundation
import TSFC
import TSFCData

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin evaluation (expanding window) of a model and the baselines over every series.",
        discussion: """
            The last N windows of H points of each series are forecast, each from the rows up to its \
            cutoff only. Baselines: naive, seasonal_naive, mean, drift. Writes the cross-validation \
            frame (unique_id, ds, cutoff, y, <models>) and prints MAE, RMSE, MAPE, sMAPE and MASE per \
            series and their mean over the series on stderr.
            """)

    @Argument(help: "CSV file (wide columns or a long unique_id, ds, y panel), or HDF5 dataset as file.h5:/path.")
    var input: String

    @Option(help: "Points per window.")
    var horizon: Int

    @Option(help: "Windows per series (the last N).")
    var windows: Int

    @Option(help: "Rows between cutoffs (default: the horizon).")
    var step: Int?

    @Option(name: .customLong("season-length"),
            help: "Season of the seasonal naive forecast and of the MASE scale (default: from the frequency: hourly 24, daily 7, weekly 52, monthly 12, quarterly 4, else 1).")
    var seasonLength: Int?

    @Option(help: "A model bundle to evaluate beside the baselines (default: the baselines only).")
    var model: String?

    @Flag(help: "Evaluate the baselines beside --model (always on without a model).")
    var baselines = false

    @Option(help: "Comma-separated columns to evaluate (default: every numeric column; long layout: series ids).")
    var columns: String?

    @Option(help: "Write the frame here instead of stdout.")
    var output: String?

    @Option(help: "csv or json.")
    var format: OutputFormat = .csv

    @OptionGroup var time: TimeColumnOptions

    @OptionGroup var rows: RowPolicyOptions

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var plotting: PlotOptions

    func validate() throws {
        guard horizon > 0 else { throw ValidationError("--horizon must be a positive number of steps, got \(horizon)") }
        guard windows > 0 else { throw ValidationError("--windows must be a positive number, got \(windows)") }
        if let step, step <= 0 { throw ValidationError("--step must be a positive number of rows, got \(step)") }
        if let seasonLength, seasonLength <= 0 { throw ValidationError("--season-length must be a positive number of steps, got \(seasonLength)") }
    }

    func run() throws {
        try threading.apply()
        if let output { try AtomicFile.checkWritable(URL(fileURLWithPath: output)) }
        try plotting.checkWritable()
        var evaluated: BacktestModel?
        if let model {
            let (forecaster, metadata) = try ModelBundle.loadForecaster(contentsOf: URL(fileURLWithPath: model))
            evaluated = BacktestModel(forecaster: forecaster, metadata: metadata)
        }
        let wanted = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        var options = CSVOptions(columns: wanted.isEmpty ? nil : wanted)
        try time.apply(to: &options)
        rows.policies.apply(to: &options)
        let panel = try DataFile.openPanel(input, options: options)
        let settings = BacktestSettings(horizon: horizon, windows: windows, step: step, seasonLength: seasonLength,
                                        baselines: evaluated == nil || baselines ? Baseline.allCases : [])
        let result = try Backtest.run(panel: panel, settings: settings, model: evaluated)
        let terminal = Terminal()
        for note in result.notes { terminal.note("note: \(note)") }
        let text = format == .json ? try BacktestOutput.json(result) : BacktestOutput.csv(result.frame)
        if let output {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        terminal.note(BacktestOutput.table(result))
        if plotting.plot != nil {
            try plotting.write(ResultPlots.backtest(result, panel: panel, settings: settings, input: input, options: plotting),
                               terminal: terminal)
        }
    }
}
