// Broadcasting: numpy-style shape rules, a strided binary-op engine, and the reduction of a
#if canImport(Glibc)
import Glibc
#endif
// broadcast gradient back to its input's shape.

/// The numpy broadcast of two shapes.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast") -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        precondition(da == db || da == 1 || db == 1, "\(op): shapes \(a) and \(b) do not broadcast")
        out[i] = da == 1 ? db : da
    }
    return out
}

/// A binary scalar function that the broadcast engine specialises on.
protocol BinaryKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
}

enum AddKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum SubKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum MulKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum DivKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
enum MaxKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }
enum MinKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) } }
enum PowKernel: BinaryKernel { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) } }

/// Collapsed iteration plan for a broadcast binary op: dims merged where both operands are
/// contiguous (or both broadcast) across them.
struct BroadcastPlan {
    var dims: [Int] = []
    var aStrides: [Int] = []
    var bStrides: [Int] = []

    init(a: [Int], b: [Int], out: [Int]) {
        let rank = out.count
        func strides(_ s: [Int]) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - s.count) + s
            var st = contiguousStrides(padded)
            for i in 0..<rank where padded[i] == 1 && out[i] != 1 { st[i] = 0 }
            return st
        }
        let sa = strides(a), sb = strides(b)
        for i in 0..<rank where out[i] != 1 {
            if let last = dims.indices.last,
               aStrides[last] == sa[i] * out[i], bStrides[last] == sb[i] * out[i] {
                dims[last] *= out[i]
                aStrides[last] = sa[i]
                bStrides[last] = sb[i]
            } else {
                dims.append(out[i]); aStrides.append(sa[i]); bStrides.append(sb[i])
            }
        }
        if dims.isEmpty { dims = [1]; aStrides = [0]; bStrides = [0] }
    }
}

func broadcastBinary<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _: K.Type, op: String) -> Tensor {
    if a.shape == b.shape {
        var out = uninitializedScalars(a.count)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    let pa = pa.baseAddress!, pb = pb.baseAddress!, po = po.baseAddress!
                    parallelRange(a.count) { s, e in
                        for i in s..<e { po[i] = K.apply(pa[i], pb[i]) }
                    }
                }
            }
        }
        return Tensor(shape: a.shape, scalars: out)
    }
    let outShape = broadcastShape(a.shape, b.shape, op: op)
    let n = shapeCount(outShape)
    var out = uninitializedScalars(n)
    if n == 0 { return Tensor(shape: outShape, scalars: out) }
    let plan = BroadcastPlan(a: a.shape, b: b.shape, out: outShape)
    let inner = plan.dims[plan.dims.count - 1]
    let ia = plan.aStrides[plan.dims.count - 1], ib = plan.bStrides[plan.dims.count - 1]
    let outerDims = Array(plan.dims.dropLast())
    let outerCount = n / inner
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                let pa = pa.baseAddress!, pb = pb.baseAddress!, po = po.baseAddress!
                let grain = max(1, Threading.grainSize / max(inner, 1))
                parallelRange(outerCount, grain: grain) { s, e in
                    for outer in s..<e {
                        var rem = outer, offA = 0, offB = 0
                        var d = outerDims.count - 1
                        while d >= 0 {
                            let idx = rem % outerDims[d]
                            rem /= outerDims[d]
                            offA += idx * plan.aStrides[d]
                            offB += idx * plan.bStrides[d]
                            d -= 1
                        }
                        let o = po + outer * inner
                        let x = pa + offA, y = pb + offB
                        if ia == 1 && ib == 1 {
                            for j in 0..<inner { o[j] = K.apply(x[j], y[j]) }
                        } else if ia == 1 {
                            let yv = y[0]
                            for j in 0..<inner { o[j] = K.apply(x[j], yv) }
                        } else if ib == 1 {
                            let xv = x[0]
                            for j in 0..<inner { o[j] = K.apply(xv, y[j]) }
                        } else {
                            let v = K.apply(x[0], y[0])
                            for j in 0..<inner { o[j] = v }
                        }
                    }
                }
            }
        }
    }
    return Tensor(shape: outShape, scalars: out)
}

extension Tensor {
    /// Sums this (broadcast) tensor down to `shape`, the inverse of broadcasting to this shape.
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = shape.count - target.count
        precondition(lead >= 0, "sumToShape: cannot reduce \(shape) to \(target)")
        var axes: [Int] = Array(0..<lead)
        for i in 0..<target.count where target[i] == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        var r = axes.isEmpty ? self : sum(axes: axes, keepDims: true)
        r = r.reshaped(target)
        return r
    }

    /// Adds `other` (same shape) into this tensor without recording.
    public mutating func addInPlace(_ other: Tensor) {
        precondition(shape == other.shape, "addInPlace: shapes \(shape) and \(other.shape) differ")
        let n = count
        other.storage.withUnsafeBufferPointer { pb in
            storage.withUnsafeMutableBufferPointer { pa in
                let pa = pa.baseAddress!, pb = pb.baseAddress!
                parallelRange(n) { s, e in for i in s..<e { pa[i] += pb[i] } }
            }
        }
    }

    /// Multiplies every element by `factor` in place, without recording.
    public mutating func scaleInPlace(by factor: Float) {
        let n = count
        storage.withUnsafeMutableBufferPointer { pa in
            let pa = pa.baseAddress!
            parallelRange(n) { s, e in for i in s..<e { pa[i] *= factor } }
        }
    }
}
