import XCTest
import TSFCTensor
import TSFCNN
import TSFCOptim

final class OptimizerTests: XCTestCase {
    func parameter(_ v: [Float], grad: [Float]) -> Parameter {
        let p = Parameter(Tensor(v))
        p.gradient = Tensor(grad)
        return p
    }

    func testAdamFirstTwoStepsByHand() {
        let p = parameter([1, -2], grad: [0.5, -1])
        let opt = Adam(learningRate: 0.1)
        opt.step([p])
        // Step 1: m̂ = g, v̂ = g² ⇒ update = lr · g/(|g| + ε) = ±0.1.
        XCTAssertEqual(p.value.scalars[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(p.value.scalars[1], -1.9, accuracy: 1e-6)
        p.gradient = Tensor([0.25, 1])
        opt.step([p])
        // Step 2 by hand for element 0: m = 0.9·0.05 + 0.1·0.25 = 0.07; v = 0.999·0.00025 + 0.001·0.0625
        let m: Double = 0.9 * 0.05 + 0.1 * 0.25
        let v: Double = 0.999 * 0.00025 + 0.001 * 0.0625
        let mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 * 0.999)
        XCTAssertEqual(Double(p.value.scalars[0]), 0.9 - 0.1 * mhat / (vhat.squareRoot() + 1e-8), accuracy: 1e-5)
    }

    func testAdamWDecouplesWeightDecayAndAdamCouplesIt() {
        let a = parameter([2], grad: [0])
        AdamW(learningRate: 0.1, weightDecay: 0.5).step([a])
        // Zero gradient: only the decay acts, p·(1 − lr·λ) = 2·0.95.
        XCTAssertEqual(a.value.item, 1.9, accuracy: 1e-6)
        let b = parameter([2], grad: [0])
        Adam(learningRate: 0.1, weightDecay: 0.5).step([b])
        // L2 in the gradient: g = λp = 1 ⇒ first step moves by lr.
        XCTAssertEqual(b.value.item, 1.9, accuracy: 1e-6)
        let c = parameter([2], grad: [3])
        AdamW(learningRate: 0.1, weightDecay: 0.5).step([c])
        XCTAssertEqual(c.value.item, 2 * 0.95 - 0.1, accuracy: 1e-6)
    }

    func testSGDMomentumByHand() {
        let p = parameter([1], grad: [1])
        let opt = SGD(learningRate: 0.1, momentum: 0.9)
        opt.step([p])              // buf = 1, p = 0.9
        p.gradient = Tensor([1])
        opt.step([p])              // buf = 1.9, p = 0.71
        XCTAssertEqual(p.value.item, 0.71, accuracy: 1e-6)
    }

    func testFrozenParametersAreSkipped() {
        let p = parameter([1], grad: [1])
        p.isFrozen = true
        AdamW(learningRate: 0.1).step([p])
        XCTAssertEqual(p.value.item, 1)
    }

    func testClipGradientNorm() {
        let a = parameter([0, 0], grad: [3, 0]), b = parameter([0], grad: [4])
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-5)
        XCTAssertEqual(a.gradient!.scalars[0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(b.gradient!.scalars[0], 0.8, accuracy: 1e-5)
    }

    func testSchedules() {
        let s = WarmupCosineSchedule(peak: 1, warmupSteps: 4, totalSteps: 14, minimum: 0.1)
        XCTAssertEqual(s.learningRate(at: 0), 0.25, accuracy: 1e-6)
        XCTAssertEqual(s.learningRate(at: 3), 1, accuracy: 1e-6)
        XCTAssertEqual(s.learningRate(at: 9), 0.1 + 0.45, accuracy: 1e-6)  // half-way: cos(π/2) = 0
        XCTAssertEqual(s.learningRate(at: 14), 0.1, accuracy: 1e-6)
        XCTAssertEqual(s.learningRate(at: 100), 0.1, accuracy: 1e-6)
        let st = StepDecaySchedule(rate: 1, stepSize: 10, gamma: 0.5)
        XCTAssertEqual(st.learningRate(at: 25), 0.25, accuracy: 1e-6)
        XCTAssertEqual(ConstantSchedule(0.3).learningRate(at: 7), 0.3)
    }
}
