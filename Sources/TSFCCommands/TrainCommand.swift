// `tsfc train --config FILE.yaml`: train a forecaster; every run folder keeps the resolved
// config, one JSON line per validation, the checkpoint and the model bundle.
import ArgumentParser
import Foundation
import TSFC

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a forecaster from a YAML configuration.",
        discussion: """
        The run folder (--output, default runs/<config>-<time>) receives config.yaml (the resolved
        configuration), metrics.jsonl (one JSON line per validation), checkpoint.safetensors (the
        full training state after each validation) and model.tsfc (the best weights); pretraining
        also keeps data_root.txt (the Data/ folder its corpus reads). Ctrl-C stops
        at the next step and keeps the last checkpoint; continue with --resume <run folder>.
        """)

    @Option(name: .shortAndLong, help: "YAML configuration (see Configs/).")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a configuration value, e.g. --set training.epochs=3.", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(help: "Print the resolved configuration and exit.")
    var printConfig = false

    @Option(help: "Run folder (default: runs/<config name>-<UTC time>).")
    var output: String?

    @Option(help: "Continue the interrupted run in this folder from its checkpoint.")
    var resume: String?

    @Option(help: "Also copy the trained bundle to this path.")
    var bundle: String?

    @Flag(help: "Print one JSON line per validation on stdout.")
    var json = false

    @OptionGroup var threading: ThreadOptions

    func run() throws {
        try threading.apply()
        let runDir: URL
        let configuration: RunConfiguration
        if let resume {
            runDir = URL(fileURLWithPath: resume)
            let saved = runDir.appendingPathComponent("config.yaml")
            guard FileManager.default.fileExists(atPath: saved.path) else {
                throw ValidationError("--resume \(resume): no config.yaml there; pass the folder of an earlier `tsfc train` run")
            }
            configuration = try ConfigurationLoader.load(contentsOf: saved, overrides: overrides)
        } else {
            guard let config else { throw ValidationError("give --config FILE.yaml (see Configs/), or --resume RUN_FOLDER") }
            var loaded = try ConfigurationLoader.load(contentsOf: URL(fileURLWithPath: config), overrides: overrides)
            loaded.resolveDataPath(against: URL(fileURLWithPath: config).deletingLastPathComponent())
            configuration = loaded
            if printConfig {
                print(try ConfigurationLoader.yaml(of: configuration), terminator: "")
                return
            }
            let name = URL(fileURLWithPath: config).deletingPathExtension().lastPathComponent
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            // Every rank uses rank 0's folder name (their clocks may straddle a second).
            runDir = URL(fileURLWithPath: try Launch.world.broadcast(output ?? "runs/\(name)-\(stamp)", root: 0))
        }
        let world = Launch.world
        if world.isDistributed { try checkRanksAgree(configuration) }
        if let bundle { try AtomicFile.checkWritable(URL(fileURLWithPath: bundle)) }
        let createdFolder = !FileManager.default.fileExists(atPath: runDir.path)
        if world.isRoot { try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true) }
        do {
            try train(configuration, in: runDir)
        } catch let exit as ExitCode where exit == ExitCode(130) {
            throw exit  // interrupted: the folder holds the checkpoint to resume from
        } catch where !world.isRoot {
            throw error  // rank 0 owns the run folder
        } catch {
            // A failed run leaves no folder behind (one that existed before says why it failed).
            if createdFolder && resume == nil {
                try? FileManager.default.removeItem(at: runDir)
            } else {
                try? AtomicFile.write(Data("\(error)\n".utf8), to: runDir.appendingPathComponent("failed.txt"))
            }
            throw error
        }
    }

    /// The `Data/` folder the corpus' real files are read from: found near the configuration
    /// when a run starts and kept in the run folder (`data_root.txt`), so `--resume` reads the
    /// same files from any working directory.
    private func corpusRoot(runDir: URL, resuming: Bool) throws -> URL {
        let saved = runDir.appendingPathComponent("data_root.txt")
        if resuming, let text = try? String(contentsOf: saved, encoding: .utf8) {
            return URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let root = PretrainingRun.dataRoot(near: URL(fileURLWithPath: config ?? runDir.path).deletingLastPathComponent())
        if Launch.world.isRoot { try AtomicFile.write(Data((root.standardizedFileURL.path + "\n").utf8), to: saved) }
        return root
    }

    /// Under mpirun: every rank must train the same configuration on the same data file.
    private func checkRanksAgree(_ configuration: RunConfiguration) throws {
        let world = Launch.world
        try world.agree(on: Array(try ConfigurationLoader.yaml(of: configuration).utf8), what: "the configuration")
        if configuration.detection.isEnabled {
            throw ValidationError("a configuration with a `detection:` section trains a detector, which runs on one process: run it without mpirun")
        }
        if configuration.data.source != .corpus {
            let file = DataFile.isHDF5(configuration.data.path) ? String(configuration.data.path.split(separator: ":").first ?? "")
                : configuration.data.path
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))).map { [UInt8]($0) } ?? []
            try world.agree(on: bytes, what: "the data file \(file)")
        }
    }

    /// Trains in `runDir` (created on rank 0): the configuration, metrics, checkpoint and bundle;
    /// under mpirun every rank trains its shard of each batch and rank 0 writes.
    private func train(_ configuration: RunConfiguration, in runDir: URL) throws {
        let world = Launch.world
        let configURL = runDir.appendingPathComponent("config.yaml")
        if world.isRoot { try AtomicFile.write(Data(try ConfigurationLoader.yaml(of: configuration).utf8), to: configURL) }
        let checkpoint = runDir.appendingPathComponent("checkpoint.safetensors")
        let isResuming = resume != nil && FileManager.default.fileExists(atPath: checkpoint.path)
        if resume != nil && !isResuming {
            throw ValidationError("--resume \(resume!): no checkpoint.safetensors yet; start the run again with --config")
        }

        let terminal = Terminal()
        installInterruptHandler()
        if configuration.detection.isEnabled {
            try DetectorTrainCommand.run(configuration, runDir: runDir, bundle: bundle, json: json, terminal: terminal)
            return
        }
        let metricsURL = runDir.appendingPathComponent("metrics.jsonl")
        var metricsLines = isResuming ? ((try? String(contentsOf: metricsURL, encoding: .utf8)) ?? "") : ""
        var started = Date(), total = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        terminal.note("tsfc train: \(configuration.data.source == .corpus ? "pretraining corpus" : configuration.data.path) → \(runDir.path)\(isResuming ? " (resuming)" : "")")
        let run: ((TrainingEvent) -> TrainingDisposition) throws -> TrainingOutcome = { events in
            if configuration.data.source == .corpus {
                let root = try self.corpusRoot(runDir: runDir, resuming: isResuming)
                return try PretrainingRun.run(configuration, dataRoot: root, checkpointURL: checkpoint, resume: isResuming,
                                              communicator: world, events: events)
            }
            return try TrainingRun.run(configuration, checkpointURL: checkpoint, resume: isResuming, communicator: world, events: events)
        }
        let outcome = try run { event in
            switch event {
            case let .started(totalSteps, stepsPerEpoch, trainWindows, validationWindows, _):
                total = totalSteps; started = Date()
                terminal.note("  \(trainWindows) training windows, \(validationWindows) validation windows, \(stepsPerEpoch) steps/epoch, \(totalSteps) steps")
            case let .step(step, epoch, loss, _):
                terminal.progress("  epoch \(epoch + 1)", done: step, total: total, started: started,
                                  extra: String(format: "loss %.4f", loss))
            case let .validated(record):
                guard world.isRoot else { break }
                let line = String(decoding: (try? encoder.encode(record)) ?? Data(), as: UTF8.self)
                metricsLines += line + "\n"
                do {
                    try AtomicFile.write(Data(metricsLines.utf8), to: metricsURL)
                } catch {
                    terminal.note("warning: \(error)")
                }
                if json { print(line) }
                terminal.note(String(format: "  epoch %d step %d: train %.4f  val %.4f%@  (%@)", record.epoch + 1, record.step,
                                     record.trainLoss, record.validationLoss, record.improved ? " *" : "",
                                     Terminal.duration(record.elapsedSeconds)))
            }
            return interruptRequested ? .stop : .proceed
        }
        terminal.clearProgress()
        if outcome.summary.interrupted {
            terminal.note("interrupted at step \(outcome.summary.steps); continue with: tsfc train --resume \(runDir.path)")
            throw ExitCode(130)
        }
        if world.isDistributed {
            let s = outcome.summary
            terminal.note(String(format: "  %d ranks: %.2f s of %.2f s (%.1f %%) on rank 0 summing gradients", world.size,
                                 s.communicationSeconds, s.seconds, 100 * s.communicationSeconds / Swift.max(s.seconds, 1e-9)))
        }
        guard world.isRoot else { return }
        let bundleURL = runDir.appendingPathComponent("model.tsfc")
        try ModelBundle.write(outcome.forecaster, metadata: outcome.metadata, to: bundleURL)
        if let bundle { try ModelBundle.write(outcome.forecaster, metadata: outcome.metadata, to: URL(fileURLWithPath: bundle)) }
        terminal.note(String(format: "done: %d steps in %@, best validation loss %.4f%@ → %@", outcome.summary.steps,
                             Terminal.duration(outcome.summary.seconds), outcome.summary.bestValidationLoss,
                             outcome.summary.stoppedEarly ? " (early stop)" : "", bundle ?? bundleURL.path))
    }
}
