// `--plot PATH`, `--plot-series` and `--plot-limit`: the figure a command draws of its result, as
// a self-contained SVG file written atomically.
import ArgumentParser
import Foundation
import TSFC
import TSFCPlot

struct PlotOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also draw the result as an SVG figure here (written atomically).", valueName: "file.svg"))
    var plot: String?

    @Option(name: .customLong("plot-series"),
            help: ArgumentHelp("Comma-separated series (columns or ids) to draw (default: the first --plot-limit).", valueName: "ids"))
    var plotSeries: String?

    @Option(name: .customLong("plot-limit"), help: "Most series drawn as small multiples; a note names how many were left out.")
    var plotLimit = 12

    func validate() throws {
        guard plotLimit >= 1 else { throw ValidationError("--plot-limit must be ≥ 1, got \(plotLimit)") }
        if plot == nil && plotSeries != nil { throw ValidationError("--plot-series chooses what --plot draws; give --plot FILE.svg too") }
        if let plot, plot.isEmpty { throw ValidationError("--plot needs a file name, e.g. --plot forecast.svg") }
    }

    /// The series asked for with --plot-series (nil: none given).
    var wanted: [String]? {
        plotSeries.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// Fails before any work when the figure could not be written.
    func checkWritable() throws {
        if let plot { try AtomicFile.checkWritable(URL(fileURLWithPath: plot)) }
    }

    /// Which of `available` (in order) to draw, at most `limit` (default --plot-limit), and a note
    /// when some were left out. Unknown --plot-series names are an error that lists the known ones.
    func select(_ available: [String], limit: Int? = nil, noun: String = "series") throws -> (chosen: [String], note: String?) {
        let limit = limit ?? plotLimit
        if let wanted {
            let unknown = wanted.filter { !available.contains($0) }
            guard unknown.isEmpty else {
                let known = available.prefix(20).joined(separator: ", ") + (available.count > 20 ? ", …" : "")
                throw ValidationError("--plot-series: no \(noun) named \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the result has \(known)")
            }
            let chosen = Array(wanted.prefix(limit))
            return (chosen, wanted.count > limit ? "\(wanted.count - limit) of the \(wanted.count) \(noun) asked for left out (at most \(limit) drawn; --plot-limit)" : nil)
        }
        let chosen = Array(available.prefix(limit))
        let left = available.count - chosen.count
        return (chosen, left > 0 ? "showing \(chosen.count) of \(available.count) \(noun); \(left) left out (choose with --plot-series, or raise --plot-limit)" : nil)
    }

    /// Writes `figure` to --plot atomically and says so on stderr.
    func write(_ figure: Figure, terminal: Terminal) throws {
        guard let plot else { return }
        try AtomicFile.write(Data(figure.svg().utf8), to: URL(fileURLWithPath: plot))
        terminal.note("plot written to \(plot)")
    }
}
