// The pinball loss against its closed form, value and gradient.
import TSFCNN
import TSFCTensor
import XCTest

final class PinballLossTests: XCTestCase {
    func testValueAndGradientMatchTheClosedForm() {
        let levels: [Float] = [0.1, 0.5, 0.9]
        let prediction: [Float] = [0.0, 1.0, 2.0,   -1.0, 0.5, 3.0]            // [1, 2, 3]
        let target: [Float] = [1.5, 0.0]                                      // [1, 2]
        let mask: [Float] = [1, 1]
        // Closed form: e = y − ŷ; loss q·e (e ≥ 0) or (q − 1)·e; gradient wrt ŷ: −q or 1 − q.
        var expected: Float = 0
        var expectedGradient = [Float](repeating: 0, count: 6)
        for k in 0..<2 {
            for j in 0..<3 {
                let e = target[k] - prediction[k * 3 + j], q = levels[j]
                expected += e >= 0 ? q * e : (q - 1) * e
                expectedGradient[k * 3 + j] = (e > 0 ? -q : 1 - q) / 6
            }
        }
        expected /= 6
        let p = Parameter(Tensor(shape: [1, 2, 3], scalars: prediction))
        let (value, grads) = valueAndGradient(for: [p]) {
            Loss.pinball(p.value, Tensor(shape: [1, 2], scalars: target), mask: Tensor(shape: [1, 2], scalars: mask), levels: levels)
        }
        XCTAssertEqual(value.item, expected, accuracy: 1e-6)
        for (g, e) in zip(grads[0].scalars, expectedGradient) { XCTAssertEqual(g, e, accuracy: 1e-6) }
    }

    func testMaskedTargetsContributeNothing() {
        let levels: [Float] = [0.2, 0.8]
        let prediction = Tensor(shape: [1, 2, 2], scalars: [0, 1, 5, 6])
        let masked = Loss.pinball(prediction, Tensor(shape: [1, 2], scalars: [0.5, 100]), mask: Tensor(shape: [1, 2], scalars: [1, 0]), levels: levels)
        let first = Loss.pinball(prediction.slice(axis: 1, 0..<1), Tensor(shape: [1, 1], scalars: [0.5]), levels: levels)
        XCTAssertEqual(masked.item, first.item, accuracy: 1e-7)
    }

    func testTheMinimiserOfTheExpectedLossIsTheQuantile() {
        // Over a sample, the constant minimising the mean pinball loss at level q is its q-quantile.
        let sample: [Float] = (0..<101).map { Float($0) }
        for q: Float in [0.1, 0.5, 0.9] {
            var best: Float = 0, bestLoss = Float.infinity
            for c in stride(from: Float(0), through: 100, by: 0.5) {
                let l = Loss.pinball(Tensor(repeating: c, shape: [1, 101, 1]), Tensor(shape: [1, 101], scalars: sample), levels: [q]).item
                if l < bestLoss - 1e-6 { (best, bestLoss) = (c, l) }
            }
            XCTAssertEqual(best, q * 100, accuracy: 1)
        }
    }
}
