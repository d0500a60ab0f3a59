// Strict checkpoint loading: modified copies of the golden checkpoints (a key removed, renamed,
// reshaped, added, duplicated; prefixes dropped; shards) must fail with an error naming the key
// and the file, or load to the same numbers.
import Foundation
import TSFCBackbone
import TSFCTensor
import XCTest
import TSFCTestSupport

final class WeightLoadingTests: XCTestCase {
    /// A copy of fixture `name` in a temporary directory with its tensors passed through `edit`.
    func modifiedCopy(_ name: String, _ edit: (inout [String: Tensor]) -> Void) throws -> URL {
        let source = try BackboneFixtures.directory(name)
        let dir = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"),
                                         to: dir.appendingPathComponent("config.json"))
        var tensors = try Safetensors.read(contentsOf: source.appendingPathComponent("model.safetensors"))
        edit(&tensors)
        try Safetensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func assertLoadingFails(_ dir: URL, _ expected: (URL) -> BackboneError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir), file: file, line: line) { error in
            XCTAssertEqual(error as? BackboneError, expected(dir.appendingPathComponent("model.safetensors")),
                           "\(error)", file: file, line: line)
        }
    }

    func testRemovedKeyIsReportedMissing() throws {
        let gpt = try modifiedCopy("tiny-gpt2") { $0["transformer.h.1.mlp.c_fc.bias"] = nil }
        assertLoadingFails(gpt) { .missingWeight(key: "transformer.h.1.mlp.c_fc.bias", files: [$0.path]) }
        let llama = try modifiedCopy("tiny-llama") { $0["lm_head.weight"] = nil }
        assertLoadingFails(llama) { .missingWeight(key: "lm_head.weight", files: [$0.path]) }
        let norm = try modifiedCopy("tiny-llama") { $0["model.layers.1.post_attention_layernorm.weight"] = nil }
        assertLoadingFails(norm) { .missingWeight(key: "model.layers.1.post_attention_layernorm.weight", files: [$0.path]) }
    }

    func testRenamedKeyIsReported() throws {
        let dir = try modifiedCopy("tiny-gpt2") {
            $0["transformer.h.0.ln_3.weight"] = $0.removeValue(forKey: "transformer.h.0.ln_2.weight")
        }
        assertLoadingFails(dir) { .missingWeight(key: "transformer.h.0.ln_2.weight", files: [$0.path]) }
        let llama = try modifiedCopy("tiny-llama") {
            $0["model.layers.0.self_attn.q_proj.weight"] = nil
            $0["model.layers.0.self_attn.query.weight"] = Tensor.zeros([64, 64])
        }
        assertLoadingFails(llama) { .missingWeight(key: "model.layers.0.self_attn.q_proj.weight", files: [$0.path]) }
    }

    func testExtraKeyIsReportedUnused() throws {
        let dir = try modifiedCopy("tiny-llama") { $0["model.layers.2.input_layernorm.weight"] = Tensor.ones([64]) }
        assertLoadingFails(dir) { .unusedWeight(key: "model.layers.2.input_layernorm.weight", file: $0.path) }
    }

    func testReshapedKeyIsReported() throws {
        let gpt = try modifiedCopy("tiny-gpt2") {
            $0["transformer.h.0.attn.c_attn.weight"] = $0["transformer.h.0.attn.c_attn.weight"]!.transposed()
        }
        assertLoadingFails(gpt) {
            .shapeMismatch(key: "transformer.h.0.attn.c_attn.weight", file: $0.path, expected: [64, 192], found: [192, 64])
        }
        let llama = try modifiedCopy("tiny-llama") {
            $0["model.layers.1.self_attn.k_proj.weight"] = Tensor.zeros([64, 64])  // GQA needs [32, 64]
        }
        assertLoadingFails(llama) {
            .shapeMismatch(key: "model.layers.1.self_attn.k_proj.weight", file: $0.path, expected: [32, 64], found: [64, 64])
        }
        let table = try modifiedCopy("tiny-gpt2") { $0["transformer.wpe.weight"] = Tensor.zeros([16, 64]) }
        assertLoadingFails(table) {
            .shapeMismatch(key: "transformer.wpe.weight", file: $0.path, expected: [32, 64], found: [16, 64])
        }
    }

    func testDuplicateUnderBothPrefixesIsReported() throws {
        let dir = try modifiedCopy("tiny-gpt2") { $0["wte.weight"] = $0["transformer.wte.weight"]! }
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir)) { error in
            guard case .duplicateWeight(let key, _)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "wte.weight")
        }
    }

    func testKeysWithoutPrefixAndIgnoredBuffersLoad() throws {
        let dir = try modifiedCopy("tiny-gpt2") { tensors in
            tensors = Dictionary(uniqueKeysWithValues: tensors.map { (String($0.key.dropFirst("transformer.".count)), $0.value) })
            // What older GPT-2 checkpoints carry besides the weights.
            tensors["h.0.attn.bias"] = Tensor.ones([1, 1, 32, 32])
            tensors["h.1.attn.masked_bias"] = Tensor(-1e4)
            tensors["lm_head.weight"] = tensors["wte.weight"]!
        }
        let decoder = try CausalDecoder(contentsOf: dir)
        let golden = try BackboneFixtures.golden("tiny-gpt2")
        XCTAssertLessThan(decoder(embeddings: golden["inputs_embeds"]).maxAbsDifference(golden["last_hidden_state"]), 1e-4)
    }

    func testShardedCheckpointLoadsTheSameWeights() throws {
        let source = try BackboneFixtures.directory("tiny-llama")
        let dir = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        let tensors = try Safetensors.read(contentsOf: source.appendingPathComponent("model.safetensors"))
        var shards: [[String: Tensor]] = [[:], [:]]
        var map: [String: String] = [:]
        for (i, key) in tensors.keys.sorted().enumerated() {
            shards[i % 2][key] = tensors[key]
            map[key] = "model-0000\(i % 2 + 1)-of-00002.safetensors"
        }
        for i in 0..<2 {
            try Safetensors.write(shards[i], to: dir.appendingPathComponent("model-0000\(i + 1)-of-00002.safetensors"))
        }
        let indexURL = dir.appendingPathComponent("model.safetensors.index.json")
        try JSONSerialization.data(withJSONObject: ["metadata": ["total_size": 0], "weight_map": map]).write(to: indexURL)
        let sharded = try CausalDecoder(contentsOf: dir)
        let single = try CausalDecoder(contentsOf: source)
        XCTAssertEqual(sharded.parameterDictionary().mapValues(\.scalars), single.parameterDictionary().mapValues(\.scalars))

        // An index entry whose shard lacks the tensor names the key and the shard.
        var wrong = map
        wrong["model.norm.weight"] = map["model.norm.weight"] == "model-00001-of-00002.safetensors"
            ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors"
        try JSONSerialization.data(withJSONObject: ["weight_map": wrong]).write(to: indexURL)
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir)) { error in
            guard case .missingWeight(let key, let files)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "model.norm.weight")
            XCTAssertEqual(files, [dir.appendingPathComponent(wrong["model.norm.weight"]!).path])
        }
        // A shard that is not there: the safetensors reader names it.
        wrong = map
        wrong["model.norm.weight"] = "model-00003-of-00002.safetensors"
        try JSONSerialization.data(withJSONObject: ["weight_map": wrong]).write(to: indexURL)
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir)) { error in
            XCTAssertTrue("\(error)".contains("model-00003-of-00002.safetensors"), "\(error)")
        }
        // An index that is not a Hugging Face index.
        try Data("{\"weights\": {}}".utf8).write(to: indexURL)
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir)) { error in
            guard case .invalidIndex(let file, _)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, indexURL.path)
        }
    }

    func testBF16WeightsAreConverted() throws {
        // A hand-written BF16 safetensors file: the loaded weights must equal the rounded values.
        let source = try BackboneFixtures.directory("tiny-llama")
        let dir = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        let tensors = try Safetensors.read(contentsOf: source.appendingPathComponent("model.safetensors"))
        var header: [String: Any] = [:]
        var data = [UInt8]()
        var rounded: [String: [Float]] = [:]
        for key in tensors.keys.sorted() {
            let t = tensors[key]!
            let start = data.count
            var values: [Float] = []
            for v in t.scalars {
                let bits = UInt16(truncatingIfNeeded: v.bitPattern >> 16)  // truncation is a valid BF16 value
                data.append(UInt8(bits & 0xff)); data.append(UInt8(bits >> 8))
                values.append(Float(bitPattern: UInt32(bits) << 16))
            }
            rounded[key] = values
            header[key] = ["dtype": "BF16", "shape": t.shape, "data_offsets": [start, data.count]]
        }
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { [UInt8]($0) }
        bytes += json + data
        try Data(bytes).write(to: dir.appendingPathComponent("model.safetensors"))

        let decoder = try CausalDecoder(contentsOf: dir)
        let params = decoder.parameterDictionary()
        XCTAssertEqual(params["blocks.1.attention.key.weight"]?.scalars, rounded["model.layers.1.self_attn.k_proj.weight"])
        XCTAssertEqual(params["lmHead.weight"]?.scalars, rounded["lm_head.weight"])
        XCTAssertEqual(params["finalNorm.weight"]?.scalars, rounded["model.norm.weight"])
    }

    func testMissingFilesAreReported() throws {
        let empty = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        XCTAssertThrowsError(try CausalDecoder(contentsOf: empty)) { error in
            XCTAssertEqual(error as? BackboneError, .missingConfiguration(directory: empty.path))
        }
        try FileManager.default.copyItem(at: BackboneFixtures.directory("tiny-gpt2").appendingPathComponent("config.json"),
                                         to: empty.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try CausalDecoder(contentsOf: empty)) { error in
            XCTAssertEqual(error as? BackboneError, .missingWeights(directory: empty.path))
        }
    }

    func testLoadedDecoderIsFrozenAndLoRAMakesOnlyAdaptersTrainable() throws {
        let decoder = try CausalDecoder(contentsOf: BackboneFixtures.directory("tiny-llama"))
        XCTAssertEqual(decoder.parameterCount(trainableOnly: true), 0)
        XCTAssertFalse(decoder.isTraining)
        let golden = try BackboneFixtures.golden("tiny-llama")
        let before = decoder(embeddings: golden["inputs_embeds"])
        var rng = SeededGenerator(seed: 5)
        decoder.applyLoRA(rank: 4, alpha: 8, targets: .all, using: &rng)
        let trainable = decoder.namedParameters().filter { !$0.1.isFrozen }.map(\.0)
        // 2 layers × 7 projections × (A, B)
        XCTAssertEqual(trainable.count, 2 * 7 * 2)
        XCTAssertTrue(trainable.allSatisfy { $0.hasSuffix(".loraA") || $0.hasSuffix(".loraB") }, "\(trainable)")
        XCTAssertTrue(trainable.contains("blocks.0.attention.query.loraA"))
        XCTAssertTrue(decoder.namedParameters().map(\.0).contains("blocks.1.mlp.gate.base.weight"))
        // B starts at zero: the output is unchanged.
        XCTAssertEqual(decoder(embeddings: golden["inputs_embeds"]).scalars, before.scalars)
    }
}
