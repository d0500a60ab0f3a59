// Matmul kernel: the single place tsfc calls `cblas_sgemm`, plus a naive oracle for tests.
import COpenBLAS
import Dispatch

/// Matrix-multiply kernels on raw row-major buffers.
public enum MatmulKernel {
    /// C[M, N] = alpha · op(A) · op(B) + beta · C, row-major, where op transposes when asked.
    /// `A` is [M, K] (or [K, M] when `transposeA`), `B` is [K, N] (or [N, K] when `transposeB`).
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float = 0, c: UnsafeMutablePointer<Float>
    ) {
        _ = Threading.threadCount  // first use configures OpenBLAS (one thread) and the allocator
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { c.update(repeating: 0, count: m * n) } else { for i in 0..<(m * n) { c[i] *= beta } }
            return
        }
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let threads = Threading.threadCount
        // Large products are split into `sgemmBlocks` row (or column) blocks of C, each an
        // independent sgemm run on its own thread when there are threads. The blocks depend on
        // the shape only, never on the thread count: OpenBLAS picks its kernels by block size,
        // so blocks cut per thread made results differ between 1 and 2 threads (or between a
        // process and the MPI ranks sharing its work).
        if m * n * k >= Threading.sgemmGrain {
            let splitRows = m >= n || n < 32
            let extent = splitRows ? m : n
            let chunks = min(Threading.sgemmBlocks, max(1, extent / 16))
            if chunks > 1 {
                // Blocks are multiples of 16 so every block keeps full-width micro-kernel tiles.
                let per = ((extent + chunks - 1) / chunks + 15) / 16 * 16
                let run = { (body: (Int) -> Void) in
                    if threads > 1 { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) } else { (0..<chunks).forEach(body) }
                }
                run { ci in
                    let start = ci * per
                    let len = min(extent, start + per) - start
                    if len <= 0 { return }
                    if splitRows {
                        // Rows start..<start+len of C use rows (or columns, when transposed) of A.
                        let aBlock = transposeA ? a + start : a + start * lda
                        rawSgemm(transposeA, transposeB, len, n, k, alpha, aBlock, lda, b, ldb, beta,
                                 c + start * n, n)
                    } else {
                        let bBlock = transposeB ? b + start * ldb : b + start
                        rawSgemm(transposeA, transposeB, m, len, k, alpha, a, lda, bBlock, ldb, beta,
                                 c + start, n)
                    }
                }
                return
            }
        }
        rawSgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, n)
    }

    @inline(__always)
    static func rawSgemm(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The textbook triple loop, in Double accumulation: the oracle the sgemm path is tested against.
    public static func naive(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: [Float], b: [Float]
    ) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc: Double = 0
                for p in 0..<k {
                    let av = transposeA ? a[p * m + i] : a[i * k + p]
                    let bv = transposeB ? b[j * k + p] : b[p * n + j]
                    acc += Double(av) * Double(bv)
                }
                c[i * n + j] = Float(acc)
            }
        }
        return c
    }
}

extension Tensor {
    /// Matrix product of the last two axes, batched over leading axes (which broadcast).
    ///
    /// `self` is `[..., M, K]` (`[..., K, M]` when `transposeA`), `other` is `[..., K, N]`
    /// (`[..., N, K]` when `transposeB`); the result is `[..., M, N]`. A 2-D right operand with a
    /// batched left operand runs as one large sgemm.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul: operands need rank ≥ 2, got \(shape) and \(other.shape)")
        let m = transposeA ? shape[rank - 1] : shape[rank - 2]
        let ka = transposeA ? shape[rank - 2] : shape[rank - 1]
        let kb = transposeB ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
        let n = transposeB ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
        precondition(ka == kb, "matmul: inner dimensions differ: \(shape)\(transposeA ? "ᵀ" : "") × \(other.shape)\(transposeB ? "ᵀ" : "")")
        // Fold a batched left operand into rows when the right one is a plain matrix.
        if other.rank == 2 && rank > 2 && !transposeA {
            let batch = Array(shape.dropLast(2))
            return reshaped([-1, ka]).matmul(other, transposeB: transposeB).reshaped(batch + [m, n])
        }
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let batch = broadcastShape(batchA, batchB, op: "matmul batch")
        let a = batchA == batch ? self : broadcast(to: batch + Array(shape.suffix(2)))
        let b = batchB == batch ? other : other.broadcast(to: batch + Array(other.shape.suffix(2)))
        let count = shapeCount(batch)
        var out = uninitializedScalars(count * m * n)
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<count {
                        MatmulKernel.sgemm(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
                            a: pa.baseAddress! + i * m * ka, b: pb.baseAddress! + i * ka * n,
                            c: pc.baseAddress! + i * m * n)
                    }
                }
            }
        }
        var result = Tensor(shape: batch + [m, n], scalars: out)
        let ad = a.detached, bd = b.detached
        // Frozen operands (not on the tape) get no gradient: a frozen weight costs no sgemm.
        let needA = a.tapeIndex >= 0, needB = b.tapeIndex >= 0
        Tensor.record(&result, inputs: [a, b]) { g in
            switch (transposeA, transposeB) {
            case (false, false): return [needA ? g.matmul(bd, transposeB: true) : nil, needB ? ad.matmul(g, transposeA: true) : nil]
            case (false, true): return [needA ? g.matmul(bd) : nil, needB ? g.matmul(ad, transposeA: true) : nil]
            case (true, false): return [needA ? bd.matmul(g, transposeB: true) : nil, needB ? ad.matmul(g) : nil]
            case (true, true): return [needA ? bd.matmul(g, transposeA: true, transposeB: true) : nil,
                                       needB ? g.matmul(ad, transposeA: true, transposeB: true) : nil]
            }
        }
        return result
    }
}
