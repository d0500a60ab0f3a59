// Tests of the speed paths: products large enough to be split across threads, compared with
// the naive Double-accumulating oracle and with the same product computed unsplit.
import XCTest
@testable import TSFCTensor

final class SpeedPathTests: XCTestCase {
    /// Products above `Threading.sgemmGrain`, split by rows (m ≥ n) and by columns (m < n), in
    /// every transpose combination, with alpha/beta, against the naive oracle.
    func testSplitSgemmMatchesNaiveOracle() {
        let saved = Threading.threadCount
        defer { Threading.threadCount = saved }
        Threading.threadCount = 3  // an odd split, whatever the machine has
        for (m, n, k) in [(210, 40, 130), (20, 410, 130)] {
            XCTAssertGreaterThanOrEqual(m * n * k, Threading.sgemmGrain)
            for ta in [false, true] {
                for tb in [false, true] {
                    let a = Inputs.normal([m * k], seed: 11).scalars, b = Inputs.normal([k * n], seed: 12).scalars
                    let c0 = Inputs.normal([m * n], seed: 13).scalars
                    let expected = MatmulKernel.naive(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, b: b)
                    var c = c0
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                MatmulKernel.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 0.5,
                                                   a: pa.baseAddress!, b: pb.baseAddress!, beta: 2,
                                                   c: pc.baseAddress!)
                            }
                        }
                    }
                    var worst: Float = 0
                    for i in 0..<(m * n) {
                        worst = max(worst, abs(c[i] - (0.5 * expected[i] + 2 * c0[i])))
                    }
                    XCTAssertLessThan(worst, 1e-3, "m \(m) n \(n) k \(k) ta \(ta) tb \(tb)")
                }
            }
        }
    }

    /// A product's blocks depend on its shape, not on the thread count, so 1, 2, 3 and 8 threads
    /// give the same bits (OpenBLAS picks its kernels by block size: blocks cut per thread made
    /// one and two threads differ in the last bits, and so an MPI rank differ from one process).
    func testSplitSgemmGivesTheSameBitsOnEveryThreadCount() {
        let saved = Threading.threadCount
        defer { Threading.threadCount = saved }
        for (m, k, n) in [(300, 128, 64), (16, 128, 512), (48, 128, 384), (2_000, 8, 128)] {
            let a = Inputs.normal([m, k], seed: 21), b = Inputs.normal([k, n], seed: 22)
            XCTAssertGreaterThanOrEqual(m * n * k, Threading.sgemmGrain)
            Threading.threadCount = 1
            let one = a.matmul(b).scalars
            for threads in [2, 3, 8] {
                Threading.threadCount = threads
                XCTAssertEqual(a.matmul(b).scalars, one, "[\(m), \(k)] × [\(k), \(n)] on \(threads) threads")
            }
        }
    }
}

final class VectorMathTests: XCTestCase {
    /// Φ in Double, from the C library's erfc: the oracle for the vectorised GELU.
    private func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Vectorised exact GELU and its derivative against Double oracles on a dense grid over
    /// [−12, 12] (odd length, so the padded tail is exercised): relative error within a few
    /// float ulps, or an absolute 1e-30 where the value underflows.
    func testGeluAndDerivativeMatchDoubleOracle() {
        let xs = (0...4801).map { Float(-12 + 0.005 * Double($0)) }
        let x = Tensor(shape: [xs.count], scalars: xs)
        let (y, grads) = valueAndGradient(at: [x]) { $0[0].gelu() }
        var worstY = 0.0, worstD = 0.0
        for (i, xf) in xs.enumerated() {
            let xd = Double(xf)
            let ey = xd * phi(xd)
            let ed = phi(xd) + xd * Foundation_exp(-0.5 * xd * xd) / (2 * Double.pi).squareRoot()
            let ry = abs(Double(y.scalars[i]) - ey) / max(abs(ey), 1e-30)
            // GELU' = Φ + x·φ crosses zero near −0.75: scale by the terms' size, not the sum.
            let size = phi(xd) + abs(xd) * Foundation_exp(-0.5 * xd * xd) / (2 * Double.pi).squareRoot()
            let rd = abs(Double(grads[0].scalars[i]) - ed) / max(size, 1e-30)
            if abs(ey) > 1e-30 { worstY = max(worstY, ry) }
            if abs(ed) > 1e-30 { worstD = max(worstD, rd) }
        }
        XCTAssertLessThan(worstY, 1e-6, "GELU worst relative error \(worstY)")
        XCTAssertLessThan(worstD, 1e-6, "GELU' worst relative error \(worstD)")
    }

    /// GPT-2's tanh-form GELU (vectorised tanh) and its derivative against a Double oracle.
    func testGeluTanhAndDerivativeMatchDoubleOracle() {
        let xs = (0...4801).map { Float(-12 + 0.005 * Double($0)) }
        let x = Tensor(shape: [xs.count], scalars: xs)
        let (y, grads) = valueAndGradient(at: [x]) { $0[0].gelu(approximate: true) }
        var worstY = 0.0, worstD = 0.0
        for (i, xf) in xs.enumerated() {
            let xd = Double(xf)
            let u = (2 / Double.pi).squareRoot() * (xd + 0.044715 * xd * xd * xd)
            let t = tanh(u)
            let ey = 0.5 * xd * (1 + t)
            let ed = 0.5 * (1 + t) + 0.5 * xd * (1 - t * t) * (2 / Double.pi).squareRoot() * (1 + 3 * 0.044715 * xd * xd)
            // Absolute error scaled by |x| (the tanh is accurate to ~2e-7 absolute).
            worstY = max(worstY, abs(Double(y.scalars[i]) - ey) / max(1, abs(xd)))
            worstD = max(worstD, abs(Double(grads[0].scalars[i]) - ed) / max(1, xd * xd))
        }
        XCTAssertLessThan(worstY, 1e-6, "GELU-tanh worst scaled error \(worstY)")
        XCTAssertLessThan(worstD, 2e-6, "GELU-tanh' worst scaled error \(worstD)")
    }

    /// The vectorised exp against Double exp across its range, including underflow to 0.
    func testVectorExpMatchesDouble() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let v = VectorMath.exp(Float8(repeating: x))
            let e = Foundation_exp(Double(x))
            worst = max(worst, abs(Double(v[0]) - e) / e)
            x += 0.37
        }
        XCTAssertLessThan(worst, 5e-7)
        XCTAssertEqual(VectorMath.exp(Float8(repeating: -100))[3], 0)
    }
}
