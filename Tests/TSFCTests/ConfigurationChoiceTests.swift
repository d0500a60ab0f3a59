import TSFCTestSupport
import XCTest
@testable import TSFC

/// Every closed set of the configuration: each value round-trips through YAML and `--set`, and
/// any other value is refused with the file, line and column and the allowed values.
final class ConfigurationChoiceTests: XCTestCase {
    /// A key holding a `ConfigurationChoice`: its path, its values, how to read it back, and the
    /// overrides that make a value part of a valid configuration.
    struct ChoiceKey {
        let path: [String]
        let values: [String]
        let read: (RunConfiguration) -> String
        var context: (String) -> [String] = { _ in [] }
    }

    var tokenizerDirectory: URL!

    override func setUpWithError() throws {
        tokenizerDirectory = try makeTemporaryDirectory("tsfc-choice", removedAfter: self)
        try writeFile("{}", named: "tokenizer.json", in: tokenizerDirectory)
    }

    var keys: [ChoiceKey] {
        let pretrained = ["model.backbone.kind=pretrained", "model.backbone.path=\(tokenizerDirectory.path)"]
        return [
            ChoiceKey(path: ["model", "adapter"], values: ModelKind.allowedValues, read: { $0.model.adapter.rawValue },
                      context: { kind in
                          switch kind {
                          case "classic-ar": return ["model.backbone.kind=none"]
                          case "dlinear", "nlinear": return ["model.backbone.kind=none", "model.context_length=24", "model.horizon=4"]
                          default: return []
                          }
                      }),
            ChoiceKey(path: ["model", "backbone", "kind"], values: BackboneKind.allowedValues,
                      read: { $0.model.backbone.kind.rawValue },
                      context: { $0 == "pretrained" ? [pretrained[1]] : [] }),
            ChoiceKey(path: ["model", "timestamps"], values: TimestampMode.allowedValues, read: { $0.model.timestamps.rawValue },
                      context: { $0 == "text" ? pretrained : [] }),
            ChoiceKey(path: ["model", "embedding_activation"], values: Activation.allowedValues,
                      read: { $0.model.embeddingActivation.rawValue }),
            ChoiceKey(path: ["model", "spacetime", "normalization"], values: SpaceTimeNormalization.allowedValues,
                      read: { $0.model.spacetime.normalization.rawValue }),
            ChoiceKey(path: ["data", "split"], values: SplitKind.allowedValues, read: { $0.data.split.rawValue }),
            ChoiceKey(path: ["data", "date_format"], values: DateFormatSetting.allowedValues, read: { $0.data.dateFormat.rawValue }),
            ChoiceKey(path: ["evaluation", "rollout"], values: RolloutMode.allowedValues, read: { $0.evaluation.rollout.rawValue }),
            ChoiceKey(path: ["detection", "scorer"], values: ScorerKind.allowedValues, read: { $0.detection.scorer.rawValue }),
            ChoiceKey(path: ["detection", "aggregation"], values: ScoreAggregation.allowedValues,
                      read: { $0.detection.aggregation.rawValue }),
            ChoiceKey(path: ["detection", "threshold", "method"], values: ThresholdMethodName.allowedValues,
                      read: { $0.detection.threshold.method.rawValue },
                      context: { _ in ["detection.threshold.value=0.001"] }),   // in range for every method
        ]
    }

    /// `version: 1`, then `path` nested one key per line (two spaces per level) ending in `value`.
    static func nested(_ path: [String], _ value: String) -> String {
        var text = "version: 1\n"
        for (depth, key) in path.enumerated() {
            text += String(repeating: "  ", count: depth) + key + ":" + (depth == path.count - 1 ? " \(value)" : "") + "\n"
        }
        return text
    }

    func testEnumsHoldTheDocumentedValues() {
        XCTAssertEqual(ModelKind.allowedValues, ["autotimes", "time-llm", "spacetime", "arnet", "classic-ar", "dlinear", "nlinear", "patch-quantile"])
        XCTAssertEqual(BackboneKind.allowedValues, ["scratch", "pretrained", "none"])
        XCTAssertEqual(TimestampMode.allowedValues, ["none", "calendar", "text"])
        XCTAssertEqual(ScorerKind.allowedValues, ["none", "residual", "reconstruction", "knn", "lof", "ridge", "ensemble"])
        XCTAssertEqual(ThresholdMethodName.allowedValues, ["quantile", "zscore", "ksigma", "contamination", "pot"])
        XCTAssertEqual("\(ModelKind.timeLLM)", "time-llm", "a value prints as its YAML string")
    }

    func testEveryValueRoundTripsThroughYAMLAndSet() throws {
        for key in keys {
            XCTAssertFalse(key.values.isEmpty)
            for value in key.values {
                let name = "\(key.path.joined(separator: "."))=\(value)"
                let fromFile = try ConfigurationLoader.load(yaml: Self.nested(key.path, value), file: "c.yaml",
                                                            overrides: key.context(value))
                XCTAssertEqual(key.read(fromFile), value, name)
                let fromSet = try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml",
                                                           overrides: [name] + key.context(value))
                XCTAssertEqual(fromSet, fromFile, name)
                let resolved = try ConfigurationLoader.yaml(of: fromFile)
                XCTAssertEqual(try ConfigurationLoader.load(yaml: resolved, file: "resolved.yaml"), fromFile, name)
            }
        }
    }

    func testEveryWrongValueIsLocatedAndListsTheAllowedValues() {
        for key in keys {
            let dotted = key.path.joined(separator: ".")
            let line = key.path.count + 1
            let column = 2 * (key.path.count - 1) + key.path[key.path.count - 1].count + 3
            XCTAssertThrowsError(try ConfigurationLoader.load(yaml: Self.nested(key.path, "bogus-value"), file: "w.yaml"), dotted) { error in
                guard let e = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.line, line, e.description)
                XCTAssertEqual(e.column, column, e.description)
                XCTAssertTrue(e.description.hasPrefix("w.yaml:\(line):\(column): '\(dotted)' "), e.description)
                XCTAssertTrue(e.description.contains("bogus-value"), e.description)
                for value in key.values { XCTAssertTrue(e.message.contains(value), "\(value) missing from: \(e.message)") }
            }
            // An override's value is not in the file: the message names the key, without a line.
            XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\n", file: "w.yaml", overrides: ["\(dotted)=bogus-value"])) { error in
                guard let e = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertNil(e.line, e.description)
                XCTAssertTrue(e.description.hasPrefix("w.yaml: '\(dotted)' "), e.description)
                for value in key.values { XCTAssertTrue(e.message.contains(value), "\(value) missing from: \(e.message)") }
            }
        }
    }

    /// `ThresholdMethod(name:value:)` and the configuration loader accept exactly the same rules.
    func testThresholdValidatorsAgree() throws {
        let names = ThresholdMethodName.allowedValues + ["k-sigma", "z-score", "Quantile", "median"]
        let values: [(Double, String)] = [(-1, "-1"), (0, "0"), (1e-4, "0.0001"), (0.019, "0.019"), (0.02, "0.02"),
                                          (0.3, "0.3"), (0.5, "0.5"), (0.7, "0.7"), (0.995, "0.995"), (1, "1"), (3, "3"),
                                          (.nan, ".nan"), (.infinity, ".inf")]
        var accepted = 0
        for name in names {
            for (value, yaml) in values {
                let byRule = (try? ThresholdMethod(name: name, value: value)) != nil
                let byConfig = (try? ConfigurationLoader.load(yaml: "detection:\n  scorer: residual\n  threshold: {method: \(name), value: \(yaml)}\n",
                                                              file: "t.yaml")) != nil
                XCTAssertEqual(byRule, byConfig, "\(name) \(value)")
                if let method = ThresholdMethodName(rawValue: name) {
                    XCTAssertEqual(ThresholdConfiguration(method: method, value: value).problem == nil, byRule, "\(name) \(value)")
                }
                if byRule { accepted += 1 }
            }
        }
        XCTAssertGreaterThan(accepted, 10)
        XCTAssertThrowsError(try ThresholdMethod(name: "k-sigma", value: 3))
        XCTAssertEqual(try ThresholdMethod(name: "contamination", value: 0.5), .contamination(0.5))
    }
}
