import XCTest
import TSFCModels
import TSFCNN
import TSFCOptim
import TSFCTensor

final class ClosedLoopTests: XCTestCase {
    func set(_ p: Parameter, _ rowsValues: [[Float]]) {
        p.value = Tensor(shape: [rowsValues.count, rowsValues[0].count], scalars: rowsValues.flatMap { $0 })
    }

    func testClosedLoopWithShiftAndFeedbackPhiIsTheARForecast() {
        // A = shift (a = 0), b = e1, k = c = φ: the state is [u_t, …, u_{t−d+1}], the feedback
        // kᵀx is the AR(p) one-step prediction and the rollout is the AR recursion.
        let phi: [Float] = [0.5, -0.3, 0.15]
        let d = 5, l = 20, h = 30
        let ssm = ClosedLoopSSM(channels: 1, stateSize: d, using: &SeededGenerator.forTests)
        let padded = phi + [Float](repeating: 0, count: d - phi.count)
        set(ssm.a, [[Float](repeating: 0, count: d)])
        set(ssm.b, [[1] + [Float](repeating: 0, count: d - 1)])
        set(ssm.c, [padded])
        set(ssm.k, [padded])
        var rng = SeededGenerator(seed: 21)
        let u = Tensor.randomNormal([2, 1, l], using: &rng)
        let closed = ssm(u, horizon: h, openLoop: false).closed               // [2, 1, H]
        XCTAssertEqual(closed.shape, [2, 1, h])
        for i in 0..<2 {
            var series = (0..<l).map { Double(u[i, 0, $0]) }
            for step in 0..<h {
                let n = series.count
                let next = (0..<phi.count).reduce(0.0) { $0 + Double(phi[$1]) * series[n - 1 - $1] }
                series.append(next)
                XCTAssertEqual(Double(closed[i, 0, step]), next, accuracy: 1e-5, "row \(i) step \(step)")
            }
        }
    }

    func testScaleLeavesCompanionAndStableARMatricesUnchanged() {
        var rng = SeededGenerator(seed: 34)
        let a = Companion.normalizedColumn(Tensor.randomNormal([2, 6], using: &rng))
        let b = Tensor.randomNormal([2, 6], using: &rng)
        // k = 0: M = A, whose columns have L1 sums 1, …, 1, Σ|a| ≤ 1.
        XCTAssertEqual(Companion.closedLoopScale(column: a, b: b, k: Tensor.zeros([2, 6])).scalars, [1, 1])
        // S + e₁φᵀ: rows sum to max(Σ|φ|, 1); Σ|φ| = 1.6 scales by 1/1.6 (its columns sum to 1 + |φ_j|).
        var e1 = [Float](repeating: 0, count: 6); e1[0] = 1
        let phi = Tensor(shape: [1, 6], scalars: [0.8, -0.5, 0.3, 0, 0, 0])
        let sigma = Companion.closedLoopScale(column: Tensor.zeros([1, 6]), b: Tensor(shape: [1, 6], scalars: e1), k: phi)
        XCTAssertEqual(sigma.item, 1 / 1.6, accuracy: 1e-6)
    }

    func testClosedAndOpenLoopMatchDenseOracle() {
        let d = 4, l = 9, h = 7, ch = 3
        var rng = SeededGenerator(seed: 33)
        let ssm = ClosedLoopSSM(channels: ch, stateSize: d, chunk: 4, using: &rng)  // 3 chunks, the last partial
        // Large b and k so A + bkᵀ exceeds norm 1 and gets scaled.
        ssm.b.value = Tensor.randomNormal([ch, d], using: &rng)
        ssm.k.value = Tensor.randomNormal([ch, d], using: &rng)
        ssm.a.value = Tensor.randomNormal([ch, d], using: &rng)
        let u = Tensor.randomNormal([2, ch, l], using: &rng)
        let out = ssm(u, horizon: h, openLoop: true)
        let a = rows(ssm.a.value), b = rows(ssm.b.value), c = rows(ssm.c.value), k = rows(ssm.k.value)
        var scaled = 0
        for j in 0..<ch {
            let an = DenseOracle.normalized(a[j])
            let A = DenseOracle.companion(an)
            // M = A + b kᵀ scaled by 1 / max(1, min(max column L1 sum, max row L1 sum)).
            var m = A
            for r in 0..<d { for q in 0..<d { m[r][q] += b[j][r] * k[j][q] } }
            let rowNorm = m.map { $0.reduce(0) { $0 + abs($1) } }.max()!
            let colNorm = (0..<d).map { q in m.reduce(0) { $0 + abs($1[q]) } }.max()!
            let sigma = 1 / max(1, min(rowNorm, colNorm))
            if sigma < 1 { scaled += 1 }
            m = m.map { $0.map { $0 * sigma } }
            for i in 0..<2 {
                // States x_t = A x_{t−1} + b u_t.
                var x = [Double](repeating: 0, count: d)
                for t in 0..<l {
                    let ut = Double(u[i, j, t])
                    x = zip(DenseOracle.matVec(A, x), b[j]).map { $0 + $1 * ut }
                    XCTAssertEqual(Double(out.open![i, j, t]), DenseOracle.dot(c[j], x), accuracy: 1e-4)
                    XCTAssertEqual(Double(out.nextInput![i, j, t]), DenseOracle.dot(k[j], x), accuracy: 1e-4)
                }
                for step in 0..<h {
                    XCTAssertEqual(Double(out.closed[i, j, step]), DenseOracle.dot(c[j], x), accuracy: 1e-4, "ch \(j) step \(step)")
                    x = DenseOracle.matVec(m, x)
                }
            }
        }
        XCTAssertGreaterThan(scaled, 0, "the oracle should exercise the scaling")
    }

    /// The reference code's normalisation against dense matrices: â = a/‖a‖₁ in A, the lag state
    /// from the raw b, the rollout by S + â e_dᵀ + b̂ k̂ᵀ (no bound), read out by ĉ; the open-loop
    /// outputs ĉᵀ and next-input predictions k̂ᵀ of states driven by b̂.
    func testReferenceNormalizationMatchesDenseOracle() {
        let d = 4, l = 9, h = 12, ch = 3
        var rng = SeededGenerator(seed: 36)
        let ssm = ClosedLoopSSM(channels: ch, stateSize: d, chunk: 4, normalization: .reference, using: &rng)
        XCTAssertGreaterThan(ssm.k.value.abs().sum().item, 0, "reference k starts random, not at 0")
        ssm.a.value = Tensor.randomNormal([ch, d], standardDeviation: 0.1, using: &rng)   // ‖a‖₁ < 1: scaled up
        ssm.b.value = Tensor.randomNormal([ch, d], using: &rng)
        let u = Tensor.randomNormal([2, ch, l], using: &rng)
        let out = ssm(u, horizon: h, openLoop: true)
        let a = rows(ssm.a.value), b = rows(ssm.b.value), c = rows(ssm.c.value), k = rows(ssm.k.value)
        func unit(_ v: [Double]) -> [Double] { let n = v.reduce(0) { $0 + abs($1) }; return v.map { $0 / n } }
        for j in 0..<ch {
            let A = DenseOracle.companion(unit(a[j]))
            let bn = unit(b[j]), cn = unit(c[j]), kn = unit(k[j])
            var m = A
            for r in 0..<d { for q in 0..<d { m[r][q] += bn[r] * kn[q] } }
            for i in 0..<2 {
                var x = [Double](repeating: 0, count: d), xn = x     // raw-b state, b̂ state
                for t in 0..<l {
                    let ut = Double(u[i, j, t])
                    x = zip(DenseOracle.matVec(A, x), b[j]).map { $0 + $1 * ut }
                    xn = zip(DenseOracle.matVec(A, xn), bn).map { $0 + $1 * ut }
                    XCTAssertEqual(Double(out.open![i, j, t]), DenseOracle.dot(cn, xn), accuracy: 1e-4)
                    XCTAssertEqual(Double(out.nextInput![i, j, t]), DenseOracle.dot(kn, xn), accuracy: 1e-4)
                }
                for step in 0..<h {
                    XCTAssertEqual(Double(out.closed[i, j, step]), DenseOracle.dot(cn, x), accuracy: 1e-4, "ch \(j) step \(step)")
                    x = DenseOracle.matVec(m, x)
                }
            }
        }
        // Rows of unitRows have L1 norm 1; a zero row stays finite.
        let v = Companion.unitRows(Tensor(shape: [2, 3], scalars: [3, -1, 0, 0, 0, 0]))
        XCTAssertEqual(v.scalars, [0.75, -0.25, 0, 0, 0, 0])
    }

    /// Central finite differences of `f` in every entry of each parameter vs the tape gradient.
    func checkGradients(_ module: Module, names: [String], eps: Float = 1e-2, _ f: () -> Tensor,
                        file: StaticString = #filePath, line: UInt = #line) {
        let (_, grads) = module.valueAndGradient(f)
        let params = Dictionary(uniqueKeysWithValues: module.namedParameters())
        for name in names {
            let p = params[name]!, g = grads[name]!
            let original = p.value
            var worst: Float = 0, scale: Float = 1e-3
            for idx in 0..<original.count {
                var plus = original.scalars, minus = original.scalars
                plus[idx] += eps; minus[idx] -= eps
                p.value = Tensor(shape: original.shape, scalars: plus)
                let fp = withoutGradients { f().item }
                p.value = Tensor(shape: original.shape, scalars: minus)
                let fm = withoutGradients { f().item }
                let fd = (fp - fm) / (2 * eps)
                worst = max(worst, abs(fd - g.scalars[idx]))
                scale = max(scale, abs(fd))
            }
            p.value = original
            XCTAssertLessThan(worst / scale, 2e-2, "\(name): finite differences disagree (worst \(worst), scale \(scale))", file: file, line: line)
        }
    }

    func testClosedLoopGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 44)
        let ssm = ClosedLoopSSM(channels: 2, stateSize: 4, chunk: 3, using: &rng)
        // ‖a‖₁ well above 1 (normalised branch) and entries away from 0 (|·| kinks).
        ssm.a.value = Tensor(shape: [2, 4], scalars: [0.9, -0.7, 0.6, 0.8, -0.5, 0.9, 0.7, -0.6])
        ssm.b.value = Tensor.randomNormal([2, 4], standardDeviation: 0.3, using: &rng)
        ssm.k.value = Tensor.randomNormal([2, 4], standardDeviation: 0.3, using: &rng)
        let u = Tensor.randomNormal([2, 2, 7], using: &rng)
        let w1 = Tensor.randomNormal([2, 2, 5], using: &rng), w2 = Tensor.randomNormal([2, 2, 7], using: &rng)
        let w3 = Tensor.randomNormal([2, 2, 7], using: &rng)
        checkGradients(ssm, names: ["a", "b", "c", "k"]) {
            let o = ssm(u, horizon: 5, openLoop: true)
            return (o.closed * w1).sum() + (o.open! * w2).sum() + (o.nextInput! * w3).sum()
        }
    }

    func testReferenceNormalizationGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 46)
        let ssm = ClosedLoopSSM(channels: 2, stateSize: 4, chunk: 3, normalization: .reference, using: &rng)
        ssm.a.value = Tensor(shape: [2, 4], scalars: [0.4, -0.7, 0.6, 0.8, -0.5, 0.9, 0.7, -0.6])
        ssm.b.value = Tensor(shape: [2, 4], scalars: [0.5, 0.3, -0.4, 0.6, -0.7, 0.2, 0.5, 0.4])
        ssm.c.value = Tensor(shape: [2, 4], scalars: [0.3, -0.6, 0.5, 0.2, 0.4, 0.7, -0.3, 0.5])
        ssm.k.value = Tensor(shape: [2, 4], scalars: [0.6, 0.2, -0.5, 0.3, 0.3, -0.4, 0.6, 0.5])
        let u = Tensor.randomNormal([2, 2, 7], using: &rng)
        let w1 = Tensor.randomNormal([2, 2, 5], using: &rng), w2 = Tensor.randomNormal([2, 2, 7], using: &rng)
        let w3 = Tensor.randomNormal([2, 2, 7], using: &rng)
        checkGradients(ssm, names: ["a", "b", "c", "k"], eps: 5e-3) {
            let o = ssm(u, horizon: 5, openLoop: true)
            return (o.closed * w1).sum() + (o.open! * w2).sum() + (o.nextInput! * w3).sum()
        }
    }

    func testCompanionSSMGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 45)
        let ssm = CompanionSSM(channels: 4, kernels: 2, stateSize: 3, chunk: 3, using: &rng)
        ssm.a.value = Tensor(shape: [2, 3], scalars: [0.9, -0.8, 0.7, -0.6, 0.9, 0.8])
        ssm.b.value = Tensor.randomNormal([2, 3], using: &rng)
        let u = Tensor.randomNormal([2, 4, 8], using: &rng)
        let w = Tensor.randomNormal([2, 4, 8], using: &rng)
        checkGradients(ssm, names: ["a", "b", "c", "skip"]) { (ssm(u) * w).sum() }
    }

    func testLearnsAR4ToTheNoiseFloor() {
        // One companion layer trained on one-step MSE of an AR(4) series reaches a held-out
        // one-step MSE within 5% of the noise variance (the best any predictor can do).
        let phi: [Float] = [0.35, -0.25, 0.2, 0.1], sigma: Float = 1
        func simulate(_ n: Int, seed: UInt64) -> [Float] {
            var rng = SeededGenerator(seed: seed)
            var s = [Float](repeating: 0, count: n + 100)
            for t in 4..<s.count { s[t] = (0..<4).reduce(sigma * rng.nextNormal()) { $0 + phi[$1] * s[t - 1 - $1] } }
            return Array(s.dropFirst(100))
        }
        let train = simulate(20_000, seed: 1), test = simulate(25_600, seed: 2)
        let d = 8, window = 128, burn = d
        var rng = SeededGenerator(seed: 3)
        let ssm = CompanionSSM(channels: 1, kernels: 1, stateSize: d, using: &rng)
        let optimizer = Adam(learningRate: 0.02)
        func batch(_ series: [Float], starts: [Int], length: Int) -> Tensor {
            Tensor(shape: [starts.count, 1, length], scalars: starts.flatMap { series[$0..<($0 + length)] })
        }
        func oneStepMSE(_ x: Tensor) -> Tensor {               // x [B, 1, W + 1]
            let w = x.shape[2] - 1
            let y = ssm(x.slice(axis: 2, 0..<w))                // position t predicts t + 1
            return (y.slice(axis: 2, burn..<w) - x.slice(axis: 2, (burn + 1)..<(w + 1))).squared().mean()
        }
        for step in 0..<400 {
            if step == 250 { optimizer.learningRate = 0.005 }
            let starts = (0..<32).map { _ in Int(rng.next() % UInt64(train.count - window - 1)) }
            let x = batch(train, starts: starts, length: window + 1)
            _ = ssm.valueAndGradient { oneStepMSE(x) }
            optimizer.step(ssm.trainableParameters())
        }
        let starts = Array(stride(from: 0, to: test.count - 257, by: 256))
        let mse = withoutGradients { oneStepMSE(batch(test, starts: starts, length: 257)).item }
        let variance = test.map { $0 * $0 }.reduce(0, +) / Float(test.count)
        XCTAssertGreaterThan(variance, 1.15 * sigma * sigma, "the series must be predictable for the test to mean anything")
        XCTAssertLessThan(abs(mse - sigma * sigma) / (sigma * sigma), 0.05, "one-step MSE \(mse) vs noise variance \(sigma * sigma)")
    }
}

extension SeededGenerator {
    nonisolated(unsafe) static var forTests = SeededGenerator(seed: 99)
}
