// Shape ops: reshape, squeeze, broadcast, permute/transpose, slice, concat, stack, unfold, pad,
// index-select (gather) and repeat — each with its gradient.

extension Tensor {
    /// The same scalars under a new shape; one extent may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let hole = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != hole }.map { $0.element }.reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshaped: cannot infer -1 in \(newShape) for \(count) elements")
            target[hole] = count / known
        }
        precondition(shapeCount(target) == count, "reshaped: \(shape) (\(count) elements) cannot become \(newShape)")
        var out = Tensor(shape: target, scalars: storage)
        let s = shape
        Tensor.record(&out, inputs: [self]) { g in [g.reshaped(s)] }
        return out
    }

    /// Removes an axis of extent 1.
    public func squeezed(axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "squeezed")
        precondition(shape[a] == 1, "squeezed: axis \(axis) of \(shape) has extent \(shape[a]), not 1")
        var s = shape
        s.remove(at: a)
        return reshaped(s)
    }

    /// Inserts an axis of extent 1 at `axis` (which may equal the rank).
    public func unsqueezed(axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "unsqueezed: axis \(axis) out of range for rank \(rank)")
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    /// Broadcasts to a larger shape (numpy rules); the gradient sums back.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let check = broadcastShape(shape, target, op: "broadcast(to:)")
        precondition(check == target, "broadcast(to:): \(shape) cannot broadcast to \(target)")
        var out = broadcastBinary(Tensor.zeros(target), self.detached, AddKernel.self, op: "broadcast(to:)")
        let s = shape
        Tensor.record(&out, inputs: [self]) { g in [g.sumToShape(s)] }
        return out
    }

    /// Reorders the axes: output axis i is input axis `permutation[i]`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        precondition(permutation.sorted() == Array(0..<rank), "permuted: \(permutation) is not a permutation of rank \(rank)")
        if permutation == Array(0..<rank) { return self }
        let outShape = permutation.map { shape[$0] }
        var out = uninitializedScalars(count)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                if let src = px.baseAddress, let dst = po.baseAddress {
                    permuteScalars(src, shape: shape, permutation: permutation, into: dst)
                }
            }
        }
        var result = Tensor(shape: outShape, scalars: out)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        Tensor.record(&result, inputs: [self]) { g in [g.permuted(inverse)] }
        return result
    }

    /// Swaps two axes.
    public func transposed(_ a: Int, _ b: Int) -> Tensor {
        var p = Array(0..<rank)
        p.swapAt(normalizeAxis(a, rank: rank, op: "transposed"), normalizeAxis(b, rank: rank, op: "transposed"))
        return permuted(p)
    }

    /// Swaps the last two axes.
    public func transposed() -> Tensor { transposed(-2, -1) }

    /// Elements `range` along `axis` (a contiguous slice).
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) out of bounds for axis \(a) of \(shape)")
        let (outer, r, inner) = split(around: a)
        let len = range.count
        var out = [Float](repeating: 0, count: outer * len * inner)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                for o in 0..<outer {
                    let src = px.baseAddress! + (o * r + range.lowerBound) * inner
                    let dst = po.baseAddress! + o * len * inner
                    dst.update(from: src, count: len * inner)
                }
            }
        }
        var outShape = shape
        outShape[a] = len
        var result = Tensor(shape: outShape, scalars: out)
        let inShape = shape
        Tensor.record(&result, inputs: [self]) { g in
            [g.padded(axis: a, before: range.lowerBound, after: inShape[a] - range.upperBound)]
        }
        return result
    }

    /// Zero-pads (or pads with `value`) along one axis.
    public func padded(axis: Int, before: Int, after: Int, value: Float = 0) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "padded")
        precondition(before >= 0 && after >= 0, "padded: negative padding \(before), \(after)")
        let (outer, r, inner) = split(around: a)
        let newR = r + before + after
        var out = [Float](repeating: value, count: outer * newR * inner)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                for o in 0..<outer {
                    let src = px.baseAddress! + o * r * inner
                    let dst = po.baseAddress! + (o * newR + before) * inner
                    dst.update(from: src, count: r * inner)
                }
            }
        }
        var outShape = shape
        outShape[a] = newR
        var result = Tensor(shape: outShape, scalars: out)
        Tensor.record(&result, inputs: [self]) { g in [g.slice(axis: a, before..<(before + r))] }
        return result
    }

    /// Pads along one axis by repeating the edge values (replicate padding).
    public func paddedReplicate(axis: Int, before: Int, after: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "paddedReplicate")
        let first = slice(axis: a, 0..<1), last = slice(axis: a, (shape[a] - 1)..<shape[a])
        var parts: [Tensor] = []
        if before > 0 { parts.append(first.repeated(axis: a, times: before)) }
        parts.append(self)
        if after > 0 { parts.append(last.repeated(axis: a, times: after)) }
        return Tensor.concat(parts, axis: a)
    }

    /// Joins tensors along an existing axis; all other extents must match.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: no tensors")
        let first = tensors[0]
        let a = normalizeAxis(axis, rank: first.rank, op: "concat")
        for t in tensors {
            precondition(t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
                         "concat: shapes \(tensors.map { $0.shape }) do not match outside axis \(a)")
        }
        let (outer, _, inner) = first.split(around: a)
        let extents = tensors.map { $0.shape[a] }
        let total = extents.reduce(0, +)
        var out = [Float](repeating: 0, count: outer * total * inner)
        out.withUnsafeMutableBufferPointer { po in
            var offset = 0
            for t in tensors {
                let r = t.shape[a]
                t.storage.withUnsafeBufferPointer { px in
                    for o in 0..<outer {
                        (po.baseAddress! + (o * total + offset) * inner)
                            .update(from: px.baseAddress! + o * r * inner, count: r * inner)
                    }
                }
                offset += r
            }
        }
        var outShape = first.shape
        outShape[a] = total
        var result = Tensor(shape: outShape, scalars: out)
        record(&result, inputs: tensors) { g in
            var start = 0
            return extents.map { e in
                defer { start += e }
                return g.slice(axis: a, start..<(start + e))
            }
        }
        return result
    }

    /// Stacks equally shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        return concat(tensors.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }

    /// Sliding windows along `axis`: `[..., T, ...]` → `[..., n, ..., size]` with
    /// n = (T − size) / stride + 1, the window appended as a new last axis (torch `unfold`).
    public func unfolded(axis: Int, size: Int, stride step: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "unfolded")
        precondition(size > 0 && step > 0 && size <= shape[a],
                     "unfolded: size \(size), stride \(step) invalid for axis \(a) of \(shape)")
        let n = (shape[a] - size) / step + 1
        let (outer, r, inner) = split(around: a)
        var out = [Float](repeating: 0, count: outer * n * inner * size)
        for o in 0..<outer {
            for w in 0..<n {
                for i in 0..<inner {
                    let dst = ((o * n + w) * inner + i) * size
                    for k in 0..<size { out[dst + k] = storage[(o * r + w * step + k) * inner + i] }
                }
            }
        }
        var outShape = shape
        outShape[a] = n
        outShape.append(size)
        var result = Tensor(shape: outShape, scalars: out)
        let inShape = shape
        Tensor.record(&result, inputs: [self]) { g in
            var dx = [Float](repeating: 0, count: outer * r * inner)
            for o in 0..<outer {
                for w in 0..<n {
                    for i in 0..<inner {
                        let src = ((o * n + w) * inner + i) * size
                        for k in 0..<size { dx[(o * r + w * step + k) * inner + i] += g.storage[src + k] }
                    }
                }
            }
            return [Tensor(shape: inShape, scalars: dx)]
        }
        return result
    }

    /// Selects entries along `axis` by integer indices (index-select / gather of rows);
    /// indices may repeat, and the gradient scatters back with accumulation.
    public func indexSelect(axis: Int, indices: [Int]) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "indexSelect")
        let (outer, r, inner) = split(around: a)
        for i in indices { precondition(i >= 0 && i < r, "indexSelect: index \(i) out of range 0..<\(r) on axis \(a)") }
        let m = indices.count
        var out = [Float](repeating: 0, count: outer * m * inner)
        storage.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                for o in 0..<outer {
                    for (j, idx) in indices.enumerated() {
                        (po.baseAddress! + (o * m + j) * inner).update(from: px.baseAddress! + (o * r + idx) * inner, count: inner)
                    }
                }
            }
        }
        var outShape = shape
        outShape[a] = m
        var result = Tensor(shape: outShape, scalars: out)
        let inShape = shape
        Tensor.record(&result, inputs: [self]) { g in
            var dx = [Float](repeating: 0, count: outer * r * inner)
            for o in 0..<outer {
                for (j, idx) in indices.enumerated() {
                    for i in 0..<inner { dx[(o * r + idx) * inner + i] += g.storage[(o * m + j) * inner + i] }
                }
            }
            return [Tensor(shape: inShape, scalars: dx)]
        }
        return result
    }

    /// Repeats the tensor `times` along `axis` (tiling, like torch `repeat` on one axis).
    public func repeated(axis: Int, times: Int) -> Tensor {
        precondition(times >= 1, "repeated: times must be ≥ 1, got \(times)")
        return Tensor.concat([Tensor](repeating: self, count: times), axis: axis)
    }

    /// Repeats each entry along `axis` `times` times consecutively (torch `repeat_interleave`).
    public func repeatedInterleaved(axis: Int, times: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank, op: "repeatedInterleaved")
        let idx = (0..<shape[a]).flatMap { [Int](repeating: $0, count: times) }
        return indexSelect(axis: a, indices: idx)
    }
}
