import Foundation
import XCTest
import TSFCModels
import TSFCNN
import TSFCTensor
@testable import TSFC

final class SpaceTimeForecasterTests: XCTestCase {
    func tinyConfig(backbone: BackboneKind) -> ModelConfiguration {
        var m = ModelConfiguration()
        m.adapter = .spacetime
        m.contextLengthPoints = 24
        m.horizon = 8
        m.segmentLength = 8
        m.spacetime.stateSize = 6
        m.spacetime.viewRepeats = 2
        m.spacetime.movingAverageWindows = [3, 6]
        m.spacetime.encoderKernels = 3
        m.spacetime.dropout = 0
        m.backbone.kind = backbone
        m.backbone.layers = 1
        m.backbone.width = 8
        m.backbone.heads = 2
        m.backbone.dropout = 0
        if backbone != .none { m.horizon = 0 }
        return m
    }

    func testBundleRoundTripGivesIdenticalForecasts() throws {
        for kind in [BackboneKind.none, .scratch] {
            var run = RunConfiguration()
            run.model = tinyConfig(backbone: kind)
            let model = try ModelFactory.makeModel(run.model, seed: 5)
            model.eval()
            var rng = SeededGenerator(seed: 8)
            let context = Tensor.randomNormal([3, 24], using: &rng)
            let before = model.forecast(context: context, horizon: 30)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("spacetime-\(UUID()).tsfc")
            defer { try? FileManager.default.removeItem(at: url) }
            let metadata = BundleMetadata(configuration: run, columns: ["x"], mean: [0], std: [1], frequencySeconds: nil,
                                          trainingSteps: 0, trainingSeconds: 0, bestValidationLoss: 0,
                                          backbone: model.decoderConfiguration)
            try ModelBundle.write(model, metadata: metadata, to: url)
            let (loaded, _) = try ModelBundle.loadForecaster(contentsOf: url)
            XCTAssertTrue(kind == .none ? loaded is SpaceTimeModel : loaded is SpaceTimeDecoderForecaster)
            let after = loaded.forecast(context: context, horizon: 30)
            XCTAssertEqual(after.shape, [3, 30])
            XCTAssertEqual(before.scalars, after.scalars, kind.rawValue)
            // A different seed gives different weights, so the equality above is not vacuous.
            let other = try ModelFactory.makeModel(run.model, seed: 6)
            other.eval()
            XCTAssertGreaterThan(other.forecast(context: context, horizon: 30).maxAbsDifference(before), 1e-4)
        }
    }

    func testStandaloneLossIsClosedLoopHorizonMSEAndForecastIsShiftEquivariant() throws {
        let model = try ModelFactory.makeModel(tinyConfig(backbone: .none), seed: 2) as! SpaceTimeModel
        model.eval()
        var rng = SeededGenerator(seed: 9)
        let windows = Tensor.randomNormal([4, 32], using: &rng)
        let context = windows.slice(axis: 1, 0..<24)
        let f = model.forecast(context: context, horizon: 8)
        XCTAssertEqual(model.loss(windows: windows, marks: nil).item,
                       Loss.meanSquaredError(f, windows.slice(axis: 1, 24..<32)).item, accuracy: 1e-5)
        // The lag mean is taken out and added back: shifting the context shifts the forecast.
        XCTAssertLessThan((model.forecast(context: context + 5, horizon: 8) - 5).maxAbsDifference(f), 1e-3)
        // The closed loop is causal in the horizon: a longer rollout starts with the shorter one.
        XCTAssertLessThan(model.forecast(context: context, horizon: 20).slice(axis: 1, 0..<8).maxAbsDifference(f), 1e-5)
    }

    func testTrainingLossIsTheWeightedSumOfThreeRMSETerms() throws {
        var config = tinyConfig(backbone: .none)
        config.spacetime.lossWeights = [0.5, 2, 3]
        let model = try ModelFactory.makeModel(config, seed: 3) as! SpaceTimeModel
        model.eval()
        var rng = SeededGenerator(seed: 10)
        let windows = Tensor.randomNormal([2, 32], using: &rng)
        let terms = model.network.lossTerms(windows: windows, lag: 24)
        XCTAssertEqual(terms.horizon.item * terms.horizon.item, model.loss(windows: windows, marks: nil).item, accuracy: 1e-4)
        let total = model.trainingLoss(windows: windows, marks: nil, progress: 0).item
        XCTAssertEqual(total, 0.5 * terms.horizon.item + 2 * terms.oneStep.item + 3 * terms.nextInput.item, accuracy: 1e-4)
        // The one-step term scores open-loop outputs d−1 … L−1 against points d … L (d = 6).
        let out = model.network(windows.slice(axis: 1, 0..<24), horizon: 8, training: true)
        let manual = (out.oneStep!.slice(axis: 1, 5..<24) - windows.slice(axis: 1, 6..<25)).squared().mean().sqrt()
        XCTAssertEqual(terms.oneStep.item, manual.item, accuracy: 1e-5)
    }

    func testBackboneTokensAreEncoderFeaturesAtSegmentBoundaries() throws {
        let model = try ModelFactory.makeModel(tinyConfig(backbone: .scratch), seed: 4) as! SpaceTimeDecoderForecaster
        model.eval()
        var rng = SeededGenerator(seed: 12)
        let context = Tensor.randomNormal([2, 24], using: &rng)
        let segments = model.nextSegments(context)                      // [2, 3, 8]
        XCTAssertEqual(segments.shape, [2, 3, 8])
        // Causality through the encoder and the decoder: a mean-preserving change of the last
        // segment (+1 then −1) leaves the predictions at the first two boundaries unchanged and
        // changes the last.
        var changed = context.scalars
        for i in 0..<2 { for t in 16..<24 { changed[i * 24 + t] += t < 20 ? 1 : -1 } }
        let other = model.nextSegments(Tensor(shape: [2, 24], scalars: changed))
        XCTAssertLessThan(segments.slice(axis: 1, 0..<2).maxAbsDifference(other.slice(axis: 1, 0..<2)), 1e-5)
        XCTAssertGreaterThan(segments.slice(axis: 1, 2..<3).maxAbsDifference(other.slice(axis: 1, 2..<3)), 1e-4)
        XCTAssertEqual(model.forecast(context: context, horizon: 20).shape, [2, 20])
    }

    func testConfigurationSectionParsesAndBadValuesAreNamed() throws {
        let yaml = """
        version: 1
        model:
          adapter: spacetime
          context_length: 336
          horizon: 96
          backbone:
            kind: none
          spacetime:
            state_size: 32
            moving_average_windows: [5, 10]
            view_repeats: 4
            encoder_kernels: 6
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        let c = try ConfigurationLoader.load(contentsOf: url)
        XCTAssertEqual(c.model.spacetime.stateSize, 32)
        XCTAssertEqual(c.model.spacetime.architecture.channels, 24)
        XCTAssertEqual(c.model.spacetime.encoderBlocks, 1)
        XCTAssertEqual(c.model.spacetime.normalization, .bounded, "a missing key means bounded (older bundles)")
        try (yaml + "\n    normalization: reference").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ConfigurationLoader.load(contentsOf: url).model.spacetime.architecture.normalization, .reference)
        try (yaml + "\n    normalization: l2").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigurationLoader.load(contentsOf: url)) { e in
            XCTAssertTrue("\(e)".contains("model.spacetime.normalization") && "\(e)".contains("bounded, reference"), "\(e)")
        }
        try yaml.replacingOccurrences(of: "encoder_kernels: 6", with: "encoder_kernels: 5").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigurationLoader.load(contentsOf: url)) { e in
            XCTAssertTrue("\(e)".contains("model.spacetime.encoder_kernels") && "\(e)".contains("24 channels"), "\(e)")
        }
        try yaml.replacingOccurrences(of: "kind: none", with: "kind: scratch").replacingOccurrences(of: "336", with: "330")
            .write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigurationLoader.load(contentsOf: url)) { e in
            XCTAssertTrue("\(e)".contains("model.context_length"), "\(e)")
        }
    }
}
