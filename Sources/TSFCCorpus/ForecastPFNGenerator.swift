// ForecastPFN-style series (after Dooley et al., NeurIPS 2023): trend × seasonality × noise, with
// seasonalities tied to the calendar (monthly → 12, daily → 7 and 365, hourly → 24 and 168 …),
// linear / exponential / damped trends, Weibull-shaped multiplicative noise whose scale drifts
// over time (heteroscedastic), level shifts and outliers.
import Foundation
import TSFCTensor

/// The ForecastPFN-style prior: `Parameters` says what a series is made of, `generate` draws it.
public enum ForecastPFNGenerator {
    /// The shape of a trend.
    public enum Trend: Sendable, Equatable {
        /// Flat at 1.
        case none
        /// 1 + slope · x, x = t / T ∈ [0, 1) (slope > −1 keeps it positive).
        case linear(slope: Double)
        /// exp(rate · x).
        case exponential(rate: Double)
        /// 1 + slope · (1 − φ^t) / (1 − φ): growth that levels off.
        case damped(slope: Double, phi: Double)
    }

    /// One seasonal component: a random Fourier pattern of `period` steps, scaled to at most
    /// ±`amplitude` around 1 (multiplicative).
    public struct Seasonality: Sendable, Equatable {
        public var period: Int
        public var amplitude: Double
        /// Harmonics in the pattern (1…4); the k-th harmonic's coefficients have scale 1/k.
        public var harmonics: Int
        public init(period: Int, amplitude: Double, harmonics: Int) {
            self.period = period
            self.amplitude = amplitude
            self.harmonics = harmonics
        }
    }

    /// Everything a ForecastPFN-style series is made of.
    public struct Parameters: Sendable, Equatable {
        public var length: Int
        public var trend: Trend
        /// Strongest first.
        public var seasonalities: [Seasonality]
        /// Weibull shape of the noise (larger: closer to symmetric).
        public var noiseShape: Double
        /// Noise scale at the start and at the end (linear in between): heteroscedastic when they differ.
        public var noiseScaleStart: Double
        public var noiseScaleEnd: Double
        /// (step, factor): from `step` on the series is multiplied by `factor`.
        public var levelShift: (step: Int, factor: Double)?
        /// The fraction of points replaced by outliers (× 1 ± 2…5).
        public var outlierFraction: Double

        public init(length: Int, trend: Trend = .none, seasonalities: [Seasonality] = [], noiseShape: Double = 2,
                    noiseScaleStart: Double = 0.05, noiseScaleEnd: Double = 0.05,
                    levelShift: (step: Int, factor: Double)? = nil, outlierFraction: Double = 0) {
            self.length = length
            self.trend = trend
            self.seasonalities = seasonalities
            self.noiseShape = noiseShape
            self.noiseScaleStart = noiseScaleStart
            self.noiseScaleEnd = noiseScaleEnd
            self.levelShift = levelShift
            self.outlierFraction = outlierFraction
        }

        public static func == (a: Parameters, b: Parameters) -> Bool {
            a.length == b.length && a.trend == b.trend && a.seasonalities == b.seasonalities
                && a.noiseShape == b.noiseShape && a.noiseScaleStart == b.noiseScaleStart
                && a.noiseScaleEnd == b.noiseScaleEnd && a.levelShift?.step == b.levelShift?.step
                && a.levelShift?.factor == b.levelShift?.factor && a.outlierFraction == b.outlierFraction
        }
    }

    /// Random parameters for `length` steps on a calendar with `periods` (strongest first): each
    /// calendar period that fits two cycles is drawn with probability 0.7 (the first 0.85).
    public static func drawParameters(length: Int, periods: [Int], using rng: inout SeededGenerator) -> Parameters {
        var p = Parameters(length: length)
        switch rng.categorical([0.25, 0.35, 0.2, 0.2]) {
        case 0: p.trend = .none
        case 1: p.trend = .linear(slope: rng.uniform(-0.6, 2))
        case 2: p.trend = .exponential(rate: rng.uniform(-1.5, 2))
        default: p.trend = .damped(slope: rng.uniform(-0.02, 0.05), phi: rng.uniform(0.9, 0.995))
        }
        for (i, period) in periods.enumerated() where period >= 2 && 2 * period <= length {
            if rng.bernoulli(i == 0 ? 0.85 : 0.7) {
                p.seasonalities.append(Seasonality(period: period, amplitude: rng.uniform(0.05, 0.6),
                                                   harmonics: rng.integer(1...4)))
            }
        }
        p.noiseShape = rng.uniform(1, 5)
        p.noiseScaleStart = rng.logUniform(0.005, 0.3)
        p.noiseScaleEnd = rng.bernoulli(0.3) ? rng.logUniform(0.005, 0.3) : p.noiseScaleStart
        if rng.bernoulli(0.2), length > 10 {
            p.levelShift = (rng.integer(length / 5...(4 * length) / 5), rng.logUniform(0.5, 2))
        }
        p.outlierFraction = rng.bernoulli(0.2) ? rng.uniform(0.002, 0.02) : 0
        return p
    }

    /// The series `parameters` describe (`[T]`, positive before outliers: trend × seasonality ×
    /// (1 + noise)).
    public static func generate(_ p: Parameters, using rng: inout SeededGenerator) -> [Double] {
        let n = p.length
        var y = [Double](repeating: 1, count: n)
        for t in 0..<n {
            let x = Double(t) / Double(max(1, n))
            switch p.trend {
            case .none: break
            case .linear(let slope): y[t] = max(0.05, 1 + slope * x)
            case .exponential(let rate): y[t] = exp(rate * x)
            case .damped(let slope, let phi): y[t] = max(0.05, 1 + slope * (1 - pow(phi, Double(t))) / (1 - phi))
            }
        }
        for s in p.seasonalities {
            let pattern = seasonalPattern(period: s.period, harmonics: s.harmonics, using: &rng)
            for t in 0..<n { y[t] *= 1 + s.amplitude * pattern[t % s.period] }
        }
        // Weibull noise centred on its mean: E[W] = Γ(1 + 1/k).
        let mean = tgamma(1 + 1 / p.noiseShape)
        for t in 0..<n {
            let x = Double(t) / Double(max(1, n - 1))
            let scale = p.noiseScaleStart + (p.noiseScaleEnd - p.noiseScaleStart) * x
            y[t] *= max(0.01, 1 + scale * (rng.weibull(shape: p.noiseShape) - mean))
        }
        if let shift = p.levelShift {
            for t in shift.step..<n { y[t] *= shift.factor }
        }
        if p.outlierFraction > 0 {
            for t in 0..<n where rng.bernoulli(p.outlierFraction) {
                y[t] *= rng.bernoulli(0.5) ? rng.uniform(2, 5) : 1 / rng.uniform(2, 5)
            }
        }
        return y
    }

    /// One cycle (`[period]`) of a Fourier pattern with `harmonics` harmonics (coefficient scale
    /// 1/k), scaled so its largest absolute value is 1.
    static func seasonalPattern(period: Int, harmonics: Int, using rng: inout SeededGenerator) -> [Double] {
        var pattern = [Double](repeating: 0, count: period)
        for k in 1...max(1, min(harmonics, period / 2)) {
            let a = rng.normal() / Double(k), b = rng.normal() / Double(k)
            for t in 0..<period {
                let angle = 2 * Double.pi * Double(k * t) / Double(period)
                pattern[t] += a * cos(angle) + b * sin(angle)
            }
        }
        let peak = pattern.map(abs).max() ?? 0
        return peak > 0 ? pattern.map { $0 / peak } : pattern
    }
}
