// NearestNeighbourIndex: exact k-nearest-neighbour search by Euclidean distance over the rows of
// a reference matrix. Squared distances come in blocks from one sgemm each,
// ‖q − r‖² = ‖q‖² + ‖r‖² − 2 q·r (clamped at 0), and the k smallest per query are kept by
// insertion; `bruteForce` is the Double-precision oracle the tests compare against.
import Dispatch
import TSFCTensor

/// An exact k-NN index over reference rows `[N, D]`.
public struct NearestNeighbourIndex: Sendable {
    /// Row-major reference rows `[N, D]`.
    public let reference: [Float]
    /// Values per row (D).
    public let dimension: Int
    /// ‖r‖² of each reference row.
    let norms: [Float]

    /// Reference rows; precondition: whole rows, at least one.
    public init(reference: [Float], dimension: Int) {
        precondition(dimension > 0 && reference.count % dimension == 0 && !reference.isEmpty, "NearestNeighbourIndex: not whole rows")
        self.reference = reference
        self.dimension = dimension
        norms = NearestNeighbourIndex.squaredNorms(reference, dimension: dimension)
    }

    /// Reference rows (N).
    public var count: Int { reference.count / dimension }

    static func squaredNorms(_ x: [Float], dimension d: Int) -> [Float] {
        (0..<(x.count / d)).map { i in
            var s: Float = 0
            for j in 0..<d { let v = x[i * d + j]; s += v * v }
            return s
        }
    }

    /// The `k` nearest reference rows of each query row, nearest first: indices `[Q, k]` and
    /// Euclidean distances `[Q, k]`. With `excludingSelf`, the queries are the reference rows
    /// themselves and row i never counts as its own neighbour. `k` is capped at the rows available.
    public func search(_ queries: [Float], k requested: Int, excludingSelf: Bool = false) -> (indices: [Int], distances: [Float]) {
        let d = dimension, n = count
        let q = queries.count / d
        let k = Swift.max(1, Swift.min(requested, n - (excludingSelf ? 1 : 0)))
        var indices = [Int](repeating: 0, count: q * k)
        var distances = [Float](repeating: 0, count: q * k)
        guard q > 0, k > 0 else { return (indices, distances) }
        let queryNorms = NearestNeighbourIndex.squaredNorms(queries, dimension: d)
        let block = 512
        var gram = [Float](repeating: 0, count: Swift.min(block, q) * n)
        var start = 0
        while start < q {
            let rows = Swift.min(block, q - start)
            queries.withUnsafeBufferPointer { qp in
                reference.withUnsafeBufferPointer { rp in
                    gram.withUnsafeMutableBufferPointer { gp in
                        MatmulKernel.sgemm(transposeA: false, transposeB: true, m: rows, n: n, k: d,
                                           a: qp.baseAddress! + start * d, b: rp.baseAddress!, c: gp.baseAddress!)
                    }
                }
            }
            let first = start
            gram.withUnsafeBufferPointer { gp in
                indices.withUnsafeMutableBufferPointer { ip in
                    distances.withUnsafeMutableBufferPointer { dp in
                        let ib = ip.baseAddress!, db = dp.baseAddress!, g = gp.baseAddress!
                        let threads = Swift.max(1, Swift.min(Threading.threadCount, rows / 32))
                        DispatchQueue.concurrentPerform(iterations: threads) { part in
                            var bestD = [Float](repeating: .infinity, count: k)
                            var bestI = [Int](repeating: -1, count: k)
                            var i = part
                            while i < rows {
                                let qi = first + i
                                for j in 0..<k { bestD[j] = .infinity; bestI[j] = -1 }
                                let qn = queryNorms[qi]
                                let row = g + i * n
                                var worst = Float.infinity
                                for r in 0..<n {
                                    if excludingSelf && r == qi { continue }
                                    let dist = Swift.max(0, qn + norms[r] - 2 * row[r])
                                    if dist < worst || bestI[k - 1] < 0 {
                                        var p = k - 1
                                        while p > 0 && (bestI[p - 1] < 0 || bestD[p - 1] > dist) {
                                            bestD[p] = bestD[p - 1]; bestI[p] = bestI[p - 1]; p -= 1
                                        }
                                        bestD[p] = dist; bestI[p] = r
                                        worst = bestI[k - 1] < 0 ? .infinity : bestD[k - 1]
                                    }
                                }
                                for j in 0..<k { ib[qi * k + j] = bestI[j]; db[qi * k + j] = bestD[j].squareRoot() }
                                i += threads
                            }
                        }
                    }
                }
            }
            start += rows
        }
        return (indices, distances)
    }

    /// The oracle: every distance in Double, sorted (ties by index).
    public static func bruteForce(reference: [Float], queries: [Float], dimension d: Int, k: Int) -> (indices: [Int], distances: [Float]) {
        let n = reference.count / d, q = queries.count / d
        var indices: [Int] = [], distances: [Float] = []
        for i in 0..<q {
            var all: [(Double, Int)] = []
            for r in 0..<n {
                var s = 0.0
                for j in 0..<d { let e = Double(queries[i * d + j]) - Double(reference[r * d + j]); s += e * e }
                all.append((s, r))
            }
            all.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for (s, r) in all.prefix(k) { indices.append(r); distances.append(Float(s.squareRoot())) }
        }
        return (indices, distances)
    }
}
