// Synthetic AR series for the AR-Net tests: y_t = Σ φ_i y_{t−i} + e_t, e_t ~ N(0, σ²), as the
// paper's generator (statsmodels ArmaProcess) with a burn-in, then made zero-mean.
import TSFCTensor

enum ARTestData {
    /// `n` samples of the AR process with coefficients `phi` (lag 1 first), seeded.
    static func series(phi: [Float], n: Int, sigma: Float = 1, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let burn = 1000, p = phi.count
        var y = [Double](repeating: 0, count: n + burn + p)
        for t in p..<y.count {
            var v = Double(sigma * rng.nextNormal())
            for i in 0..<p { v += Double(phi[i]) * y[t - 1 - i] }
            y[t] = v
        }
        let kept = Array(y.suffix(n))
        let mean = kept.reduce(0, +) / Double(n)
        return kept.map { Float($0 - mean) }
    }

    /// `phi` padded with zeros to `order` lags.
    static func padded(_ phi: [Float], to order: Int) -> [Float] { phi + [Float](repeating: 0, count: order - phi.count) }
}
