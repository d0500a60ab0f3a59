// The root `tsfc` command and its subcommands.
import ArgumentParser
import TSFCTensor

/// The version of tsfc reported by `tsfc --version`.
public let tsfcVersion = "0.1.0"

/// `tsfc`: time-series forecasting and anomaly detection.
public struct TSFCCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tsfc",
        abstract: "Time-series forecasting and anomaly detection on a shared causal decoder.",
        discussion: "train, forecast and backtest also run under mpirun -np N, sharing the work over the ranks (README: Scale-out with MPI).",
        version: tsfcVersion,
        subcommands: [TrainCommand.self, ForecastCommand.self, EvaluateCommand.self, SelfCheckCommand.self,
                      InspectCommand.self, DetectCommand.self, InspectModelCommand.self, BacktestCommand.self,
                      CorpusCommand.self])

    public init() {}
}
