// Reading the tiny GPT-2 and LLaMA checkpoints written by PyTorch + safetensors (see Tests/TSFCTestSupport/Fixtures/README.md).
// Expected values were printed by an independent pure-Python reader (struct + json + numpy) and
// hard-coded here.
import Foundation
import TSFCTensor
import XCTest
import TSFCTestSupport

final class SafetensorsFixtureTests: XCTestCase {
    private func fixture(_ model: String, _ file: String) throws -> URL {
        SharedFixtures.backbone(model).appendingPathComponent(file)
    }

    /// Sum of all elements in Double, to compare with numpy's float64 sum.
    private func sum(_ t: Tensor) -> Double { t.scalars.reduce(0) { $0 + Double($1) } }

    private static let gpt2Shapes: [String: [Int]] = {
        var shapes: [String: [Int]] = [
            "transformer.ln_f.bias": [64], "transformer.ln_f.weight": [64],
            "transformer.wpe.weight": [32, 64], "transformer.wte.weight": [101, 64],
        ]
        for layer in 0..<2 {
            let p = "transformer.h.\(layer)."
            shapes[p + "attn.c_attn.bias"] = [192]
            shapes[p + "attn.c_attn.weight"] = [64, 192]
            shapes[p + "attn.c_proj.bias"] = [64]
            shapes[p + "attn.c_proj.weight"] = [64, 64]
            for norm in ["ln_1", "ln_2"] {
                shapes[p + norm + ".bias"] = [64]
                shapes[p + norm + ".weight"] = [64]
            }
            shapes[p + "mlp.c_fc.bias"] = [256]
            shapes[p + "mlp.c_fc.weight"] = [64, 256]
            shapes[p + "mlp.c_proj.bias"] = [64]
            shapes[p + "mlp.c_proj.weight"] = [256, 64]
        }
        return shapes
    }()

    private static let llamaShapes: [String: [Int]] = {
        var shapes: [String: [Int]] = [
            "lm_head.weight": [103, 64], "model.embed_tokens.weight": [103, 64], "model.norm.weight": [64],
        ]
        for layer in 0..<2 {
            let p = "model.layers.\(layer)."
            shapes[p + "input_layernorm.weight"] = [64]
            shapes[p + "post_attention_layernorm.weight"] = [64]
            shapes[p + "mlp.down_proj.weight"] = [64, 160]
            shapes[p + "mlp.gate_proj.weight"] = [160, 64]
            shapes[p + "mlp.up_proj.weight"] = [160, 64]
            shapes[p + "self_attn.k_proj.weight"] = [32, 64]
            shapes[p + "self_attn.v_proj.weight"] = [32, 64]
            shapes[p + "self_attn.q_proj.weight"] = [64, 64]
            shapes[p + "self_attn.o_proj.weight"] = [64, 64]
        }
        return shapes
    }()

    func testTinyGPT2Checkpoint() throws {
        let url = try fixture("tiny-gpt2", "model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.names, Self.gpt2Shapes.keys.sorted())
        for name in file.names {
            XCTAssertEqual(try file.shape(of: name), Self.gpt2Shapes[name], name)
            XCTAssertEqual(try file.dtype(of: name), .float32, name)
        }
        let tensors = try Safetensors.read(contentsOf: url)
        XCTAssertEqual(tensors.count, 28)

        let wte = try XCTUnwrap(tensors["transformer.wte.weight"])
        XCTAssertEqual(wte[0, 0], -0.00975115317851305)
        XCTAssertEqual(wte[0, 1], -0.00023528424208052456)
        XCTAssertEqual(wte[100, 63], 0.007901600562036037)
        XCTAssertEqual(sum(wte), 1.5734903158238467, accuracy: 1e-9)

        let ln2Bias = try XCTUnwrap(tensors["transformer.h.1.ln_2.bias"])
        XCTAssertEqual(ln2Bias.scalars.first, 0.08605881035327911)
        XCTAssertEqual(ln2Bias.scalars.last, 0.10634582489728928)
        XCTAssertEqual(sum(ln2Bias), 0.1076885589864105, accuracy: 1e-9)

        let cAttn = try file.tensor(named: "transformer.h.0.attn.c_attn.weight")  // Conv1D layout [in, out]
        XCTAssertEqual(cAttn[0, 1], -0.011834707111120224)
        XCTAssertEqual(cAttn[63, 191], -0.026936635375022888)
        XCTAssertEqual(sum(cAttn), 0.3409850877530971, accuracy: 1e-9)
    }

    func testTinyLlamaCheckpoint() throws {
        let url = try fixture("tiny-llama", "model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.names, Self.llamaShapes.keys.sorted())
        for name in file.names {
            XCTAssertEqual(try file.shape(of: name), Self.llamaShapes[name], name)
        }
        let lmHead = try file.tensor(named: "lm_head.weight")
        XCTAssertEqual(lmHead[0, 0], -0.02760457992553711)
        XCTAssertEqual(lmHead[0, 1], 0.028710095211863518)
        XCTAssertEqual(lmHead[102, 63], -0.018533986061811447)
        XCTAssertEqual(sum(lmHead), -1.839502018676285, accuracy: 1e-9)

        let norm = try file.tensor(named: "model.norm.weight")
        XCTAssertEqual(norm.scalars.prefix(2), [1.0281537771224976, 0.7357075214385986])
        XCTAssertEqual(sum(norm), 63.736146450042725, accuracy: 1e-9)

        let k = try file.tensor(named: "model.layers.1.self_attn.k_proj.weight")
        XCTAssertEqual(k[0, 0], 0.006671329494565725)
        XCTAssertEqual(k[31, 63], 0.00819502491503954)
        XCTAssertEqual(sum(k), -1.8300163317949227, accuracy: 1e-9)
    }

    func testGoldenFiles() throws {
        struct Expected {
            var model: String, vocabulary: Int, ids: [Int64]
            var hidden: (first: Float, at1_8_3: Float, sum: Double)
            var logits: (first: Float, at1_8_3: Float, sum: Double)
        }
        let cases = [
            Expected(model: "tiny-gpt2", vocabulary: 101,
                     ids: [21, 18, 47, 83, 25, 69, 61, 92, 84, 87, 14, 95, 8, 5, 82, 27, 0, 57],
                     hidden: (0.1909508854150772, -1.3097628355026245, -6.935817081481218),
                     logits: (-0.02429991587996483, -0.1297079473733902, -14.076041599844757)),
            Expected(model: "tiny-llama", vocabulary: 103,
                     ids: [69, 83, 88, 13, 2, 57, 55, 79, 95, 19, 32, 60, 60, 50, 81, 10, 41, 66],
                     hidden: (-0.4195517599582672, -0.35082152485847473, -15.47750761808129),
                     logits: (0.17416000366210938, -0.028148943558335304, 5.737574489387043)),
        ]
        for expected in cases {
            let file = try SafetensorsFile(contentsOf: try fixture(expected.model, "golden.safetensors"))
            XCTAssertEqual(file.names, ["input_ids", "inputs_embeds", "inputs_embeds_grad", "last_hidden_state",
                                        "last_hidden_state_from_ids", "logits_from_ids", "output_weights"])
            XCTAssertEqual(file.metadata["loss"], "sum(last_hidden_state * output_weights)")
            XCTAssertEqual(file.metadata["torch"], "2.13.0+cpu")

            XCTAssertEqual(try file.dtype(of: "input_ids"), .int64)
            let ids = try file.tensorInt64(named: "input_ids")
            XCTAssertEqual(ids.shape, [2, 9])
            XCTAssertEqual(ids.values, expected.ids)
            XCTAssertEqual(try file.tensor(named: "input_ids").scalars, expected.ids.map(Float.init))

            let hidden = try file.tensor(named: "last_hidden_state")
            XCTAssertEqual(hidden.shape, [2, 9, 64])
            XCTAssertEqual(hidden[0, 0, 0], expected.hidden.first)
            XCTAssertEqual(hidden[1, 8, 3], expected.hidden.at1_8_3)
            XCTAssertEqual(sum(hidden), expected.hidden.sum, accuracy: 1e-9)

            let logits = try file.tensor(named: "logits_from_ids")
            XCTAssertEqual(logits.shape, [2, 9, expected.vocabulary])
            XCTAssertEqual(logits[0, 0, 0], expected.logits.first)
            XCTAssertEqual(logits[1, 8, 3], expected.logits.at1_8_3)
            XCTAssertEqual(sum(logits), expected.logits.sum, accuracy: 1e-9)
        }
    }

    /// Rewriting an all-F32 checkpoint reproduces the reference writer's data buffer byte for byte
    /// (both lay tensors out in sorted name order), and the rewrite reads back identically.
    func testRewrittenCheckpointMatchesReferenceDataBuffer() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let source = try fixture("tiny-llama", "model.safetensors")
        let tensors = try Safetensors.read(contentsOf: source)
        let copy = dir.appendingPathComponent("copy.safetensors")
        try Safetensors.write(tensors, to: copy, metadata: ["format": "pt"])

        func dataBuffer(_ url: URL) throws -> Data {
            let bytes = try Data(contentsOf: url)
            let n = bytes.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
            return bytes.subdata(in: (8 + n)..<bytes.count)
        }
        XCTAssertEqual(try dataBuffer(copy), try dataBuffer(source))
        let back = try Safetensors.read(contentsOf: copy)
        XCTAssertEqual(Set(back.keys), Set(tensors.keys))
        for (name, t) in tensors {
            XCTAssertEqual(back[name]?.shape, t.shape)
            XCTAssertEqual(back[name]?.scalars, t.scalars)
        }
    }
}
