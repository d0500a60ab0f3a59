// `tsfc train --config detect-….yaml`: when the configuration's detection.scorer is not none,
// train trains an anomaly detector on data.path (all rows are normal training data) and writes
// model.tsfc (with the calibrated threshold) and metrics.jsonl into the run folder.
import ArgumentParser
import Foundation
import TSFC

enum DetectorTrainCommand {
    static func run(_ configuration: RunConfiguration, runDir: URL, bundle: String?, json: Bool, terminal: Terminal) throws {
        let data = configuration.data
        let frame = try PreparedDataset.loadFrame(path: data.path, columns: data.columns, timestampColumn: data.timestampColumn.isEmpty ? nil : data.timestampColumn)
        terminal.note("tsfc train: \(configuration.detection.scorer) anomaly detector on \(data.path) (\(frame.rowCount) rows × \(frame.channelCount) channels) → \(runDir.path)")
        let metricsURL = runDir.appendingPathComponent("metrics.jsonl")
        var metricsLines = ""
        var started = Date(), total = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let outcome = try DetectorTraining.fit(configuration, frame: frame) { event in
            switch event {
            case let .started(totalSteps, stepsPerEpoch, trainWindows, validationWindows, _):
                total = totalSteps; started = Date()
                terminal.note("  \(trainWindows) training windows, \(validationWindows) validation windows, \(stepsPerEpoch) steps/epoch, \(totalSteps) steps")
            case let .step(step, epoch, loss, _):
                terminal.progress("  epoch \(epoch + 1)", done: step, total: total, started: started, extra: String(format: "loss %.4f", loss))
            case let .validated(record):
                let line = String(decoding: (try? encoder.encode(record)) ?? Data(), as: UTF8.self)
                metricsLines += line + "\n"
                do { try AtomicFile.write(Data(metricsLines.utf8), to: metricsURL) } catch { terminal.note("warning: \(error)") }
                if json { print(line) }
                terminal.note(String(format: "  epoch %d step %d: train %.4f  val %.4f%@", record.epoch + 1, record.step,
                                     record.trainLoss, record.validationLoss, record.improved ? " *" : ""))
            }
            return interruptRequested ? .stop : .proceed
        }
        terminal.clearProgress()
        let bundleURL = runDir.appendingPathComponent("model.tsfc")
        try ModelBundle.write(outcome.detector, summary: outcome.summary, to: bundleURL)
        if let bundle { try ModelBundle.write(outcome.detector, summary: outcome.summary, to: URL(fileURLWithPath: bundle)) }
        terminal.note(String(format: "done: %d steps in %@; threshold %.6g (%@ %g on %d calibration rows %d–%d) → %@",
                             outcome.summary.steps, Terminal.duration(outcome.summary.seconds), outcome.detector.threshold,
                             configuration.detection.threshold.method.rawValue, configuration.detection.threshold.value,
                             outcome.calibrationScores.count, outcome.calibrationRows.lowerBound + 1, outcome.calibrationRows.upperBound,
                             bundle ?? bundleURL.path))
    }
}
