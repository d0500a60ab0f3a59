// Terminal output: progress bars only on a TTY, messages on stderr.
import Foundation

/// Writes progress and messages for the CLI.
final class Terminal {
    /// Whether stderr is a terminal (progress bars are drawn only then).
    let isInteractive = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// Whether this process writes messages: only rank 0 of an MPI job does.
    let speaks = Launch.world.isRoot

    /// A line on stderr.
    func note(_ text: String) {
        guard speaks else { return }
        clearProgress()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Draws `label [#####.....] done/total ETA` on one line (TTY only, at most 10 times a second).
    func progress(_ label: String, done: Int, total: Int, started: Date, extra: String = "") {
        guard isInteractive, speaks, total > 0 else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 28
        let fraction = Double(done) / Double(total)
        let filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(started)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(label) \(bar) \(done)/\(total) \(Terminal.duration(elapsed)) elapsed, ETA \(Terminal.duration(eta)) \(extra)"
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drawn = true
    }

    /// Removes a drawn progress line.
    func clearProgress() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}

/// Set by SIGINT so long jobs stop at the next step and leave their last checkpoint.
nonisolated(unsafe) var interruptRequested = false

/// Routes SIGINT to `interruptRequested` (a second SIGINT exits at once).
func installInterruptHandler() {
    signal(SIGINT) { _ in
        if interruptRequested { _exit(130) }
        interruptRequested = true
    }
}
