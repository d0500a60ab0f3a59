// Scaled dot-product attention kernel (causal, optional additive mask, grouped-query heads),
// fused forward and backward over sgemm, plus the naive composition it is tested against.
#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    /// softmax(Q·Kᵀ·scale + mask) · V, per head.
    ///
    /// - Parameters:
    ///   - query: `[B, Hq, N, Dh]`.
    ///   - key: `[B, Hkv, M, Dh]` with `Hq` a multiple of `Hkv` (grouped-query attention: query head
    ///     h reads key/value head h / (Hq / Hkv)).
    ///   - value: `[B, Hkv, M, Dv]`.
    ///   - mask: optional additive mask broadcastable to `[B, Hq, N, M]` (differentiable).
    ///   - causal: query i sits at absolute position M − N + i and sees keys 0…M − N + i (so a
    ///     KV-cached decode step with N new queries over M cached keys is causal too).
    ///   - scale: defaults to 1/√Dh.
    ///   - dropoutMask: optional `[B, Hq, N, M]` multiplier applied to the attention probabilities
    ///     (0 for dropped, 1/(1 − p) for kept: GPT-2's `attn_pdrop`); a constant.
    /// - Returns: `[B, Hq, N, Dv]`.
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, causal: Bool, scale: Float? = nil,
        dropoutMask: Tensor? = nil
    ) -> Tensor {
        precondition(query.rank == 4 && key.rank == 4 && value.rank == 4,
                     "attention: query/key/value need rank 4, got \(query.shape), \(key.shape), \(value.shape)")
        let b = query.shape[0], hq = query.shape[1], n = query.shape[2], dh = query.shape[3]
        let hkv = key.shape[1], m = key.shape[2], dv = value.shape[3]
        precondition(key.shape[0] == b && value.shape[0] == b && key.shape[3] == dh && value.shape[1] == hkv
                     && value.shape[2] == m && hkv > 0 && hq % hkv == 0 && (!causal || m >= n),
                     "attention: incompatible shapes query \(query.shape), key \(key.shape), value \(value.shape)")
        let group = hq / hkv
        let alpha = scale ?? 1 / Float(dh).squareRoot()
        let fullMask = mask.map { $0.detached.broadcast(to: [b, hq, n, m]) }
        precondition(dropoutMask.map { $0.shape == [b, hq, n, m] } ?? true,
                     "attention: dropoutMask must be [\(b), \(hq), \(n), \(m)], got \(dropoutMask!.shape)")
        let dropBase = dropoutMask?.storage
        var probs = uninitializedScalars(b * hq * n * m)  // [B, Hq, N, M]
        // P∘dropout when a dropout mask is given (P itself is kept for the softmax backward).
        var dropped = dropBase == nil ? [] : uninitializedScalars(b * hq * n * m)
        var out = uninitializedScalars(b * hq * n * dv)   // [B, Hq, N, Dv]
        let offset = m - n
        query.storage.withUnsafeBufferPointer { pq in
        key.storage.withUnsafeBufferPointer { pk in
        value.storage.withUnsafeBufferPointer { pv in
        probs.withUnsafeMutableBufferPointer { pp in
        dropped.withUnsafeMutableBufferPointer { pdr in
        out.withUnsafeMutableBufferPointer { po in
            let pq = pq.baseAddress!, pk = pk.baseAddress!, pv = pv.baseAddress!
            let pp = pp.baseAddress!, po = po.baseAddress!, pdr = pdr.baseAddress
            let maskBase = fullMask?.storage
            parallelFor(b * hq) { bh in
                let bi = bh / hq, h = bh % hq, kvh = bi * hkv + h / group
                let s = pp + bh * n * m
                // S = α·Q·Kᵀ  [N, M]
                MatmulKernel.sgemm(transposeA: false, transposeB: true, m: n, n: m, k: dh, alpha: alpha,
                                   a: pq + bh * n * dh, b: pk + kvh * m * dh, c: s)
                if let maskBase {
                    maskBase.withUnsafeBufferPointer { mk in
                        let mrow = mk.baseAddress! + bh * n * m
                        for i in 0..<(n * m) { s[i] += mrow[i] }
                    }
                }
                if causal {
                    for i in 0..<n where offset + i + 1 < m {
                        for j in (offset + i + 1)..<m { s[i * m + j] = -.infinity }
                    }
                }
                SoftmaxKernel.softmaxRows(s, rows: n, n: m)
                var attend = UnsafePointer(s)
                if let dropBase, let pdr {
                    let d = pdr + bh * n * m
                    dropBase.withUnsafeBufferPointer { mk in
                        let mrow = mk.baseAddress! + bh * n * m
                        for i in 0..<(n * m) { d[i] = s[i] * mrow[i] }
                    }
                    attend = UnsafePointer(d)
                }
                // O = P·V  [N, Dv]  (P after dropout)
                MatmulKernel.sgemm(transposeA: false, transposeB: false, m: n, n: dv, k: m,
                                   a: attend, b: pv + kvh * m * dv, c: po + bh * n * dv)
            }
        }}}}}}
        var result = Tensor(shape: [b, hq, n, dv], scalars: out)
        let q = query.detached, k = key.detached, v = value.detached
        var inputs = [query, key, value]
        if let mask { inputs.append(mask) }
        let maskShape = mask?.shape
        record(&result, inputs: inputs) { g in
            var dq = uninitializedScalars(q.count)
            var dk = [Float](repeating: 0, count: k.count)
            var dvv = [Float](repeating: 0, count: v.count)
            var ds = uninitializedScalars(probs.count)  // gradient of the pre-softmax scores
            q.storage.withUnsafeBufferPointer { pq in
            k.storage.withUnsafeBufferPointer { pk in
            v.storage.withUnsafeBufferPointer { pv in
            probs.withUnsafeBufferPointer { pp in
            dropped.withUnsafeBufferPointer { pdr in
            g.storage.withUnsafeBufferPointer { pg in
            dq.withUnsafeMutableBufferPointer { pdq in
            dk.withUnsafeMutableBufferPointer { pdk in
            dvv.withUnsafeMutableBufferPointer { pdv in
            ds.withUnsafeMutableBufferPointer { pds in
                let pq = pq.baseAddress!, pk = pk.baseAddress!, pv = pv.baseAddress!, pp = pp.baseAddress!
                let pg = pg.baseAddress!, pdq = pdq.baseAddress!, pdk = pdk.baseAddress!
                let pdv = pdv.baseAddress!, pds = pds.baseAddress!, pdr = pdr.baseAddress
                // One task per key/value head: its query heads accumulate into dK, dV serially.
                parallelFor(b * hkv) { bk in
                    let bi = bk / hkv, kh = bk % hkv
                    for gi in 0..<group {
                        let bh = bi * hq + kh * group + gi
                        let p = pp + bh * n * m, dO = pg + bh * n * dv, dS = pds + bh * n * m
                        // dV += (P∘D)ᵀ·dO  [M, Dv]
                        MatmulKernel.sgemm(transposeA: true, transposeB: false, m: m, n: dv, k: n,
                                           a: dropBase != nil ? pdr! + bh * n * m : p, b: dO, beta: 1, c: pdv + bk * m * dv)
                        // dP = (dO·Vᵀ)∘D  [N, M]
                        MatmulKernel.sgemm(transposeA: false, transposeB: true, m: n, n: m, k: dv,
                                           a: dO, b: pv + bk * m * dv, c: dS)
                        if let dropBase {
                            dropBase.withUnsafeBufferPointer { mk in
                                let mrow = mk.baseAddress! + bh * n * m
                                for i in 0..<(n * m) { dS[i] *= mrow[i] }
                            }
                        }
                        // dS = P ∘ (dP − Σⱼ dP∘P)
                        for i in 0..<n {
                            var dot: Float = 0
                            for j in 0..<m { dot += dS[i * m + j] * p[i * m + j] }
                            for j in 0..<m { dS[i * m + j] = p[i * m + j] * (dS[i * m + j] - dot) }
                        }
                        // dQ = α·dS·K  [N, Dh];  dK += α·dSᵀ·Q  [M, Dh]
                        MatmulKernel.sgemm(transposeA: false, transposeB: false, m: n, n: dh, k: m, alpha: alpha,
                                           a: dS, b: pk + bk * m * dh, c: pdq + bh * n * dh)
                        MatmulKernel.sgemm(transposeA: true, transposeB: false, m: m, n: dh, k: n, alpha: alpha,
                                           a: dS, b: pq + bh * n * dh, beta: 1, c: pdk + bk * m * dh)
                    }
                }
            }}}}}}}}}}
            var grads: [Tensor?] = [Tensor(shape: q.shape, scalars: dq), Tensor(shape: k.shape, scalars: dk),
                                    Tensor(shape: v.shape, scalars: dvv)]
            if let maskShape { grads.append(Tensor(shape: [b, hq, n, m], scalars: ds).sumToShape(maskShape)) }
            return grads
        }
        return result
    }

    /// The oracle for `scaledDotProductAttention`: the same computation composed of generic ops
    /// (key/value heads repeated for grouped queries, explicit causal mask, softmax, matmul).
    public static func naiveAttention(
        query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, causal: Bool, scale: Float? = nil,
        dropoutMask: Tensor? = nil
    ) -> Tensor {
        let hq = query.shape[1], n = query.shape[2], dh = query.shape[3]
        let hkv = key.shape[1], m = key.shape[2]
        let k = key.repeatedInterleaved(axis: 1, times: hq / hkv)
        let v = value.repeatedInterleaved(axis: 1, times: hq / hkv)
        var scores = query.matmul(k, transposeB: true) * (scale ?? 1 / Float(dh).squareRoot())
        if let mask { scores = scores + mask }
        if causal {
            var c = [Float](repeating: 0, count: n * m)
            for i in 0..<n { for j in 0..<m where j > m - n + i { c[i * m + j] = -1e30 } }
            scores = scores + Tensor(shape: [n, m], scalars: c)
        }
        var probabilities = scores.softmax()
        if let dropoutMask { probabilities = probabilities * dropoutMask.detached }
        return probabilities.matmul(v)
    }
}
