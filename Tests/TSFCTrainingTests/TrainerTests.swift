// The one Trainer on a toy task: it fits, validates on evenly spaced examples in batches, stops
// early and restores the best weights, keeps the last weights without validation, runs a closed
// form instead of gradient descent, visits examples in either epoch order, resumes exactly, and
// follows its learning-rate and non-finite-loss options.
import Foundation
import XCTest
import TSFCNN
import TSFCOptim
import TSFCTensor
@testable import TSFCTraining

final class TrainerTests: XCTestCase {
    func options(epochs: Int = 30, batchSize: Int = 8) -> TrainerOptions {
        var o = TrainerOptions(epochs: epochs, batchSize: batchSize, learningRate: 0.05)
        o.warmup = .steps(5)
        return o
    }

    func testFitsALineAndKeepsTheBestValidationWeights() throws {
        let task = LineTask()
        let before = task.mse(task.validationXs).item
        var validations: [ValidationRecord] = []
        let summary = try Trainer(options: options(), seed: 1).fit(task) { event in
            if case let .validated(record) = event { validations.append(record) }
            return .proceed
        }
        XCTAssertEqual(summary.steps, 30 * 5)
        XCTAssertEqual(validations.count, 30)
        XCTAssertLessThan(summary.bestValidationLoss, 0.01 * Double(before))
        XCTAssertEqual(summary.bestValidationLoss, validations.map(\.validationLoss).min())
        XCTAssertEqual(Double(task.mse(task.validationXs).item), summary.bestValidationLoss, accuracy: 1e-6)
        XCTAssertFalse(task.model.isTraining)
    }

    func testValidationUsesEvenlySpacedExamplesInBatches() throws {
        let task = LineTask(training: 16, validation: 10)
        var o = options(epochs: 1, batchSize: 16)
        o.maxValidationExamples = 5
        o.validationBatchSize = 2
        _ = try Trainer(options: o, seed: 1).fit(task)
        XCTAssertEqual(task.validationBatches, [[0, 2], [4, 6], [8]])
        XCTAssertEqual(Trainer.evenlySpaced(count: 10, limit: 0), Array(0..<10))
        XCTAssertEqual(Trainer.evenlySpaced(count: 3, limit: 5), [0, 1, 2])
    }

    func testStopsEarlyAndRestoresTheBestWeights() throws {
        let task = LineTask()
        task.validationOverride = { call in call == 2 ? 0.5 : 1 + Float(call) }   // best at the second validation
        var o = options(epochs: 20)
        o.patience = 3
        var weightsAtValidation: [[Float]] = []
        let summary = try Trainer(options: o, seed: 1).fit(task) { event in
            if case .validated = event { weightsAtValidation.append(task.weights) }
            return .proceed
        }
        XCTAssertTrue(summary.stoppedEarly)
        XCTAssertEqual(weightsAtValidation.count, 5)                 // best at 2, then 3 without improvement
        XCTAssertEqual(summary.steps, 5 * 5)
        XCTAssertEqual(summary.bestValidationLoss, 0.5)
        XCTAssertEqual(task.weights, weightsAtValidation[1])
    }

    func testWithoutValidationExamplesKeepsTheLastWeights() throws {
        let task = LineTask(validation: 0)
        var lastStepWeights: [Float] = []
        var validated = false
        let summary = try Trainer(options: options(epochs: 3), seed: 1).fit(task) { event in
            if case .step = event { lastStepWeights = task.weights }
            if case .validated = event { validated = true }
            return .proceed
        }
        XCTAssertFalse(validated)
        XCTAssertEqual(summary.bestValidationLoss, .infinity)
        XCTAssertFalse(summary.stoppedEarly)
        XCTAssertEqual(summary.steps, 15)
        XCTAssertEqual(task.weights, lastStepWeights)
        XCTAssertTrue(task.validationBatches.isEmpty)
    }

    func testClosedFormReplacesGradientDescent() throws {
        let task = LineTask()
        task.closedForm = (2, 1)
        var events = 0
        let summary = try Trainer(options: options(), seed: 1).fit(task) { _ in events += 1; return .proceed }
        XCTAssertEqual(summary.steps, 0)
        XCTAssertEqual(events, 0)
        XCTAssertTrue(task.trainingBatches.isEmpty)
        XCTAssertEqual(task.weights, [2, 1])
        XCTAssertEqual(summary.bestValidationLoss, 0, accuracy: 1e-10)
        XCTAssertFalse(task.model.isTraining)
    }

    func testIndependentPermutationsVisitEachChosenExampleOncePerEpoch() throws {
        let task = LineTask(training: 20)
        var o = options(epochs: 3, batchSize: 6)
        o.maxTrainingExamples = 14
        _ = try Trainer(options: o, seed: 4).fit(task)
        XCTAssertEqual(task.trainingBatches.map(\.count), [6, 6, 2, 6, 6, 2, 6, 6, 2])  // the partial batch is kept
        let epochs = (0..<3).map { Array(task.trainingBatches[(3 * $0)..<(3 * $0 + 3)].joined()) }
        for (e, visited) in epochs.enumerated() {
            XCTAssertEqual(Set(visited).count, 14)
            XCTAssertEqual(visited, EpochSampler.permutation(count: 20, take: 14, seed: 4, epoch: e))
        }
        XCTAssertNotEqual(epochs[0], epochs[1])
    }

    func testSuccessiveShufflesFollowTheStandardLibrarysShuffle() throws {
        let task = LineTask(training: 12)
        var o = options(epochs: 3, batchSize: 12)
        o.order = .successiveShuffles
        _ = try Trainer(options: o, seed: 9).fit(task)
        var rng = SeededGenerator(seed: 9)
        var order = Array(0..<12)
        for epoch in 0..<3 {
            order.shuffle(using: &rng)
            XCTAssertEqual(task.trainingBatches[epoch], order)
        }
        var sampler = EpochSampler(order: .successiveShuffles, count: 12, take: 12, seed: 9)
        XCTAssertEqual(sampler.examples(epoch: 2), order)             // replayed from the start
        XCTAssertEqual(sampler.examples(epoch: 0), task.trainingBatches[0])
    }

    func testResumeContinuesExactlyInBothOrders() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-trainer-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for order in [TrainerOptions.EpochOrder.independentPermutations, .successiveShuffles] {
            var o = options(epochs: 4)
            o.order = order
            o.validateEvery = 3
            let full = LineTask()
            _ = try Trainer(options: o, seed: 5).fit(full)

            let url = dir.appendingPathComponent("\(order).safetensors")
            var validations = 0
            let first = LineTask()
            let partial = try Trainer(options: o, seed: 5).fit(first, checkpointURL: url) {
                if case .validated = $0 { validations += 1; return validations == 2 ? .stop : .proceed }
                return .proceed
            }
            XCTAssertTrue(partial.interrupted)
            XCTAssertEqual(partial.steps, 6)
            let resumed = LineTask(seed: 77)
            let summary = try Trainer(options: o, seed: 5).fit(resumed, checkpointURL: url, resume: true)
            XCTAssertFalse(summary.interrupted)
            XCTAssertEqual(resumed.trainingBatches, Array(full.trainingBatches.dropFirst(6)), "\(order)")
            XCTAssertEqual(resumed.weights, full.weights, "\(order)")
        }
    }

    func testLearningRatesFollowTheWarmupShareAndCosineDecay() throws {
        let task = LineTask(training: 40, validation: 0)
        var o = TrainerOptions(epochs: 2, batchSize: 8, learningRate: 0.1)
        o.warmup = .fraction(0.25)
        o.minLearningRate = 0.01
        var rates: [Float] = []
        _ = try Trainer(options: o, seed: 1).fit(task) { event in
            if case let .step(_, _, _, lr) = event { rates.append(lr) }
            return .proceed
        }
        let schedule = WarmupCosineSchedule(peak: 0.1, warmupSteps: 2, totalSteps: 10, minimum: 0.01)
        XCTAssertEqual(rates, (0..<10).map { schedule.learningRate(at: $0) })
        XCTAssertEqual(task.progresses, (0..<10).map { Float($0) / 10 })
    }

    func testNonFiniteLossFailsOrIsReported() throws {
        let failing = LineTask()
        try failing.model.load(["weight": Tensor(shape: [1, 1], scalars: [.nan]), "bias": Tensor([0])])
        XCTAssertThrowsError(try Trainer(options: options(), seed: 1).fit(failing)) { error in
            guard case TrainingError.nonFiniteLoss(step: 0)? = error as? TrainingError else {
                return XCTFail("unexpected \(error)")
            }
        }
        let tolerant = LineTask(validation: 0)
        try tolerant.model.load(["weight": Tensor(shape: [1, 1], scalars: [.nan]), "bias": Tensor([0])])
        var o = options(epochs: 1)
        o.failsOnNonFiniteLoss = false
        var losses: [Float] = []
        let summary = try Trainer(options: o, seed: 1).fit(tolerant) { event in
            if case let .step(_, _, loss, _) = event { losses.append(loss) }
            return .proceed
        }
        XCTAssertEqual(summary.steps, 5)
        XCTAssertTrue(losses.allSatisfy(\.isNaN))
    }
}
