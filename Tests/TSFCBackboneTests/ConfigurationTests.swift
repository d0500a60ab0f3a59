// DecoderConfiguration from Hugging Face config.json variants and tsfc's own format.
import Foundation
import TSFCBackbone
import TSFCNN
import XCTest
import TSFCTestSupport

final class ConfigurationTests: XCTestCase {
    func decode(_ json: String) throws -> DecoderConfiguration {
        try JSONDecoder().decode(DecoderConfiguration.self, from: Data(json.utf8))
    }

    func testGPT2FixtureConfig() throws {
        let c = try DecoderConfiguration.load(contentsOf: BackboneFixtures.directory("tiny-gpt2").appendingPathComponent("config.json"))
        XCTAssertEqual(c.family, .gpt2)
        XCTAssertEqual([c.layers, c.width, c.heads, c.kvHeads, c.headDim, c.mlpHidden, c.vocab, c.maxPositions],
                       [2, 64, 4, 4, 16, 256, 101, 32])
        XCTAssertEqual(c.activation, .geluTanh)
        XCTAssertEqual(c.normalization, .layerNorm)
        XCTAssertEqual(c.positionEncoding, .learned)
        XCTAssertTrue(c.tiedEmbeddings && c.attentionBias && c.mlpBias)
        XCTAssertEqual(c.normEps, 1e-5)
    }

    func testLlamaFixtureConfigReadsRopeParameters() throws {
        let c = try DecoderConfiguration.load(contentsOf: BackboneFixtures.directory("tiny-llama").appendingPathComponent("config.json"))
        XCTAssertEqual(c.family, .llama)
        XCTAssertEqual([c.layers, c.width, c.heads, c.kvHeads, c.headDim, c.mlpHidden, c.vocab], [2, 64, 4, 2, 16, 160, 103])
        XCTAssertEqual(c.ropeTheta, 10000)
        XCTAssertEqual(c.mlpKind, .gated)
        XCTAssertEqual(c.activation, .silu)
        XCTAssertFalse(c.tiedEmbeddings || c.attentionBias || c.mlpBias)
    }

    func testTopLevelRopeThetaAndQwen2Biases() throws {
        let llama = try decode("""
        {"model_type": "llama", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4,
         "intermediate_size": 64, "vocab_size": 10, "rope_theta": 500000.0, "rope_scaling": null,
         "rms_norm_eps": 1e-6, "attention_bias": true}
        """)
        XCTAssertEqual(llama.ropeTheta, 500000)
        XCTAssertEqual(llama.kvHeads, 4)
        XCTAssertTrue(llama.attentionBias && llama.attentionOutputBias)
        let qwen = try decode("""
        {"model_type": "qwen2", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4,
         "num_key_value_heads": 2, "intermediate_size": 64, "vocab_size": 10, "rope_theta": 1000000.0,
         "tie_word_embeddings": true}
        """)
        XCTAssertTrue(qwen.attentionBias)
        XCTAssertFalse(qwen.attentionOutputBias)
        XCTAssertTrue(qwen.tiedEmbeddings)
        XCTAssertEqual(qwen.ropeTheta, 1_000_000)
    }

    func testUnsupportedAndInvalidConfigsAreTypedErrors() throws {
        let dir = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        let url = dir.appendingPathComponent("config.json")
        func loadError(_ json: String) -> BackboneError? {
            try? Data(json.utf8).write(to: url)
            do { _ = try DecoderConfiguration.load(contentsOf: url); return nil } catch { return error as? BackboneError }
        }
        guard case .unsupportedConfiguration(let f1, let d1)? = loadError(#"{"model_type": "bert"}"#) else { return XCTFail() }
        XCTAssertEqual(f1, url.path)
        XCTAssertTrue(d1.contains("bert"))
        guard case .unsupportedConfiguration(_, let d2)? = loadError("""
        {"model_type": "llama", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 4,
         "intermediate_size": 64, "vocab_size": 10, "rope_scaling": {"rope_type": "linear", "factor": 2.0}}
        """) else { return XCTFail() }
        XCTAssertTrue(d2.contains("linear"))
        guard case .invalidConfiguration(_, let d3)? = loadError(#"{"model_type": "gpt2", "n_embd": 64, "n_head": 4}"#) else { return XCTFail() }
        XCTAssertTrue(d3.contains("n_layer"), d3)
        guard case .invalidConfiguration(_, let d4)? = loadError("""
        {"model_type": "gpt2", "n_embd": 64, "n_head": 5, "n_layer": 1, "vocab_size": 3}
        """) else { return XCTFail() }
        XCTAssertTrue(d4.contains("headDim") || d4.contains("heads"), d4)
        guard case .invalidConfiguration? = loadError("{not json") else { return XCTFail() }
    }

    func testOwnFormatRoundTripsAndHasDefaults() throws {
        let c = DecoderConfiguration.scratch(style: .llama, layers: 3, width: 48, heads: 4, kvHeads: 2, dropout: 0.1)
        let again = try JSONDecoder().decode(DecoderConfiguration.self, from: JSONEncoder().encode(c))
        XCTAssertEqual(again, c)
        let minimal = try decode(#"{"family": "gpt2", "layers": 2, "width": 32, "heads": 4}"#)
        XCTAssertEqual(minimal.mlpHidden, 128)
        XCTAssertEqual(minimal.headDim, 8)
        XCTAssertEqual(minimal.normalization, .layerNorm)
        XCTAssertEqual(minimal.version, 1)
        XCTAssertTrue(minimal.problems().isEmpty)
        XCTAssertFalse(DecoderConfiguration.scratch(layers: 1, width: 30, heads: 4).problems().isEmpty)
    }
}
