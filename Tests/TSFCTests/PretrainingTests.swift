// Pretraining on the corpus: windows are reproducible, never leak validation series, respect the
// context budget, and a short run of a tiny model learns (its validation pinball loss falls).
@testable import TSFC
import TSFCTestSupport
import XCTest

final class PretrainingTests: XCTestCase {
    func tinyConfiguration(steps: Int) -> RunConfiguration {
        var c = RunConfiguration()
        c.seed = 11
        c.data.source = .corpus
        c.corpus.realPaths = []
        c.corpus.weights.real = 0
        c.corpus.maxLength = 300
        c.corpus.validationFraction = 0.05
        c.model.adapter = .patchQuantile
        c.model.backbone.layers = 1
        c.model.backbone.width = 16
        c.model.backbone.heads = 2
        c.model.backbone.dropout = 0
        c.model.patchQuantile.patchLength = 4
        c.model.patchQuantile.outputLength = 8
        c.model.patchQuantile.hidden = 16
        c.model.patchQuantile.maxContext = 128
        c.model.patchQuantile.quantiles = [0.1, 0.5, 0.9]
        c.pretraining.steps = steps
        c.pretraining.validationWindows = 32
        c.pretraining.trainingContext = 64
        c.training.batchSize = 16
        c.training.learningRate = 3e-3
        c.training.warmupSteps = 5
        c.training.validateEvery = steps
        return c
    }

    func task(_ c: RunConfiguration) throws -> PretrainingTask {
        let corpus = try PretrainingCorpus(settings: c.corpus, dataRoot: Checkout.root.appendingPathComponent("Data"))
        let model = try PatchQuantileModel(configuration: c.model, seed: c.seed)
        return PretrainingTask(model: model, corpus: corpus, settings: c.pretraining,
                               examples: c.pretraining.steps * c.training.batchSize, seed: c.seed)
    }

    func testWindowsAreReproducibleAndRespectTheBudget() throws {
        let c = tinyConfiguration(steps: 10)
        let a = try task(c), b = try task(c)
        XCTAssertEqual(a.trainingCount, 160)
        XCTAssertEqual(a.validationCount, 32)
        for k in 0..<40 {
            let budget = a.contextBudget(batchKey: k)
            XCTAssertEqual(budget, b.contextBudget(batchKey: k))
            XCTAssertGreaterThanOrEqual(budget, c.model.patchQuantile.minimumContext)
            XCTAssertLessThanOrEqual(budget, c.model.patchQuantile.maxContext)
            let w = a.window(corpusIndex: a.trainingIndices[k], budget: budget)
            XCTAssertEqual(w.history, b.window(corpusIndex: b.trainingIndices[k], budget: budget).history)
            XCTAssertLessThanOrEqual(w.history.count, budget)
            XCTAssertGreaterThanOrEqual(w.target.count, 1)
            XCTAssertLessThanOrEqual(w.target.count, c.model.patchQuantile.outputLength)
            // The window is a contiguous piece of the series: history then target.
            let values = a.corpus.series(at: a.trainingIndices[k]).values
            let joined = w.history + w.target
            XCTAssertTrue((0...(values.count - joined.count)).contains { Array(values[$0..<($0 + joined.count)]) == joined })
        }
    }

    func testTrainingNeverDrawsAValidationSeries() throws {
        let t = try task(tinyConfiguration(steps: 20))
        XCTAssertTrue(Set(t.trainingIndices).isDisjoint(with: t.validationIndices))
        XCTAssertTrue(t.validationIndices.allSatisfy { t.corpus.isValidation(index: $0) })
        XCTAssertFalse(t.trainingIndices.contains { t.corpus.isValidation(index: $0) })
    }

    func testAShortRunLearnsAndReproduces() throws {
        let c = tinyConfiguration(steps: 60)
        let before = try task(c)
        let initial = try withoutGradients { try before.validationLoss(indices: Array(0..<before.validationCount)) }
        let root = Checkout.root.appendingPathComponent("Data")
        let first = try PretrainingRun.run(c, dataRoot: root)
        let second = try PretrainingRun.run(c, dataRoot: root)
        XCTAssertLessThan(first.summary.bestValidationLoss, 0.8 * Double(initial))
        XCTAssertEqual(first.summary.bestValidationLoss, second.summary.bestValidationLoss)
        XCTAssertEqual(first.forecaster.parameterDictionary()["head.down.weight"]?.scalars,
                       second.forecaster.parameterDictionary()["head.down.weight"]?.scalars)
    }
}
