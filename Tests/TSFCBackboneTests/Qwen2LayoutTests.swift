// A Qwen2-layout checkpoint (q/k/v biases, no output bias, tied head, top-level rope_theta),
// written by hand under Hugging Face names: every tensor must land on its parameter.
import Foundation
import TSFCBackbone
import TSFCTensor
import XCTest
import TSFCTestSupport

final class Qwen2LayoutTests: XCTestCase {
    func testQwen2BiasesMapOntoProjections() throws {
        let dir = try makeTemporaryDirectory("tsfc-backbone", removedAfter: self)
        try Data("""
        {"model_type": "qwen2", "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 4,
         "num_key_value_heads": 2, "intermediate_size": 24, "vocab_size": 7, "rope_theta": 1000000.0,
         "rms_norm_eps": 1e-6, "tie_word_embeddings": true, "max_position_embeddings": 32}
        """.utf8).write(to: dir.appendingPathComponent("config.json"))
        var rng = SeededGenerator(seed: 21)
        let shapes: [String: [Int]] = [
            "model.embed_tokens.weight": [7, 16], "model.norm.weight": [16],
            "model.layers.0.input_layernorm.weight": [16], "model.layers.0.post_attention_layernorm.weight": [16],
            "model.layers.0.self_attn.q_proj.weight": [16, 16], "model.layers.0.self_attn.q_proj.bias": [16],
            "model.layers.0.self_attn.k_proj.weight": [8, 16], "model.layers.0.self_attn.k_proj.bias": [8],
            "model.layers.0.self_attn.v_proj.weight": [8, 16], "model.layers.0.self_attn.v_proj.bias": [8],
            "model.layers.0.self_attn.o_proj.weight": [16, 16],
            "model.layers.0.mlp.gate_proj.weight": [24, 16], "model.layers.0.mlp.up_proj.weight": [24, 16],
            "model.layers.0.mlp.down_proj.weight": [16, 24],
        ]
        var tensors: [String: Tensor] = [:]
        for (k, s) in shapes.sorted(by: { $0.key < $1.key }) { tensors[k] = Tensor.randomNormal(s, using: &rng) }
        try Safetensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))

        let decoder = try CausalDecoder(contentsOf: dir)
        let params = decoder.parameterDictionary()
        let expected: [String: String] = [
            "tokenEmbedding.weight": "model.embed_tokens.weight", "finalNorm.weight": "model.norm.weight",
            "blocks.0.attentionNorm.weight": "model.layers.0.input_layernorm.weight",
            "blocks.0.mlpNorm.weight": "model.layers.0.post_attention_layernorm.weight",
            "blocks.0.attention.query.weight": "model.layers.0.self_attn.q_proj.weight",
            "blocks.0.attention.query.bias": "model.layers.0.self_attn.q_proj.bias",
            "blocks.0.attention.key.weight": "model.layers.0.self_attn.k_proj.weight",
            "blocks.0.attention.key.bias": "model.layers.0.self_attn.k_proj.bias",
            "blocks.0.attention.value.weight": "model.layers.0.self_attn.v_proj.weight",
            "blocks.0.attention.value.bias": "model.layers.0.self_attn.v_proj.bias",
            "blocks.0.attention.output.weight": "model.layers.0.self_attn.o_proj.weight",
            "blocks.0.mlp.gate.weight": "model.layers.0.mlp.gate_proj.weight",
            "blocks.0.mlp.up.weight": "model.layers.0.mlp.up_proj.weight",
            "blocks.0.mlp.down.weight": "model.layers.0.mlp.down_proj.weight",
        ]
        XCTAssertEqual(Set(params.keys), Set(expected.keys))
        for (ours, theirs) in expected { XCTAssertEqual(params[ours]!.scalars, tensors[theirs]!.scalars, ours) }
        XCTAssertEqual(decoder.logits(hidden: Tensor.ones([1, 1, 16])).shape, [1, 1, 7])

        // Without the q bias the checkpoint is incomplete.
        tensors["model.layers.0.self_attn.q_proj.bias"] = nil
        try Safetensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try CausalDecoder(contentsOf: dir)) { error in
            guard case .missingWeight(let key, _)? = error as? BackboneError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "model.layers.0.self_attn.q_proj.bias")
        }
    }
}
