// The decoder against PyTorch + transformers: hidden states, input gradients, token-id paths,
// logits and KV-cache decoding of the tiny GPT-2 and LLaMA checkpoints.
import TSFCBackbone
import TSFCTensor
import XCTest

final class GoldenTests: XCTestCase {
    static let models = ["tiny-gpt2", "tiny-llama"]

    func testLastHiddenStateFromEmbeddings() throws {
        for name in Self.models {
            let decoder = try CausalDecoder(contentsOf: BackboneFixtures.directory(name))
            let golden = try BackboneFixtures.golden(name)
            let out = decoder(embeddings: golden["inputs_embeds"])
            XCTAssertEqual(out.shape, [2, 9, 64])
            let diff = out.maxAbsDifference(golden["last_hidden_state"])
            XCTAssertLessThan(diff, 1e-4, "\(name): last_hidden_state differs by \(diff)")
        }
    }

    func testInputGradient() throws {
        for name in Self.models {
            let decoder = try CausalDecoder(contentsOf: BackboneFixtures.directory(name))
            let golden = try BackboneFixtures.golden(name)
            let grad = decoder.inputGradient(embeddings: golden["inputs_embeds"], outputGradient: golden["output_weights"])
            let diff = grad.maxAbsDifference(golden["inputs_embeds_grad"])
            XCTAssertLessThan(diff, 1e-4, "\(name): inputs_embeds_grad differs by \(diff)")
            // The frozen backbone's parameters receive nothing.
            XCTAssertTrue(decoder.parameters().allSatisfy { $0.gradient == nil }, name)
        }
    }

    func testHiddenStateAndLogitsFromTokenIDs() throws {
        for name in Self.models {
            let decoder = try CausalDecoder(contentsOf: BackboneFixtures.directory(name))
            let golden = try BackboneFixtures.golden(name)
            let hidden = try decoder(tokenIDs: golden.inputIDs, shape: golden.idShape)
            let dh = hidden.maxAbsDifference(golden["last_hidden_state_from_ids"])
            XCTAssertLessThan(dh, 1e-4, "\(name): last_hidden_state_from_ids differs by \(dh)")
            let logits = decoder.logits(hidden: hidden)
            XCTAssertEqual(logits.shape, golden["logits_from_ids"].shape)
            let dl = logits.maxAbsDifference(golden["logits_from_ids"])
            XCTAssertLessThan(dl, 1e-4, "\(name): logits_from_ids differs by \(dl)")
        }
    }

    func testKVCacheDecodingEqualsFullPass() throws {
        for name in Self.models {
            let decoder = try CausalDecoder(contentsOf: BackboneFixtures.directory(name))
            let x = try BackboneFixtures.golden(name)["inputs_embeds"]     // [2, 9, 64]
            let full = decoder(embeddings: x)
            let cache = KVCache()
            var steps = [decoder(embeddings: x.slice(axis: 1, 0..<5), cache: cache)]
            for t in 5..<9 { steps.append(decoder(embeddings: x.slice(axis: 1, t..<(t + 1)), cache: cache)) }
            XCTAssertEqual(cache.count, 9)
            let cached = Tensor.concat(steps, axis: 1)
            let diff = cached.maxAbsDifference(full)
            XCTAssertLessThan(diff, 1e-5, "\(name): cached decoding differs from the full pass by \(diff)")
        }
    }

    func testTokenEmbeddingTableAndTiedHead() throws {
        let gpt = try CausalDecoder(contentsOf: BackboneFixtures.directory("tiny-gpt2"))
        XCTAssertEqual(gpt.tokenEmbeddings.shape, [101, 64])
        XCTAssertNil(gpt.lmHead)
        let llama = try CausalDecoder(contentsOf: BackboneFixtures.directory("tiny-llama"))
        XCTAssertEqual(llama.tokenEmbeddings.shape, [103, 64])
        XCTAssertNotNil(llama.lmHead)
        XCTAssertEqual(llama.configuration.kvHeads, 2)
        XCTAssertEqual(llama.configuration.ropeTheta, 10000)
        XCTAssertThrowsError(try llama(tokenIDs: [0, 103], shape: [1, 2])) { error in
            XCTAssertEqual(error as? BackboneError, .tokenOutOfRange(id: 103, vocab: 103))
        }
        XCTAssertThrowsError(try gpt(tokenIDs: [Int](repeating: 1, count: 33), shape: [1, 33])) { error in
            XCTAssertEqual(error as? BackboneError, .sequenceTooLong(length: 33, maxPositions: 32))
        }
    }
}
