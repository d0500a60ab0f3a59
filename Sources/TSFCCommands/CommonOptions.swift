// Options shared by several subcommands.
import ArgumentParser
import TSFC
import TSFCTensor

/// `--threads`: the kernel and OpenBLAS thread count.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for kernels and OpenBLAS (default: TSFC_THREADS or the number of cores).")
    var threads: Int?

    func apply() throws {
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
            Threading.threadCount = threads
        }
    }
}

extension RolloutMode: ExpressibleByArgument {}
