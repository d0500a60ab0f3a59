// Softmax and log-softmax over the last axis: a fused, stable row kernel and a naive oracle.
#if canImport(Glibc)
import Glibc
#endif

/// Row-wise softmax kernels over contiguous rows.
public enum SoftmaxKernel {
    /// In place: each of `rows` rows of length `n` becomes softmax(row), shifted by its maximum.
    public static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
        for r in 0..<rows {
            let row = p + r * n
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, row[j]) }
            if m == -.infinity { m = 0 }  // a fully masked row yields zeros below
            var s: Float = 0
            for j in 0..<n { let e = expf(row[j] - m); row[j] = e; s += e }
            let inv: Float = s > 0 ? 1 / s : 0
            for j in 0..<n { row[j] *= inv }
        }
    }

    /// The oracle: exp(x − max) / Σ exp(x − max), in Double.
    public static func naive(_ x: [Float], n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        for r in 0..<(x.count / n) {
            let row = x[(r * n)..<((r + 1) * n)]
            let m = Double(row.max()!)
            let e = row.map { Foundation_exp(Double($0) - m) }
            let s = e.reduce(0, +)
            for j in 0..<n { out[r * n + j] = Float(e[j] / s) }
        }
        return out
    }
}

func Foundation_exp(_ x: Double) -> Double { exp(x) }

extension Tensor {
    /// Softmax over the last axis.
    public func softmax() -> Tensor {
        precondition(rank >= 1, "softmax: needs rank ≥ 1")
        let n = shape[rank - 1]
        var out = storage
        let rows = n == 0 ? 0 : count / n
        out.withUnsafeMutableBufferPointer { po in
            let base = po.baseAddress!
            parallelRange(rows, grain: Swift.max(1, Threading.grainSize / Swift.max(n, 1) / 4)) { s, e in
                SoftmaxKernel.softmaxRows(base + s * n, rows: e - s, n: n)
            }
        }
        var result = Tensor(shape: shape, scalars: out)
        let y = result.detached
        Tensor.record(&result, inputs: [self]) { g in
            // dx = y ∘ (g − Σ g∘y)
            let dot = (g * y).sum(axes: [-1], keepDims: true)
            return [y * (g - dot)]
        }
        return result
    }

    /// log-softmax over the last axis (x − logsumexp(x)), computed as (x − max) − log Σ exp(x − max)
    /// so large logits keep full precision (subtracting a rounded max + log Σ would not).
    public func logSoftmax() -> Tensor {
        precondition(rank >= 1, "logSoftmax: needs rank ≥ 1")
        let m = detached.maxWithIndices(axis: rank - 1, keepDims: true).values.map { $0.isFinite ? $0 : 0 }
        let shifted = detached - m
        var result = shifted - shifted.exp().sum(axes: [-1], keepDims: true).log()
        let soft = result.exp()
        Tensor.record(&result, inputs: [self]) { g in
            [g - soft * g.sum(axes: [-1], keepDims: true)]
        }
        return result
    }
}
