// PermuteKernel: the copy behind `Tensor.permuted`. Axes that stay adjacent and in order are
// merged first, so most permutations reduce to either contiguous row copies or a batch of 2-D
// transposes; the transposes run in square tiles so that both the reads and the writes stay in
// cache (a plain gather along the output's last axis strides through memory by the input's row
// length on every element).

/// Writes `source` (row-major `shape`) permuted so that output axis i is input axis
/// `permutation[i]`, into `destination` (same element count).
func permuteScalars(_ source: UnsafePointer<Float>, shape: [Int], permutation: [Int],
                    into destination: UnsafeMutablePointer<Float>) {
    let count = shapeCount(shape)
    if count == 0 { return }
    let inStrides = contiguousStrides(shape)
    // Output axes as (extent, source stride), dropping unit axes and merging an axis into the
    // one before it whenever they are contiguous in the source.
    var extents: [Int] = [], strides: [Int] = []
    for p in permutation where shape[p] > 1 {
        if let last = strides.last, last == shape[p] * inStrides[p] {
            extents[extents.count - 1] *= shape[p]
            strides[strides.count - 1] = inStrides[p]
        } else {
            extents.append(shape[p]); strides.append(inStrides[p])
        }
    }
    let m = extents.count
    if m == 0 { destination[0] = source[0]; return }
    let outStrides = contiguousStrides(extents)
    if strides[m - 1] == 1 {
        // Contiguous runs: copy whole rows of the merged last axis.
        let run = extents[m - 1], rows = count / run
        parallelRange(rows, grain: Swift.max(1, Threading.grainSize / run)) { s, e in
            for row in s..<e {
                var rem = row, src = 0
                for d in stride(from: m - 2, through: 0, by: -1) {
                    src += (rem % extents[d]) * strides[d]
                    rem /= extents[d]
                }
                (destination + row * run).update(from: source + src, count: run)
            }
        }
        return
    }
    // A batch of transposes: rows along output axis q (contiguous in the source), columns along
    // the output's last axis (contiguous in the destination).
    let q = strides.firstIndex(of: 1)!
    let rowsExtent = extents[q], rowDst = outStrides[q]
    let colsExtent = extents[m - 1], colSrc = strides[m - 1]
    let outerAxes = (0..<(m - 1)).filter { $0 != q }
    let outerCount = outerAxes.reduce(1) { $0 * extents[$1] }
    let tile = 32
    let rowTiles = (rowsExtent + tile - 1) / tile
    let units = outerCount * rowTiles
    parallelRange(units, grain: Swift.max(1, Threading.grainSize / (tile * colsExtent))) { s, e in
        // Each tile goes through a small buffer: read as contiguous runs of the source rows, then
        // written as contiguous runs of the destination rows. (Reading or writing it in place
        // strides by the other side's row length, which for power-of-two lengths maps every
        // line of the tile to the same cache set.)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tile * tile) { buffer in
            let buf = buffer.baseAddress!
            for unit in s..<e {
                var rem = unit / rowTiles, src = 0, dst = 0
                for d in outerAxes.reversed() {
                    let i = rem % extents[d]
                    rem /= extents[d]
                    src += i * strides[d]; dst += i * outStrides[d]
                }
                let r0 = (unit % rowTiles) * tile, rn = Swift.min(rowsExtent, r0 + tile) - r0
                var c0 = 0
                while c0 < colsExtent {
                    let cn = Swift.min(colsExtent, c0 + tile) - c0
                    for c in 0..<cn {                      // buf[c][r] ← source row c, points r0..<r0+rn
                        (buf + c * tile).update(from: source + src + (c0 + c) * colSrc + r0, count: rn)
                    }
                    for r in 0..<rn {                      // destination row r0+r, points c0..<c0+cn
                        let to = destination + dst + (r0 + r) * rowDst + c0
                        for c in 0..<cn { to[c] = buf[c * tile + r] }
                    }
                    c0 += cn
                }
            }
        }
    }
}
