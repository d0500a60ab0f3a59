// `tsfc detect input.csv`: anomaly scores for every time step (ds, score, is_anomaly, the channels
// that drove the score) and the list of anomalous events, as CSV or JSON. The detector comes from
// --model, or is fitted on --train, or on the leading part of the input (and the output says so).
// --labels prints the metrics table; --follow scores rows from stdin as they arrive.
import ArgumentParser
import Foundation
import TSFC
import TSFCData

struct DetectCommand: ParsableCommand {

    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Score every time step of a series for anomalies.",
        discussion: """
        The detector is a bundle from `tsfc train` with a detection config (--model), or is fitted
        here on --train FILE, or on the first --train-fraction of the input (then only the rest is
        scored). Fitting uses --config (its detection: section) or the built-in default (a
        rank ensemble of kNN, ridge-AR and LOF scores on windows of 32 rows; --scorer for another);
        the alarm threshold is calibrated on held-out training rows, never on the rows scored. Output: one row per scored time step,
        `ds,score,is_anomaly,top_channels`; the events go to stderr (CSV) or into the JSON.
        With --follow, CSV rows (header first) are read from stdin and scored as they arrive.
        """)

    @Argument(help: "CSV file (or HDF5 dataset file.h5:/path) to score; omit with --follow.")
    var input: String?

    @Option(help: "Detector bundle (from `tsfc train` with a detection config, or --save-model).")
    var model: String?

    @Option(help: "Fit the detector on this file (normal data with the same columns).")
    var train: String?

    @Option(help: "Without --model or --train: fit on this leading share of the input and score the rest.")
    var trainFraction: Double = 0.3

    @Option(help: "Detector configuration for fitting (YAML with a detection: section).")
    var config: String?

    @Option(help: "Scorer when fitting with the built-in configuration: ensemble (default: rank mean of knn, ridge and lof), knn, lof, ridge, reconstruction or residual.")
    var scorer: ScorerKind?

    @Option(help: "Window rows of the detector to fit (default: --config's, or 32 for the built-in kNN, LOF, ridge and ensemble scorers).")
    var window: Int?

    @Option(help: "Threshold rule when fitting: quantile, zscore, ksigma, contamination or pot.")
    var thresholdMethod: ThresholdMethodName?

    @Option(help: "The threshold rule's parameter (quantile in (0,1), k > 0, contamination in (0,0.5], pot risk in (0,0.02)).")
    var threshold: Double?

    @Option(help: "Combine channel scores by mean or max when fitting.")
    var aggregation: ScoreAggregation?

    @Option(help: "Anomaly labels: one 0/1 per input row (a header line is allowed); prints the metrics table.")
    var labels: String?

    @Option(help: "Column of the input holding 0/1 anomaly labels (instead of --labels).")
    var labelColumn: String?

    @Option(help: "Comma-separated columns to score (default: every numeric column).")
    var columns: String?

    @Option(help: "Channels named per step as the largest contributors.")
    var topChannels: Int = 3

    @Option(help: "csv or json.")
    var format: OutputFormat = .csv

    @Option(help: "Write the scores here instead of stdout (atomically).")
    var output: String?

    @Option(help: "Also write the events as CSV here.")
    var events: String?

    @Option(help: "Save the fitted detector as a bundle here.")
    var saveModel: String?

    @Option(help: "Merge alarm runs separated by fewer than this many quiet steps into one event.")
    var minGap = 1

    @Option(help: "Drop events shorter than this many steps.")
    var minLength = 1

    @Option(help: "After an event, ignore alarms for this many steps.")
    var suppress = 0

    @Flag(help: "Read CSV rows from stdin and print each score as soon as it is final.")
    var follow = false

    @OptionGroup var time: TimeColumnOptions

    @OptionGroup var rows: RowPolicyOptions

    @OptionGroup var threading: ThreadOptions

    @OptionGroup var plotting: PlotOptions

    func validate() throws {
        guard trainFraction > 0 && trainFraction < 1 else {
            throw ValidationError("--train-fraction must be in (0, 1), got \(trainFraction)")
        }
        guard topChannels >= 0 else { throw ValidationError("--top-channels must be ≥ 0, got \(topChannels)") }
        guard minGap >= 1 else { throw ValidationError("--min-gap must be ≥ 1, got \(minGap)") }
        guard minLength >= 1 else { throw ValidationError("--min-length must be ≥ 1, got \(minLength)") }
        guard suppress >= 0 else { throw ValidationError("--suppress must be ≥ 0, got \(suppress)") }
        if let window, window < 2 { throw ValidationError("--window must be ≥ 2, got \(window)") }
        if scorer == ScorerKind.none {
            throw ValidationError("--scorer must be knn, lof, ridge, ensemble, reconstruction or residual, got none")
        }
        if threshold != nil || thresholdMethod != nil {
            let rule = ThresholdConfiguration(method: thresholdMethod ?? .quantile, value: threshold ?? 0.995)
            if let problem = rule.problem { throw ValidationError("--threshold: \(problem)") }
        }
        if model != nil && (train != nil || config != nil || scorer != nil || window != nil || thresholdMethod != nil || threshold != nil || aggregation != nil) {
            throw ValidationError("--model is a fitted detector; --train, --config, --scorer, --window, --threshold-method, --threshold and --aggregation are for fitting a new one")
        }
        if labels != nil && labelColumn != nil { throw ValidationError("give --labels or --label-column, not both") }
        if follow {
            guard input == nil else { throw ValidationError("--follow reads rows from stdin; drop the input file \(input!)") }
            guard model != nil || train != nil else { throw ValidationError("--follow needs a detector: --model BUNDLE or --train FILE") }
            guard labels == nil && labelColumn == nil else { throw ValidationError("--follow does not take labels") }
            guard plotting.plot == nil else { throw ValidationError("--plot draws a finished run; --follow scores rows as they arrive") }
            guard minGap == 1 && minLength == 1 && suppress == 0 else {
                throw ValidationError("--follow reports each row's alarm as soon as it is final; --min-gap, --min-length and --suppress need the rows after it, so they apply to batch runs only")
            }
        } else if input == nil {
            throw ValidationError("give the input file to score (or --follow to read stdin)")
        }
    }

    var wantedColumns: [String] {
        columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
    }

    /// The configuration for fitting: --config or the built-in one, with the flags applied.
    func fittingConfiguration() throws -> RunConfiguration {
        var c: RunConfiguration
        if let config {
            c = try ConfigurationLoader.load(contentsOf: URL(fileURLWithPath: config))
            guard c.detection.isEnabled else {
                throw ValidationError("--config \(config): detection.scorer is none; set it to reconstruction or residual")
            }
            if let scorer { c.detection.scorer = scorer }
        } else {
            c = DetectorDefaults.configuration(scorer: scorer ?? DetectorDefaults.scorer)
        }
        if let thresholdMethod { c.detection.threshold.method = thresholdMethod }
        if let threshold { c.detection.threshold.value = threshold }
        if let aggregation { c.detection.aggregation = aggregation }
        if let window { c.detection.window = window }
        return c
    }

    func fit(_ given: RunConfiguration, frame: TimeSeriesFrame, rows: Range<Int>, terminal: Terminal) throws -> TrainedDetector {
        installInterruptHandler()
        var configuration = given
        let det = configuration.detection
        if config == nil && det.scorer.isClosedForm && window == nil {
            let period = DetectorDefaults.chooseWindow(&configuration, frame: frame, rows: rows)
            let why = DetectorDefaults.windowFromPeriod
                ? (period.map { "period \($0) by autocorrelation" } ?? "no clear period: the default window")
                : (period.map { "period \($0) by autocorrelation; " } ?? "no clear period; ") + "the benchmarks' best window, --window to change"
            terminal.note("  chose the \(det.scorer) scorer on windows of \(configuration.detection.window) rows (\(why))")
        } else if let window {
            terminal.note("  chose the \(det.scorer) scorer on windows of \(window) rows (--window)")
        }
        var started = Date(), total = 0
        let outcome = try DetectorTraining.fit(configuration, frame: frame, rows: rows) { event in
            switch event {
            case let .started(totalSteps, _, _, _, _):
                total = totalSteps; started = Date()
            case let .step(step, epoch, loss, _):
                terminal.progress("  fitting \(configuration.detection.scorer) detector, epoch \(epoch + 1)", done: step, total: total,
                                  started: started, extra: String(format: "loss %.4f", loss))
            case .validated:
                break
            }
            return interruptRequested ? .stop : .proceed
        }
        terminal.clearProgress()
        for note in outcome.notes { terminal.note("  note: \(note)") }
        let normalization = outcome.detector.normalization
        let detrended = normalization.detrend.enumerated().filter(\.element).map { outcome.detector.columns[$0.offset] }
        if !detrended.isEmpty {
            let b = normalization.levelBlock
            let level = b > 1 ? "the median of their last \(normalization.rollingWindow / b) \(b)-row period means, carried along the training trend"
                              : "their trailing \(normalization.rollingWindow)-row median"
            terminal.note("  channels that trend in the training rows are detrended by \(level): \(detrended.prefix(8).joined(separator: ", "))\(detrended.count > 8 ? ", …" : "")")
        }
        if !normalization.flooredChannels.isEmpty {
            let names = normalization.flooredChannels.map { outcome.detector.columns[$0] }
            terminal.note("warning: \(names.count) channel\(names.count == 1 ? " is" : "s are") (nearly) constant in the training rows (\(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : "")): their scale is floored at a tenth of the median channel spread\(normalization.clipLimit < 1e6 ? " and their inputs clipped at ±\(Int(normalization.clipLimit))" : ""); any change in them raises the scores (drop them with --columns if they are not informative)")
        }
        terminal.note(String(format: "  fitted in %@ (%d steps, validation loss %.4f); threshold %.6g from %d calibration rows (%@ %g)",
                             Terminal.duration(outcome.summary.seconds), outcome.summary.steps, outcome.summary.bestValidationLoss,
                             outcome.detector.threshold, outcome.calibrationScores.count,
                             configuration.detection.threshold.method.rawValue, configuration.detection.threshold.value))
        if let saveModel {
            try ModelBundle.write(outcome.detector, summary: outcome.summary, to: URL(fileURLWithPath: saveModel))
            terminal.note("  detector saved to \(saveModel)")
        }
        return outcome.detector
    }

    /// The alarm-rate warning as one line for stderr.
    static func describe(_ w: AlarmRateWarning, columns: [String], rule: ThresholdConfiguration) -> String {
        func percent(_ x: Double) -> String { x >= 0.01 ? String(format: "%.1f %%", 100 * x) : String(format: "%.2g %%", 100 * x) }
        let drivers = w.channels.prefix(5).map { "\(columns[$0.channel]) (\(percent($0.share)))" }.joined(separator: ", ")
        return "warning: \(percent(w.flaggedShare)) of the rows are flagged, where the threshold (\(rule.method) \(rule.value)) lets about "
            + "\(percent(w.expectedShare)) of normal rows through: either that much of the input is anomalous, or it has moved away from "
            + "the training data (a level shift, a new regime)"
            + (drivers.isEmpty ? "" : "; the channels behind most flagged rows: \(drivers)")
            + ". If those rows are normal, refit on recent normal data or leave such channels out with --columns"
    }

    func run() throws {
        try threading.apply()
        if let output { try AtomicFile.checkWritable(URL(fileURLWithPath: output)) }
        if let events { try AtomicFile.checkWritable(URL(fileURLWithPath: events)) }
        if let saveModel { try AtomicFile.checkWritable(URL(fileURLWithPath: saveModel)) }
        try plotting.checkWritable()
        let terminal = Terminal()
        if follow {
            try DetectFollow(command: self, terminal: terminal).run()
            return
        }
        guard let input else { return }
        var frame = try loadInput(input)
        if labelColumn == nil {
            for name in frame.columns where Self.labelLikeNames.contains(name.lowercased()) {
                terminal.note("warning: \(input): column '\(name)' looks like anomaly labels but is scored as data; give --label-column \(name) to read it as labels")
            }
        }
        // Labels are read (and checked) before any fitting, so a bad label file fails fast.
        var labelValues = try labelColumn != nil ? labelsFromColumn(frame) : labels.map { try DetectLabels.read($0, rows: frame.rowCount, data: input) }
        if labelColumn != nil { frame.labels = nil }

        let fitStarted = Date()
        let detector: TrainedDetector
        var history: TimeSeriesFrame?
        var firstScored = 0
        if let model {
            detector = try ModelBundle.loadDetector(contentsOf: URL(fileURLWithPath: model))
            terminal.note("tsfc detect: \(input) with the \(detector.scorer.kind) detector \(model)")
        } else if let train {
            let trainFrame = try loadFrame(train)
            try checkSameColumns(trainFrame, frame)
            terminal.note("tsfc detect: fitting a detector on \(train) (\(trainFrame.rowCount) rows), scoring \(input)")
            detector = try fit(try fittingConfiguration(), frame: trainFrame, rows: 0..<trainFrame.rowCount, terminal: terminal)
            if detector.continuesTraining(frame) {
                history = trainFrame
                terminal.note("  \(input) starts one step after \(train) ends: its last rows give the first scored rows their context")
            } else {
                terminal.note("  \(train) does not end right before \(input) (by their timestamps), so it is not prepended as history: the first rows' context is padded")
            }
        } else {
            firstScored = Int((Double(frame.rowCount) * trainFraction).rounded())
            terminal.note("tsfc detect: no --model or --train: fitting on the first \(firstScored) rows of \(input) (--train-fraction \(trainFraction)) and scoring rows \(firstScored + 1)–\(frame.rowCount); the first rows are assumed normal")
            detector = try fit(try fittingConfiguration(), frame: frame, rows: 0..<firstScored, terminal: terminal)
            history = frame.rows(0..<firstScored)
            frame = frame.rows(firstScored..<frame.rowCount)
            labelValues = labelValues.map { Array($0[firstScored...]) }
        }
        if history == nil, detector.scorer.contextRows > 0, detector.scorer.kind == .residual {
            terminal.note("note: no history before the first row: the first \(detector.scorer.contextRows) rows are scored from a context padded with the first row")
        }
        let fitSeconds = model == nil ? Date().timeIntervalSince(fitStarted) : 0
        let started = Date()
        let result = try detector.detect(frame, history: history)
        let seconds = Date().timeIntervalSince(started)
        terminal.note(String(format: "  scored %d rows × %d channels in %.2f s (%.0f points/s)", result.scores.count, detector.columns.count,
                             seconds, Double(result.scores.count * detector.columns.count) / max(seconds, 1e-9)))
        if let warning = detector.alarmRateWarning(result) { terminal.note(Self.describe(warning, columns: detector.columns, rule: detector.thresholdRule)) }
        let report = DetectReport(frame: frame, firstRow: firstScored, detector: detector, result: result,
                                  fitSeconds: fitSeconds, scoreSeconds: seconds,
                                  topChannels: topChannels, labels: labelValues,
                                  extractor: try EventExtractor(minimumGap: minGap, minimumLength: minLength, suppression: suppress))
        let metricsTable = try report.metricsTable()  // before any output: bad labels fail with nothing written
        let text = format == .json ? try report.json() : report.csv()
        if let output {
            try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if let events { try AtomicFile.write(Data(report.eventsCSV().utf8), to: URL(fileURLWithPath: events)) }
        terminal.note(report.eventSummary())
        if let metricsTable { terminal.note(metricsTable) }
        if plotting.plot != nil { try plotting.write(ResultPlots.detect(report, input: input, options: plotting), terminal: terminal) }
    }

    /// Column names (lower case) that usually hold anomaly labels rather than data.
    static let labelLikeNames: Set<String> = ["is_anomaly", "anomaly", "label", "labels", "is_anomalous"]

    func loadInput(_ path: String) throws -> TimeSeriesFrame {
        try loadFrame(path, labelColumn: labelColumn)
    }

    /// `path` with the --columns and time column asked for (and a label column, for the scored input).
    func loadFrame(_ path: String, labelColumn: String? = nil) throws -> TimeSeriesFrame {
        var options = CSVOptions(columns: wantedColumns.isEmpty ? nil : wantedColumns, labelColumn: labelColumn)
        try time.apply(to: &options)
        rows.policies.apply(to: &options)
        return try DataFile.open(path, options: options)
    }

    func labelsFromColumn(_ frame: TimeSeriesFrame) throws -> [Int]? {
        guard let values = frame.labels else { return nil }
        return try values.enumerated().map { i, v in
            guard v == 0 || v == 1 else {
                throw ValidationError("\(frame.source):\(i + 2): label column '\(labelColumn ?? "")' holds \(v); labels must be 0 or 1")
            }
            return Int(v)
        }
    }

    func checkSameColumns(_ train: TimeSeriesFrame, _ input: TimeSeriesFrame) throws {
        guard Set(train.columns) == Set(input.columns) else {
            throw ValidationError("--train \(train.source) has columns [\(train.columns.joined(separator: ", "))] but \(input.source) has [\(input.columns.joined(separator: ", "))]; give both the same columns (or choose them with --columns)")
        }
    }
}

extension ScoreAggregation: ExpressibleByArgument {}

extension ScorerKind: ExpressibleByArgument {
    /// `none` is a forecasting run, not a scorer to fit.
    public static var allValueStrings: [String] { allCases.filter { $0 != .none }.map(\.rawValue) }
}

extension ThresholdMethodName: ExpressibleByArgument {}
