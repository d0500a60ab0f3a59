// Every registered model family round-trips: YAML → configuration → training (a few steps on
// ETTh1's OT column) → bundle → load → the same forecast.
import Foundation
import XCTest
@testable import TSFC

final class RegistryTests: XCTestCase {
    /// A tiny YAML configuration for each family (every family must have one here).
    static let tinyModels: [ModelKind: String] = [
        .autotimes: "segment_length: 8\n  context_segments: 3\n  embedding_hidden: 8\n  backbone: {layers: 1, width: 8, heads: 2}",
        .timeLLM: "context_length: 32\n  horizon: 8\n  time_llm: {prototypes: 12, key_width: 4, heads: 2, patch_width: 8}\n  backbone: {layers: 1, width: 16, heads: 2}",
        .spacetime: "context_length: 24\n  horizon: 8\n  spacetime: {state_size: 6, view_repeats: 2, moving_average_windows: [3, 6], encoder_kernels: 3}\n  backbone: {kind: none}",
        .arnet: "context_length: 12\n  horizon: 4\n  backbone: {kind: none}",
        .classicAR: "context_length: 12\n  horizon: 4\n  backbone: {kind: none}",
        .dlinear: "context_length: 24\n  horizon: 4\n  backbone: {kind: none}",
        .nlinear: "context_length: 24\n  horizon: 4\n  backbone: {kind: none}",
        .patchQuantile: "patch_quantile: {patch_length: 4, max_context: 24, output_length: 4, hidden: 8, quantiles: [0.1, 0.5, 0.9]}\n  backbone: {layers: 1, width: 8, heads: 2}",
    ]

    /// Trains `config` and keeps the model and its bundle metadata.
    static func train(_ config: RunConfiguration) throws -> (any ForecastingModel, BundleMetadata) {
        let outcome = try TrainingRun.run(config)
        return (outcome.forecaster, outcome.metadata)
    }

    func testEveryFamilyRoundTripsThroughYAMLTrainingAndABundle() throws {
        XCTAssertEqual(Set(ModelRegistry.kinds), Set(Self.tinyModels.keys), "a registered family has no round-trip case")
        XCTAssertEqual(ModelRegistry.kinds, ModelKind.allCases, "every model.adapter value has exactly one family")
        let data = ShippedModelTests.root.appendingPathComponent("Data/ETTh1.csv").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for family in ModelRegistry.families {
            let yaml = """
            version: 1
            seed: 3
            data: {path: "\(data)", columns: [OT]}
            model:
              adapter: \(family.kind)
              \(Self.tinyModels[family.kind]!)
            training: {epochs: 1, batch_size: 16, max_train_windows: 32, max_validation_windows: 16, warmup_steps: 0}
            """
            let config = try ConfigurationLoader.load(yaml: yaml, file: "\(family.kind).yaml")
            XCTAssertEqual(config.model.adapter, family.kind)
            let (trained, trainedMetadata) = try Self.train(config)
            let name = family.kind.rawValue
            let url = dir.appendingPathComponent("\(name).tsfc")
            try ModelBundle.write(trained, metadata: trainedMetadata, to: url)
            let (loaded, metadata) = try ModelBundle.loadForecaster(contentsOf: url)
            XCTAssertEqual(metadata.configuration.model, config.model, name)
            XCTAssertTrue(ObjectIdentifier(type(of: loaded)) == ObjectIdentifier(type(of: trained)), name)
            trained.eval()
            var rng = SeededGenerator(seed: 4)
            let context = Tensor.randomNormal([2, loaded.contextLength], using: &rng)
            let expected = trained.forecast(context: context, horizon: 10)
            XCTAssertEqual(loaded.forecast(context: context, horizon: 10).scalars, expected.scalars, name)
            XCTAssertTrue(expected.scalars.allSatisfy(\.isFinite), name)
        }
    }
}
