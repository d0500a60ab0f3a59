// `tsfc backtest data.csv --horizon 12 --windows 3 [--level 80,95]`: rolling-origin evaluation of a
// model and the baselines over every series, as Nixtla's cross-validation frame (with conformal or
// quantile-head intervals per model), with a metrics table.
import ArgumentParser
import Foundation
import TSFC
import TSFCData

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin evaluation (expanding or sliding window) of a model and the baselines over every series.",
        discussion: """
            The last N windows of H points of each series are forecast, each from the rows up to its \
            cutoff only (the last --window-size of them with a sliding window). Baselines: naive, \
            seasonal_naive, mean, drift. With --level / --quantiles every model column gets intervals: \
            from a quantile head, else split-conformal on the residuals of --calibration-windows \
            earlier cutoffs inside each window's history. Writes the cross-validation frame \
            (unique_id, ds, cutoff, y, <model>, <model>-lo-80, …) and prints MAE, RMSE, MAPE, sMAPE, \
            MASE (and WQL, coverage and width per level) per series and over the panel on stderr: \
            point metrics are means over the series, WQL, coverage and width are pooled over every point.
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

    @Option(name: .customLong("window-size"), help: "A sliding window: each forecast reads only the last N rows up to its cutoff (default: every row, an expanding window).")
    var windowSize: Int?

    @Flag(help: "Refit the model at every cutoff on that series' history (closed-form models such as classic-ar; default: the bundle as it is).")
    var refit = false

    @OptionGroup var intervals: IntervalOptions

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
        if let windowSize, windowSize <= 0 { throw ValidationError("--window-size must be a positive number of rows, got \(windowSize)") }
        if refit && model == nil { throw ValidationError("--refit refits the --model bundle; give --model (the baselines always use only the history)") }
        _ = try intervals.settings()
    }

    func run() throws {
        try threading.apply()
        if let output { try AtomicFile.checkWritable(URL(fileURLWithPath: output)) }
        try plotting.checkWritable()
        let world = Launch.world
        if world.isDistributed { try Launch.checkRanksAgree(model: model.map { URL(fileURLWithPath: $0) }, plot: plotting.plot) }
        var evaluated: BacktestModel?
        if let model {
            let (forecaster, metadata) = try ModelBundle.loadForecaster(contentsOf: URL(fileURLWithPath: model))
            evaluated = BacktestModel(forecaster: forecaster, metadata: metadata)
        }
        let wanted = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        var options = CSVOptions(columns: wanted.isEmpty ? nil : wanted)
        try time.apply(to: &options)
        rows.policies.apply(to: &options)
        // Under mpirun each rank reads and backtests its own series; every rank gets the whole result.
        let panel = try DataFile.openPanelShard(input, options: options, communicator: world).frames
        let settings = BacktestSettings(horizon: horizon, windows: windows, step: step, seasonLength: seasonLength,
                                        baselines: evaluated == nil || baselines ? Baseline.allCases : [],
                                        intervals: try intervals.settings(), windowSize: windowSize, refit: refit)
        let result = try Backtest.run(panel: panel, settings: settings, model: evaluated, communicator: world)
        guard world.isRoot else { return }
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
