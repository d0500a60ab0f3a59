// A toy training task for the trainer's tests: a Linear(1 → 1) fitted to y = 2x + 1 on a grid,
// recording which examples each call received.
import TSFCNN
import TSFCTensor
import TSFCTraining

final class LineTask: TrainingTask {
    let model: Linear
    let xs: [Float]
    let validationXs: [Float]
    /// Replaces the validation loss (e.g. a loss that never improves); nil: the real MSE.
    var validationOverride: ((Int) -> Float)?
    /// When set, `fitClosedForm` sets these (weight, bias) and returns true.
    var closedForm: (Float, Float)?
    private(set) var trainingBatches: [[Int]] = []
    private(set) var validationBatches: [[Int]] = []
    private(set) var progresses: [Float] = []

    init(training: Int = 40, validation: Int = 10, seed: UInt64 = 1) {
        var rng = SeededGenerator(seed: seed)
        model = Linear(1, 1, using: &rng)
        xs = (0..<training).map { Float($0) / Float(training) - 0.5 }
        validationXs = (0..<validation).map { Float($0) / Float(max(validation, 1)) - 0.45 }
    }

    var module: Module { model }
    var trainingCount: Int { xs.count }
    var validationCount: Int { validationXs.count }

    /// Mean squared error of the line on `x` values `[B, 1]`.
    func mse(_ x: [Float]) -> Tensor {
        let input = Tensor(shape: [x.count, 1], scalars: x)                  // [B, 1]
        let target = Tensor(shape: [x.count, 1], scalars: x.map { 2 * $0 + 1 })
        return Loss.meanSquaredError(model(input), target)
    }

    func trainingLoss(indices: [Int], progress: Float) -> Tensor {
        trainingBatches.append(indices)
        progresses.append(progress)
        return mse(indices.map { xs[$0] })
    }

    func validationLoss(indices: [Int]) -> Float {
        validationBatches.append(indices)
        if let validationOverride { return validationOverride(validationBatches.count) }
        return mse(indices.map { validationXs[$0] }).item
    }

    func fitClosedForm(maxTrainingExamples: Int) throws -> Bool {
        guard let (w, b) = closedForm else { return false }
        try model.load(["weight": Tensor(shape: [1, 1], scalars: [w]), "bias": Tensor([b])])
        return true
    }

    var weights: [Float] { model.parameters().flatMap { $0.value.scalars } }
}
