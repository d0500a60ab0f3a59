// From-scratch decoders: KV-cache exactness (also under the tape), parameter gradients against
// finite differences, training on a toy next-token task, and frozen weights staying bit-identical.
import TSFCBackbone
import TSFCNN
import TSFCOptim
import TSFCTensor
import XCTest

final class ScratchDecoderTests: XCTestCase {
    func makeDecoder(_ style: DecoderConfiguration.Family, seed: UInt64, vocab: Int = 8) throws -> CausalDecoder {
        var rng = SeededGenerator(seed: seed)
        let config = DecoderConfiguration.scratch(style: style, layers: 2, width: 32, heads: 4, kvHeads: style == .llama ? 2 : nil,
                                                  vocab: vocab, maxPositions: 64)
        return try CausalDecoder(configuration: config, using: &rng)
    }

    func testKVCacheEqualsFullPassForBothStyles() throws {
        for style in [DecoderConfiguration.Family.gpt2, .llama] {
            let decoder = try makeDecoder(style, seed: 1)
            var rng = SeededGenerator(seed: 2)
            let x = Tensor.randomNormal([3, 10, 32], using: &rng)
            let full = decoder(embeddings: x)
            let cache = KVCache(reservingCapacity: 4)   // forces growth
            var parts: [Tensor] = []
            for range in [0..<4, 4..<5, 5..<8, 8..<9, 9..<10] {
                parts.append(decoder(embeddings: x.slice(axis: 1, range), cache: cache))
            }
            XCTAssertLessThan(Tensor.concat(parts, axis: 1).maxAbsDifference(full), 1e-5, "\(style)")
            // A shifted window through positionOffset equals the same tokens later in a pass.
            let tail = decoder(embeddings: x.slice(axis: 1, 0..<1), positionOffset: 7)
            XCTAssertEqual(tail.shape, [3, 1, 32])
        }
    }

    func testCachedStepUnderTapeGivesTheFullPassGradient() throws {
        let decoder = try makeDecoder(.llama, seed: 3)
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.randomNormal([2, 6, 32], using: &rng)
        let w = Tensor.randomNormal([2, 1, 32], using: &rng)
        // Full pass: only the last position's output is weighted.
        let seed = Tensor.concat([Tensor.zeros([2, 5, 32]), w], axis: 1)
        let fullGrad = decoder.inputGradient(embeddings: x, outputGradient: seed).slice(axis: 1, 5..<6)
        let cache = KVCache()
        _ = decoder(embeddings: x.slice(axis: 1, 0..<5), cache: cache)
        let cachedGrad = withGradientTape { tape -> Tensor in
            let last = tape.watching(x.slice(axis: 1, 5..<6))
            let out = decoder(embeddings: last, cache: cache)
            return tape.gradients(of: out, seed: w, withRespectTo: [last])[0]
        }
        XCTAssertLessThan(cachedGrad.maxAbsDifference(fullGrad), 1e-5)
    }

    func testParameterGradientsMatchFiniteDifferences() throws {
        for style in [DecoderConfiguration.Family.gpt2, .llama] {
            let decoder = try makeDecoder(style, seed: 5)
            decoder.eval()
            var rng = SeededGenerator(seed: 6)
            let x = Tensor.randomNormal([2, 5, 32], using: &rng)
            let w = Tensor.randomNormal([2, 5, 32], using: &rng)
            func loss() -> Tensor { (decoder(embeddings: x) * w).sum() }
            let (_, grads) = decoder.valueAndGradient(loss)
            let params = Dictionary(uniqueKeysWithValues: decoder.namedParameters())
            let probes = ["blocks.0.attention.query.weight", "blocks.1.attention.key.weight", "blocks.0.mlp.up.weight",
                          "blocks.1.mlp.down.weight", "blocks.0.attentionNorm.weight", "finalNorm.weight"]
            for name in probes {
                let p = try XCTUnwrap(params[name], name)
                let g = try XCTUnwrap(grads[name], name)
                for index in [0, p.value.count / 2, p.value.count - 1] {
                    let original = p.value.scalars[index]
                    let h: Float = 1e-2
                    func perturbed(_ delta: Float) -> Double {
                        p.value.withUnsafeMutableBufferPointer { $0[index] = original + delta }
                        return Double(withoutGradients { loss() }.item)
                    }
                    let numeric = (perturbed(h) - perturbed(-h)) / Double(2 * h)
                    p.value.withUnsafeMutableBufferPointer { $0[index] = original }
                    let analytic = Double(g.scalars[index])
                    XCTAssertEqual(analytic, numeric, accuracy: 2e-2 * Swift.max(1, abs(numeric)), "\(style) \(name)[\(index)]")
                }
            }
        }
    }

    func testTrainsOnToyNextTokenTask() throws {
        for style in [DecoderConfiguration.Family.gpt2, .llama] {
            let vocab = 8
            let decoder = try makeDecoder(style, seed: 7, vocab: vocab)
            // Sequences count upwards mod V from a random start; the target is the next token.
            var rng = SeededGenerator(seed: 8)
            let b = 8, n = 10
            var ids: [Int] = [], targets: [Int] = []
            for _ in 0..<b {
                let start = Int(rng.next() % UInt64(vocab))
                for t in 0..<n { ids.append((start + t) % vocab); targets.append((start + t + 1) % vocab) }
            }
            let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0.01)
            var losses: [Float] = []
            for _ in 0..<40 {
                let (value, _) = try decoder.valueAndGradient {
                    let logits = decoder.logits(hidden: try decoder(tokenIDs: ids, shape: [b, n]))   // [B, N, V]
                    return Loss.crossEntropy(logits: logits.reshaped([b * n, vocab]), targets: targets)
                }
                losses.append(value.item)
                optimizer.step(decoder.parameters())
            }
            XCTAssertLessThan(losses.last!, 0.3 * losses.first!, "\(style): losses \(losses.first!) → \(losses.last!)")
        }
    }

    func testGradientsReachExactlyTheTrainableParameters() throws {
        // A loaded (frozen) checkpoint with LoRA on attention, plus a from-scratch model with a
        // frozen part: after an AdamW step, frozen weights are bit-identical, trainable ones moved.
        let lora = try CausalDecoder(contentsOf: BackboneFixtures.directory("tiny-llama"))
        var rng = SeededGenerator(seed: 9)
        lora.applyLoRA(rank: 4, alpha: 8, targets: .attention, using: &rng)
        let partial = try makeDecoder(.gpt2, seed: 10)
        partial.blocks[0].freeze()
        partial.tokenEmbedding.freeze()
        for decoder in [lora, partial] {
            let x = Tensor.randomNormal([2, 5, decoder.width], using: &rng)
            let w = Tensor.randomNormal([2, 5, decoder.width], using: &rng)
            let before = decoder.parameterDictionary()
            let optimizer = AdamW(learningRate: 1e-2, weightDecay: 0.1)
            for step in 0..<2 {
                let (_, grads) = decoder.valueAndGradient { (decoder(embeddings: x) * w).sum() }
                let trainable = Set(decoder.namedParameters().filter { !$0.1.isFrozen }.map(\.0))
                XCTAssertEqual(Set(grads.keys), trainable)
                for (name, p) in decoder.namedParameters() {
                    if p.isFrozen {
                        XCTAssertNil(p.gradient, name)
                    } else if step == 1 || !name.hasSuffix("loraA") {
                        // LoRA's A gets no gradient while B is still zero (the first step).
                        let norm = p.gradient!.scalars.reduce(0) { $0 + $1 * $1 }
                        XCTAssertGreaterThan(norm, 0, "\(name) received no gradient at step \(step)")
                    }
                }
                optimizer.step(decoder.parameters())
            }
            let after = decoder.parameterDictionary()
            for (name, p) in decoder.namedParameters() {
                if p.isFrozen {
                    XCTAssertEqual(after[name]!.scalars, before[name]!.scalars, "frozen \(name) changed")
                } else {
                    XCTAssertNotEqual(after[name]!.scalars, before[name]!.scalars, "trainable \(name) did not change")
                }
            }
        }
        XCTAssertTrue(partial.blocks[0].parameters().allSatisfy(\.isFrozen))
        XCTAssertTrue(partial.blocks[1].parameters().allSatisfy { !$0.isFrozen })
    }
}
