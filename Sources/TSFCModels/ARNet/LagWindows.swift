// LagWindows: the supervised view of a univariate series for autoregression — every window of
// p past values (oldest first) with the next h values as targets.

/// All (p lags → h targets) windows of a series, row-major.
public struct LagWindows: Sendable {
    /// `[count, p]` inputs, oldest first.
    public let inputs: [Float]
    /// `[count, h]` targets.
    public let targets: [Float]
    public let lags: Int
    public let forecasts: Int
    public var count: Int { inputs.count / lags }

    /// Windows of `series` with `lags` inputs and `forecasts` targets (count = n − p − h + 1, or 0).
    /// - Precondition: `lags`, `forecasts` positive.
    public init(series: [Float], lags: Int, forecasts: Int = 1) {
        precondition(lags > 0 && forecasts > 0, "LagWindows: lags and forecasts must be positive")
        let n = Swift.max(series.count - lags - forecasts + 1, 0)
        var x = [Float](repeating: 0, count: n * lags), y = [Float](repeating: 0, count: n * forecasts)
        for i in 0..<n {
            for j in 0..<lags { x[i * lags + j] = series[i + j] }
            for j in 0..<forecasts { y[i * forecasts + j] = series[i + lags + j] }
        }
        inputs = x; targets = y; self.lags = lags; self.forecasts = forecasts
    }

    /// Windows from given row-major inputs `[count, p]` and targets `[count, h]`.
    public init(inputs: [Float], targets: [Float], lags: Int, forecasts: Int) {
        precondition(inputs.count % lags == 0 && targets.count == inputs.count / lags * forecasts,
                     "LagWindows: inputs and targets do not match")
        self.inputs = inputs; self.targets = targets; self.lags = lags; self.forecasts = forecasts
    }
}

/// Symmetric total percentage error of estimated AR coefficients (AR-Net paper §4):
/// sTPE = 100·Σ|ŵ − w| / Σ(|ŵ| + |w|); 0 when both are all zero.
public func symmetricTotalPercentageError(estimated: [Float], truth: [Float]) -> Float {
    precondition(estimated.count == truth.count, "sTPE: coefficient vectors differ in length")
    var num: Double = 0, den: Double = 0
    for (e, t) in zip(estimated, truth) {
        num += Double(abs(e - t)); den += Double(abs(e) + abs(t))
    }
    return den > 0 ? Float(100 * num / den) : 0
}
