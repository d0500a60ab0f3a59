@testable import TSFCModels
import Foundation
import XCTest
import TSFCBackbone
import TSFCNN
import TSFCOptim
import TSFCTensor
@testable import TSFC

/// The forecaster on a real causal decoder: trainable/frozen parameters and the KV-cached rollout.
final class BackboneForecasterTests: XCTestCase {
    func makeModel(kind: String, seed: UInt64 = 3) throws -> Forecaster {
        var config = ModelConfiguration()
        config.segmentLength = 6
        config.contextSegments = 4
        config.embeddingHidden = 12
        config.embeddingDropout = 0
        config.backbone.kind = .scratch
        config.backbone.layers = 2
        config.backbone.width = 16
        config.backbone.heads = 4
        config.backbone.dropout = 0
        let model = try ModelFactory.makeForecaster(config, seed: seed)
        if kind == "frozen" { model.backbone.freeze() }
        model.eval()
        return model
    }

    func testGradientsReachExactlyTheTrainableParametersAndFrozenBackboneIsUntouched() throws {
        let model = try makeModel(kind: "frozen")
        let backboneBefore = model.backbone.parameters().map { $0.value.scalars }
        let adapterBefore = model.adapter.parameters().map { $0.value.scalars }
        var rng = SeededGenerator(seed: 1)
        let windows = Tensor.randomNormal([5, 30], using: &rng)
        let trainable = model.trainableParameters()
        XCTAssertEqual(Set(trainable.map(ObjectIdentifier.init)), Set(model.adapter.parameters().map(ObjectIdentifier.init)))
        let (_, grads) = TSFCNN.valueAndGradient(for: trainable) { model.loss(windows: windows) }
        XCTAssertTrue(grads.allSatisfy { g in g.scalars.contains { $0 != 0 } }, "every adapter parameter gets a gradient")
        XCTAssertTrue(model.backbone.parameters().allSatisfy { $0.gradient == nil })
        AdamW(learningRate: 1e-2).step(model.parameters())
        XCTAssertEqual(model.backbone.parameters().map { $0.value.scalars }, backboneBefore)
        XCTAssertNotEqual(model.adapter.parameters().map { $0.value.scalars }, adapterBefore)
    }

    func testAdapterGradientMatchesFiniteDifferencesThroughFrozenDecoder() throws {
        let model = try makeModel(kind: "frozen")
        var rng = SeededGenerator(seed: 2)
        let windows = Tensor.randomNormal([3, 30], using: &rng)
        let p = model.adapter.parameters()[0]
        let (_, grads) = TSFCNN.valueAndGradient(for: [p]) { model.loss(windows: windows) }
        for i in stride(from: 0, to: p.value.count, by: 37) {
            let saved = p.value
            var plus = saved.scalars, minus = saved.scalars
            plus[i] += 1e-2; minus[i] -= 1e-2
            p.value = Tensor(shape: saved.shape, scalars: plus)
            let fp = model.loss(windows: windows).item
            p.value = Tensor(shape: saved.shape, scalars: minus)
            let fm = model.loss(windows: windows).item
            p.value = saved
            let numeric = (fp - fm) / 2e-2
            XCTAssertEqual(grads[0].scalars[i], numeric, accuracy: 2e-2 * max(1, abs(numeric)))
        }
    }

    func testCachedRolloutEqualsRecomputationUnderTheSameNormalisation() throws {
        let model = try makeModel(kind: "scratch")
        var rng = SeededGenerator(seed: 4)
        let context = Tensor.randomNormal([3, 24], using: &rng) * 2 + 1
        let cached = withoutGradients { model.growingRollout(context, steps: 5, useCache: true) }
        let recomputed = withoutGradients { model.growingRollout(context, steps: 5, useCache: false) }
        for (a, b) in zip(cached, recomputed) { XCTAssertLessThan(a.maxAbsDifference(b), 1e-4) }
        // The public API truncates the same rollout: 5 steps of 6 → 27 points.
        let forecast = model.forecast(context: context, horizon: 27, mode: .cached)
        XCTAssertEqual(forecast.shape, [3, 27])
        XCTAssertLessThan(forecast.maxAbsDifference(Tensor.concat(cached, axis: 1).slice(axis: 1, 0..<27)), 1e-5)
        // The cached mode keeps the first context's normalisation, so it differs from the paper's loop.
        let sliding = model.forecast(context: context, horizon: 27, mode: .renormalize)
        XCTAssertGreaterThan(sliding.maxAbsDifference(forecast), 1e-4)
    }
}
