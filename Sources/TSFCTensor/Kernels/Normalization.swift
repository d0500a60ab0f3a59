// Layer normalisation and RMS normalisation over the last axis: fused forward/backward kernels
// and naive compositions for tests.

extension Tensor {
    /// LayerNorm over the last axis: (x − mean) / √(var + eps) · weight + bias (biased variance).
    /// `weight` and `bias` are `[D]` (either may be nil).
    public func layerNormalized(weight: Tensor?, bias: Tensor?, epsilon: Float) -> Tensor {
        normalizedRows(weight: weight, bias: bias, epsilon: epsilon, centered: true, op: "layerNormalized")
    }

    /// RMSNorm over the last axis: x / √(mean(x²) + eps) · weight (LLaMA).
    public func rmsNormalized(weight: Tensor?, epsilon: Float) -> Tensor {
        normalizedRows(weight: weight, bias: nil, epsilon: epsilon, centered: false, op: "rmsNormalized")
    }

    /// The shared fused kernel: each row x of length D becomes x̂·w + b with
    /// x̂ = (x − μ)·rstd, rstd = 1/√(mean((x − μ)²) + eps), μ = mean(x) when `centered`
    /// (LayerNorm) and 0 otherwise (RMSNorm). x̂ and rstd are kept for the backward.
    private func normalizedRows(weight: Tensor?, bias: Tensor?, epsilon: Float, centered: Bool, op: String) -> Tensor {
        let d = shape[rank - 1]
        precondition(weight.map { $0.shape == [d] } ?? true && bias.map { $0.shape == [d] } ?? true,
                     "\(op): weight/bias must be [\(d)] for input \(shape)")
        let rows = d == 0 ? 0 : count / d
        var y = uninitializedScalars(count)
        var xhat = uninitializedScalars(count)
        var rstd = uninitializedScalars(rows)
        let w = weight?.storage, bv = bias?.storage
        storage.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
        xhat.withUnsafeMutableBufferPointer { ph in
        rstd.withUnsafeMutableBufferPointer { pr in
            let px = px.baseAddress!, py = py.baseAddress!, ph = ph.baseAddress!, pr = pr.baseAddress!
            parallelRange(rows, grain: Swift.max(1, Threading.grainSize / Swift.max(d, 1) / 4)) { s, e in
                for r in s..<e {
                    let x = px + r * d, h = ph + r * d, o = py + r * d
                    var mean: Float = 0
                    if centered {
                        for j in 0..<d { mean += x[j] }
                        mean /= Float(d)
                    }
                    var v: Float = 0
                    for j in 0..<d { let c = x[j] - mean; v += c * c }
                    let inv = 1 / (v / Float(d) + epsilon).squareRoot()
                    pr[r] = inv
                    for j in 0..<d { h[j] = (x[j] - mean) * inv }
                    switch (w, bv) {
                    case let (w?, b?): for j in 0..<d { o[j] = h[j] * w[j] + b[j] }
                    case let (w?, nil): for j in 0..<d { o[j] = h[j] * w[j] }
                    case let (nil, b?): for j in 0..<d { o[j] = h[j] + b[j] }
                    case (nil, nil): for j in 0..<d { o[j] = h[j] }
                    }
                }
            }
        }}}}
        var result = Tensor(shape: shape, scalars: y)
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let inShape = shape, hasW = weight != nil, hasB = bias != nil
        Tensor.record(&result, inputs: inputs) { g in
            let (dx, dw, db) = Tensor.normBackward(g: g.storage, xhat: xhat, rstd: rstd, weight: w,
                                                   rows: rows, d: d, centered: centered)
            var grads: [Tensor?] = [Tensor(shape: inShape, scalars: dx)]
            if hasW { grads.append(Tensor(shape: [d], scalars: dw)) }
            if hasB { grads.append(Tensor(shape: [d], scalars: db)) }
            return grads
        }
        return result
    }

    /// Shared backward of LayerNorm (`centered`) and RMSNorm: with ĝ = g∘w,
    /// dx = rstd·(ĝ − [mean(ĝ)] − x̂·mean(ĝ∘x̂)), dw = Σ g∘x̂, db = Σ g.
    static func normBackward(g: [Float], xhat: [Float], rstd: [Float], weight: [Float]?,
                             rows: Int, d: Int, centered: Bool) -> ([Float], [Float], [Float]) {
        var dx = uninitializedScalars(rows * d)
        var dw = [Float](repeating: 0, count: d)
        var db = [Float](repeating: 0, count: d)
        if rows == 0 || d == 0 { return (dx, dw, db) }
        // Rows go in fixed blocks (independent of the thread count, so results are too); each
        // block sums its own dw/db partials, which are then added block by block in order.
        let block = 32
        let blocks = (rows + block - 1) / block
        var partW = uninitializedScalars(blocks * d), partB = uninitializedScalars(blocks * d)
        let ones = [Float](repeating: 1, count: weight == nil ? d : 0)
        g.withUnsafeBufferPointer { pg in
        xhat.withUnsafeBufferPointer { ph in
        rstd.withUnsafeBufferPointer { pr in
        (weight ?? ones).withUnsafeBufferPointer { pw in
        dx.withUnsafeMutableBufferPointer { pdx in
        partW.withUnsafeMutableBufferPointer { ppw in
        partB.withUnsafeMutableBufferPointer { ppb in
            let pg = pg.baseAddress!, ph = ph.baseAddress!, pr = pr.baseAddress!, pw = pw.baseAddress!
            let pdx = pdx.baseAddress!, ppw = ppw.baseAddress!, ppb = ppb.baseAddress!
            parallelFor(blocks) { bi in
                let sw = ppw + bi * d, sb = ppb + bi * d
                sw.update(repeating: 0, count: d)
                sb.update(repeating: 0, count: d)
                for r in (bi * block)..<Swift.min(rows, (bi + 1) * block) {
                    let gr = pg + r * d, hr = ph + r * d, dr = pdx + r * d
                    var meanG: Float = 0, meanGX: Float = 0
                    for j in 0..<d {
                        let gh = gr[j] * pw[j]
                        meanG += gh
                        meanGX += gh * hr[j]
                        sw[j] += gr[j] * hr[j]
                        sb[j] += gr[j]
                    }
                    meanG /= Float(d); meanGX /= Float(d)
                    let inv = pr[r], shift = centered ? meanG : 0
                    for j in 0..<d { dr[j] = inv * (gr[j] * pw[j] - shift - hr[j] * meanGX) }
                }
            }
        }}}}}}}
        partW.withUnsafeBufferPointer { ppw in
        partB.withUnsafeBufferPointer { ppb in
        dw.withUnsafeMutableBufferPointer { pdw in
        db.withUnsafeMutableBufferPointer { pdb in
            for bi in 0..<blocks {
                for j in 0..<d { pdw[j] += ppw[bi * d + j]; pdb[j] += ppb[bi * d + j] }
            }
        }}}}
        return (dx, dw, db)
    }

    /// LayerNorm composed of generic ops (the oracle for `layerNormalized`).
    public func naiveLayerNormalized(weight: Tensor?, bias: Tensor?, epsilon: Float) -> Tensor {
        let c = self - mean(axes: [-1], keepDims: true)
        var y = c / ((c * c).mean(axes: [-1], keepDims: true) + epsilon).sqrt()
        if let weight { y = y * weight }
        if let bias { y = y + bias }
        return y
    }

    /// RMSNorm composed of generic ops (the oracle for `rmsNormalized`).
    public func naiveRMSNormalized(weight: Tensor?, epsilon: Float) -> Tensor {
        var y = self / ((self * self).mean(axes: [-1], keepDims: true) + epsilon).sqrt()
        if let weight { y = y * weight }
        return y
    }
}
