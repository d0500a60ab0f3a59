import XCTest
import TSFCTensor
@testable import TSFCNN

final class ModuleTests: XCTestCase {
    final class Block: Module {
        let attention: CausalSelfAttention
        let norm: LayerNorm
        init(_ rng: inout SeededGenerator) {
            attention = CausalSelfAttention(dimension: 8, heads: 2, using: &rng)
            norm = LayerNorm(8)
            super.init()
        }
    }
    final class Net: Module {
        let blocks: [Block]
        let head: Linear?
        let scale: Parameter
        init(_ rng: inout SeededGenerator) {
            blocks = [Block(&rng), Block(&rng)]
            head = Linear(8, 3, using: &rng)
            scale = Parameter(Tensor([1]))
            super.init()
        }
    }

    func testDottedPathsIncludeArraysAndOptionals() {
        var rng = SeededGenerator(seed: 1)
        let net = Net(&rng)
        let names = net.namedParameters().map { $0.0 }
        XCTAssertTrue(names.contains("blocks.0.attention.query.weight"))
        XCTAssertTrue(names.contains("blocks.1.norm.bias"))
        XCTAssertTrue(names.contains("head.bias"))
        XCTAssertTrue(names.contains("scale"))
        // 2 blocks × (4 linears × 2 + norm 2) + head 2 + scale 1
        XCTAssertEqual(names.count, 2 * 10 + 3)
        XCTAssertEqual(Set(names).count, names.count)
    }

    func testFreezeAndTrainEvalPropagate() {
        var rng = SeededGenerator(seed: 2)
        let net = Net(&rng)
        net.blocks[0].freeze()
        XCTAssertEqual(net.trainableParameters().count, 10 + 3)
        net.eval()
        XCTAssertFalse(net.blocks[1].attention.query.isTraining)
        net.train()
        XCTAssertTrue(net.blocks[1].attention.query.isTraining)
    }

    func testStrictLoadingNamesTheKey() throws {
        var rng = SeededGenerator(seed: 3)
        let net = Net(&rng)
        var dict = net.parameterDictionary()
        let other = Net(&rng)
        try other.load(dict)
        XCTAssertEqual(other.blocks[1].attention.key.weight.value.scalars, net.blocks[1].attention.key.weight.value.scalars)

        dict.removeValue(forKey: "head.weight")
        XCTAssertThrowsError(try other.load(dict)) { XCTAssertEqual($0 as? ModuleLoadingError, .missingKey("head.weight")) }
        dict["head.weight"] = Tensor.zeros([3, 8])
        dict["head.extra"] = Tensor.zeros([1])
        XCTAssertThrowsError(try other.load(dict)) { XCTAssertEqual($0 as? ModuleLoadingError, .unusedKey("head.extra")) }
        dict.removeValue(forKey: "head.extra")
        dict["scale"] = Tensor.zeros([2])
        XCTAssertThrowsError(try other.load(dict)) {
            XCTAssertEqual($0 as? ModuleLoadingError, .shapeMismatch(key: "scale", expected: [1], found: [2]))
        }
    }

    func testGradientsReachOnlyTrainableParameters() {
        var rng = SeededGenerator(seed: 4)
        let lin = Linear(4, 2, using: &rng)
        lin.bias!.isFrozen = true
        let x = Tensor.randomNormal([5, 4], using: &rng)
        let (_, grads) = lin.valueAndGradient { lin(x).sum() }
        XCTAssertEqual(Set(grads.keys), ["weight"])
        // d/dW Σ (x Wᵀ + b) = column sums of x, per output row.
        let colSums = x.sum(axis: 0).scalars
        for o in 0..<2 { for i in 0..<4 { XCTAssertEqual(grads["weight"]![o, i], colSums[i], accuracy: 1e-5) } }
        XCTAssertNil(lin.bias!.gradient)
    }

    func testLoRAStartsAtBaseOutputAndTrainsOnlyAdapters() {
        var rng = SeededGenerator(seed: 5)
        let base = Linear(6, 4, using: &rng)
        let x = Tensor.randomNormal([3, 6], using: &rng)
        let before = base(x)
        let lora = LoRALinear(base: base, rank: 2, alpha: 4, using: &rng)
        XCTAssertEqual(lora(x).scalars, before.scalars)
        XCTAssertEqual(Set(lora.trainableParameters().map { ObjectIdentifier($0) }),
                       Set([ObjectIdentifier(lora.loraA), ObjectIdentifier(lora.loraB)]))
        // With B = 0, only B receives a gradient: dL/dB = scale · gᵀ (x Aᵀ) with g = ones.
        let (_, g) = lora.valueAndGradient { lora(x).sum() }
        let xa = x.matmul(lora.loraA.value, transposeB: true).sum(axis: 0).scalars  // [r]
        for o in 0..<4 { for r in 0..<2 { XCTAssertEqual(g["loraB"]![o, r], 2 * xa[r], accuracy: 1e-4) } }
        XCTAssertEqual(g["loraA"]!.scalars, [Float](repeating: 0, count: 12))
    }

    func testEmbeddingGathersRows() {
        let e = Embedding(weight: Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21]))
        let y = e([2, 0, 2], shape: [1, 3])
        XCTAssertEqual(y.shape, [1, 3, 2])
        XCTAssertEqual(y.scalars, [20, 21, 0, 1, 20, 21])
    }

    func testDropoutIsSeededAndOffInEval() {
        let x = Tensor.ones([1000])
        let d1 = Dropout(rate: 0.3, seed: 9), d2 = Dropout(rate: 0.3, seed: 9)
        let a = d1(x), b = d2(x)
        XCTAssertEqual(a.scalars, b.scalars)
        let kept = a.scalars.filter { $0 != 0 }
        XCTAssertEqual(Double(kept.count) / 1000, 0.7, accuracy: 0.05)
        XCTAssertEqual(kept.first!, 1 / 0.7, accuracy: 1e-5)
        d1.eval()
        XCTAssertEqual(d1(x).scalars, x.scalars)
    }

    func testLossesAgainstClosedForms() {
        let p = Tensor([1, 2, 5]), t = Tensor([0, 2, 2])
        XCTAssertEqual(Loss.meanSquaredError(p, t).item, (1 + 0 + 9) / 3, accuracy: 1e-6)
        XCTAssertEqual(Loss.meanAbsoluteError(p, t).item, (1 + 0 + 3) / 3, accuracy: 1e-6)
        // Huber δ=1: 0.5, 0, 1·(3 − 0.5)
        XCTAssertEqual(Loss.huber(p, t, delta: 1).item, (0.5 + 0 + 2.5) / 3, accuracy: 1e-6)
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
        let ce = Loss.crossEntropy(logits: logits, targets: [2, 1]).item
        let l1 = -log(exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0)))
        let l2 = -log(1.0 / 3)
        XCTAssertEqual(Double(ce), (l1 + l2) / 2, accuracy: 1e-5)
    }

    func testLayerGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 6)
        let attn = CausalSelfAttention(dimension: 8, heads: 4, keyValueHeads: 2, using: &rng)
        let norm = RMSNorm(8)
        norm.weight.value = Tensor.randomUniform([8], low: 0.5, high: 1.5, using: &rng)
        let x = Tensor.randomNormal([2, 5, 8], using: &rng)
        let w = Tensor.randomNormal([2, 5, 8], using: &rng)
        let loss = { (attn(norm(x)) * w).sum() }
        let (_, grads) = attn.valueAndGradient(loss)
        for (name, p) in attn.namedParameters() {
            for i in stride(from: 0, to: p.value.count, by: 5) {
                let saved = p.value
                var plus = saved.scalars, minus = saved.scalars
                plus[i] += 1e-2; minus[i] -= 1e-2
                p.value = Tensor(shape: saved.shape, scalars: plus)
                let fp = loss().item
                p.value = Tensor(shape: saved.shape, scalars: minus)
                let fm = loss().item
                p.value = saved
                let numeric = (fp - fm) / 2e-2
                XCTAssertEqual(grads[name]!.scalars[i], numeric, accuracy: 2e-2 * max(1, abs(numeric)), "\(name)[\(i)]")
            }
        }
    }
}
