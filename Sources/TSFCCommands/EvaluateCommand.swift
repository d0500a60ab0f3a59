// `tsfc evaluate --model FILE --data FILE`: the papers' protocol — train-only scaler, every test
// window, one-for-all rollout to each horizon, MSE/MAE on standardised values, with the scaled
// metrics MASE (scale from the training rows) and sMAPE (in the data's units) beside them.
import ArgumentParser
import Foundation
import TSFC

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a model on a test split (MSE/MAE per horizon on standardised data, MASE and sMAPE).")

    @Option(help: "Model bundle (default: Data/models/default.tsfc).")
    var model: String?

    @Option(help: "Data file (default: the file the model was trained on).")
    var data: String?

    @Option(help: "Split protocol: ett-hourly, ett-minute or ratios (default: the model's).")
    var split: SplitKind?

    @Option(help: ArgumentHelp("With --split ratios: the train, validation and test shares, summing to 1 (default: the model's data.ratios).",
                               valueName: "0.7,0.1,0.2"),
            transform: parseRatios)
    var ratios: [Double]?

    @Option(name: .customLong("season-length"),
            help: "Season of the MASE scale (default: from the frequency: hourly 24, daily 7, weekly 52, monthly 12, quarterly 4, else 1).")
    var seasonLength: Int?

    @Option(help: "Comma-separated horizons (default: the model's, 96,192,336,720).", transform: parseHorizons)
    var horizons: [Int]?

    @Option(help: "Rollout: renormalize (the paper's) or cached (KV cache, fixed normalisation).")
    var rollout: RolloutMode?

    /// `--subset`: the rows scored.
    enum Subset: String, CaseIterable, ExpressibleByArgument { case test, val }

    @Option(help: "Evaluate on the validation split instead of test (val) — for model selection.")
    var subset: Subset = .test

    @Option(help: "Windows per forward pass.")
    var batchSize: Int = 256

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(name: .customLong("timestamp-column"), help: "The data's time column (default: the model's data.timestamp_column, else detected).")
    var timestampColumn: String?

    @Option(name: .customLong("date-format"),
            help: ArgumentHelp("How the data's time column is written (default: the model's data.date_format, else detected).",
                               valueName: TimestampFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var dateFormat: TimestampFormat?

    @OptionGroup var rows: RowPolicyOptions

    @OptionGroup var threading: ThreadOptions

    func run() throws {
        try threading.apply()
        guard let modelURL = model.map({ URL(fileURLWithPath: $0) }) ?? ModelLocation.defaultModel() else {
            throw ValidationError("no --model given and \(ModelLocation.defaultRelativePath) was not found")
        }
        let (forecaster, metadata) = try ModelBundle.loadForecaster(contentsOf: modelURL)
        var dataConfig = metadata.configuration.data
        if let data { dataConfig.path = data }
        if let split { dataConfig.split = split }
        if let ratios {
            guard dataConfig.split == .ratios else {
                throw ValidationError("--ratios applies to the ratios split, but the split is \(dataConfig.split.rawValue); add --split ratios")
            }
            dataConfig.ratios = ratios
        }
        if let seasonLength, seasonLength < 1 { throw ValidationError("--season-length must be a positive number of steps, got \(seasonLength)") }
        if let timestampColumn { dataConfig.timestampColumn = timestampColumn }
        if let dateFormat { dataConfig.dateFormat = .format(dateFormat) }
        let policies = rows.policies(over: dataConfig.rowPolicies)
        (dataConfig.fill, dataConfig.sort, dataConfig.dedupe) = (policies.fill, policies.sort, policies.dedupe)
        let hs = horizons ?? metadata.configuration.evaluation.horizons
        if horizons == nil, hs.isEmpty || hs.contains(where: { $0 < 1 }) {
            throw ValidationError("\(modelURL.path): the bundle's evaluation.horizons \(hs) are not positive horizons; give --horizons, e.g. 96,192")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be ≥ 1") }
        let mode = rollout ?? metadata.configuration.evaluation.rollout
        let dataset = try PreparedDataset.load(dataConfig, lookback: forecaster.contextLength)
        let range = subset == .test ? dataset.split.test : dataset.split.validation
        if mode == .cached, let limit = forecaster.longestCachedHorizon, hs.max()! > limit {
            throw ValidationError("--rollout cached reaches at most \(limit) steps with this model; use --rollout renormalize")
        }
        let terminal = Terminal()
        let started = Date()
        let season = seasonLength ?? Baseline.seasonLength(for: dataset.frame.frequency)
        let scaling = MetricScaling.fit(standardized: dataset.standardized, channels: dataset.frame.channelCount,
                                        train: dataset.split.train, seasonLength: season, scaler: dataset.scaler)
        let scores = try Evaluator(horizons: hs, mode: mode, batchSize: batchSize, scaling: scaling, seasonLength: season).evaluate(
            forecaster, values: dataset.standardized, channels: dataset.frame.channelCount, range: range,
            marks: try dataset.segmentMarks(for: forecaster.configuration, features: metadata.calendarFeatures,
                                            forecaster: forecaster as? Forecaster)
        ) { done, total in terminal.progress("  evaluating", done: done, total: total, started: started) }
        terminal.clearProgress()
        let report = EvaluationReport(dataset: dataConfig.path, split: subset.rawValue, rollout: mode.rawValue, horizons: scores)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("\(dataConfig.path), \(subset) split, \(mode.rawValue) rollout, \(dataset.frame.channelCount) channels")
        func cell(_ x: Double?) -> String { x.map { String(format: "%8.4f", $0) } ?? "       -" }
        print("horizon   windows      MSE      MAE      MASE     sMAPE")
        for s in scores {
            print(String(format: "%7d %9d   %.4f   %.4f  ", s.horizon, s.windows, s.mse, s.mae) + cell(s.mase) + "  " + cell(s.smape))
        }
        print(String(format: "average             %.4f   %.4f  ", report.averageMSE, report.averageMAE)
              + cell(report.averageMASE) + "  " + cell(report.averageSMAPE))
        print("MSE, MAE on standardised values; MASE scaled by the training rows' mean absolute seasonal difference (season \(season)); sMAPE in the data's units")
        terminal.note(String(format: "evaluated in %.1f s", Date().timeIntervalSince(started)))
    }
}
