// AR-Net's regulariser: value and gradient against the closed form, λ and the warm-up.
import Foundation
import XCTest
@testable import TSFCModels
import TSFCNN
import TSFCTensor

final class SparsityRegularizerTests: XCTestCase {
    /// r(w) = 2/(1+exp(−c1·|w|^{1/c2})) − 1 and r'(w) = sign(w)·2·c1/c2·|w|^{1/c2−1}·e/(1+e)², e = exp(−c1|w|^{1/c2}).
    func closedForm(_ w: Double, c1: Double, c2: Double) -> (value: Double, derivative: Double) {
        let a = Swift.abs(w), e = Foundation.exp(-c1 * Foundation.pow(a, 1 / c2))
        let value = 2 / (1 + e) - 1
        let derivative = (w < 0 ? -1.0 : 1.0) * 2 * e / ((1 + e) * (1 + e)) * c1 / c2 * Foundation.pow(a, 1 / c2 - 1)
        return (value, derivative)
    }

    func testValueAndGradientMatchClosedForm() {
        let weights: [Float] = [0.5, -0.01, 0.3, -1.2, 2e-4, 0.05]
        for (c1, c2) in [(Float(3), Float(3)), (2, 2)] {
            let reg = SparsityRegularizer(c1: c1, c2: c2, sparsity: 0.1)
            let p = Parameter(Tensor(shape: [2, 3], scalars: weights))
            let (value, grads) = TSFCNN.valueAndGradient(for: [p]) { reg.penalty(p.value) }
            let expected = weights.map { closedForm(Double($0), c1: Double(c1), c2: Double(c2)) }
            XCTAssertEqual(Double(value.item), expected.map(\.value).reduce(0, +) / 6, accuracy: 1e-5)
            for (g, e) in zip(grads[0].scalars, expected) {
                XCTAssertEqual(Double(g), e.derivative / 6, accuracy: 1e-4 * Swift.max(1, Swift.abs(e.derivative)))
            }
        }
    }

    func testGradientAtZeroIsFinite() {
        let reg = SparsityRegularizer(sparsity: 0.1)
        let p = Parameter(Tensor(shape: [3], scalars: [0, 0.2, 0]))
        let (_, grads) = TSFCNN.valueAndGradient(for: [p]) { reg.penalty(p.value) }
        XCTAssertTrue(grads[0].scalars.allSatisfy(\.isFinite))
    }

    func testLambdaAndWarmup() {
        let reg = SparsityRegularizer(scale: 0.02, sparsity: 0.2)
        XCTAssertEqual(reg.lambda, 0.02 * 4, accuracy: 1e-7)
        XCTAssertEqual(SparsityRegularizer(sparsity: 1).lambda, 0)
        XCTAssertEqual(reg.weight(progress: 0), 0)
        XCTAssertEqual(reg.weight(progress: 0.25), 0.08 * 0.25, accuracy: 1e-7)  // (0.25/0.5)² = 0.25
        XCTAssertEqual(reg.weight(progress: 0.5), 0.08, accuracy: 1e-7)
        XCTAssertEqual(reg.weight(progress: 0.9), 0.08, accuracy: 1e-7)
        XCTAssertNil(SparsityRegularizer(sparsity: 1).term(Tensor([0.1]), progress: 1))
    }
}
