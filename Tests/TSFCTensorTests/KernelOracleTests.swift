// Hot kernels against naive oracles: sgemm and Tensor.matmul against the textbook triple loop,
// softmax against its Double oracle and under extreme inputs, attention against the composition
// of generic ops, the fused norms against their compositions, conv1d against direct loops.
import XCTest
@testable import TSFCTensor

final class KernelOracleTests: XCTestCase {
    // MARK: - Matmul

    /// (m, n, k) triples over the odd sizes 1, 7, 33, 65, 128: every size as a cube, and mixtures
    /// where each size appears in each position.
    static let matmulSizes: [(Int, Int, Int)] = [
        (1, 1, 1), (7, 7, 7), (33, 33, 33), (65, 65, 65), (128, 128, 128),
        (1, 7, 33), (7, 65, 1), (33, 1, 128), (65, 128, 7), (128, 33, 65), (1, 128, 65), (65, 1, 7),
    ]

    /// Tolerance for a Float32 product with inner dimension k against a Double-accumulated oracle.
    static func matmulAtol(k: Int) -> Float { 2e-6 * Float(k) + 1e-5 }

    func testSgemmMatchesNaiveForOddSizesAndAllTransposes() {
        var seed: UInt64 = 1
        for (m, n, k) in Self.matmulSizes {
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                seed += 1
                let a = Inputs.normal([m * k], seed: seed).scalars
                let b = Inputs.normal([k * n], seed: seed + 500).scalars
                let expected = MatmulKernel.naive(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, b: b)
                var c = [Float](repeating: .nan, count: m * n)  // beta = 0 must overwrite NaN garbage
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            MatmulKernel.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k,
                                               a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
                        }
                    }
                }
                assertClose(c, expected, atol: Self.matmulAtol(k: k), rtol: 1e-4,
                            "sgemm m=\(m) n=\(n) k=\(k) transposeA=\(ta) transposeB=\(tb)")
            }
        }
    }

    func testSgemmAlphaBetaAndZeroInnerDimension() {
        let (m, n, k) = (7, 5, 33)
        let a = Inputs.normal([m * k], seed: 11).scalars, b = Inputs.normal([k * n], seed: 12).scalars
        let c0 = Inputs.normal([m * n], seed: 13).scalars
        let ab = MatmulKernel.naive(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, b: b)
        var c = c0
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            MatmulKernel.sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 0.5,
                               a: pa.baseAddress!, b: pb.baseAddress!, beta: 2, c: pc.baseAddress!)
        }}}
        assertClose(c, zip(ab, c0).map { 0.5 * $0 + 2 * $1 }, atol: Self.matmulAtol(k: k), rtol: 1e-4, "sgemm alpha 0.5 beta 2")

        // k = 0: C = beta·C (and zeros for beta = 0), as BLAS defines it.
        var c2 = c0
        let empty: [Float] = [0]
        empty.withUnsafeBufferPointer { pe in c2.withUnsafeMutableBufferPointer { pc in
            MatmulKernel.sgemm(transposeA: false, transposeB: false, m: m, n: n, k: 0,
                               a: pe.baseAddress!, b: pe.baseAddress!, beta: 3, c: pc.baseAddress!)
        }}
        assertClose(c2, c0.map { 3 * $0 }, "sgemm k=0 beta 3")
        XCTAssertEqual(Tensor.zeros([3, 0]).matmul(Tensor.zeros([0, 4])).scalars, [Float](repeating: 0, count: 12))
    }

    /// `Tensor.matmul` for every transpose combination and odd size, against the naive loop.
    func testTensorMatmulMatchesNaive() {
        var seed: UInt64 = 100
        for (m, n, k) in Self.matmulSizes {
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                seed += 1
                let a = Inputs.normal(ta ? [k, m] : [m, k], seed: seed)
                let b = Inputs.normal(tb ? [n, k] : [k, n], seed: seed + 500)
                let c = a.matmul(b, transposeA: ta, transposeB: tb)
                XCTAssertEqual(c.shape, [m, n])
                let expected = MatmulKernel.naive(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a.scalars, b: b.scalars)
                assertClose(c.scalars, expected, atol: Self.matmulAtol(k: k), rtol: 1e-4,
                            "Tensor.matmul m=\(m) n=\(n) k=\(k) transposeA=\(ta) transposeB=\(tb)")
            }
        }
    }

    /// Batched, batch-broadcast and batched-left × 2-D products: each batch slice against the oracle.
    func testBatchedMatmulMatchesNaivePerSlice() {
        struct Case { let a: [Int]; let b: [Int]; let ta: Bool; let tb: Bool }
        let cases = [
            Case(a: [3, 7, 33], b: [3, 33, 5], ta: false, tb: false),
            Case(a: [2, 3, 33, 7], b: [2, 3, 5, 33], ta: true, tb: true),
            Case(a: [2, 1, 7, 33], b: [3, 33, 5], ta: false, tb: false),   // batch broadcast [2,1] × [3]
            Case(a: [1, 7, 33], b: [4, 5, 33], ta: false, tb: true),
            Case(a: [2, 3, 7, 33], b: [33, 5], ta: false, tb: false),      // folded into one sgemm
            Case(a: [2, 3, 7, 33], b: [5, 33], ta: false, tb: true),
            Case(a: [3, 33, 7], b: [33, 5], ta: true, tb: false),          // transposed batched left × 2-D
            Case(a: [7, 33], b: [3, 33, 5], ta: false, tb: false),         // 2-D left × batched right
        ]
        for (ci, c) in cases.enumerated() {
            let a = Inputs.normal(c.a, seed: 200 + UInt64(ci)), b = Inputs.normal(c.b, seed: 300 + UInt64(ci))
            let out = a.matmul(b, transposeA: c.ta, transposeB: c.tb)
            let m = c.ta ? c.a.last! : c.a[c.a.count - 2], k = c.ta ? c.a[c.a.count - 2] : c.a.last!
            let n = c.tb ? c.b[c.b.count - 2] : c.b.last!
            let batch = broadcastShape(Array(c.a.dropLast(2)), Array(c.b.dropLast(2)))
            XCTAssertEqual(out.shape, batch + [m, n], "case \(ci)")
            // Walk the broadcast batch index by hand.
            let aB = [Int](repeating: 1, count: batch.count - (c.a.count - 2)) + c.a.dropLast(2)
            let bB = [Int](repeating: 1, count: batch.count - (c.b.count - 2)) + c.b.dropLast(2)
            for flat in 0..<shapeCount(batch) {
                var rem = flat, ia = 0, ib = 0, strideA = 1, strideB = 1
                for d in stride(from: batch.count - 1, through: 0, by: -1) {
                    let idx = rem % batch[d]; rem /= batch[d]
                    ia += (aB[d] == 1 ? 0 : idx) * strideA; strideA *= aB[d]
                    ib += (bB[d] == 1 ? 0 : idx) * strideB; strideB *= bB[d]
                }
                let aSlice = Array(a.scalars[(ia * m * k)..<((ia + 1) * m * k)])
                let bSlice = Array(b.scalars[(ib * k * n)..<((ib + 1) * k * n)])
                let expected = MatmulKernel.naive(transposeA: c.ta, transposeB: c.tb, m: m, n: n, k: k, a: aSlice, b: bSlice)
                let got = Array(out.scalars[(flat * m * n)..<((flat + 1) * m * n)])
                assertClose(got, expected, atol: Self.matmulAtol(k: k), rtol: 1e-4, "batched matmul case \(ci) batch \(flat)")
            }
        }
    }

    // MARK: - Softmax

    func testSoftmaxMatchesNaive() {
        for (i, shape) in [[5, 7], [3, 1], [2, 3, 128], [1, 1000]].enumerated() {
            let x = Inputs.normal(shape, seed: 400 + UInt64(i), scale: 3)
            let n = shape.last!
            assertClose(x.softmax().scalars, SoftmaxKernel.naive(x.scalars, n: n), atol: 1e-7, rtol: 1e-5, "softmax \(shape)")
            // log-softmax against the log of the Double oracle.
            let logExpected = SoftmaxKernel.naive(x.scalars, n: n).map { Foundation.log($0) }
            assertClose(x.logSoftmax().scalars, logExpected, atol: 1e-5, rtol: 1e-5, "logSoftmax \(shape)")
        }
    }

    func testSoftmaxIsStableForHugeInputs() {
        let rows: [[Float]] = [
            [1e4, 0, -1e4, 5],
            [-1e4, -1e4 + 1, -1e4 + 2, -1e4 + 3],
            [3e38, 3e38, 3e38, 3e38],               // equal huge values
            [-3e38, -3e38, -3e38, -3e38],
            [1e30, -1e30, 0, 1e30],
            [88, 89, 90, 91],                       // exp would overflow Float without the shift
            [1e6, 1e6 + 1, 1e6, 1e6 - 1],           // large offset, small differences
        ]
        let x = Tensor(shape: [rows.count, 4], scalars: rows.flatMap { $0 })
        let y = x.softmax()
        XCTAssertTrue(y.scalars.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "softmax not finite: \(y.scalars)")
        for r in 0..<rows.count {
            let s = (0..<4).reduce(Float(0)) { $0 + y[r, $1] }
            XCTAssertEqual(s, 1, accuracy: 1e-6, "softmax row \(r) sums to \(s)")
        }
        assertClose(Array(y.scalars[0..<4]), [1, 0, 0, 0], atol: 1e-7, "softmax [1e4, 0, -1e4, 5]")
        assertClose(Array(y.scalars[8..<12]), [0.25, 0.25, 0.25, 0.25], atol: 1e-7, "softmax of equal huge row")
        assertClose(Array(y.scalars[16..<20]), [0.5, 0, 0, 0.5], atol: 1e-7, "softmax [1e30, -1e30, 0, 1e30]")
        assertClose(Array(y.scalars[20..<24]), SoftmaxKernel.naive([88, 89, 90, 91], n: 4), atol: 1e-7, rtol: 1e-5, "softmax [88…91]")
        // The oracle agrees on every row.
        assertClose(y.scalars, SoftmaxKernel.naive(x.scalars, n: 4), atol: 1e-6, "softmax vs oracle on huge rows")

        let ls = x.logSoftmax()
        XCTAssertTrue(ls.scalars.allSatisfy { $0.isFinite }, "logSoftmax not finite: \(ls.scalars)")
        assertClose(Array(ls.scalars[0..<4]), [0, -1e4, -2e4, 5 - 1e4], atol: 1e-2, rtol: 1e-6, "logSoftmax [1e4, 0, -1e4, 5]")
        let log4 = -Float(Foundation.log(4.0))
        assertClose(Array(ls.scalars[8..<12]), [log4, log4, log4, log4], atol: 1e-6, "logSoftmax equal huge row")
        // Rows whose probabilities are all representable: log of the Double oracle.
        for r in [1, 2, 3, 5, 6] {
            let row = Array(x.scalars[(4 * r)..<(4 * r + 4)])
            assertClose(Array(ls.scalars[(4 * r)..<(4 * r + 4)]), SoftmaxKernel.naive(row, n: 4).map { Foundation.log($0) },
                        atol: 1e-5, rtol: 1e-5, "logSoftmax row \(r) \(row)")
        }
        let lse = x.logSumExp(axis: -1)
        XCTAssertTrue(lse.scalars.allSatisfy { $0.isFinite }, "logSumExp not finite: \(lse.scalars)")
        XCTAssertEqual(lse.scalars[0], 1e4, accuracy: 1e-2)

        // Gradients through huge inputs stay finite too.
        let (_, g) = valueAndGradient(at: [x]) { xs in (xs[0].softmax() * Inputs.normal([rows.count, 4], seed: 9)).sum() }
        XCTAssertTrue(g[0].scalars.allSatisfy { $0.isFinite }, "softmax gradient not finite")
        let (_, gl) = valueAndGradient(at: [x]) { xs in (xs[0].logSoftmax() * Inputs.normal([rows.count, 4], seed: 10)).sum() }
        XCTAssertTrue(gl[0].scalars.allSatisfy { $0.isFinite }, "logSoftmax gradient not finite")
    }

    // MARK: - Attention

    struct AttentionCase {
        let name: String
        let b, hq, hkv, n, m, dh, dv: Int
        let maskShape: [Int]?
        let causal: Bool
        var scale: Float? = nil
    }

    static let attentionCases: [AttentionCase] = [
        AttentionCase(name: "plain", b: 2, hq: 3, hkv: 3, n: 5, m: 7, dh: 8, dv: 6, maskShape: nil, causal: false),
        AttentionCase(name: "causal N=M", b: 2, hq: 2, hkv: 2, n: 9, m: 9, dh: 16, dv: 16, maskShape: nil, causal: true),
        AttentionCase(name: "causal N<M (cached keys)", b: 1, hq: 2, hkv: 2, n: 3, m: 10, dh: 8, dv: 4, maskShape: nil, causal: true),
        AttentionCase(name: "causal single decode step", b: 2, hq: 2, hkv: 2, n: 1, m: 6, dh: 4, dv: 4, maskShape: nil, causal: true),
        AttentionCase(name: "mask [N,M]", b: 2, hq: 2, hkv: 2, n: 5, m: 7, dh: 8, dv: 6, maskShape: [5, 7], causal: false),
        AttentionCase(name: "mask [B,1,1,M] + causal", b: 2, hq: 4, hkv: 4, n: 6, m: 6, dh: 8, dv: 8, maskShape: [2, 1, 1, 6], causal: true),
        AttentionCase(name: "GQA 4/2 causal", b: 2, hq: 4, hkv: 2, n: 5, m: 5, dh: 8, dv: 8, maskShape: nil, causal: true),
        AttentionCase(name: "GQA 6/2 mask [B,Hq,N,M] scale 0.2", b: 1, hq: 6, hkv: 2, n: 4, m: 7, dh: 8, dv: 3,
                      maskShape: [1, 6, 4, 7], causal: false, scale: 0.2),
        AttentionCase(name: "GQA 4/1 causal + mask, N<M", b: 2, hq: 4, hkv: 1, n: 3, m: 5, dh: 4, dv: 5, maskShape: [3, 5], causal: true),
        AttentionCase(name: "long rows", b: 1, hq: 2, hkv: 1, n: 33, m: 65, dh: 32, dv: 16, maskShape: nil, causal: true),
    ]

    /// Forward values and all input gradients of the fused kernel against `naiveAttention`.
    func testAttentionMatchesNaiveComposition() {
        for (ci, c) in Self.attentionCases.enumerated() {
            let s = UInt64(600 + 10 * ci)
            var inputs = [Inputs.normal([c.b, c.hq, c.n, c.dh], seed: s), Inputs.normal([c.b, c.hkv, c.m, c.dh], seed: s + 1),
                          Inputs.normal([c.b, c.hkv, c.m, c.dv], seed: s + 2)]
            if let ms = c.maskShape { inputs.append(Inputs.normal(ms, seed: s + 3)) }
            let w = Inputs.normal([c.b, c.hq, c.n, c.dv], seed: s + 4)
            let hasMask = c.maskShape != nil
            let fused = valueAndGradient(at: inputs) { x in
                (Tensor.scaledDotProductAttention(query: x[0], key: x[1], value: x[2], mask: hasMask ? x[3] : nil,
                                                  causal: c.causal, scale: c.scale) * w).sum()
            }
            let naive = valueAndGradient(at: inputs) { x in
                (Tensor.naiveAttention(query: x[0], key: x[1], value: x[2], mask: hasMask ? x[3] : nil,
                                       causal: c.causal, scale: c.scale) * w).sum()
            }
            let out = Tensor.scaledDotProductAttention(query: inputs[0], key: inputs[1], value: inputs[2],
                                                       mask: hasMask ? inputs[3] : nil, causal: c.causal, scale: c.scale)
            XCTAssertEqual(out.shape, [c.b, c.hq, c.n, c.dv], c.name)
            let expected = Tensor.naiveAttention(query: inputs[0], key: inputs[1], value: inputs[2],
                                                 mask: hasMask ? inputs[3] : nil, causal: c.causal, scale: c.scale)
            assertClose(out.scalars, expected.scalars, atol: 1e-5, rtol: 1e-4, "attention \(c.name) forward")
            XCTAssertEqual(fused.value.item, naive.value.item, accuracy: 1e-3 * Swift.max(1, Swift.abs(naive.value.item)), c.name)
            for (k, label) in ["dQ", "dK", "dV", "dMask"].prefix(inputs.count).enumerated() {
                XCTAssertEqual(fused.gradients[k].shape, inputs[k].shape, "attention \(c.name) \(label) shape")
                assertClose(fused.gradients[k].scalars, naive.gradients[k].scalars, atol: 1e-4, rtol: 1e-3,
                            "attention \(c.name) \(label)")
            }
        }
    }

    /// Dropout on the attention probabilities: the fused kernel against the naive composition
    /// (forward and every gradient), with grouped heads, an additive mask and a cached-key offset.
    func testAttentionWithDropoutMaskMatchesNaiveComposition() {
        let (b, hq, hkv, n, m, dh) = (2, 4, 2, 3, 5, 4)
        var rng = SeededGenerator(seed: 41)
        let keep = Tensor.ones([b, hq, n, m]).dropout(rate: 0.4, using: &rng)  // 0 or 1/0.6
        XCTAssertTrue(keep.scalars.contains(0) && keep.scalars.contains { $0 > 1 })
        let inputs = [Inputs.normal([b, hq, n, dh], seed: 42), Inputs.normal([b, hkv, m, dh], seed: 43),
                      Inputs.normal([b, hkv, m, dh], seed: 44), Inputs.normal([n, m], seed: 45)]
        let w = Inputs.normal([b, hq, n, dh], seed: 46)
        let fused = valueAndGradient(at: inputs) { x in
            (Tensor.scaledDotProductAttention(query: x[0], key: x[1], value: x[2], mask: x[3], causal: true,
                                              dropoutMask: keep) * w).sum()
        }
        let naive = valueAndGradient(at: inputs) { x in
            (Tensor.naiveAttention(query: x[0], key: x[1], value: x[2], mask: x[3], causal: true, dropoutMask: keep) * w).sum()
        }
        XCTAssertEqual(fused.value.item, naive.value.item, accuracy: 1e-4 * Swift.max(1, Swift.abs(naive.value.item)))
        for k in 0..<4 {
            assertClose(fused.gradients[k].scalars, naive.gradients[k].scalars, atol: 1e-4, rtol: 1e-3, "dropout attention input \(k)")
        }
        // An all-ones mask is no dropout at all.
        let plain = Tensor.scaledDotProductAttention(query: inputs[0], key: inputs[1], value: inputs[2], causal: true)
        let ones = Tensor.scaledDotProductAttention(query: inputs[0], key: inputs[1], value: inputs[2], causal: true,
                                                    dropoutMask: Tensor.ones([b, hq, n, m]))
        XCTAssertEqual(plain.scalars, ones.scalars)
    }

    /// An independent oracle written from the definition with explicit loops (no tensor ops), so
    /// a shared mistake in `naiveAttention` and the kernel would still show.
    func testAttentionMatchesLoopDefinition() {
        let (b, hq, hkv, n, m, dh, dv) = (2, 4, 2, 3, 5, 4, 3)
        let q = Inputs.normal([b, hq, n, dh], seed: 700), k = Inputs.normal([b, hkv, m, dh], seed: 701)
        let v = Inputs.normal([b, hkv, m, dv], seed: 702), mask = Inputs.normal([n, m], seed: 703)
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, causal: true)
        let scale = 1 / Double(dh).squareRoot()
        var expected = [Float]()
        for bi in 0..<b {
            for h in 0..<hq {
                let kvh = h / (hq / hkv)
                for i in 0..<n {
                    var scores = [Double](repeating: -.infinity, count: m)
                    for j in 0..<m where j <= m - n + i {
                        var dot = 0.0
                        for d in 0..<dh { dot += Double(q[bi, h, i, d]) * Double(k[bi, kvh, j, d]) }
                        scores[j] = dot * scale + Double(mask[i, j])
                    }
                    let mx = scores.max()!
                    let e = scores.map { Foundation.exp($0 - mx) }
                    let z = e.reduce(0, +)
                    for d in 0..<dv {
                        var acc = 0.0
                        for j in 0..<m { acc += e[j] / z * Double(v[bi, kvh, j, d]) }
                        expected.append(Float(acc))
                    }
                }
            }
        }
        assertClose(out.scalars, expected, atol: 1e-5, rtol: 1e-4, "attention vs loop definition")
    }

    func testAttentionWithFullyMaskedRowIsFinite() {
        let q = Inputs.normal([1, 1, 2, 4], seed: 710), k = Inputs.normal([1, 1, 3, 4], seed: 711)
        let v = Inputs.normal([1, 1, 3, 2], seed: 712)
        let mask = Tensor(shape: [2, 3], scalars: [-.infinity, -.infinity, -.infinity, 0, 0, -.infinity])
        let out = Tensor.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, causal: false)
        XCTAssertTrue(out.scalars.allSatisfy { $0.isFinite }, "fully masked row produced \(out.scalars)")
        // The second row sees only keys 0 and 1.
        let visible = Tensor.naiveAttention(query: q.slice(axis: 2, 1..<2), key: k.slice(axis: 2, 0..<2),
                                            value: v.slice(axis: 2, 0..<2), causal: false)
        assertClose(Array(out.scalars[2..<4]), visible.scalars, atol: 1e-6, "attention row with two visible keys")
    }

    // MARK: - Norms

    func testNormsMatchNaiveComposition() {
        for (ci, shape) in [[4, 6], [2, 3, 16], [1, 1, 1, 33]].enumerated() {
            let s = UInt64(800 + 10 * ci)
            let d = shape.last!
            let x = Inputs.normal(shape, seed: s, scale: 2) + 0.7, w = Inputs.normal([d], seed: s + 1), b = Inputs.normal([d], seed: s + 2)
            let g = Inputs.normal(shape, seed: s + 3)
            let fusedLN = valueAndGradient(at: [x, w, b]) { p in (p[0].layerNormalized(weight: p[1], bias: p[2], epsilon: 1e-5) * g).sum() }
            let naiveLN = valueAndGradient(at: [x, w, b]) { p in (p[0].naiveLayerNormalized(weight: p[1], bias: p[2], epsilon: 1e-5) * g).sum() }
            assertClose(x.layerNormalized(weight: w, bias: b, epsilon: 1e-5).scalars,
                        x.naiveLayerNormalized(weight: w, bias: b, epsilon: 1e-5).scalars, atol: 1e-5, rtol: 1e-4, "layerNorm \(shape)")
            for k in 0..<3 {
                assertClose(fusedLN.gradients[k].scalars, naiveLN.gradients[k].scalars, atol: 1e-4, rtol: 1e-3, "layerNorm \(shape) grad \(k)")
            }
            let fusedRMS = valueAndGradient(at: [x, w]) { p in (p[0].rmsNormalized(weight: p[1], epsilon: 1e-6) * g).sum() }
            let naiveRMS = valueAndGradient(at: [x, w]) { p in (p[0].naiveRMSNormalized(weight: p[1], epsilon: 1e-6) * g).sum() }
            assertClose(x.rmsNormalized(weight: w, epsilon: 1e-6).scalars,
                        x.naiveRMSNormalized(weight: w, epsilon: 1e-6).scalars, atol: 1e-5, rtol: 1e-4, "rmsNorm \(shape)")
            for k in 0..<2 {
                assertClose(fusedRMS.gradients[k].scalars, naiveRMS.gradients[k].scalars, atol: 1e-4, rtol: 1e-3, "rmsNorm \(shape) grad \(k)")
            }
        }
    }

    /// Closed-form values: LayerNorm of [1, 2, 3, 4] and RMSNorm of [3, 4].
    func testNormsClosedForm() {
        let ln = Tensor([1, 2, 3, 4]).reshaped([1, 4]).layerNormalized(weight: nil, bias: nil, epsilon: 0)
        let sd = Float(1.25).squareRoot()
        assertClose(ln.scalars, [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], atol: 1e-6, "layerNorm [1,2,3,4]")
        let rms = Tensor([3, 4]).rmsNormalized(weight: Tensor([1, 2]), epsilon: 0)
        let r = Float(12.5).squareRoot()
        assertClose(rms.scalars, [3 / r, 8 / r], atol: 1e-6, "rmsNorm [3,4]·[1,2]")
    }

    // MARK: - Conv1d

    /// Direct cross-correlation loops (torch Conv1d semantics, zero or circular padding).
    static func naiveConv1d(_ x: Tensor, _ w: Tensor, bias: Tensor?, stride: Int, pad: Int, circular: Bool) -> Tensor {
        let b = x.shape[0], cin = x.shape[1], l = x.shape[2], cout = w.shape[0], k = w.shape[2]
        let lout = (l + 2 * pad - k) / stride + 1
        var out = [Float]()
        for bi in 0..<b {
            for co in 0..<cout {
                for t in 0..<lout {
                    var acc = Double(bias?[co] ?? 0)
                    for ci in 0..<cin {
                        for j in 0..<k {
                            var pos = t * stride + j - pad
                            if circular { pos = ((pos % l) + l) % l } else if pos < 0 || pos >= l { continue }
                            acc += Double(x[bi, ci, pos]) * Double(w[co, ci, j])
                        }
                    }
                    out.append(Float(acc))
                }
            }
        }
        return Tensor(shape: [b, cout, lout], scalars: out)
    }

    func testConv1dMatchesLoops() {
        struct Case { let x: [Int]; let w: [Int]; let bias: Bool; let stride: Int; let padding: ConvolutionPadding }
        let cases = [
            Case(x: [2, 3, 10], w: [4, 3, 3], bias: true, stride: 1, padding: .zeros(1)),
            Case(x: [1, 2, 11], w: [3, 2, 4], bias: false, stride: 2, padding: .zeros(0)),
            Case(x: [2, 5, 8], w: [6, 5, 3], bias: true, stride: 1, padding: .circular(1)),
            Case(x: [3, 1, 7], w: [2, 1, 5], bias: false, stride: 3, padding: .circular(2)),
            Case(x: [1, 2, 5], w: [2, 2, 1], bias: true, stride: 1, padding: .zeros(2)),
        ]
        for (ci, c) in cases.enumerated() {
            let s = UInt64(900 + 10 * ci)
            let x = Inputs.normal(c.x, seed: s), w = Inputs.normal(c.w, seed: s + 1)
            let bias = c.bias ? Inputs.normal([c.w[0]], seed: s + 2) : nil
            let got = x.conv1d(weight: w, bias: bias, stride: c.stride, padding: c.padding)
            let expected: Tensor
            switch c.padding {
            case .zeros(let p): expected = Self.naiveConv1d(x, w, bias: bias, stride: c.stride, pad: p, circular: false)
            case .circular(let p): expected = Self.naiveConv1d(x, w, bias: bias, stride: c.stride, pad: p, circular: true)
            }
            XCTAssertEqual(got.shape, expected.shape, "conv1d case \(ci)")
            assertClose(got.scalars, expected.scalars, atol: 1e-5, rtol: 1e-4, "conv1d case \(ci) \(c.padding)")
        }
    }
}
