import Foundation
import TSFCTestSupport
import XCTest
@testable import TSFC

/// Every key is optional: a YAML file or a bundle's JSON configuration is merged over the encoded
/// defaults, so missing or null keys take their default and present ones keep their exact value.
final class ConfigurationDefaultsTests: XCTestCase {
    func testMissingAndNullKeysTakeTheDefaults() throws {
        XCTAssertEqual(try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml"), RunConfiguration())
        let c = try ConfigurationLoader.load(yaml: "version: 1\nseed: ~\nmodel:\ntraining:\n  epochs: 3\n  batch_size:\n", file: "c.yaml")
        var expected = RunConfiguration()
        expected.training.epochs = 3
        XCTAssertEqual(c, expected)
    }

    func testEveryShippedConfigLoads() throws {
        let folder = Checkout.root.appendingPathComponent("Configs")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(files.count, 11)
        for file in files {
            let c = try ConfigurationLoader.load(contentsOf: file)
            XCTAssertEqual(try ConfigurationLoader.load(yaml: try ConfigurationLoader.yaml(of: c), file: "resolved.yaml"), c,
                           file.lastPathComponent)
        }
    }

    /// The metadata block of the shipped bundle, as JSON objects.
    func shippedMetadata() throws -> (json: Data, object: [String: Any]) {
        let bundle = Checkout.data("models/autotimes-etth1.tsfc")
        let json = Data(try XCTUnwrap(try Safetensors.readMetadata(contentsOf: bundle)["tsfc"]).utf8)
        return (json, try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any]))
    }

    /// Whether every key of `part` is in `whole` with an equal value (numbers compared as numbers).
    static func contained(_ part: Any, in whole: Any) -> Bool {
        if let p = part as? [String: Any] {
            guard let w = whole as? [String: Any] else { return false }
            return p.allSatisfy { key, value in w[key].map { contained(value, in: $0) } ?? false }
        }
        if let p = part as? [Any] {
            guard let w = whole as? [Any], w.count == p.count else { return false }
            return zip(p, w).allSatisfy { contained($0, in: $1) }
        }
        return (part as? NSObject)?.isEqual(whole) ?? false
    }

    func testShippedBundleKeepsEveryStoredValueAndFillsTheKeysAddedSince() throws {
        let (json, object) = try shippedMetadata()
        // Written before detection:, time_llm:, spacetime: and arnet: existed: a strict decode fails.
        XCTAssertThrowsError(try JSONDecoder().decode(BundleMetadata.self, from: json))
        let decoded = try ModelBundle.decodeMetadata(json)
        let stored = try XCTUnwrap(object["configuration"] as? [String: Any])
        XCTAssertNil(stored["detection"])
        let reencoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(decoded.configuration))
        XCTAssertTrue(Self.contained(stored, in: reencoded), "every stored key keeps its value")
        XCTAssertFalse(Self.contained(stored, in: try JSONSerialization.jsonObject(with: try JSONEncoder().encode(RunConfiguration()))),
                       "the shipped configuration differs from the defaults, so the check above can fail")
        XCTAssertEqual(decoded.configuration.detection, DetectionConfiguration())
        XCTAssertEqual(decoded.configuration.model.timeLLM, TimeLLMConfiguration())
        XCTAssertEqual(decoded.configurationHash, object["configurationHash"] as? String)
    }

    func testBundleMetadataWithMissingKeysTakesTheDefaults() throws {
        let (json, object) = try shippedMetadata()
        let full = try ModelBundle.decodeMetadata(json)
        var stripped = object
        var configuration = try XCTUnwrap(object["configuration"] as? [String: Any])
        var training = try XCTUnwrap(configuration["training"] as? [String: Any])
        var model = try XCTUnwrap(configuration["model"] as? [String: Any])
        var backbone = try XCTUnwrap(model["backbone"] as? [String: Any])
        training["epochs"] = nil
        training["batch_size"] = NSNull()
        backbone["lora_rank"] = nil
        model["spacetime"] = nil
        model["backbone"] = backbone
        configuration["detection"] = nil
        configuration["training"] = training
        configuration["model"] = model
        stripped["configuration"] = configuration
        let strippedJSON = try JSONSerialization.data(withJSONObject: stripped)
        var expected = full.configuration
        expected.training.epochs = TrainingConfiguration().epochs
        expected.training.batchSize = TrainingConfiguration().batchSize
        expected.model.backbone.loraRank = BackboneConfiguration().loraRank
        expected.model.spacetime = SpaceTimeConfiguration()
        expected.detection = DetectionConfiguration()
        let decoded = try ModelBundle.decodeMetadata(strippedJSON)
        XCTAssertEqual(decoded.configuration, expected)
        XCTAssertEqual(decoded.mean, full.mean)
        XCTAssertEqual(decoded.backbone, full.backbone)

        stripped["configuration"] = [String: Any]()
        XCTAssertEqual(try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: stripped)).configuration,
                       RunConfiguration())
    }

    func testDetectorThresholdRuleWithMissingKeysTakesTheDefaults() throws {
        var (_, object) = try shippedMetadata()
        object["detector"] = ["scorer": "residual", "aggregation": "max", "threshold": 1.5, "calibrationCount": 100,
                              "thresholdRule": ["method": "pot"]]
        let decoded = try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(decoded.detector?.scorer, .residual)
        XCTAssertEqual(decoded.detector?.thresholdRule, ThresholdConfiguration(method: .pot, value: ThresholdConfiguration().value))
        object["detector"] = ["scorer": "lstm", "aggregation": "max", "threshold": 1.5, "calibrationCount": 100,
                              "thresholdRule": ["method": "pot"]]
        XCTAssertThrowsError(try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: object))) {
            XCTAssertTrue("\($0)".contains("reconstruction"), "\($0)")
        }
    }
}
