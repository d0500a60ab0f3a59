// Running the built `tsfc` executable (or any program) from tests and capturing what it printed.
import Foundation

/// What a finished process returned.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal number when `terminatedBySignal`.
    public let status: Int32
    /// True when a signal ended the process (a crash: SIGILL, SIGSEGV, SIGABRT…).
    public let terminatedBySignal: Bool
    /// Standard output, decoded as UTF-8.
    public let stdout: String
    /// Standard error, decoded as UTF-8.
    public let stderr: String
}

/// Why a program could not be found or started.
public struct ProcessRunnerError: Error, CustomStringConvertible {
    public let description: String
}

/// Runs programs to completion with piped standard streams.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` in `directory` (default: the current one), writes
    /// `stdin` to its standard input (which is closed either way) and waits for it to end.
    /// Both output streams are drained while it runs, so a chatty program cannot block on a full pipe.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           stdin: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let errorBytes = DrainedPipe(err)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outputBytes = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = errorBytes.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             terminatedBySignal: process.terminationReason == .uncaughtSignal,
                             stdout: String(decoding: outputBytes, as: UTF8.self),
                             stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// The executable `name` (e.g. "tsfc") that SwiftPM built next to the running test bundle
    /// (`.build/<triple>/<configuration>/`); the test target must depend on it.
    public static func builtExecutable(_ name: String) throws -> URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ProcessRunnerError(description: "the \(name) executable was not built next to the tests (looked for \(candidates.map(\.path)))")
        }
        return found
    }
}

/// Reads a pipe to its end on a background thread.
private final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Everything the pipe delivered, once its writer has closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}
