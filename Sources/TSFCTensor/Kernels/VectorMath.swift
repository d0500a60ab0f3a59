// Vectorised transcendental functions on SIMD8<Float>, for elementwise kernels that would
// otherwise call scalar libm once per element (GELU's erf and its Gaussian density).
//
// exp: Cody–Waite range reduction x = k·ln2 + r (|r| ≤ ln2/2), eʳ by its degree-7 Taylor
// polynomial (truncation < 5e-9 relative), 2ᵏ built in the exponent bits; ≤ 2 ulp against
// Double exp on the tests' grid.
// erfc: the Chebyshev-fitted form erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2), whose
// published fractional error is < 1.2e-7 for every z ≥ 0 (Press et al., Numerical Recipes,
// §6.2, "erfcc").

typealias Float8 = SIMD8<Float>

enum VectorMath {
    /// eˣ lane-wise; underflows to 0 below −87.3 and saturates at 88.7.
    @inline(__always)
    static func exp(_ x: Float8) -> Float8 {
        let hi = Float8(repeating: 88.7), lo = Float8(repeating: -87.3)
        let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // Round x·log₂e to the nearest integer with the 1.5·2²³ trick; its bits hold k.
        let magic = Float8(repeating: 12_582_912)
        let shifted = xc * 1.442695040888963 + magic
        let k = shifted - magic
        let r = (xc - k * 0.693145751953125) - k * 1.428606765330187e-06
        var p = Float8(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let kBits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((kBits &+ 127) &<< 23, to: Float8.self)
        return (p * scale).replacing(with: 0, where: x .< lo)
    }

    /// −x²/2 as an unevaluated sum hi + lo: x = xh + xl with xh holding 12 significant bits,
    /// so xh² is exact and x² = xh² + xl·(x + xh). Keeps x²'s rounding error (≈4e-6 at |x| = 12)
    /// out of the exponent of e^(−x²/2).
    @inline(__always)
    static func negHalfSquare(_ x: Float8) -> (hi: Float8, lo: Float8) {
        let xh = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0xFFFF_F000, to: Float8.self)
        return (-0.5 * (xh * xh), -0.5 * ((x - xh) * (x + xh)))
    }

    /// e^(hi + lo + c) for a large exact `hi` and small `lo + c`: the TwoSum rounding error of
    /// the sum is applied as a first-order factor.
    @inline(__always)
    static func expOfSum(_ hi: Float8, _ small: Float8) -> Float8 {
        let s = hi + small
        let bv = s - hi, av = s - bv
        let err = (hi - av) + (small - bv)
        return exp(s) * (1 + err)
    }

    /// Φ(x), the standard normal CDF, lane-wise: ½·erfc(|x|/√2) mirrored for x ≥ 0, with
    /// erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2).
    @inline(__always)
    static func normalCDF(_ x: Float8) -> Float8 {
        let ax = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + (0.5 * 0.70710678118654752) * ax)
        var p = Float8(repeating: 0.17087277)
        p = p * t - 0.82215223
        p = p * t + 1.48851587
        p = p * t - 1.13520398
        p = p * t + 0.27886807
        p = p * t - 0.18628806
        p = p * t + 0.09678418
        p = p * t + 0.37409196
        p = p * t + 1.00002368
        p = p * t - 1.26551223
        let (hi, lo) = negHalfSquare(ax)  // −z² = −x²/2
        let half = 0.5 * (t * expOfSum(hi, lo + p))
        return half.replacing(with: 1 - half, where: x .>= 0)
    }

    /// φ(x) = e^(−x²/2)/√(2π).
    @inline(__always)
    static func gaussian(_ x: Float8) -> Float8 {
        let (hi, lo) = negHalfSquare(x)
        return expOfSum(hi, lo) * 0.3989422804014327
    }

    /// Applies `f` to `count` elements from `x` into `out`, eight at a time; the last partial
    /// group is padded with zeros so every element goes through the same lane arithmetic.
    @inline(__always)
    static func map(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int,
                    _ f: (Float8) -> Float8) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: Float8.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: f(v), as: Float8.self)
            i += 8
        }
        if i < count {
            var v = Float8()
            for j in 0..<(count - i) { v[j] = x[i + j] }
            let r = f(v)
            for j in 0..<(count - i) { out[i + j] = r[j] }
        }
    }

    /// `out[i] = g[i] · f(x[i])`, eight at a time (padded tail as in `map`).
    @inline(__always)
    static func mapScaled(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                          _ count: Int, _ f: (Float8) -> Float8) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: Float8.self)
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: Float8.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: gv * f(v), as: Float8.self)
            i += 8
        }
        if i < count {
            var v = Float8(), gv = Float8()
            for j in 0..<(count - i) { v[j] = x[i + j]; gv[j] = g[i + j] }
            let r = gv * f(v)
            for j in 0..<(count - i) { out[i + j] = r[j] }
        }
    }

    /// GELU, exact form: x·Φ(x).
    @inline(__always)
    static func gelu(_ x: Float8) -> Float8 { x * normalCDF(x) }

    /// d/dx GELU = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
    @inline(__always)
    static func geluDerivative(_ x: Float8) -> Float8 {
        normalCDF(x) + x * gaussian(x)
    }

    /// tanh lane-wise as sign(u)·(1 − 2/(e^{2|u|} + 1)); |u| is clamped at 9, where tanh is 1
    /// to within 3e-8. Absolute error ≤ 2e-7 (the form cancels near 0, so it is not meant for
    /// relative accuracy at tiny |u|).
    @inline(__always)
    static func tanh(_ u: Float8) -> Float8 {
        let a = u.replacing(with: -u, where: u .< 0)
        let ac = a.replacing(with: Float8(repeating: 9), where: a .> 9)
        let t = 1 - 2 / (exp(2 * ac) + 1)
        return t.replacing(with: -t, where: u .< 0)
    }

    /// GPT-2's `gelu_new`: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    @inline(__always)
    static func geluTanh(_ x: Float8) -> Float8 {
        let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + tanh(u))
    }

    /// d/dx of `geluTanh`: ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
    @inline(__always)
    static func geluTanhDerivative(_ x: Float8) -> Float8 {
        let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
        let t = tanh(u)
        let du = 0.7978845608028654 * (1 + 3 * 0.044715 * x * x)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
    }
}
