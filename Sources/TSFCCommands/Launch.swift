// Launch: the process-wide entry of the CLI. Under `mpirun -np N` every rank runs the same
// command line; `train`, `forecast` and `backtest` share the work over the ranks, every other
// command refuses to run on several ranks. A rank that fails stops the whole job (MPI_Abort),
// so no rank waits forever and no output is half written.
import ArgumentParser
import Foundation
import TSFC

/// The ranks this process runs with (one process unless started by `mpirun` with several).
enum Launch {
    nonisolated(unsafe) static var world: Communicator = SingleProcessCommunicator()

    /// Commands that share their work over MPI ranks.
    static let distributedCommands: [ParsableCommand.Type] = [TrainCommand.self, ForecastCommand.self, BacktestCommand.self]

    /// Under mpirun: every rank must run the same command line on the same model bundle; plots
    /// are drawn by one process only.
    static func checkRanksAgree(model: URL?, plot: String?) throws {
        try world.agree(on: Array(CommandLine.arguments.joined(separator: "\u{0}").utf8), what: "the command line")
        if let model {
            let bytes = (try? Data(contentsOf: model)).map { [UInt8]($0) } ?? []
            try world.agree(on: bytes, what: "the model bundle \(model.path)")
        }
        if plot != nil {
            throw ValidationError("--plot draws from one process: run the command without mpirun to plot, or leave out --plot")
        }
    }
}

extension TSFCCommand {
    /// Parses the command line, runs the command on this process' ranks and exits.
    public static func launch() -> Never {
        let world: Communicator
        do {
            world = try World.start()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(1)
        }
        Launch.world = world
        do {
            var command = try parseAsRoot()
            if world.isDistributed && !Launch.distributedCommands.contains(where: { type(of: command) == $0 }) {
                let name = type(of: command).configuration.commandName ?? "this command"
                throw ValidationError("tsfc \(name) runs on one process, not on \(world.size) MPI ranks: run it without mpirun "
                                      + "(train, forecast and backtest share their work over ranks)")
            }
            try command.run()
            world.finish()
            Foundation.exit(0)
        } catch {
            guard world.isDistributed else { exit(withError: error) }
            let code = exitCode(for: error)
            if code == .success {                      // --help, --version: rank 0 answers
                if world.isRoot { print(fullMessage(for: error)) }
                world.finish()
                Foundation.exit(0)
            }
            // Most errors (a bad option, an unreadable file) hit every rank alike: the other ranks
            // wait a moment, so rank 0's message and abort usually end them before they repeat it.
            if !world.isRoot { usleep(500_000) }
            let prefix = "Error (rank \(world.rank) of \(world.size)): "
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data((message.isEmpty ? "" : prefix + message + "\n").utf8))
            world.abort(code: code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
