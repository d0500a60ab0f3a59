// Bundles written before the token forecaster (SpaceTime and AR-Net on the decoder with their
// layers at the model's root, Time-LLM under `model.`) still load and forecast identically.
import Foundation
import XCTest
@testable import TSFC

final class LegacyBundleTests: XCTestCase {
    func tinyConfigs() -> [(String, ModelConfiguration, (String) -> String)] {
        var spacetime = ModelConfiguration()
        spacetime.adapter = .spacetime
        spacetime.contextLengthPoints = 24
        spacetime.segmentLength = 8
        spacetime.spacetime.stateSize = 6
        spacetime.spacetime.viewRepeats = 2
        spacetime.spacetime.movingAverageWindows = [3, 6]
        spacetime.spacetime.encoderKernels = 3
        var arnet = ModelConfiguration()
        arnet.adapter = .arnet
        arnet.contextLengthPoints = 12
        arnet.horizon = 4
        arnet.arnet.lags = 5
        var timellm = ModelConfiguration()
        timellm.adapter = .timeLLM
        timellm.contextLengthPoints = 32
        timellm.horizon = 8
        timellm.timeLLM.prototypes = 12
        timellm.timeLLM.keyWidth = 4
        timellm.timeLLM.heads = 2
        for i in [0, 1] {
            var c = [spacetime, arnet][i]
            c.backbone.layers = 1; c.backbone.width = 8; c.backbone.heads = 2; c.backbone.dropout = 0
            if i == 0 { spacetime = c } else { arnet = c }
        }
        timellm.backbone.layers = 1; timellm.backbone.width = 16; timellm.backbone.heads = 2; timellm.backbone.dropout = 0
        // How each family named its tensors before: root-level layers; Time-LLM's model owned the decoder.
        let root: (String) -> String = { $0.hasPrefix("adapter.") ? String($0.dropFirst("adapter.".count)) : $0 }
        let timeLLMNames: (String) -> String = { "model." + root($0) }
        return [("spacetime", spacetime, root), ("arnet", arnet, root), ("time-llm", timellm, timeLLMNames)]
    }

    func testBundlesWithPreTokenForecasterNamesLoadAndForecastIdentically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, config, legacyName) in tinyConfigs() {
            let model = try ModelFactory.makeModel(config, seed: 21)
            model.eval()
            var rng = SeededGenerator(seed: 22)
            let context = Tensor.randomNormal([2, config.contextLength], using: &rng)
            let expected = model.forecast(context: context, horizon: 10)
            let old = Dictionary(uniqueKeysWithValues: model.parameterDictionary().map { (legacyName($0.key), $0.value) })
            XCTAssertFalse(old.keys.contains { $0.hasPrefix("adapter.") }, name)
            var run = RunConfiguration()
            run.model = config
            let metadata = BundleMetadata(configuration: run, columns: ["x"], mean: [0], std: [1], frequencySeconds: nil,
                                          trainingSteps: 0, trainingSeconds: 0, bestValidationLoss: 0,
                                          backbone: model.decoderConfiguration)
            let url = dir.appendingPathComponent("\(name).tsfc")
            try ModelBundle.write(parameters: old, metadata: metadata, to: url)
            let (loaded, _) = try ModelBundle.loadForecaster(contentsOf: url)
            XCTAssertEqual(loaded.forecast(context: context, horizon: 10).scalars, expected.scalars, name)
            // A bundle whose names fit neither layout is still refused.
            var broken = old
            broken["unrelated.weight"] = Tensor([1])
            try ModelBundle.write(parameters: broken, metadata: metadata, to: url)
            XCTAssertThrowsError(try ModelBundle.loadForecaster(contentsOf: url), name)
        }
    }
}
