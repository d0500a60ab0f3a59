// The in-place decode kernel and the KV cache's storage against the naive attention oracle.
@testable import TSFCBackbone
import TSFCTensor
import XCTest

final class CachedAttentionTests: XCTestCase {
    func testCachedAttentionMatchesNaiveOracleAcrossGrowth() {
        var rng = SeededGenerator(seed: 11)
        let b = 2, hq = 6, hkv = 2, dh = 8
        let chunks = [3, 1, 2, 1, 4]                       // grows the storage several times
        let total = chunks.reduce(0, +)
        let keys = Tensor.randomNormal([b, hkv, total, dh], using: &rng)
        let values = Tensor.randomNormal([b, hkv, total, dh], using: &rng)
        let layer = KVCache.Layer()
        var start = 0
        for n in chunks {
            let q = Tensor.randomNormal([b, hq, n, dh], using: &rng)
            layer.append(keys: keys.slice(axis: 2, start..<(start + n)), values: values.slice(axis: 2, start..<(start + n)), reserve: 0)
            XCTAssertEqual(layer.count, start + n)
            let got = CachedAttention.forward(query: q, layer: layer)
            let want = Tensor.naiveAttention(query: q, key: keys.slice(axis: 2, 0..<(start + n)),
                                             value: values.slice(axis: 2, 0..<(start + n)), causal: true)
            XCTAssertLessThan(got.maxAbsDifference(want), 1e-5, "after \(start + n) tokens")
            let stored = layer.prefix(start + n)
            XCTAssertEqual(stored.keys.scalars, keys.slice(axis: 2, 0..<(start + n)).scalars)
            XCTAssertEqual(stored.values.scalars, values.slice(axis: 2, 0..<(start + n)).scalars)
            start += n
        }
        XCTAssertGreaterThanOrEqual(layer.capacity, total)
    }

    func testReservedCapacityIsAllocatedOnce() {
        var rng = SeededGenerator(seed: 12)
        let layer = KVCache.Layer()
        layer.append(keys: Tensor.randomNormal([1, 2, 3, 4], using: &rng), values: Tensor.randomNormal([1, 2, 3, 4], using: &rng), reserve: 64)
        XCTAssertEqual(layer.capacity, 64)
        for _ in 0..<20 {
            layer.append(keys: Tensor.randomNormal([1, 2, 1, 4], using: &rng), values: Tensor.randomNormal([1, 2, 1, 4], using: &rng), reserve: 64)
        }
        XCTAssertEqual(layer.capacity, 64)
        XCTAssertEqual(layer.count, 23)
    }
}
