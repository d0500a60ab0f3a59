import XCTest
import TSFCTensor
import TSFCNN
import TSFCOptim

final class LearnabilityTests: XCTestCase {
    func testMLPFitsXOR() {
        var rng = SeededGenerator(seed: 42)
        let mlp = MLP(inputCount: 2, hiddenCount: 8, outputCount: 1, activation: .tanh, using: &rng)
        let x = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        let opt = Adam(learningRate: 0.05)
        for _ in 0..<500 {
            _ = mlp.valueAndGradient { Loss.meanSquaredError(mlp(x), y) }
            opt.step(mlp.parameters())
        }
        let pred = mlp(x).scalars
        for (p, t) in zip(pred, y.scalars) { XCTAssertEqual(p, t, accuracy: 0.1) }
    }

    func testMLPFitsSine() {
        var rng = SeededGenerator(seed: 7)
        let mlp = MLP(inputCount: 1, hiddenCount: 32, outputCount: 1, activation: .tanh, using: &rng)
        let xs = (0..<64).map { Float($0) / 63 * 2 * Float.pi - Float.pi }
        let x = Tensor(shape: [64, 1], scalars: xs)
        let y = Tensor(shape: [64, 1], scalars: xs.map { sinf($0) })
        let opt = AdamW(learningRate: 0.01, weightDecay: 0)
        let schedule = WarmupCosineSchedule(peak: 0.02, warmupSteps: 50, totalSteps: 1500, minimum: 1e-3)
        var loss: Float = 1
        for step in 0..<1500 {
            opt.learningRate = schedule.learningRate(at: step)
            loss = mlp.valueAndGradient { Loss.meanSquaredError(mlp(x), y) }.value.item
            clipGradientNorm(mlp.parameters(), maxNorm: 1)
            opt.step(mlp.parameters())
        }
        XCTAssertLessThan(loss, 2e-3)
    }

    func testTrainingIsBitDeterministic() {
        func run() -> [Float] {
            var rng = SeededGenerator(seed: 11)
            let mlp = MLP(inputCount: 3, hiddenCount: 16, outputCount: 2, activation: .gelu, dropout: 0.2, using: &rng)
            let x = Tensor.randomNormal([8, 3], using: &rng), y = Tensor.randomNormal([8, 2], using: &rng)
            let opt = AdamW(learningRate: 0.01)
            for _ in 0..<20 {
                _ = mlp.valueAndGradient { Loss.meanSquaredError(mlp(x), y) }
                opt.step(mlp.parameters())
            }
            return mlp.parameters().flatMap { $0.value.scalars }
        }
        XCTAssertEqual(run(), run())
    }
}
