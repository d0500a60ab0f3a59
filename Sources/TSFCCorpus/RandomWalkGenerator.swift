// Random walks: y_t = y_{t−1} + drift + σ ε_t, ε Gaussian or Student-t (heavy tails), optionally
// on the log scale (a geometric walk: positive, multiplicative steps).
import Foundation
import TSFCTensor

/// Random walks with drift.
public enum RandomWalkGenerator {
    /// What a random walk is made of.
    public struct Parameters: Sendable, Equatable {
        /// Mean increment per step.
        public var drift: Double
        /// Standard deviation of the increments.
        public var stepSD: Double
        /// Degrees of freedom of Student-t increments (rescaled to `stepSD`); nil for Gaussian.
        public var degreesOfFreedom: Double?
        /// Walk on the log scale and return exp(walk) (positive series).
        public var geometric: Bool

        public init(drift: Double = 0, stepSD: Double = 1, degreesOfFreedom: Double? = nil, geometric: Bool = false) {
            self.drift = drift
            self.stepSD = stepSD
            self.degreesOfFreedom = degreesOfFreedom
            self.geometric = geometric
        }
    }

    /// Random parameters: geometric with probability 0.3 (steps 0.2 %…5 %), a drift of up to
    /// ±0.1 step deviations, Student-t(3…10) increments with probability 0.3.
    public static func drawParameters(using rng: inout SeededGenerator) -> Parameters {
        var p = Parameters()
        p.geometric = rng.bernoulli(0.3)
        p.stepSD = p.geometric ? rng.logUniform(0.002, 0.05) : 1
        p.drift = rng.bernoulli(0.5) ? rng.uniform(-0.1, 0.1) * p.stepSD : 0
        if rng.bernoulli(0.3) { p.degreesOfFreedom = rng.uniform(3, 10) }
        return p
    }

    /// A walk of `length` steps starting at 0 (1 when geometric) (`[T]`).
    public static func generate(_ p: Parameters, length: Int, using rng: inout SeededGenerator) -> [Double] {
        var y = [Double](repeating: 0, count: length)
        var level = 0.0
        for t in 0..<length {
            if t > 0 { level += p.drift + p.stepSD * increment(p.degreesOfFreedom, using: &rng) }
            y[t] = p.geometric ? exp(level) : level
        }
        return y
    }

    /// A unit-variance increment: Gaussian, or Student-t(ν) scaled by √((ν − 2)/ν).
    static func increment(_ nu: Double?, using rng: inout SeededGenerator) -> Double {
        guard let nu, nu > 2 else { return rng.normal() }
        let chi2 = 2 * rng.gamma(shape: nu / 2)
        return rng.normal() / (chi2 / nu).squareRoot() * ((nu - 2) / nu).squareRoot()
    }
}
