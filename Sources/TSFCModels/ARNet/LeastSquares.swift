// LeastSquares: min ‖A·X − B‖₂ by LAPACK's QR driver `dgels` (OpenBLAS), in double precision.
import COpenBLAS

/// Errors of a least-squares solve.
public enum LeastSquaresError: Error, CustomStringConvertible, Equatable {
    /// Fewer equations than unknowns: the fit is underdetermined.
    case underdetermined(rows: Int, columns: Int)
    /// The design matrix has not full column rank (LAPACK info > 0).
    case rankDeficient(column: Int)
    /// LAPACK rejected an argument (info < 0): a programming error in the call.
    case lapack(info: Int)

    public var description: String {
        switch self {
        case .underdetermined(let r, let c):
            return "least squares needs at least as many rows as unknowns: \(r) rows, \(c) unknowns; use more data or fewer lags"
        case .rankDeficient(let c):
            return "the lag matrix is rank deficient (diagonal element \(c) of R is zero): the series is constant or too short"
        case .lapack(let i): return "LAPACK dgels rejected argument \(-i)"
        }
    }
}

/// Dense linear least squares.
public enum LeastSquares {
    /// Solves min ‖A·X − B‖ for row-major `a` `[m, n]` and `b` `[m, k]`; returns X row-major `[n, k]`.
    /// - Precondition: `a.count == m·n`, `b.count == m·k`.
    public static func solve(a: [Double], b: [Double], rows m: Int, columns n: Int, rightHandSides k: Int) throws -> [Double] {
        precondition(a.count == m * n && b.count == m * k && n > 0 && k > 0, "LeastSquares.solve: shapes do not match")
        guard m >= n else { throw LeastSquaresError.underdetermined(rows: m, columns: n) }
        // LAPACK is column-major: transpose A [m, n] and B [m, k] into column-major buffers.
        var ac = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { ac[j * m + i] = a[i * n + j] } }
        var bc = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { bc[j * m + i] = b[i * k + j] } }
        var trans = CChar(UInt8(ascii: "N"))
        var mm = Int32(m), nn = Int32(n), kk = Int32(k), lda = Int32(m), ldb = Int32(m)
        var info: Int32 = 0
        // Workspace query, then the solve.
        var query = 0.0
        var lwork: Int32 = -1
        dgels_(&trans, &mm, &nn, &kk, &ac, &lda, &bc, &ldb, &query, &lwork, &info, 1)
        guard info == 0 else { throw LeastSquaresError.lapack(info: Int(info)) }
        lwork = Int32(Swift.max(query, 1))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgels_(&trans, &mm, &nn, &kk, &ac, &lda, &bc, &ldb, &work, &lwork, &info, 1)
        if info > 0 { throw LeastSquaresError.rankDeficient(column: Int(info)) }
        guard info == 0 else { throw LeastSquaresError.lapack(info: Int(info)) }
        // The solution is in the first n rows of the column-major B.
        var x = [Double](repeating: 0, count: n * k)
        for j in 0..<k { for i in 0..<n { x[i * k + j] = bc[j * m + i] } }
        return x
    }
}
