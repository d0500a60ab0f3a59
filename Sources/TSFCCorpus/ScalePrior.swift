// Scales and levels for synthetic series: magnitudes over orders of magnitude, some strictly
// positive (shifted above zero), some around zero.
import Foundation
import TSFCTensor

/// Puts a synthetic series on a random scale and level.
public enum ScalePrior {
    /// `x` standardised, multiplied by a log-uniform scale in [1e-2, 1e4] and, with probability
    /// 0.5, shifted so that its minimum is a random positive margin above zero.
    public static func apply(_ x: [Double], using rng: inout SeededGenerator) -> [Double] {
        let n = Double(max(1, x.count))
        let mean = x.reduce(0, +) / n
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let scale = rng.logUniform(1e-2, 1e4)
        var y = x.map { (sd > 0 ? ($0 - mean) / sd : $0 - mean) * scale }
        if rng.bernoulli(0.5) {
            let low = y.min() ?? 0
            let margin = scale * rng.logUniform(0.05, 5)
            y = y.map { $0 - low + margin }
        } else if rng.bernoulli(0.3) {
            let level = scale * rng.uniform(-3, 3)
            y = y.map { $0 + level }
        }
        return y
    }

    /// Multiplicative (positive) series keep their shape: only a log-uniform scale in [1e-2, 1e4].
    public static func rescalePositive(_ x: [Double], using rng: inout SeededGenerator) -> [Double] {
        let mean = x.reduce(0, +) / Double(max(1, x.count))
        let scale = rng.logUniform(1e-2, 1e4) / (mean > 0 ? mean : 1)
        return x.map { $0 * scale }
    }
}
