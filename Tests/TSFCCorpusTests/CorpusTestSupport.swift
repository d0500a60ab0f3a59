// Statistics the corpus tests check generators against.
import Foundation

enum Stats {
    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }

    static func variance(_ x: [Double]) -> Double {
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, x.count - 1))
    }

    /// Sample autocorrelation at `lag` (the biased estimator: Σ over T − lag pairs / Σ over T).
    static func acf(_ x: [Double], lag: Int) -> Double {
        let m = mean(x)
        let d = x.map { $0 - m }
        let denom = d.reduce(0) { $0 + $1 * $1 }
        guard denom > 0, lag < x.count else { return 0 }
        var num = 0.0
        for t in lag..<x.count { num += d[t] * d[t - lag] }
        return num / denom
    }

    /// Residuals of the least-squares line through `x` against t, and R².
    static func lineFit(_ x: [Double]) -> (residuals: [Double], r2: Double) {
        let n = Double(x.count)
        let ts = (0..<x.count).map(Double.init)
        let mt = mean(ts), mx = mean(x)
        var sxy = 0.0, sxx = 0.0
        for i in 0..<x.count { sxy += (ts[i] - mt) * (x[i] - mx); sxx += (ts[i] - mt) * (ts[i] - mt) }
        let slope = sxy / sxx, intercept = mx - slope * mt
        let res = (0..<x.count).map { x[$0] - (intercept + slope * ts[$0]) }
        let ssRes = res.reduce(0) { $0 + $1 * $1 }
        let ssTot = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        _ = n
        return (res, ssTot > 0 ? 1 - ssRes / ssTot : 0)
    }

    /// The package root (for the files shipped in Data/).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
