// Random draws the generators share: seeds per series, uniform / log-uniform / categorical,
// Gamma, Poisson and Weibull variates, all from a `SeededGenerator` (so a series is a pure
// function of its seed).
import Foundation
import TSFCTensor

/// Seeds of the corpus: one independent stream per (seed, index, purpose).
public enum CorpusSeeds {
    /// A well-mixed 64-bit seed for series `index` of corpus `seed` (SplitMix64's finaliser over
    /// both), with `salt` separating purposes (generation, the validation split).
    public static func mix(_ seed: UInt64, _ index: UInt64, salt: UInt64 = 0) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* (index &+ 1) ^ (salt &* 0xD6E8_FEB8_6659_FD93)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        // A second round so that neighbouring indices differ in every bit.
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform Double in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// exp of a uniform draw between log(low) and log(high) (both positive).
    public mutating func logUniform(_ low: Double, _ high: Double) -> Double {
        exp(uniform(log(low), log(high)))
    }

    /// A standard normal Double (Box–Muller on 53-bit uniforms).
    public mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// A uniform integer in `range`.
    public mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero;
    /// otherwise 0).
    public mutating func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var u = uniform() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }

    /// A Gamma(shape, scale 1) draw (Marsaglia–Tsang; shape < 1 through the boost u^(1/shape)).
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            var u = uniform()
            while u <= 0 { u = uniform() }
            return gamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if u > 0, log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Poisson(mean) count (Knuth's product method below 30, a rounded normal above).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var k = 0, p = uniform()
            while p > limit {
                k += 1
                p *= uniform()
            }
            return k
        }
        return max(0, Int((mean + mean.squareRoot() * normal()).rounded()))
    }

    /// A Weibull(shape, scale 1) draw by inversion.
    public mutating func weibull(shape: Double) -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        return pow(-log(u), 1 / shape)
    }
}
