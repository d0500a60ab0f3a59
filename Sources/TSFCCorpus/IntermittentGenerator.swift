// Intermittent and count series (the demand patterns Croston's method is for): at each step a
// demand occurs with probability 1 − zeroProbability (optionally modulated by a calendar
// season), and its size is 1 + Poisson(meanSize − 1); otherwise the value is 0.
import Foundation
import TSFCTensor

/// Intermittent demand and low counts: non-negative integers with many zeros.
public enum IntermittentGenerator {
    /// What an intermittent series is made of.
    public struct Parameters: Sendable, Equatable {
        /// Probability that a step has no demand (the expected fraction of zeros when `seasonAmplitude` is 0).
        public var zeroProbability: Double
        /// Mean size of a demand (≥ 1).
        public var meanSize: Double
        /// A period modulating the demand probability (1 + amplitude · cos), or nil.
        public var seasonPeriod: Int?
        public var seasonAmplitude: Double

        public init(zeroProbability: Double, meanSize: Double, seasonPeriod: Int? = nil, seasonAmplitude: Double = 0) {
            self.zeroProbability = zeroProbability
            self.meanSize = meanSize
            self.seasonPeriod = seasonPeriod
            self.seasonAmplitude = seasonAmplitude
        }
    }

    /// Random parameters: zero probability 0.1…0.95, mean size 1…50 (log-uniform), a calendar
    /// season with probability 0.3.
    public static func drawParameters(length: Int, periods: [Int], using rng: inout SeededGenerator) -> Parameters {
        var p = Parameters(zeroProbability: rng.uniform(0.1, 0.95), meanSize: rng.logUniform(1, 50))
        if let s = periods.first(where: { $0 >= 2 && 2 * $0 <= length }), rng.bernoulli(0.3) {
            p.seasonPeriod = s
            p.seasonAmplitude = rng.uniform(0.3, 0.9)
        }
        return p
    }

    /// A series of `length` counts (`[T]`, non-negative integers).
    public static func generate(_ p: Parameters, length: Int, using rng: inout SeededGenerator) -> [Double] {
        var y = [Double](repeating: 0, count: length)
        let phase = rng.uniform(0, 2 * Double.pi)
        for t in 0..<length {
            var occur = 1 - p.zeroProbability
            if let s = p.seasonPeriod {
                occur *= 1 + p.seasonAmplitude * cos(2 * Double.pi * Double(t) / Double(s) + phase)
            }
            if rng.uniform() < min(1, max(0, occur)) {
                y[t] = Double(1 + rng.poisson(max(0, p.meanSize - 1)))
            }
        }
        return y
    }
}
