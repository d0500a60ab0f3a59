// ARMA(p, q) series with stationary AR parts (coefficients from partial autocorrelations in
// (−1, 1) through the Durbin–Levinson recursion), optionally a seasonal AR term at a calendar
// period and an integration (d = 1).
import Foundation
import TSFCTensor

/// ARMA processes: y_t = Σ φ_i y_{t−i} + Φ y_{t−s} + ε_t + Σ θ_j ε_{t−j}, ε ~ N(0, σ²).
public enum ARMAGenerator {
    /// What an ARMA series is made of.
    public struct Parameters: Sendable, Equatable {
        public var ar: [Double]
        public var ma: [Double]
        /// Seasonal AR: (period, coefficient in (−1, 1)).
        public var seasonal: (period: Int, coefficient: Double)?
        /// Cumulate once (an ARIMA(p, 1, q)).
        public var integrated: Bool
        public var noiseSD: Double

        public init(ar: [Double] = [], ma: [Double] = [], seasonal: (period: Int, coefficient: Double)? = nil,
                    integrated: Bool = false, noiseSD: Double = 1) {
            self.ar = ar
            self.ma = ma
            self.seasonal = seasonal
            self.integrated = integrated
            self.noiseSD = noiseSD
        }

        public static func == (a: Parameters, b: Parameters) -> Bool {
            a.ar == b.ar && a.ma == b.ma && a.seasonal?.period == b.seasonal?.period
                && a.seasonal?.coefficient == b.seasonal?.coefficient && a.integrated == b.integrated && a.noiseSD == b.noiseSD
        }
    }

    /// Random parameters: p ∈ 0…3, q ∈ 0…2, a seasonal AR term at the first calendar period with
    /// probability 0.4 (when three cycles fit), integrated with probability 0.2.
    public static func drawParameters(length: Int, periods: [Int], using rng: inout SeededGenerator) -> Parameters {
        let p = rng.integer(0...3), q = rng.integer(0...2)
        var params = Parameters()
        params.ar = stationaryAR(partials: (0..<p).map { _ in rng.uniform(-0.95, 0.95) })
        params.ma = (0..<q).map { _ in rng.uniform(-0.8, 0.8) }
        if let s = periods.first(where: { $0 >= 2 && 3 * $0 <= length }), rng.bernoulli(0.4) {
            params.seasonal = (s, rng.uniform(0.3, 0.9))
        }
        params.integrated = rng.bernoulli(0.2)
        return params
    }

    /// AR coefficients from partial autocorrelations (Durbin–Levinson): stationary whenever
    /// every partial is in (−1, 1).
    public static func stationaryAR(partials: [Double]) -> [Double] {
        var phi: [Double] = []
        for (k, r) in partials.enumerated() {
            var next = phi
            for j in 0..<k { next[j] = phi[j] - r * phi[k - 1 - j] }
            next.append(r)
            phi = next
        }
        return phi
    }

    /// A series of `length` steps after a burn-in of 200 + the longest lag (`[T]`).
    public static func generate(_ p: Parameters, length: Int, using rng: inout SeededGenerator) -> [Double] {
        let seasonalLag = p.seasonal?.period ?? 0
        let burn = 200 + max(p.ar.count, p.ma.count, seasonalLag)
        let total = burn + length
        var y = [Double](repeating: 0, count: total)
        var e = [Double](repeating: 0, count: total)
        for t in 0..<total {
            e[t] = p.noiseSD * rng.normal()
            var v = e[t]
            for (i, phi) in p.ar.enumerated() where t - i - 1 >= 0 { v += phi * y[t - i - 1] }
            for (j, theta) in p.ma.enumerated() where t - j - 1 >= 0 { v += theta * e[t - j - 1] }
            if let s = p.seasonal, t - s.period >= 0 { v += s.coefficient * y[t - s.period] }
            y[t] = v
        }
        var out = Array(y[burn...])
        if p.integrated {
            for t in 1..<max(1, out.count) { out[t] += out[t - 1] }
        }
        return out
    }
}
