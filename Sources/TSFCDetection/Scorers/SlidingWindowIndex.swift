// SlidingWindowIndex: exact k-nearest-neighbour search between sliding windows of a series and
// reference windows cut from one training series, without flattening any window. The squared
// distance of two W-row windows is the sum of W squared row distances along a diagonal of the
// row-distance matrix, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j; the norms add up per window, and the inner
// products G[i, j] = x_i·y_j (one sgemm over the C channels per block of query rows) are summed
// along diagonals, where consecutive query windows share all but two terms:
//   S(q + 1, s + 1) = S(q, s) + G[q + W, s + W] − G[q, s],  D(q, s) = ‖q‖² + ‖s‖² − 2 S(q, s).
// Cost per query window: 2·C flops per training row for G plus two adds per training window,
// independent of W — against 2·W·C flops per reference window for flattened windows. Blocks of
// at most `block` consecutive query windows restart the recurrence, bounding rounding drift.
import Dispatch
import TSFCTensor

/// An exact k-NN index over windows of `windowLength` rows of one training series.
public struct SlidingWindowIndex: Sendable {
    /// Training rows `[T, C]`, row-major.
    public let rows: [Float]
    public let channels: Int
    public let windowLength: Int
    /// First rows of the reference windows (ascending, each ≤ T − W).
    public let starts: [Int]
    /// ‖window‖² of each reference window.
    let windowNorms: [Float]
    /// Query windows per recurrence block.
    static let block = 256

    /// - Precondition: whole rows, `windowLength ≤ T`, every start in `0...T − W`.
    public init(rows: [Float], channels: Int, windowLength: Int, starts: [Int]) {
        let t = rows.count / Swift.max(1, channels)
        precondition(channels > 0 && rows.count == t * channels && windowLength >= 1 && windowLength <= t && !starts.isEmpty
                     && starts.allSatisfy { $0 >= 0 && $0 <= t - windowLength }, "SlidingWindowIndex: bad geometry")
        self.rows = rows
        self.channels = channels
        self.windowLength = windowLength
        self.starts = starts
        let norms = NearestNeighbourIndex.squaredNorms(rows, dimension: channels)
        windowNorms = starts.map { s in (s..<(s + windowLength)).reduce(Float(0)) { $0 + norms[$1] } }
    }

    /// Reference windows (N).
    public var count: Int { starts.count }

    /// The `k` nearest reference windows (indices into `starts`, nearest first) and their
    /// Euclidean distances, `[Q, k]` each, of the windows of `x` `[T', C]` starting at `queryStarts`.
    /// With `band` > 0, `x` is taken to be `rows` and reference windows starting fewer than `band`
    /// rows from a query's start are not its neighbours (leave-neighbourhood-out scores of the
    /// training windows themselves).
    public func search(_ x: [Float], queryStarts: [Int], k requested: Int, band: Int = 0) -> (indices: [Int], distances: [Float]) {
        let q = queryStarts.count, k = Swift.max(1, Swift.min(requested, count))
        var indices = [Int](repeating: 0, count: q * k)
        var distances = [Float](repeating: 0, count: q * k)
        guard q > 0 else { return (indices, distances) }
        // Runs of consecutive starts, cut into blocks.
        var blocks: [Range<Int>] = []
        var first = 0
        for i in 1...q where i == q || queryStarts[i] != queryStarts[i - 1] + 1 || i - first == Self.block {
            blocks.append(first..<i)
            first = i
        }
        let threads = Swift.max(1, Swift.min(Threading.threadCount, blocks.count))
        indices.withUnsafeMutableBufferPointer { ip in
            distances.withUnsafeMutableBufferPointer { dp in
                let ib = ip.baseAddress!, db = dp.baseAddress!
                // Each thread's blocks write disjoint query rows of the outputs.
                DispatchQueue.concurrentPerform(iterations: threads) { part in
                    var scratch = Scratch()
                    var b = part
                    while b < blocks.count {
                        searchBlock(x, firstQuery: queryStarts[blocks[b].lowerBound], count: blocks[b].count, k: k, band: band,
                                    indices: ib + blocks[b].lowerBound * k, distances: db + blocks[b].lowerBound * k,
                                    scratch: &scratch)
                        b += threads
                    }
                }
            }
        }
        return (indices, distances)
    }

    struct Scratch {
        var r: [Float] = []
        var u: [Float] = []
        var queryNorms: [Float] = []
    }

    /// Query windows starting at `q0 ..< q0 + b` of `x`.
    private func searchBlock(_ x: [Float], firstQuery q0: Int, count b: Int, k: Int, band: Int,
                             indices: UnsafeMutablePointer<Int>, distances: UnsafeMutablePointer<Float>, scratch: inout Scratch) {
        let c = channels, w = windowLength
        let t = rows.count / c, s = t - w + 1           // training rows, training window starts
        let l = b + w - 1                                 // query rows of the block
        if scratch.r.count < l * t { scratch.r = [Float](repeating: 0, count: l * t) }
        let o = b - 1                                     // u[o + d] holds diagonal d = start − query ∈ [−(b−1), s−1]
        if scratch.u.count < s + o { scratch.u = [Float](repeating: 0, count: s + o) }
        scratch.queryNorms = NearestNeighbourIndex.squaredNorms(Array(x[(q0 * c)..<((q0 + l) * c)]), dimension: c)
        x.withUnsafeBufferPointer { xp in
            rows.withUnsafeBufferPointer { yp in
                scratch.r.withUnsafeMutableBufferPointer { rp in
                    MatmulKernel.sgemm(transposeA: false, transposeB: true, m: l, n: t, k: c,
                                       a: xp.baseAddress! + q0 * c, b: yp.baseAddress!, c: rp.baseAddress!)
                }
            }
        }
        // Window norms of the block's queries from prefix sums of the row norms.
        var prefix = [Float](repeating: 0, count: l + 1)
        for i in 0..<l { prefix[i + 1] = prefix[i] + scratch.queryNorms[i] }
        windowNorms.withUnsafeBufferPointer { wp in
            scratch.r.withUnsafeMutableBufferPointer { rp in
                scratch.u.withUnsafeMutableBufferPointer { up in
                    let r = rp.baseAddress!, u = up.baseAddress! + o, yw = wp.baseAddress!
                    // Query 0: every diagonal d ∈ [0, s) summed directly.
                    for d in 0..<s { u[d] = 0 }
                    for i in 0..<w {
                        let row = r + i * t + i
                        for d in 0..<s { u[d] += row[d] }
                    }
                    var bestD = [Float](repeating: .infinity, count: k)
                    var bestI = [Int](repeating: -1, count: k)
                    for qi in 0..<b {
                        let qw = prefix[qi + w] - prefix[qi]
                        if qi > 0 {
                            // Advance the diagonals still in range, then add the one starting at training row 0.
                            let add = r + (qi - 1 + w) * t + (qi - 1 + w), sub = r + (qi - 1) * t + (qi - 1)
                            let from = -(qi - 1), to = s - qi            // d ∈ [from, to)
                            if to > from {
                                for d in from..<to { u[d] += add[d] - sub[d] }
                            }
                            var fresh: Float = 0
                            for i in 0..<w { fresh += r[(qi + i) * t + i] }
                            u[-qi] = fresh
                        }
                        for j in 0..<k { bestD[j] = .infinity; bestI[j] = -1 }
                        var worst = Float.infinity
                        let own = q0 + qi
                        for (n, start) in starts.enumerated() {
                            if band > 0 && Swift.abs(start - own) < band { continue }
                            let dist = Swift.max(0, qw + yw[n] - 2 * u[start - qi])
                            if dist < worst || bestI[k - 1] < 0 {
                                var p = k - 1
                                while p > 0 && (bestI[p - 1] < 0 || bestD[p - 1] > dist) {
                                    bestD[p] = bestD[p - 1]; bestI[p] = bestI[p - 1]; p -= 1
                                }
                                bestD[p] = dist; bestI[p] = n
                                worst = bestI[k - 1] < 0 ? .infinity : bestD[k - 1]
                            }
                        }
                        for j in 0..<k { indices[qi * k + j] = bestI[j]; distances[qi * k + j] = bestD[j].squareRoot() }
                    }
                }
            }
        }
    }
}
