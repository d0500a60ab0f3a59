// `--level`, `--quantiles` and `--calibration-windows`: the intervals and quantiles of
// `tsfc forecast` and `tsfc backtest`.
import ArgumentParser
import Foundation
import TSFC

struct IntervalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Prediction-interval levels in percent, in (0, 100), comma-separated: adds <model>-lo-80, <model>-hi-80 … columns.",
                               valueName: "80,95"),
            transform: { try parseNumbers($0, flag: "--level", open: 0, 100, example: "80,95") })
    var level: [Double] = []

    @Option(help: ArgumentHelp("Quantile levels in (0, 1), comma-separated: adds <model>-q-0.1 … columns.", valueName: "0.1,0.5,0.9"),
            transform: { try parseNumbers($0, flag: "--quantiles", open: 0, 1, example: "0.1,0.5,0.9") })
    var quantiles: [Double] = []

    @Option(name: .customLong("calibration-windows"),
            help: "Rolling-origin windows per horizon step that calibrate conformal intervals (models without a quantile head); each costs a forecast.")
    var calibrationWindows: Int = IntervalSettings.defaultCalibrationWindows

    /// The settings, or a usage error.
    func settings() throws -> IntervalSettings {
        guard calibrationWindows >= 1 else { throw ValidationError("--calibration-windows must be a positive number, got \(calibrationWindows)") }
        do {
            return try IntervalSettings(levels: level, quantiles: quantiles, calibrationWindows: calibrationWindows)
        } catch let error as IntervalError {
            throw ValidationError(error.description)
        }
    }
}

/// Parses `80,95` into numbers strictly between `low` and `high`, naming the flag in errors.
func parseNumbers(_ text: String, flag: String, open low: Double, _ high: Double, example: String) throws -> [Double] {
    let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    var out: [Double] = []
    for field in fields {
        guard let x = Double(field), x.isFinite else {
            throw ValidationError("\(flag) \(text): '\(field)' is not a number; give numbers separated by commas, e.g. \(example)")
        }
        guard x > low && x < high else {
            throw ValidationError("\(flag) \(text): \(field) is outside (\(IntervalSettings.label(low)), \(IntervalSettings.label(high))); e.g. \(example)")
        }
        out.append(x)
    }
    return out
}
