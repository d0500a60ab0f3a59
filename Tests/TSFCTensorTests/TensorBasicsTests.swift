// Tensor basics: creation, shapes, broadcasting rules and values, reductions and shape ops
// against hand-computed values and naive index loops, copy-on-write, the tape's bookkeeping
// (detached, no-grad mode, accumulation) and seeded determinism.
import XCTest
@testable import TSFCTensor

final class TensorBasicsTests: XCTestCase {
    /// [[1, 2, 3], [4, 5, 6]]
    let m23 = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    // MARK: - Creation and shapes

    func testCreationAndShape() {
        let z = Tensor.zeros([2, 3])
        XCTAssertEqual(z.shape, [2, 3]); XCTAssertEqual(z.count, 6); XCTAssertEqual(z.rank, 2)
        XCTAssertEqual(z.scalars, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Tensor.ones([3]).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor(repeating: 2.5, shape: [2, 2]).scalars, [2.5, 2.5, 2.5, 2.5])
        let s = Tensor(7)
        XCTAssertEqual(s.shape, []); XCTAssertEqual(s.rank, 0); XCTAssertEqual(s.item, 7)
        XCTAssertEqual(Tensor([1, 2, 3]).shape, [3])
        XCTAssertEqual(Tensor.zeros([2, 0, 3]).count, 0)
        XCTAssertEqual(m23[1, 2], 6); XCTAssertEqual(m23[0, 1], 2)
        XCTAssertEqual(shapeCount([]), 1); XCTAssertEqual(shapeCount([2, 3, 4]), 24)
        XCTAssertEqual(m23.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(m23.reshaped([-1]).scalars, m23.scalars)
        XCTAssertEqual(m23.unsqueezed(axis: 0).shape, [1, 2, 3])
        XCTAssertEqual(m23.unsqueezed(axis: -1).shape, [2, 3, 1])
        XCTAssertEqual(m23.unsqueezed(axis: 1).squeezed(axis: 1).shape, [2, 3])
        XCTAssertTrue(m23.isAlmostEqual(to: m23 + 1e-7))
        XCTAssertFalse(m23.isAlmostEqual(to: m23 + 1e-3))
        XCTAssertFalse(m23.isAlmostEqual(to: m23.reshaped([3, 2])))
        XCTAssertEqual(m23.maxAbsDifference(m23 * 2), 6)
    }

    // MARK: - Broadcasting

    func testBroadcastShapeRules() {
        XCTAssertEqual(broadcastShape([2, 3, 4], [4]), [2, 3, 4])
        XCTAssertEqual(broadcastShape([2, 1, 4], [3, 1]), [2, 3, 4])
        XCTAssertEqual(broadcastShape([], [2, 3]), [2, 3])
        XCTAssertEqual(broadcastShape([5, 1], [1, 6]), [5, 6])
        XCTAssertEqual(broadcastShape([1], [1]), [1])
        XCTAssertEqual(broadcastShape([0, 3], [1, 3]), [0, 3])
        XCTAssertEqual(broadcastShape([8, 1, 6, 1], [7, 1, 5]), [8, 7, 6, 5])
    }

    func testBroadcastValuesHandComputed() {
        XCTAssertEqual((m23 + Tensor([10, 20, 30])).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((m23 - Tensor(shape: [2, 1], scalars: [1, 4])).scalars, [0, 1, 2, 0, 1, 2])
        let outer = Tensor(shape: [2, 1], scalars: [1, 2]) * Tensor(shape: [1, 3], scalars: [3, 4, 5])
        XCTAssertEqual(outer.shape, [2, 3]); XCTAssertEqual(outer.scalars, [3, 4, 5, 6, 8, 10])
        XCTAssertEqual((m23 / Tensor(2)).scalars, [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertEqual((12 / m23).scalars, [12, 6, 4, 3, 2.4, 2])
        XCTAssertEqual((1 - m23).scalars, [0, -1, -2, -3, -4, -5])
        XCTAssertEqual(m23.maximum(Tensor([2, 7, 0])).scalars, [2, 7, 3, 4, 7, 6])
        XCTAssertEqual((-m23).scalars, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual(Tensor([3]).broadcast(to: [2, 2]).scalars, [3, 3, 3, 3])
        XCTAssertEqual(Tensor(shape: [2, 1], scalars: [1, 2]).broadcast(to: [2, 2, 3]).scalars,
                       [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
    }

    /// The strided broadcast engine against an index loop, over shape pairs that exercise dim
    /// merging, broadcasting on either side and in the middle.
    func testBroadcastEngineMatchesIndexLoop() {
        let pairs: [([Int], [Int])] = [
            ([2, 3, 4, 5], [3, 1, 5]), ([1, 4, 1], [3, 1, 6]), ([2, 1, 3, 1], [1, 5, 1, 4]),
            ([4, 1], [4, 6]), ([6], [2, 3, 6]), ([2, 3, 1], [2, 3, 4]), ([], [3, 2]), ([3, 1, 1], [1, 1, 1]),
        ]
        for (pi, (sa, sb)) in pairs.enumerated() {
            let a = Inputs.normal(sa, seed: UInt64(10 + pi)), b = Inputs.normal(sb, seed: UInt64(50 + pi))
            let out = broadcastShape(sa, sb)
            let ops: [(String, (Tensor, Tensor) -> Tensor, (Float, Float) -> Float)] = [
                ("+", { $0 + $1 }, { $0 + $1 }), ("-", { $0 - $1 }, { $0 - $1 }),
                ("*", { $0 * $1 }, { $0 * $1 }), ("/", { $0 / $1 }, { $0 / $1 }),
                ("maximum", { $0.maximum($1) }, { Swift.max($0, $1) }),
            ]
            for (name, op, scalarOp) in ops {
                let got = op(a, b)
                XCTAssertEqual(got.shape, out, "\(name) \(sa) \(sb)")
                let expected = Self.naiveBroadcast(a, b, out: out, scalarOp)
                XCTAssertEqual(got.scalars, expected, "\(name) \(sa) \(sb)")
            }
        }
    }

    static func naiveBroadcast(_ a: Tensor, _ b: Tensor, out: [Int], _ f: (Float, Float) -> Float) -> [Float] {
        func offset(_ index: [Int], _ shape: [Int]) -> Int {
            let lead = index.count - shape.count
            var off = 0
            for (d, extent) in shape.enumerated() { off = off * extent + (extent == 1 ? 0 : index[lead + d]) }
            return off
        }
        return (0..<shapeCount(out)).map { flat in
            var rem = flat
            var index = [Int](repeating: 0, count: out.count)
            for d in stride(from: out.count - 1, through: 0, by: -1) { index[d] = rem % out[d]; rem /= out[d] }
            return f(a.scalars[offset(index, a.shape)], b.scalars[offset(index, b.shape)])
        }
    }

    /// Tensors big enough to take the multi-threaded paths agree with scalar loops.
    func testLargeTensorsTakeParallelPathsCorrectly() {
        let saved = Threading.threadCount
        Threading.threadCount = 4
        defer { Threading.threadCount = saved }
        let a = Inputs.normal([300, 500], seed: 90), row = Inputs.normal([500], seed: 91), col = Inputs.normal([300, 1], seed: 92)
        let av = a.scalars, rv = row.scalars, cv = col.scalars
        XCTAssertEqual((a + row).scalars, (0..<av.count).map { av[$0] + rv[$0 % 500] })
        XCTAssertEqual((a * col).scalars, (0..<av.count).map { av[$0] * cv[$0 / 500] })
        XCTAssertEqual((a - a).scalars, [Float](repeating: 0, count: a.count))
        XCTAssertEqual(a.tanh().scalars, a.scalars.map { tanhf($0) })
        let sums = a.sum(axis: 1)
        for r in stride(from: 0, to: 300, by: 37) {
            let expected = (0..<500).reduce(0.0) { $0 + Double(a[r, $1]) }
            XCTAssertEqual(Double(sums[r]), expected, accuracy: 1e-3)
        }
        assertClose(a.softmax().scalars, SoftmaxKernel.naive(a.scalars, n: 500), atol: 1e-7, rtol: 1e-5, "large softmax")
        var acc = a
        acc.addInPlace(a)
        XCTAssertEqual(acc.scalars, a.scalars.map { 2 * $0 })
        XCTAssertEqual(a.transposed().transposed().scalars, a.scalars)
        XCTAssertEqual(a.transposed()[17, 250], a[250, 17])
        // Sum over a middle axis (the strided, multi-threaded path).
        let c = Inputs.normal([300, 4, 200], seed: 93)
        let mid = c.sum(axis: 1)
        for (i, j) in [(0, 0), (299, 199), (123, 45)] {
            XCTAssertEqual(mid[i, j], (0..<4).reduce(Float(0)) { $0 + c[i, $1, j] }, accuracy: 1e-5)
        }
        // Fused norms on enough rows to split across threads, against their compositions.
        let rows = Inputs.normal([4096, 16], seed: 94), w = Inputs.normal([16], seed: 95), b = Inputs.normal([16], seed: 96)
        assertClose(rows.layerNormalized(weight: w, bias: b, epsilon: 1e-5).scalars,
                    rows.naiveLayerNormalized(weight: w, bias: b, epsilon: 1e-5).scalars, atol: 1e-5, rtol: 1e-4, "large layerNorm")
        assertClose(rows.rmsNormalized(weight: w, epsilon: 1e-6).scalars,
                    rows.naiveRMSNormalized(weight: w, epsilon: 1e-6).scalars, atol: 1e-5, rtol: 1e-4, "large rmsNorm")
    }

    /// The same computation twice, multi-threaded, gives bit-identical values and gradients.
    func testRepeatedComputationIsBitIdentical() {
        let saved = Threading.threadCount
        Threading.threadCount = 4
        defer { Threading.threadCount = saved }
        let q = Inputs.normal([2, 4, 16, 8], seed: 170), k = Inputs.normal([2, 2, 16, 8], seed: 171)
        let v = Inputs.normal([2, 2, 16, 8], seed: 172), w1 = Inputs.normal([8, 64], seed: 173)
        func step() -> (Tensor, [Tensor]) {
            valueAndGradient(at: [q, k, v, w1]) { p in
                let att = Tensor.scaledDotProductAttention(query: p[0], key: p[1], value: p[2], causal: true)
                let h = att.layerNormalized(weight: nil, bias: nil, epsilon: 1e-5).matmul(p[3]).gelu()
                return h.logSoftmax().mean()
            }
        }
        let (v1, g1) = step(), (v2, g2) = step()
        XCTAssertEqual(v1.scalars.map(\.bitPattern), v2.scalars.map(\.bitPattern))
        for i in 0..<4 { XCTAssertEqual(g1[i].scalars.map(\.bitPattern), g2[i].scalars.map(\.bitPattern), "gradient \(i)") }
    }

    // MARK: - Elementwise values

    func testElementwiseValues() {
        let x = Tensor([-2, -0.5, 0, 1, 3])
        XCTAssertEqual(x.abs().scalars, [2, 0.5, 0, 1, 3])
        XCTAssertEqual(x.relu().scalars, [0, 0, 0, 1, 3])
        XCTAssertEqual(x.clamped(min: -1, max: 2).scalars, [-1, -0.5, 0, 1, 2])
        XCTAssertEqual(x.squared().scalars, [4, 0.25, 0, 1, 9])
        XCTAssertEqual(x.pow(3).scalars, [-8, -0.125, 0, 1, 27])
        XCTAssertEqual(Tensor([2, 3]).pow(Tensor([3, 2])).scalars, [8, 9])
        XCTAssertEqual(Tensor([4, 9]).sqrt().scalars, [2, 3])
        XCTAssertEqual(Tensor([0]).exp().scalars, [1])
        XCTAssertEqual(Tensor([1]).log().scalars, [0])
        assertClose(Tensor([1, 2]).exp().log().scalars, [1, 2], atol: 1e-6)
        assertClose(Tensor([0, 100, -100]).sigmoid().scalars, [0.5, 1, 0], atol: 1e-7)
        XCTAssertTrue(Tensor([-200, 200]).sigmoid().scalars.allSatisfy { $0.isFinite })
        assertClose(Tensor([0, 1, -1]).tanh().scalars, [0, 0.7615942, -0.7615942], atol: 1e-6)
        // GELU(±1) exact = ±Φ-weighted values; the tanh form differs in the 4th decimal.
        assertClose(Tensor([1, -1, 0]).gelu().scalars, [0.8413447, -0.1586553, 0], atol: 1e-6)
        assertClose(Tensor([1, -1]).gelu(approximate: true).scalars, [0.8411920, -0.1588080], atol: 1e-6)
        assertClose(Tensor([1, -1, 0]).silu().scalars, [0.7310586, -0.2689414, 0], atol: 1e-6)
    }

    // MARK: - Reductions

    func testReductionsHandComputed() {
        XCTAssertEqual(m23.sum(axis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(m23.sum(axis: 1).scalars, [6, 15])
        XCTAssertEqual(m23.sum(axis: 1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(m23.sum(axes: [0, 1]).shape, [])
        XCTAssertEqual(m23.sum().item, 21)
        XCTAssertEqual(m23.sum(axis: -1).scalars, [6, 15])
        XCTAssertEqual(m23.mean(axis: 0).scalars, [2.5, 3.5, 4.5])
        XCTAssertEqual(m23.mean(axis: 1).scalars, [2, 5])
        XCTAssertEqual(m23.mean().item, 3.5)
        assertClose(m23.variance(axis: 1).scalars, [2.0 / 3, 2.0 / 3], atol: 1e-6)
        assertClose(m23.variance(axis: 1, unbiased: true).scalars, [1, 1], atol: 1e-6)
        assertClose(m23.variance(axis: 0, keepDims: true).scalars, [2.25, 2.25, 2.25], atol: 1e-6)
        XCTAssertEqual(m23.variance(axis: 0, keepDims: true).shape, [1, 3])
        XCTAssertEqual(m23.max(axis: 1).scalars, [3, 6])
        XCTAssertEqual(m23.max(axis: 0, keepDims: true).shape, [1, 3])
        XCTAssertEqual(m23.argmax(axis: 0).scalars, [1, 1, 1])
        XCTAssertEqual(Tensor(shape: [2, 3], scalars: [1, 3, 3, 5, 2, 5]).argmax(axis: 1).scalars, [1, 0])  // first on ties
        let logs = Tensor(shape: [1, 3], scalars: [0, Float(Foundation.log(2.0)), Float(Foundation.log(3.0))])
        XCTAssertEqual(logs.logSumExp(axis: 1).item, Float(Foundation.log(6.0)), accuracy: 1e-6)
        XCTAssertEqual(m23.cumsum(axis: 1).scalars, [1, 3, 6, 4, 9, 15])
        XCTAssertEqual(m23.cumsum(axis: 0).scalars, [1, 2, 3, 5, 7, 9])
    }

    /// sum / max / cumsum over each axis of a 4-D tensor against index loops.
    func testReductionsMatchIndexLoops() {
        let shape = [2, 3, 4, 5]
        let x = Inputs.normal(shape, seed: 120)
        for axis in 0..<4 {
            var outShape = shape; outShape.remove(at: axis)
            var sums = [Float](), maxes = [Float](), argmaxes = [Float]()
            for flat in 0..<shapeCount(outShape) {
                var rem = flat, idx = [Int](repeating: 0, count: 3)
                for d in stride(from: 2, through: 0, by: -1) { idx[d] = rem % outShape[d]; rem /= outShape[d] }
                var acc = 0.0, best = -Float.infinity, bestK = 0
                for k in 0..<shape[axis] {
                    var full = idx; full.insert(k, at: axis)
                    let v = x[full[0], full[1], full[2], full[3]]
                    acc += Double(v)
                    if v > best { best = v; bestK = k }
                }
                sums.append(Float(acc)); maxes.append(best); argmaxes.append(Float(bestK))
            }
            assertClose(x.sum(axis: axis).scalars, sums, atol: 1e-5, "sum axis \(axis)")
            XCTAssertEqual(x.max(axis: axis).scalars, maxes, "max axis \(axis)")
            XCTAssertEqual(x.argmax(axis: axis).scalars, argmaxes, "argmax axis \(axis)")
            assertClose(x.mean(axis: axis).scalars, sums.map { $0 / Float(shape[axis]) }, atol: 1e-6, "mean axis \(axis)")
        }
        // Multi-axis sum equals nested single-axis sums.
        assertClose(x.sum(axes: [1, 3]).scalars, x.sum(axis: 3).sum(axis: 1).scalars, atol: 1e-5, "sum axes [1,3]")
        // cumsum's last entry along the axis is the sum.
        XCTAssertEqual(x.cumsum(axis: 2).slice(axis: 2, 3..<4).squeezed(axis: 2).shape, [2, 3, 5])
        assertClose(x.cumsum(axis: 2).slice(axis: 2, 3..<4).squeezed(axis: 2).scalars, x.sum(axis: 2).scalars, atol: 1e-5, "cumsum end")
    }

    // MARK: - Shape ops against loops and hand values

    func testPermuteMatchesIndexLoop() {
        let x = Inputs.normal([2, 3, 4, 5], seed: 130)
        for perm in [[3, 1, 0, 2], [0, 2, 1, 3], [1, 0, 3, 2], [3, 2, 1, 0]] {
            let y = x.permuted(perm)
            XCTAssertEqual(y.shape, perm.map { x.shape[$0] })
            for flat in stride(from: 0, to: y.count, by: 1) {
                var rem = flat, out = [Int](repeating: 0, count: 4)
                for d in stride(from: 3, through: 0, by: -1) { out[d] = rem % y.shape[d]; rem /= y.shape[d] }
                var src = [Int](repeating: 0, count: 4)
                for (i, p) in perm.enumerated() { src[p] = out[i] }
                if y.scalars[flat] != x[src[0], src[1], src[2], src[3]] {
                    XCTFail("permuted \(perm) wrong at \(out)"); break
                }
            }
        }
        XCTAssertEqual(m23.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(Inputs.normal([2, 3, 4], seed: 131).transposed(0, 2).shape, [4, 3, 2])
    }

    /// The tiled/merged permute kernel against a per-element index loop: unit axes, axes that
    /// merge, extents that are not multiples of the 32-point tile, and 5-D permutations like the
    /// chunked SSM convolution's.
    func testPermuteLargeAndMergedAxesMatchIndexLoop() {
        let cases: [([Int], [Int])] = [
            ([37, 70], [1, 0]),
            ([3, 1, 45, 33], [0, 3, 1, 2]),
            ([2, 4, 3, 5, 33], [1, 3, 4, 2, 0]),
            ([2, 5, 7, 6, 40], [4, 0, 3, 1, 2]),
            ([1, 64, 1, 50], [3, 2, 1, 0]),
            ([4, 6, 35], [0, 2, 1]),
            ([4, 6, 35], [2, 0, 1]),
            ([3, 4, 5, 6], [0, 1, 3, 2]),
            ([3, 4, 5, 6], [2, 3, 0, 1]),
            ([1, 1, 1], [2, 0, 1]),
        ]
        for (index, (shape, perm)) in cases.enumerated() {
            let x = Inputs.normal(shape, seed: UInt64(300 + index))
            let y = x.permuted(perm)
            let inStrides = shape.indices.map { shape[($0 + 1)...].reduce(1, *) }
            var expected = [Float](repeating: 0, count: x.count)
            for flat in 0..<y.count {
                var rem = flat, src = 0
                for d in stride(from: perm.count - 1, through: 0, by: -1) {
                    let extent = shape[perm[d]]
                    src += (rem % extent) * inStrides[perm[d]]
                    rem /= extent
                }
                expected[flat] = x.scalars[src]
            }
            XCTAssertEqual(y.shape, perm.map { shape[$0] }, "\(shape) \(perm)")
            XCTAssertEqual(y.scalars, expected, "permuted \(perm) of \(shape)")
        }
    }

    func testUnfoldMatchesIndexLoop() {
        let x = Inputs.normal([2, 9, 3], seed: 140)
        let y = x.unfolded(axis: 1, size: 4, stride: 2)   // n = (9 − 4) / 2 + 1 = 3
        XCTAssertEqual(y.shape, [2, 3, 3, 4])
        for o in 0..<2 { for w in 0..<3 { for i in 0..<3 { for k in 0..<4 {
            XCTAssertEqual(y[o, w, i, k], x[o, w * 2 + k, i])
        }}}}
        XCTAssertEqual(Tensor([1, 2, 3, 4, 5]).unfolded(axis: 0, size: 2, stride: 2).scalars, [1, 2, 3, 4])  // tail dropped
    }

    func testIndexSelectMatchesIndexLoop() {
        let x = Inputs.normal([3, 4, 2], seed: 150)
        let idx = [3, 0, 3, 1]
        let y = x.indexSelect(axis: 1, indices: idx)
        XCTAssertEqual(y.shape, [3, 4, 2])
        for a in 0..<3 { for j in 0..<4 { for c in 0..<2 { XCTAssertEqual(y[a, j, c], x[a, idx[j], c]) } } }
        XCTAssertEqual(m23.indexSelect(axis: 0, indices: [1, 1, 0]).scalars, [4, 5, 6, 4, 5, 6, 1, 2, 3])
        XCTAssertEqual(m23.indexSelect(axis: -1, indices: []).shape, [2, 0])
    }

    func testShapeOpValues() {
        XCTAssertEqual(m23.slice(axis: 1, 1..<3).scalars, [2, 3, 5, 6])
        XCTAssertEqual(m23.slice(axis: 0, 1..<2).scalars, [4, 5, 6])
        let two = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(two.padded(axis: 1, before: 1, after: 2, value: 9).scalars, [9, 1, 2, 9, 9, 9, 3, 4, 9, 9])
        XCTAssertEqual(two.padded(axis: 0, before: 1, after: 0).scalars, [0, 0, 1, 2, 3, 4])
        XCTAssertEqual(two.paddedReplicate(axis: 0, before: 2, after: 1).scalars, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4])
        XCTAssertEqual(two.paddedReplicate(axis: 1, before: 1, after: 1).scalars, [1, 1, 2, 2, 3, 3, 4, 4])
        let c = Tensor.concat([Tensor(shape: [2, 1], scalars: [1, 2]), Tensor(shape: [2, 2], scalars: [3, 4, 5, 6])], axis: 1)
        XCTAssertEqual(c.shape, [2, 3]); XCTAssertEqual(c.scalars, [1, 3, 4, 2, 5, 6])
        XCTAssertEqual(Tensor.concat([two, two], axis: 0).scalars, [1, 2, 3, 4, 1, 2, 3, 4])
        let s = Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], axis: 1)
        XCTAssertEqual(s.shape, [2, 2]); XCTAssertEqual(s.scalars, [1, 3, 2, 4])
        XCTAssertEqual(Tensor.stack([Tensor([1, 2]), Tensor([3, 4])]).scalars, [1, 2, 3, 4])
        XCTAssertEqual(two.repeated(axis: 1, times: 2).scalars, [1, 2, 1, 2, 3, 4, 3, 4])
        XCTAssertEqual(two.repeated(axis: 0, times: 2).scalars, [1, 2, 3, 4, 1, 2, 3, 4])
        XCTAssertEqual(two.repeatedInterleaved(axis: 1, times: 2).scalars, [1, 1, 2, 2, 3, 3, 4, 4])
        XCTAssertEqual(two.repeatedInterleaved(axis: 0, times: 2).scalars, [1, 2, 1, 2, 3, 4, 3, 4])
        XCTAssertEqual(Inputs.normal([2, 3, 4], seed: 160).sumToShape([3, 1]).shape, [3, 1])
        let x = Inputs.normal([2, 3, 4], seed: 161)
        assertClose(x.sumToShape([3, 1]).scalars, x.sum(axes: [0, 2]).scalars, atol: 1e-6, "sumToShape")
    }

    /// Gradients at points where a naive rule divides by zero, and ops on empty tensors.
    func testEdgeCases() {
        // d/dx x⁰ = 0, d/dx x¹ = 1, d/dx x² = 2x, including at x = 0.
        let x = Tensor([0, 1.5])
        XCTAssertEqual(valueAndGradient(at: [x]) { $0[0].pow(0) }.gradients[0].scalars, [0, 0])
        XCTAssertEqual(valueAndGradient(at: [x]) { $0[0].pow(1) }.gradients[0].scalars, [1, 1])
        XCTAssertEqual(valueAndGradient(at: [x]) { $0[0].pow(2) }.gradients[0].scalars, [0, 3])
        XCTAssertEqual(Tensor([0, 2]).pow(0).scalars, [1, 1])
        // Subgradients at kinks: abs and relu give 0 at 0; max gives the first of tied maxima.
        XCTAssertEqual(valueAndGradient(at: [Tensor([0, -1])]) { $0[0].abs() }.gradients[0].scalars, [0, -1])
        XCTAssertEqual(valueAndGradient(at: [Tensor([0, 1])]) { $0[0].relu() }.gradients[0].scalars, [0, 1])
        XCTAssertEqual(valueAndGradient(at: [Tensor(shape: [1, 3], scalars: [3, 3, 1])]) { $0[0].max(axis: 1) }.gradients[0].scalars, [1, 0, 0])
        // Empty tensors flow through without crashing and keep their shapes.
        let e = Tensor.zeros([0, 3])
        XCTAssertEqual((e + Tensor([1, 2, 3])).shape, [0, 3])
        XCTAssertEqual(e.exp().shape, [0, 3])
        XCTAssertEqual(e.sum(axis: 0).scalars, [0, 0, 0])
        XCTAssertEqual(e.softmax().shape, [0, 3])
        XCTAssertEqual(e.transposed().shape, [3, 0])
        XCTAssertEqual(Tensor.zeros([0, 4]).matmul(Tensor.zeros([4, 3])).shape, [0, 3])
        XCTAssertEqual(Tensor.concat([e, Tensor.ones([2, 3])], axis: 0).scalars, [1, 1, 1, 1, 1, 1])
    }

    // MARK: - Value semantics

    func testCopyOnWrite() {
        let original = m23
        var copy = original
        copy.withUnsafeMutableBufferPointer { $0[0] = 99 }
        XCTAssertEqual(original.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(copy.scalars, [99, 2, 3, 4, 5, 6])
        // A reshaped view shares nothing observable either.
        var flat = original.reshaped([6])
        flat.withUnsafeMutableBufferPointer { $0[5] = -1 }
        XCTAssertEqual(original.scalars[5], 6)
        var acc = original
        acc.addInPlace(original)
        XCTAssertEqual(original.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(acc.scalars, [2, 4, 6, 8, 10, 12])
        var scaled = original
        scaled.scaleInPlace(by: 3)
        XCTAssertEqual(original.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(scaled.scalars, [3, 6, 9, 12, 15, 18])
    }

    // MARK: - Tape bookkeeping

    func testAccumulationWhenUsedTwice() {
        let x = Tensor([1.5, -2, 3])
        let (_, g) = valueAndGradient(at: [x]) { $0[0] * $0[0] }
        XCTAssertEqual(g[0].scalars, [3, -4, 6])  // 2x
        let (_, g2) = valueAndGradient(at: [x]) { xs in xs[0] * xs[0] + xs[0] * 3 + xs[0] }
        XCTAssertEqual(g2[0].scalars, [7, 0, 10])  // 2x + 4
        // Outer broadcast [3,1] + [3] → [3,3]: each xᵢ feeds a whole row and a whole column (3 + 3).
        let (_, g3) = valueAndGradient(at: [x]) { xs in xs[0].reshaped([3, 1]) + xs[0] }
        XCTAssertEqual(g3[0].scalars, [6, 6, 6])
    }

    func testDetachedStopsGradients() {
        let x = Tensor([1, 2, 3])
        let (value, g) = valueAndGradient(at: [x]) { xs in xs[0].detached * xs[0] }
        XCTAssertEqual(value.scalars, [1, 4, 9])
        XCTAssertEqual(g[0].scalars, [1, 2, 3])  // only the tracked factor contributes
        withGradientTape { tape in
            let t = tape.watching(x)
            XCTAssertTrue(t.isTracked)
            XCTAssertFalse(t.detached.isTracked)
            let y = t.detached * 2
            XCTAssertFalse(y.isTracked)
            XCTAssertEqual(tape.gradients(of: y, withRespectTo: [t])[0].scalars, [0, 0, 0])
        }
    }

    func testWithoutGradientsRecordsNothing() {
        withGradientTape { tape in
            XCTAssertTrue(isRecordingGradients)
            let x = tape.watching(Tensor([1, 2, 3]))
            let before = tape.records.count
            let y = withoutGradients { () -> Tensor in
                XCTAssertFalse(isRecordingGradients)
                return (x * x).exp().sum(axis: 0) + x.reshaped([3, 1]).matmul(Tensor.ones([1, 2])).softmax().sum()
            }
            XCTAssertEqual(tape.records.count, before, "no-grad mode recorded ops")
            XCTAssertFalse(y.isTracked)
            XCTAssertEqual(tape.gradients(of: y, withRespectTo: [x])[0].scalars, [0, 0, 0])
            XCTAssertTrue(isRecordingGradients)
            // Recording resumes after the block.
            let z = x * x
            XCTAssertTrue(z.isTracked)
            XCTAssertEqual(tape.gradients(of: z, withRespectTo: [x])[0].scalars, [2, 4, 6])
        }
        XCTAssertFalse(isRecordingGradients)
        // With no tape at all, ops on a formerly tracked tensor record nothing.
        let leaked = withGradientTape { tape in tape.watching(Tensor([1])) }
        XCTAssertFalse((leaked * 2).isTracked)
    }

    func testGradientSeedAndUnrelatedSources() {
        withGradientTape { tape in
            let x = tape.watching(Tensor([1, 2])), unused = tape.watching(Tensor([5, 5, 5]))
            let y = x * Tensor([3, 4])
            let g = tape.gradients(of: y, seed: Tensor([10, 100]), withRespectTo: [x, unused])
            XCTAssertEqual(g[0].scalars, [30, 400])
            XCTAssertEqual(g[1].scalars, [0, 0, 0])
            // A tensor from another tape is not a source here.
            let foreign = withGradientTape { other in other.watching(Tensor([1, 2])) }
            XCTAssertEqual(tape.gradients(of: y, withRespectTo: [foreign])[0].scalars, [0, 0])
        }
    }

    // MARK: - Seeded randomness

    func testSeededDeterminism() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let na = Tensor.randomNormal([1000], using: &a), nb = Tensor.randomNormal([1000], using: &b)
        let nc = Tensor.randomNormal([1000], using: &c)
        XCTAssertEqual(na.scalars.map(\.bitPattern), nb.scalars.map(\.bitPattern))
        XCTAssertNotEqual(na.scalars, nc.scalars)
        let ua = Tensor.randomUniform([1000], low: -2, high: 3, using: &a), ub = Tensor.randomUniform([1000], low: -2, high: 3, using: &b)
        XCTAssertEqual(ua.scalars.map(\.bitPattern), ub.scalars.map(\.bitPattern))
        XCTAssertTrue(ua.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        XCTAssertNotEqual(Tensor.randomUniform([100], using: &a).scalars, ua.scalars.prefix(100).map { $0 })  // the stream advances

        // Dropout masks: same seed, same mask; different seed, different mask.
        let x = Tensor.ones([2000])
        var d1 = SeededGenerator(seed: 7), d2 = SeededGenerator(seed: 7), d3 = SeededGenerator(seed: 8)
        let m1 = x.dropout(rate: 0.25, using: &d1), m2 = x.dropout(rate: 0.25, using: &d2), m3 = x.dropout(rate: 0.25, using: &d3)
        XCTAssertEqual(m1.scalars.map(\.bitPattern), m2.scalars.map(\.bitPattern))
        XCTAssertNotEqual(m1.scalars, m3.scalars)
        // Survivors are scaled by 1 / (1 − rate); about `rate` of them are dropped.
        XCTAssertTrue(m1.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 })
        let dropped = Float(m1.scalars.filter { $0 == 0 }.count) / 2000
        XCTAssertEqual(dropped, 0.25, accuracy: 0.04)
        var d0 = SeededGenerator(seed: 9)
        XCTAssertEqual(x.dropout(rate: 0, using: &d0).scalars, x.scalars)

        // Sub-streams: same (seed, stream) → same draws; another stream or seed → different draws.
        var s1 = SeededGenerator(seed: 5, stream: 3), s2 = SeededGenerator(seed: 5, stream: 3)
        var s3 = SeededGenerator(seed: 5, stream: 4), s4 = SeededGenerator(seed: 6, stream: 3)
        let t1 = (0..<16).map { _ in s1.next() }
        XCTAssertEqual(t1, (0..<16).map { _ in s2.next() })
        XCTAssertNotEqual(t1, (0..<16).map { _ in s3.next() })
        XCTAssertNotEqual(t1, (0..<16).map { _ in s4.next() })
        var plain = SeededGenerator(seed: 5)
        XCTAssertNotEqual(t1, (0..<16).map { _ in plain.next() })

        // The stream itself is pinned to xoshiro256** seeded through SplitMix64 (values from an
        // independent reference implementation): a changed generator would silently change every
        // seeded result in the project.
        var g0 = SeededGenerator(seed: 0)
        XCTAssertEqual((0..<4).map { _ in g0.next() },
                       [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0, 0x6aa5_94f1_262d_2d2c])
        var g42 = SeededGenerator(seed: 42)
        XCTAssertEqual((0..<2).map { _ in g42.next() }, [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e])
        // nextUniform takes the top 24 bits.
        var gu = SeededGenerator(seed: 0)
        XCTAssertEqual(gu.nextUniform(), Float(0x99ec_5f36_cb75_f2b4 as UInt64 >> 40) * 0x1p-24)
    }

    func testNormalMomentsAndUniformRange() {
        var rng = SeededGenerator(seed: 2024)
        let n = 100_000
        let x = Tensor.randomNormal([n], using: &rng).scalars
        let mean = x.reduce(0.0) { $0 + Double($1) } / Double(n)
        let std = (x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.015)   // standard error 0.003
        XCTAssertEqual(std, 1, accuracy: 0.015)
        let within1 = Double(x.filter { Swift.abs($0) < 1 }.count) / Double(n)
        XCTAssertEqual(within1, 0.6827, accuracy: 0.01)
        let scaled = Tensor.randomNormal([n], mean: 3, standardDeviation: 0.5, using: &rng).scalars
        XCTAssertEqual(scaled.reduce(0.0) { $0 + Double($1) } / Double(n), 3, accuracy: 0.01)
        let u = Tensor.randomUniform([n], using: &rng).scalars
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(u.reduce(0.0) { $0 + Double($1) } / Double(n), 0.5, accuracy: 0.01)
    }
}

final class ReductionAxisTests: XCTestCase {
    /// A repeated axis counts once: the mean over [1, 1] of a [2, 3] tensor is the mean over axis 1.
    func testMeanAndVarianceIgnoreRepeatedAxes() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 9])
        XCTAssertEqual(x.mean(axes: [1, 1]).scalars, [2, 6])
        XCTAssertEqual(x.mean(axes: [1, -1]).scalars, [2, 6])
        XCTAssertEqual(x.variance(axes: [1, 1]).scalars[0], 2.0 / 3, accuracy: 1e-6)
    }
}
