import XCTest
import TSFCModels
import TSFCNN
import TSFCTensor

/// Dense float64 oracles: companion matrices built explicitly and multiplied out.
enum DenseOracle {
    /// A = S + a e_dᵀ as a dense d × d matrix (row-major).
    static func companion(_ a: [Double]) -> [[Double]] {
        let d = a.count
        var m = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 1..<d { m[i][i - 1] = 1 }
        for i in 0..<d { m[i][d - 1] += a[i] }
        return m
    }

    static func matVec(_ m: [[Double]], _ v: [Double]) -> [Double] {
        m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } }
    }

    static func vecMat(_ v: [Double], _ m: [[Double]]) -> [Double] {
        (0..<m[0].count).map { j in (0..<v.count).reduce(0) { $0 + v[$1] * m[$1][j] } }
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }

    /// a / max(1, ‖a‖₁).
    static func normalized(_ a: [Double]) -> [Double] {
        let n = max(1, a.reduce(0) { $0 + abs($1) })
        return a.map { $0 / n }
    }

    /// cᵀ A^j b, j < L, by dense matrix powers.
    static func kernel(a: [Double], b: [Double], c: [Double], length: Int) -> [Double] {
        let m = companion(a)
        var power = (0..<a.count).map { i in (0..<a.count).map { $0 == i ? 1.0 : 0.0 } }  // A^0
        var out: [Double] = []
        for _ in 0..<length {
            out.append(dot(c, matVec(power, b)))
            power = power.map { row in vecMat(row, m) }  // A^{j+1} = A^j A
        }
        return out
    }
}

func rows(_ t: Tensor) -> [[Double]] {
    let w = t.shape[t.rank - 1]
    return stride(from: 0, to: t.count, by: w).map { t.scalars[$0..<($0 + w)].map(Double.init) }
}

final class CompanionKernelTests: XCTestCase {
    func testLinearTimeKernelEqualsDenseMatrixPowers() {
        // d < L and d > L, several kernels, a with ‖a‖₁ above 1 (normalised) and below.
        for (d, l) in [(5, 40), (16, 9), (32, 48)] {
            var rng = SeededGenerator(seed: UInt64(d * 100 + l))
            let a = Tensor.randomNormal([3, d], standardDeviation: d == 5 ? 0.1 : 1, using: &rng)
            let b = Tensor.randomNormal([3, d], using: &rng)
            let c = Tensor.randomNormal([3, d], using: &rng)
            let an = Companion.normalizedColumn(a)
            let fast = Companion.kernel(column: an, b: b, c: c, length: l)       // [3, L]
            XCTAssertEqual(fast.shape, [3, l])
            for k in 0..<3 {
                let ak = DenseOracle.normalized(rows(a)[k])
                let truth = DenseOracle.kernel(a: ak, b: rows(b)[k], c: rows(c)[k], length: l)
                let got = rows(fast)[k]
                let scale = max(1, truth.map(abs).max()!)
                for j in 0..<l { XCTAssertEqual(got[j], truth[j], accuracy: 2e-5 * scale, "d \(d) L \(l) kernel \(k) tap \(j)") }
            }
            XCTAssertLessThanOrEqual(rows(an).map { $0.reduce(0) { $0 + abs($1) } }.max()!, 1 + 1e-5)
        }
    }

    func testShiftMatrixGivesFiniteImpulseResponse() {
        // a = 0, b = e1: K = c for the first d taps, then zeros.
        let d = 6
        var rng = SeededGenerator(seed: 7)
        let c = Tensor.randomNormal([2, d], using: &rng)
        var e1 = [Float](repeating: 0, count: 2 * d); e1[0] = 1; e1[d] = 1
        let k = Companion.kernel(column: Tensor.zeros([2, d]), b: Tensor(shape: [2, d], scalars: e1), c: c, length: 10)
        for r in 0..<2 {
            for j in 0..<10 { XCTAssertEqual(k[r, j], j < d ? c[r, j] : 0, accuracy: 1e-7) }
        }
    }

    func testExponentialSmoothingKernel() {
        // d = 2 with the state's first entry never read back: a = (0, 1 − α) makes the second
        // entry an exponential average; b = (0, α), c = (0, 1) gives K_j = α(1 − α)^j.
        let alpha: Float = 0.3
        let k = Companion.kernel(column: Tensor(shape: [1, 2], scalars: [0, 1 - alpha]),
                                 b: Tensor(shape: [1, 2], scalars: [0, alpha]),
                                 c: Tensor(shape: [1, 2], scalars: [0, 1]), length: 12)
        for j in 0..<12 { XCTAssertEqual(k[0, j], alpha * Float(pow(Double(1 - alpha), Double(j))), accuracy: 1e-6) }
    }

    func testCausalConvolutionMatchesDirectSumWithHeads() {
        var rng = SeededGenerator(seed: 11)
        let (b, c, l, kk) = (2, 6, 13, 3)  // each kernel serves 2 consecutive channels
        let u = Tensor.randomNormal([b, c, l], using: &rng)
        let kernel = Tensor.randomNormal([kk, 9], using: &rng)   // shorter than L: zero-padded
        let y = Companion.causalConvolution(u, kernel: kernel)
        XCTAssertEqual(y.shape, [b, c, l])
        for i in 0..<b {
            for ch in 0..<c {
                for t in 0..<l {
                    var s: Float = 0
                    for q in 0...t where t - q < 9 { s += kernel[ch / 2, t - q] * u[i, ch, q] }
                    XCTAssertEqual(y[i, ch, t], s, accuracy: 1e-4)
                }
            }
        }
    }

    func testChunkedConvolutionEqualsDirectConvolution() {
        // Chunks of P: L a multiple of P, not a multiple, shorter than P, and P = 1.
        for (l, p) in [(12, 4), (13, 4), (5, 8), (6, 1), (70, 16)] {
            var rng = SeededGenerator(seed: UInt64(l * 10 + p))
            let (b, c, kk, d) = (2, 6, 3, 5)
            let a = Companion.normalizedColumn(Tensor.randomNormal([kk, d], using: &rng))
            let bv = Tensor.randomNormal([kk, d], using: &rng)
            let w1 = Tensor.randomNormal([kk, d], using: &rng), w2 = Tensor.randomNormal([kk, d], using: &rng)
            let u = Tensor.randomNormal([b, c, l], using: &rng)
            let chunked = Companion.chunkedConvolution(u, column: a, b: bv, readouts: [w1, w2], chunk: p)
            for (w, y) in zip([w1, w2], chunked) {
                let direct = Companion.causalConvolution(u, kernel: Companion.kernel(column: a, b: bv, c: w, length: l))
                XCTAssertEqual(y.shape, [b, c, l])
                XCTAssertLessThan(y.maxAbsDifference(direct), 1e-4, "L \(l) P \(p)")
            }
        }
    }

    func testPreprocessingViewsAreDifferencesAndMovingAverageResiduals() {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor.randomNormal([2, 20], using: &rng)
        let pre = PreprocessingSSM(windows: [3, 5])
        let v = pre(x)
        XCTAssertEqual(v.shape, [2, 6, 20])
        func at(_ i: Int, _ t: Int) -> Float { t >= 0 ? x[i, t] : 0 }
        for i in 0..<2 {
            for t in 0..<20 {
                let d1 = at(i, t) - at(i, t - 1), d1p = at(i, t - 1) - at(i, t - 2), d1pp = at(i, t - 2) - at(i, t - 3)
                let d2 = d1 - d1p, d2p = d1p - d1pp
                XCTAssertEqual(v[i, 0, t], at(i, t), accuracy: 1e-5)
                XCTAssertEqual(v[i, 1, t], d1, accuracy: 1e-5)
                XCTAssertEqual(v[i, 2, t], d2, accuracy: 1e-5)
                XCTAssertEqual(v[i, 3, t], d2 - d2p, accuracy: 1e-4)
                for (n, w) in [3, 5].enumerated() {
                    let mean = (0..<w).map { at(i, t - $0) }.reduce(0, +) / Float(w)
                    XCTAssertEqual(v[i, 4 + n, t], at(i, t) - mean, accuracy: 1e-5)
                }
            }
        }
    }
}
