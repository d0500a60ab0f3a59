// ThetaMethod: the Theta method of Assimakopoulos & Nikolopoulos ("The theta model: a
// decomposition approach to forecasting", IJF 2000), the M3 competition's best method, in
// Hyndman & Billah's form ("Unmasking the Theta method", IJF 2003): simple exponential
// smoothing plus half the slope of the linear trend, on data deseasonalised by classical
// multiplicative decomposition when a 90 % autocorrelation test finds the season.

/// The classic Theta forecast, fitted per series in microseconds.
public enum ThetaMethod {
    /// Forecasts `horizon` points after `history` (any length ≥ 1) with season length `seasonLength`
    /// (1: none).
    public static func forecast(_ history: [Float], horizon: Int, seasonLength: Int) -> [Float] {
        let y = history.map(Double.init)
        guard let last = y.last else { return [Float](repeating: 0, count: horizon) }
        guard y.count >= 3 else { return [Float](repeating: Float(last), count: horizon) }
        let n = y.count, m = seasonLength
        var indices: [Double]? = nil
        if m > 1, n >= 3 * m, y.allSatisfy({ $0 > 0 }), isSeasonal(y, period: m) {
            indices = seasonalIndices(y, period: m)
        }
        let adjusted = indices.map { idx in y.enumerated().map { $0.element / idx[$0.offset % m] } } ?? y
        let slope = leastSquaresSlope(adjusted)
        let alpha = bestAlpha(adjusted)
        let level = smoothedLevel(adjusted, alpha: alpha)
        let decay = pow1m(alpha, n)
        return (1...max(horizon, 0)).map { h in
            var f = level + 0.5 * slope * (Double(h) - 1 + 1 / alpha - decay / alpha)
            if let idx = indices { f *= idx[(n + h - 1) % m] }
            return Float(f)
        }
    }

    /// (1 − α)ⁿ.
    static func pow1m(_ alpha: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<min(n, 10_000) { r *= 1 - alpha }
        return r
    }

    /// Whether the autocorrelation at lag `period` exceeds its 90 % limit under the null of no
    /// seasonality (Bartlett's variance with the lower lags).
    static func isSeasonal(_ y: [Double], period: Int) -> Bool {
        let n = Double(y.count)
        let r = (1...period).map { autocorrelation(y, lag: $0) }
        let spread = 1 + 2 * r.dropLast().reduce(0) { $0 + $1 * $1 }
        return abs(r[period - 1]) > 1.645 * (spread / n).squareRoot()
    }

    static func autocorrelation(_ y: [Double], lag: Int) -> Double {
        let mean = y.reduce(0, +) / Double(y.count)
        var num = 0.0, den = 0.0
        for (i, v) in y.enumerated() {
            den += (v - mean) * (v - mean)
            if i >= lag { num += (v - mean) * (y[i - lag] - mean) }
        }
        return den > 0 ? num / den : 0
    }

    /// Classical multiplicative decomposition: the mean ratio of each season position to the
    /// centred moving average, normalised to average 1.
    static func seasonalIndices(_ y: [Double], period m: Int) -> [Double] {
        let n = y.count
        var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
        let half = m / 2
        for t in half..<(n - half) {
            var ma: Double
            if m % 2 == 1 {
                ma = y[(t - half)...(t + half)].reduce(0, +) / Double(m)
            } else {   // 2×m moving average
                ma = (0.5 * y[t - half] + y[(t - half + 1)...(t + half - 1)].reduce(0, +) + 0.5 * y[t + half]) / Double(m)
            }
            guard ma > 0 else { continue }
            sums[t % m] += y[t] / ma
            counts[t % m] += 1
        }
        var idx = (0..<m).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 1 }
        let mean = idx.reduce(0, +) / Double(m)
        idx = idx.map { $0 / mean }
        return idx
    }

    static func leastSquaresSlope(_ y: [Double]) -> Double {
        let n = Double(y.count)
        let tMean = (n - 1) / 2, yMean = y.reduce(0, +) / n
        var num = 0.0, den = 0.0
        for (t, v) in y.enumerated() {
            num += (Double(t) - tMean) * (v - yMean)
            den += (Double(t) - tMean) * (Double(t) - tMean)
        }
        return den > 0 ? num / den : 0
    }

    /// The last level of simple exponential smoothing started at the first point.
    static func smoothedLevel(_ y: [Double], alpha: Double) -> Double {
        var level = y[0]
        for v in y.dropFirst() { level += alpha * (v - level) }
        return level
    }

    /// The smoothing weight in [0.05, 1] minimising the in-sample one-step squared error: a
    /// grid, then golden-section refinement around its best point.
    static func bestAlpha(_ y: [Double]) -> Double {
        func sse(_ a: Double) -> Double {
            var level = y[0], total = 0.0
            for v in y.dropFirst() {
                total += (v - level) * (v - level)
                level += a * (v - level)
            }
            return total
        }
        var best = 0.05, bestValue = Double.infinity
        for k in 0...19 {
            let a = 0.05 + Double(k) * 0.05
            let v = sse(a)
            if v < bestValue { (best, bestValue) = (a, v) }
        }
        var lo = max(best - 0.05, 0.05), hi = min(best + 0.05, 1)
        let g = (5.0.squareRoot() - 1) / 2
        for _ in 0..<20 {
            let a = hi - g * (hi - lo), b = lo + g * (hi - lo)
            if sse(a) < sse(b) { hi = b } else { lo = a }
        }
        let refined = (lo + hi) / 2
        return sse(refined) < bestValue ? refined : best
    }
}
