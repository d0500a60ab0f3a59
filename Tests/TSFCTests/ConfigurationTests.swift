import XCTest
@testable import TSFC
import TSFCTestSupport

final class ConfigurationTests: XCTestCase {
    func testDefaultsFillMissingKeys() throws {
        let c = try ConfigurationLoader.load(yaml: "version: 1\ntraining:\n  epochs: 3\n", file: "x.yaml")
        XCTAssertEqual(c.training.epochs, 3)
        XCTAssertEqual(c.training.batchSize, TrainingConfiguration().batchSize)
        XCTAssertEqual(c.model.segmentLength, 96)
    }

    func testTimestampModesAreValidated() throws {
        XCTAssertEqual(try ConfigurationLoader.load(yaml: "version: 1\n", file: "x.yaml").model.timestamps, .none)
        XCTAssertEqual(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  timestamps: calendar\n", file: "x.yaml").model.timestamps,
                       .calendar)
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  timestamps: dates\n", file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("none, calendar or text"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  timestamps: text\n", file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("pretrained"), "\(e)")
        }
        let dir = try makeTemporaryDirectory("tsfc-notok", removedAfter: self)
        let yaml = "version: 1\nmodel:\n  timestamps: text\n  backbone:\n    kind: pretrained\n    path: \(dir.path)\n"
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("tokenizer.json"), "\(e)")
        }
        try "{}".write(to: dir.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ConfigurationLoader.load(yaml: yaml, file: "x.yaml").model.timestamps, .text)
    }

    func testAdapterAndGenericLengthsAreValidated() throws {
        let c = try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  context_length: 672\n  horizon: 96\n", file: "x.yaml")
        XCTAssertEqual(c.model.contextLength, 672)
        XCTAssertEqual(c.model.horizonLength, 96)
        XCTAssertEqual(RunConfiguration().model.contextLength, 96 * 7)
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  adapter: prophet\n", file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("available adapters: autotimes"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  context_length: 500\n", file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("segment_length × context_segments = 672"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\nmodel:\n  horizon: 48\n", file: "x.yaml")) { e in
            XCTAssertTrue("\(e)".contains("one segment (96 points)"), "\(e)")
        }
    }

    func testUnknownKeyNamesKeyAndLine() {
        let yaml = "version: 1\nmodel:\n  segment_length: 48\n  segmnt_count: 3\n"
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "c.yaml")) { error in
            let e = error as! ConfigurationError
            XCTAssertEqual(e.line, 4)
            XCTAssertEqual(e.column, 3)
            XCTAssertTrue(e.description.contains("segmnt_count"), e.description)
            XCTAssertTrue(e.description.hasPrefix("c.yaml:4:3"), e.description)
        }
    }

    func testWrongTypeNamesKeyAndLine() {
        let yaml = "version: 1\ntraining:\n  epochs: many\n"
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "c.yaml")) { error in
            let e = error as! ConfigurationError
            XCTAssertEqual(e.line, 3)
            XCTAssertTrue(e.description.contains("training.epochs"), e.description)
            XCTAssertTrue(e.description.contains("integer"), e.description)
        }
    }

    func testOverridesApplyAndAreChecked() throws {
        let c = try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml",
                                             overrides: ["training.learning_rate=0.01", "model.backbone.layers=2"])
        XCTAssertEqual(c.training.learningRate, 0.01)
        XCTAssertEqual(c.model.backbone.layers, 2)
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml", overrides: ["training.lr=1"]))
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 1\n", file: "c.yaml", overrides: ["novalue"]))
    }

    func testNewerVersionAndBadValuesAreRefused() {
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "version: 99\n", file: "c.yaml")) {
            XCTAssertTrue("\($0)".contains("upgrade"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "training:\n  epochs: 0\n", file: "c.yaml"))
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "data:\n  split: weekly\n", file: "c.yaml"))
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "[1, 2]\n", file: "c.yaml"))
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "a: [\n", file: "c.yaml"))
    }

    func testResolvedYAMLRoundTrips() throws {
        var c = RunConfiguration()
        c.training.epochs = 7
        c.model.backbone.kind = .none
        let text = try ConfigurationLoader.yaml(of: c)
        XCTAssertEqual(try ConfigurationLoader.load(yaml: text, file: "resolved.yaml"), c)
    }
}
