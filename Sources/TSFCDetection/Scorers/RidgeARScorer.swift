// RidgeARScorer: per-channel ridge autoregression (the peers' ridge_mean / ridge_max): the
// previous p standardised values of a channel predict its next value (ridge penalty α on the
// centred lags, free intercept), and a step's score on a channel is its squared one-step
// residual. Causal: the window is the p lags plus the scored row, which is its last.
import Foundation
import TSFCTensor

/// Scores steps by squared one-step ridge-AR residuals, channel by channel.
public final class RidgeARScorer: WindowScorer {
    /// Lags (p).
    public let lags: Int
    public let channels: Int
    /// Coefficients `[C, p]` (oldest lag first) and intercepts `[C]`.
    public let coefficients: [Float]
    public let intercepts: [Float]

    public init(lags: Int, channels: Int, coefficients: [Float], intercepts: [Float]) {
        precondition(coefficients.count == lags * channels && intercepts.count == channels, "RidgeARScorer: shapes")
        self.lags = lags
        self.channels = channels
        self.coefficients = coefficients
        self.intercepts = intercepts
    }

    /// Fits one ridge AR(p) per channel on rows `rows` of standardised `values` `[T, C]`.
    public static func fit(values: [Float], channels c: Int, rows: Range<Int>, lags p: Int, penalty: Double = 1) throws -> RidgeARScorer {
        let n = rows.count - p
        guard n >= 2 else {
            throw DetectionError.tooShort(what: "the training part", rows: rows.count, needed: p + 2,
                                          advice: "the ridge detector regresses on \(p) lags; give more training rows or fewer detection.lags")
        }
        var coefficients = [Float](repeating: 0, count: c * p), intercepts = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            let series = rows.map { Double(values[$0 * c + ch]) }
            // Centred design: X[i, j] = series[i + j], y[i] = series[i + p].
            var laggedMean = [Double](repeating: 0, count: p)
            var yMean = 0.0
            for i in 0..<n {
                for j in 0..<p { laggedMean[j] += series[i + j] }
                yMean += series[i + p]
            }
            for j in 0..<p { laggedMean[j] /= Double(n) }
            yMean /= Double(n)
            var design = [Float](repeating: 0, count: n * p)
            var target = [Float](repeating: 0, count: n)
            for i in 0..<n {
                for j in 0..<p { design[i * p + j] = Float(series[i + j] - laggedMean[j]) }
                target[i] = Float(series[i + p] - yMean)
            }
            var gram = [Float](repeating: 0, count: p * p)
            var xty = [Float](repeating: 0, count: p)
            design.withUnsafeBufferPointer { x in
                gram.withUnsafeMutableBufferPointer { g in
                    MatmulKernel.sgemm(transposeA: true, transposeB: false, m: p, n: p, k: n, a: x.baseAddress!, b: x.baseAddress!, c: g.baseAddress!)
                }
                target.withUnsafeBufferPointer { y in
                    xty.withUnsafeMutableBufferPointer { r in
                        MatmulKernel.sgemm(transposeA: true, transposeB: false, m: p, n: 1, k: n, a: x.baseAddress!, b: y.baseAddress!, c: r.baseAddress!)
                    }
                }
            }
            var a = gram.map(Double.init)
            for j in 0..<p { a[j * p + j] += penalty }
            let beta = try choleskySolve(a, xty.map(Double.init), size: p)
            for j in 0..<p { coefficients[ch * p + j] = Float(beta[j]) }
            intercepts[ch] = Float(yMean - zip(beta, laggedMean).map(*).reduce(0, +))
        }
        return RidgeARScorer(lags: p, channels: c, coefficients: coefficients, intercepts: intercepts)
    }

    /// Solves the symmetric positive definite system A x = b.
    static func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { throw DetectionError.invalid("the ridge AR system is not positive definite; raise the ridge penalty") }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }

    public var kind: ScorerKind { .ridge }
    public var requiredChannels: Int? { channels }
    public var windowLength: Int { lags + 1 }
    public var scoredOffset: Int { lags }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        guard input.channels == channels else { throw DetectionError.wrongChannels(found: input.channels, expected: channels) }
        return try windowChannelScores(input)
    }

    public func scoreWindows(_ x: [Float], channels c: Int, starts: [Int]) throws -> [Float] {
        let p = lags
        var out = [Float](repeating: 0, count: starts.count * c)
        x.withUnsafeBufferPointer { v in
            coefficients.withUnsafeBufferPointer { beta in
                for (i, s) in starts.enumerated() {
                    for ch in 0..<c {
                        var prediction = intercepts[ch]
                        let b = beta.baseAddress! + ch * p
                        for j in 0..<p { prediction += b[j] * v[(s + j) * c + ch] }
                        let e = v[(s + p) * c + ch] - prediction
                        out[i * c + ch] = e * e
                    }
                }
            }
        }
        return out
    }

    public var parameters: [String: Tensor] {
        ["ridge.coefficients": Tensor(shape: [channels, lags], scalars: coefficients),
         "ridge.intercepts": Tensor(shape: [channels], scalars: intercepts)]
    }
}
