// Reductions over axes: sum, mean, variance, max, argmax, logsumexp; cumulative sum.

extension Tensor {
    /// Splits the shape around `axis` into (outer, extent, inner) for a single-axis kernel.
    func split(around axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        let outer = shapeCount(Array(shape[..<axis]))
        let inner = shapeCount(Array(shape[(axis + 1)...]))
        return (outer, shape[axis], inner)
    }

    /// Sum over one axis, keeping it with extent 1 (no recording).
    func rawSum(axis: Int) -> Tensor {
        let (outer, r, inner) = split(around: axis)
        var outShape = shape
        outShape[axis] = 1
        var out = [Float](repeating: 0, count: outer * inner)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                let px = px.baseAddress!, po = po.baseAddress!
                if inner == 1 {
                    parallelRange(outer, grain: Swift.max(1, Threading.grainSize / Swift.max(r, 1))) { s, e in
                        for o in s..<e {
                            var acc: Float = 0
                            let row = px + o * r
                            for k in 0..<r { acc += row[k] }
                            po[o] = acc
                        }
                    }
                } else {
                    parallelRange(outer, grain: Swift.max(1, Threading.grainSize / Swift.max(r * inner, 1))) { s, e in
                        for o in s..<e {
                            let dst = po + o * inner
                            for k in 0..<r {
                                let src = px + (o * r + k) * inner
                                for i in 0..<inner { dst[i] += src[i] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, scalars: out)
    }

    /// Sum over the given axes (all axes when empty is not intended: pass them explicitly).
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let norm = Set(axes.map { normalizeAxis($0, rank: rank, op: "sum") }).sorted()
        var r = self.detached
        for a in norm { r = r.rawSum(axis: a) }
        var outShape = r.shape
        if !keepDims { outShape = shape.enumerated().filter { !norm.contains($0.offset) }.map { $0.element } }
        var out = Tensor(shape: outShape, scalars: r.storage)
        let inShape = shape
        var kept = shape
        for a in norm { kept[a] = 1 }
        Tensor.record(&out, inputs: [self]) { g in [g.reshaped(kept).broadcast(to: inShape)] }
        return out
    }

    /// Sum over one axis.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sum(axes: [axis], keepDims: keepDims) }

    /// Sum of all elements, as a scalar tensor.
    public func sum() -> Tensor { reshaped([count]).sum(axes: [0]) }

    /// Mean over the given axes.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { normalizeAxis($0, rank: rank, op: "mean") }).map { shape[$0] }.reduce(1, *)
        return sum(axes: axes, keepDims: keepDims) * (1 / Float(n))
    }

    /// Mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// Mean of all elements, as a scalar tensor.
    public func mean() -> Tensor { sum() * (1 / Float(Swift.max(count, 1))) }

    /// Variance over the given axes; `unbiased` divides by n − 1 (torch's default) instead of n.
    public func variance(axes: [Int], keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        let n = Set(axes.map { normalizeAxis($0, rank: rank, op: "variance") }).map { shape[$0] }.reduce(1, *)
        let centered = self - mean(axes: axes, keepDims: true)
        let ss = (centered * centered).sum(axes: axes, keepDims: keepDims)
        return ss * (1 / Float(unbiased ? Swift.max(n - 1, 1) : n))
    }

    /// Variance over one axis.
    public func variance(axis: Int, keepDims: Bool = false, unbiased: Bool = false) -> Tensor {
        variance(axes: [axis], keepDims: keepDims, unbiased: unbiased)
    }

    /// Index of the maximum along `axis` (first one on ties), as Float-valued indices.
    public func argmax(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "argmax")
        return maxWithIndices(axis: a, keepDims: keepDims).indices
    }

    func maxWithIndices(axis a: Int, keepDims: Bool) -> (values: Tensor, indices: Tensor) {
        let (outer, r, inner) = split(around: a)
        precondition(r > 0, "max: empty axis \(a) in shape \(shape)")
        var vals = [Float](repeating: -.infinity, count: outer * inner)
        var idx = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<r {
                for i in 0..<inner {
                    let v = storage[(o * r + k) * inner + i]
                    let cur = vals[o * inner + i]
                    if k == 0 || v > cur || (v.isNaN && !cur.isNaN) {
                        vals[o * inner + i] = v
                        idx[o * inner + i] = Float(k)
                    }
                }
            }
        }
        var outShape = shape
        if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        return (Tensor(shape: outShape, scalars: vals), Tensor(shape: outShape, scalars: idx))
    }

    /// Maximum over one axis; the gradient flows to the (first) maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "max")
        var (values, indices) = maxWithIndices(axis: a, keepDims: keepDims)
        let inShape = shape
        let (outer, r, inner) = split(around: a)
        Tensor.record(&values, inputs: [self]) { g in
            var dx = [Float](repeating: 0, count: outer * r * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let k = Int(indices.storage[o * inner + i])
                    dx[(o * r + k) * inner + i] = g.storage[o * inner + i]
                }
            }
            return [Tensor(shape: inShape, scalars: dx)]
        }
        return values
    }

    /// log Σ exp over one axis, computed stably (shifted by the maximum).
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "logSumExp")
        let m = maxWithIndices(axis: a, keepDims: true).values.map { $0.isFinite ? $0 : 0 }
        let shifted = (self - m).exp().sum(axes: [a], keepDims: true).log() + m
        return keepDims ? shifted : shifted.squeezed(axis: a)
    }

    /// Cumulative sum along an axis.
    public func cumsum(axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "cumsum")
        let (outer, r, inner) = split(around: a)
        func scan(_ x: [Float], reverse: Bool) -> [Float] {
            var y = x
            for o in 0..<outer {
                for i in 0..<inner {
                    var acc: Float = 0
                    for step in 0..<r {
                        let k = reverse ? r - 1 - step : step
                        let p = (o * r + k) * inner + i
                        acc += x[p]
                        y[p] = acc
                    }
                }
            }
            return y
        }
        var out = Tensor(shape: shape, scalars: scan(storage, reverse: false))
        let s = shape
        Tensor.record(&out, inputs: [self]) { g in [Tensor(shape: s, scalars: scan(g.storage, reverse: true))] }
        return out
    }
}
