// A small iterative radix-2 Cooley–Tukey FFT in double precision, used for Time-LLM's
// autocorrelation lags (Wiener–Khinchin: autocorrelation = IFFT(|FFT(x)|²)).

/// Radix-2 discrete Fourier transforms.
public enum FFT {
    /// In-place DFT of `re + i·im` (count a power of two): X[k] = Σ x[n]·e^(∓2πi·kn/N),
    /// the minus sign forward; the inverse is not scaled by 1/N.
    public static func transform(_ re: inout [Double], _ im: inout [Double], inverse: Bool = false) {
        let n = re.count
        precondition(n == im.count && n > 0 && n & (n - 1) == 0, "FFT: length \(n) must be a power of two")
        var j = 0
        var i = 1
        while i < n {   // bit-reversal permutation
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
            i += 1
        }
        var size = 2
        let sign: Double = inverse ? 1 : -1
        while size <= n {
            let angle = sign * 2 * Double.pi / Double(size)
            let half = size / 2
            for start in stride(from: 0, to: n, by: size) {
                for k in 0..<half {
                    let wr = _cos(angle * Double(k)), wi = _sin(angle * Double(k))
                    let a = start + k, b = a + half
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            size <<= 1
        }
    }

    /// Linear (non-circular) autocorrelation r[k] = Σₜ x[t]·x[t+k] for k = 0..<x.count, by FFT
    /// of the series zero-padded to a power of two ≥ 2·count (so no lag wraps around).
    public static func autocorrelation(_ x: [Double]) -> [Double] {
        let n = x.count
        guard n > 0 else { return [] }
        var size = 1
        while size < 2 * n { size <<= 1 }
        var re = x + [Double](repeating: 0, count: size - n)
        var im = [Double](repeating: 0, count: size)
        transform(&re, &im)
        for i in 0..<size {
            re[i] = re[i] * re[i] + im[i] * im[i]
            im[i] = 0
        }
        transform(&re, &im, inverse: true)
        return (0..<n).map { re[$0] / Double(size) }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Foundation
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
#endif
