// Attention of new queries over a KV cache's storage in place: the decode-step kernel.
// The cache keeps each head's keys as rows of a [capacity, Dh] block, so the first M rows are a
// contiguous [M, Dh] matrix that sgemm reads directly — no copy of the prefix per step. The
// differentiable fused kernel in TSFCTensor is the oracle (CachedAttentionTests).
import Dispatch
import TSFCTensor

enum CachedAttention {
    /// softmax(α·Q·Kᵀ + causal) · V with K, V read from `layer` (its first `layer.count` positions,
    /// which already include the N new tokens); query i sits at position count − N + i.
    /// - Parameter query: `[B, Hq, N, Dh]`. Returns `[B, Hq, N, Dh]`. Not recorded on the tape.
    static func forward(query: Tensor, layer: KVCache.Layer) -> Tensor {
        let b = query.shape[0], hq = query.shape[1], n = query.shape[2], dh = query.shape[3]
        let hkv = layer.heads, m = layer.count, cap = layer.capacity
        precondition(b == layer.batch && dh == layer.headDim && hq % hkv == 0 && m >= n,
                     "CachedAttention: query \(query.shape) does not match the cache")
        let group = hq / hkv, alpha = 1 / Float(dh).squareRoot(), offset = m - n
        var out = [Float](repeating: 0, count: b * hq * n * dh)
        let tasks = b * hq
        let chunks = Swift.max(1, Swift.min(Threading.threadCount, tasks))
        let per = (tasks + chunks - 1) / chunks
        query.withUnsafeBufferPointer { pq in
        layer.keys.withUnsafeBufferPointer { pk in
        layer.values.withUnsafeBufferPointer { pv in
        out.withUnsafeMutableBufferPointer { po in
            let pq = pq.baseAddress!, pk = pk.baseAddress!, pv = pv.baseAddress!, po = po.baseAddress!
            let work = { (c: Int) in
                var scores = [Float](repeating: 0, count: n * m)  // [N, M]
                scores.withUnsafeMutableBufferPointer { ps in
                    let s = ps.baseAddress!
                    for bh in (c * per)..<Swift.min(tasks, (c + 1) * per) {
                        let bi = bh / hq, h = bh % hq, kvRow = bi * hkv + h / group
                        let kBase = pk + kvRow * cap * dh, vBase = pv + kvRow * cap * dh
                        MatmulKernel.sgemm(transposeA: false, transposeB: true, m: n, n: m, k: dh, alpha: alpha,
                                           a: pq + bh * n * dh, b: kBase, c: s)
                        for i in 0..<n where offset + i + 1 < m {
                            for j in (offset + i + 1)..<m { s[i * m + j] = -.infinity }
                        }
                        SoftmaxKernel.softmaxRows(s, rows: n, n: m)
                        MatmulKernel.sgemm(transposeA: false, transposeB: false, m: n, n: dh, k: m,
                                           a: s, b: vBase, c: po + bh * n * dh)
                    }
                }
            }
            if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
        }}}}
        return Tensor(shape: [b, hq, n, dh], scalars: out)
    }
}
