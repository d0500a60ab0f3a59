// Seeded random numbers: every random draw in tsfc takes a `SeededGenerator`.
#if canImport(Glibc)
import Glibc
#endif

/// A fast, seedable generator (xoshiro256**, seeded through SplitMix64). Same seed, same stream,
/// on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(&sm); s1 = splitmix(&sm); s2 = splitmix(&sm); s3 = splitmix(&sm)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal draw (Box–Muller).
    public mutating func nextNormal() -> Float {
        var u1 = nextUniform()
        while u1 <= 0 { u1 = nextUniform() }
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * Float.pi * u2)
    }
}

extension Tensor {
    /// Uniform draws in `[low, high)`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using rng: inout SeededGenerator) -> Tensor {
        let n = shapeCount(shape)
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n { v[i] = low + (high - low) * rng.nextUniform() }
        return Tensor(shape: shape, scalars: v)
    }

    /// Normal draws with the given mean and standard deviation.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    using rng: inout SeededGenerator) -> Tensor {
        let n = shapeCount(shape)
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n { v[i] = mean + standardDeviation * rng.nextNormal() }
        return Tensor(shape: shape, scalars: v)
    }

    /// Inverted dropout: zeroes each element with probability `rate` and scales survivors by
    /// 1 / (1 − rate). The mask is drawn from `rng`, so the same seed drops the same elements.
    public func dropout(rate: Float, using rng: inout SeededGenerator) -> Tensor {
        precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) must be in [0, 1)")
        if rate == 0 { return self }
        let keep = 1 / (1 - rate)
        var mask = [Float](repeating: 0, count: count)
        for i in 0..<count { mask[i] = rng.nextUniform() >= rate ? keep : 0 }
        return self * Tensor(shape: shape, scalars: mask)
    }
}

extension SeededGenerator {
    /// A generator for stream `stream` of `seed`: independent, reproducible sub-streams
    /// (per epoch, per step) without carrying generator state across a resume.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD6E8_FEB8_6659_FD93 &+ 0x9E37_79B9_7F4A_7C15))
    }
}
