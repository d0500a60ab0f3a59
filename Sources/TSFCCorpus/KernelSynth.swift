// KernelSynth-style Gaussian-process series (after Chronos, Ansari et al. 2024): a bank of
// kernels — periodic, RBF, rational-quadratic, linear, constant, white noise — composed at random
// by + and ×, and one GP sample of the composition.
//
// Sampling: the composition is expanded into a sum of products of kernels (monomials); the
// monomials' samples are independent and add. In a product, the rank-one kernels (linear,
// constant) multiply the sample by their feature h(t) (exact: Cov[h(t)g(t), h(t')g(t')] =
// h(t)h(t')k(t,t')); white noise makes it independent noise with the product's variance at t;
// the stationary kernels (periodic, RBF, RQ) are sampled by random Fourier features whose
// frequencies are the sum of one draw from each kernel's spectral measure (the spectral
// measure of a product is the convolution of the factors'). This is O(T · features) for any
// length T, with no Cholesky factorisation, and a periodic kernel's sample is exactly periodic
// (its spectral measure sits on the harmonics 2πk/p).
import Foundation
import TSFCTensor

/// One kernel of the bank. Time is in steps; `linear` works on x = t / (T − 1) ∈ [0, 1].
public enum GPKernel: Sendable, Equatable {
    /// exp(−2 sin²(π τ / period) / lengthScale²).
    case periodic(period: Double, lengthScale: Double)
    /// exp(−τ² / (2 lengthScale²)).
    case rbf(lengthScale: Double)
    /// (1 + τ² / (2 α lengthScale²))^(−α).
    case rationalQuadratic(lengthScale: Double, alpha: Double)
    /// (x − offset)(x' − offset).
    case linear(offset: Double)
    /// `variance` everywhere.
    case constant(variance: Double)
    /// `variance` · [t = t'].
    case whiteNoise(variance: Double)

    var isStationarySmooth: Bool {
        switch self {
        case .periodic, .rbf, .rationalQuadratic: return true
        default: return false
        }
    }
}

/// A composition of kernels by sums and products.
public indirect enum KernelComposition: Sendable, Equatable {
    case kernel(GPKernel)
    case sum(KernelComposition, KernelComposition)
    case product(KernelComposition, KernelComposition)

    /// The composition as a sum of products of kernels (products distributed over sums).
    public var monomials: [[GPKernel]] {
        switch self {
        case .kernel(let k): return [[k]]
        case .sum(let a, let b): return a.monomials + b.monomials
        case .product(let a, let b):
            let left = a.monomials, right = b.monomials
            return left.flatMap { l in right.map { l + $0 } }
        }
    }

    /// Every kernel, left to right.
    public var kernels: [GPKernel] {
        switch self {
        case .kernel(let k): return [k]
        case .sum(let a, let b), .product(let a, let b): return a.kernels + b.kernels
        }
    }
}

/// The KernelSynth generator: random compositions of up to `maxKernels` kernels and their samples.
public enum KernelSynth {
    /// Random Fourier features per monomial with a stationary factor.
    public static let featureCount = 48

    /// One GP sample of `composition` at `length` steps (`[T]`, unit variance per monomial).
    public static func sample(_ composition: KernelComposition, length: Int,
                              using rng: inout SeededGenerator) -> [Double] {
        var y = [Double](repeating: 0, count: length)
        for monomial in composition.monomials {
            let part = sampleMonomial(monomial, length: length, using: &rng)
            for t in 0..<length { y[t] += part[t] }
        }
        return y
    }

    /// A random composition for a series of `length` steps whose calendar has `periods`; returns
    /// the composition and its dominant period (the first periodic kernel's, rounded; 1 if none).
    public static func drawComposition(length: Int, periods: [Int], maxKernels: Int = 5,
                                       using rng: inout SeededGenerator) -> (KernelComposition, Int) {
        let count = rng.integer(1...max(1, maxKernels))
        var composition: KernelComposition?
        var dominant = 1
        for _ in 0..<count {
            let k = drawKernel(length: length, periods: periods, using: &rng)
            if case .periodic(let p, _) = k, dominant == 1 { dominant = Int(p.rounded()) }
            if let c = composition {
                composition = rng.bernoulli(0.5) ? .sum(c, .kernel(k)) : .product(c, .kernel(k))
            } else {
                composition = .kernel(k)
            }
        }
        return (composition ?? .kernel(.whiteNoise(variance: 1)), dominant)
    }

    /// One kernel from the bank: periodic at a calendar period (or another period that fits
    /// two cycles), RBF / RQ with length scales from 1.5 steps to a third of the series,
    /// linear, constant or white noise.
    public static func drawKernel(length: Int, periods: [Int], using rng: inout SeededGenerator) -> GPKernel {
        let fitting = periods.filter { $0 >= 2 && 2 * $0 <= length }
        let longest = max(2.0, Double(length) / 3)
        switch rng.categorical([0.35, 0.15, 0.10, 0.15, 0.05, 0.20]) {
        case 0:
            guard length >= 8 else { return .rbf(lengthScale: rng.logUniform(1.5, longest)) }
            let period = !fitting.isEmpty && rng.bernoulli(0.8)
                ? Double(fitting[rng.integer(0...fitting.count - 1)])
                : rng.logUniform(3, Double(length) / 2)
            return .periodic(period: period, lengthScale: rng.uniform(0.4, 1.2))
        case 1: return .rbf(lengthScale: rng.logUniform(1.5, longest))
        case 2: return .rationalQuadratic(lengthScale: rng.logUniform(1.5, longest), alpha: rng.logUniform(0.1, 10))
        case 3: return .linear(offset: rng.uniform(-0.5, 1))
        case 4: return .constant(variance: rng.logUniform(0.1, 1))
        default: return .whiteNoise(variance: rng.logUniform(0.01, 1))
        }
    }

    // MARK: - Sampling one product of kernels

    static func sampleMonomial(_ factors: [GPKernel], length n: Int, using rng: inout SeededGenerator) -> [Double] {
        // The rank-one part h(t) and the white-noise variance.
        var h = [Double](repeating: 1, count: n)
        var noiseVariance: Double?
        var stationary: [GPKernel] = []
        let denominator = Double(max(1, n - 1))
        for k in factors {
            switch k {
            case .linear(let c):
                for t in 0..<n { h[t] *= Double(t) / denominator - c }
            case .constant(let v):
                let s = v.squareRoot()
                for t in 0..<n { h[t] *= s }
            case .whiteNoise(let v):
                noiseVariance = (noiseVariance ?? 1) * v
            default:
                stationary.append(k)
            }
        }
        var g = [Double](repeating: 0, count: n)
        if let v = noiseVariance {
            // k_white · k_rest = δ(t, t') · k_rest(t, t): stationary factors have unit variance.
            let s = v.squareRoot()
            for t in 0..<n { g[t] = s * rng.normal() }
        } else if stationary.isEmpty {
            let w = rng.normal()
            for t in 0..<n { g[t] = w }
        } else {
            let m = featureCount
            let scale = (2.0 / Double(m)).squareRoot()
            let harmonics = stationary.map { k -> [Double] in
                guard case .periodic(let p, let l) = k else { return [] }
                return harmonicWeights(a: 1 / (l * l), maxHarmonic: max(0, Int((p / 2).rounded(.up)) - 1))
            }
            for _ in 0..<m {
                var omega = 0.0
                for (k, weights) in zip(stationary, harmonics) { omega += spectralDraw(k, harmonics: weights, using: &rng) }
                let phase = rng.uniform(0, 2 * Double.pi), amplitude = scale * rng.normal()
                // cos(ω t + φ) by rotation: (c, s) ← (c cos ω − s sin ω, s cos ω + c sin ω).
                let cw = cos(omega), sw = sin(omega)
                var c = cos(phase), s = sin(phase)
                for t in 0..<n {
                    g[t] += amplitude * c
                    let c2 = c * cw - s * sw
                    s = s * cw + c * sw
                    c = c2
                }
            }
        }
        for t in 0..<n { g[t] *= h[t] }
        return g
    }

    /// One angular frequency (radians per step) from a stationary kernel's spectral measure.
    /// `harmonics`: a periodic kernel's `harmonicWeights`.
    static func spectralDraw(_ kernel: GPKernel, harmonics: [Double], using rng: inout SeededGenerator) -> Double {
        switch kernel {
        case .rbf(let l):
            return rng.normal() / l
        case .rationalQuadratic(let l, let alpha):
            // A scale mixture of RBFs: precision λ ~ Gamma(α, rate α l²).
            let lambda = rng.gamma(shape: alpha) / (alpha * l * l)
            return rng.normal() * lambda.squareRoot()
        case .periodic(let p, _):
            // exp(−2 sin²(πτ/p)/l²) = Σ_k e^{−a} I_k(a) cos(2πkτ/p), a = 1/l² (k over all integers).
            return 2 * Double.pi * Double(rng.categorical(harmonics)) / p
        default:
            return 0
        }
    }

    /// e^{−a} I_k(a) for k = 0 and 2 e^{−a} I_k(a) for k = 1 … maxHarmonic (at most 30).
    static func harmonicWeights(a: Double, maxHarmonic: Int) -> [Double] {
        let top = min(30, maxHarmonic)
        return (0...top).map { k in
            // I_k(a) = Σ_m (a/2)^{2m+k} / (m! (m+k)!), summed in logs.
            var sum = 0.0
            for m in 0..<40 {
                let logTerm = Double(2 * m + k) * log(a / 2) - lgamma(Double(m + 1)) - lgamma(Double(m + k + 1))
                sum += exp(logTerm - a)
            }
            return k == 0 ? sum : 2 * sum
        }
    }
}

extension KernelSynth {
    /// The periodic kernel's harmonic weights (k = 0 … maxHarmonic), for tests.
    public static func harmonicWeightsForTesting(a: Double, maxHarmonic: Int) -> [Double] {
        harmonicWeights(a: a, maxHarmonic: maxHarmonic)
    }
}
