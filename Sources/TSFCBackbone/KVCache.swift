// KVCache: keys and values of the tokens a decoder has already seen, so that a decode step
// projects only its new tokens and attends over the stored ones.
import TSFCTensor

/// Per-layer key/value storage for incremental decoding with a `CausalDecoder`.
///
/// Pass the same cache to successive calls (`decoder(embeddings: prefix, cache: cache)`, then
/// `decoder(embeddings: next, cache: cache)` …): each call appends its tokens' keys and values
/// (after RoPE) and attends over everything stored, so the outputs equal those of one full
/// causal pass. Storage per layer is `[B, Hkv, capacity, Dh]` and grows by doubling, so an
/// append copies only the new tokens (amortised); nothing of the prefix is re-projected.
/// Stored keys and values are constants: gradients flow only through the current call's tokens.
public final class KVCache {
    /// One layer's keys and values, `[B, Hkv, capacity, Dh]` each, the first `count` positions valid.
    final class Layer {
        var keys: [Float] = []
        var values: [Float] = []
        var batch = 0, heads = 0, headDim = 0, capacity = 0, count = 0

        /// Appends `k`, `v` `[B, Hkv, N, Dh]` at position `count`.
        func append(keys k: Tensor, values v: Tensor, reserve: Int) {
            let b = k.shape[0], h = k.shape[1], n = k.shape[2], d = k.shape[3]
            if capacity == 0 {
                batch = b; heads = h; headDim = d
            }
            precondition(b == batch && h == heads && d == headDim && v.shape == k.shape,
                         "KVCache: new keys \(k.shape) / values \(v.shape) do not match the cached [\(batch), \(heads), _, \(headDim)]")
            if count + n > capacity { grow(to: Swift.max(count + n, 2 * capacity, reserve)) }
            let cap = capacity, start = count
            k.withUnsafeBufferPointer { pk in
                keys.withUnsafeMutableBufferPointer { dst in
                    for bh in 0..<(b * h) {
                        (dst.baseAddress! + (bh * cap + start) * d).update(from: pk.baseAddress! + bh * n * d, count: n * d)
                    }
                }
            }
            v.withUnsafeBufferPointer { pv in
                values.withUnsafeMutableBufferPointer { dst in
                    for bh in 0..<(b * h) {
                        (dst.baseAddress! + (bh * cap + start) * d).update(from: pv.baseAddress! + bh * n * d, count: n * d)
                    }
                }
            }
            count += n
        }

        private func grow(to newCapacity: Int) {
            keys = relayout(keys, to: newCapacity)
            values = relayout(values, to: newCapacity)
            capacity = newCapacity
        }

        /// Copies the valid rows of `[B·Hkv, capacity, Dh]` storage into a larger block.
        private func relayout(_ old: [Float], to newCapacity: Int) -> [Float] {
            let rows = batch * heads, d = headDim, valid = count, oldCapacity = capacity
            var fresh = [Float](repeating: 0, count: rows * newCapacity * d)
            guard valid > 0 else { return fresh }
            old.withUnsafeBufferPointer { src in
                fresh.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        (dst.baseAddress! + r * newCapacity * d)
                            .update(from: src.baseAddress! + r * oldCapacity * d, count: valid * d)
                    }
                }
            }
            return fresh
        }

        /// The first `length` cached positions as contiguous tensors `[B, Hkv, length, Dh]`.
        func prefix(_ length: Int) -> (keys: Tensor, values: Tensor) {
            let rows = batch * heads, d = headDim
            func gather(_ src: [Float]) -> Tensor {
                var out = [Float](repeating: 0, count: rows * length * d)
                src.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { o in
                        for r in 0..<rows {
                            (o.baseAddress! + r * length * d).update(from: s.baseAddress! + r * capacity * d, count: length * d)
                        }
                    }
                }
                return Tensor(shape: [batch, heads, length, d], scalars: out)
            }
            return (gather(keys), gather(values))
        }
    }

    var layers: [Layer] = []
    let reservedCapacity: Int

    /// Creates an empty cache; `reservingCapacity` positions are allocated on first use.
    public init(reservingCapacity: Int = 0) {
        reservedCapacity = Swift.max(0, reservingCapacity)
    }

    /// Number of tokens whose keys and values are stored.
    public var count: Int { layers.first?.count ?? 0 }

    /// Forgets every stored token (the allocation is dropped too).
    public func reset() { layers = [] }

    /// The storage of layer `index`, creating layers as needed.
    func layer(_ index: Int) -> Layer {
        while layers.count <= index { layers.append(Layer()) }
        return layers[index]
    }
}
