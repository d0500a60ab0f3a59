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

    /// Splitting changes results only by float rounding (OpenBLAS may pick another blocking for
    /// a smaller block): one thread and three threads agree to a few ulps.
    func testSplitSgemmAgreesWithUnsplit() {
        let saved = Threading.threadCount
        defer { Threading.threadCount = saved }
        let a = Inputs.normal([300, 128], seed: 21), b = Inputs.normal([128, 64], seed: 22)
        Threading.threadCount = 1
        let one = a.matmul(b)
        Threading.threadCount = 3
        let three = a.matmul(b)
        XCTAssertLessThan(one.maxAbsDifference(three), 1e-4)
        XCTAssertEqual(one.shape, three.shape)
    }
}
