// Shared helpers for the TSFCTensor tests: seeded input generators that keep values away from
// the kinks of non-smooth ops, and a tolerance check that names the offending element.
import XCTest
@testable import TSFCTensor

/// Seeded input makers. Every test draws its data through these so runs are reproducible.
enum Inputs {
    /// Standard normal draws scaled by `scale`.
    static func normal(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomNormal(shape, standardDeviation: scale, using: &rng)
    }

    /// Uniform draws in `[low, high)`.
    static func uniform(_ shape: [Int], seed: UInt64, low: Float, high: Float) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomUniform(shape, low: low, high: high, using: &rng)
    }

    /// Strictly positive draws in `[0.5, 2)` (domains of log, sqrt, fractional pow, divisors).
    static func positive(_ shape: [Int], seed: UInt64) -> Tensor {
        uniform(shape, seed: seed, low: 0.5, high: 2)
    }

    /// Magnitudes in `[0.2, 1.5)` with random signs: never within 0.2 of zero (abs, relu).
    static func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shapeCount(shape)
        let v = (0..<n).map { _ -> Float in
            let m = 0.2 + 1.3 * rng.nextUniform()
            return rng.nextUniform() < 0.5 ? -m : m
        }
        return Tensor(shape: shape, scalars: v)
    }

    /// A shuffled grid `offset + 0.1·k`, centred on `offset`: all values distinct by ≥ 0.1, so
    /// maxima are unique and comparisons between two such grids with offsets differing by 0.05
    /// never tie.
    static func distinct(_ shape: [Int], seed: UInt64, offset: Float = 0) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let n = shapeCount(shape)
        var v = (0..<n).map { offset + 0.1 * (Float($0) - Float(n / 2)) }
        v.shuffle(using: &rng)
        return Tensor(shape: shape, scalars: v)
    }

    /// Normal draws, each nudged until it is at least `margin` from every point in `avoid`.
    static func avoiding(_ shape: [Int], seed: UInt64, points avoid: [Float], margin: Float = 0.05) -> Tensor {
        normal(shape, seed: seed).map { x in
            var v = x
            while let p = avoid.first(where: { Swift.abs(v - $0) < margin }) { v = p + (v >= p ? margin : -margin) * 1.5 }
            return v
        }
    }
}

/// Asserts two arrays agree element-wise within `atol + rtol·|expected|`; reports the worst element.
func assertClose(
    _ actual: [Float], _ expected: [Float], atol: Float = 1e-5, rtol: Float = 1e-5,
    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("\(message()): count \(actual.count) != \(expected.count)", file: file, line: line)
        return
    }
    var worst = -1
    var worstExcess: Float = 0
    for i in 0..<actual.count {
        let a = actual[i], e = expected[i]
        if a.isNaN != e.isNaN || (a.isInfinite || e.isInfinite) && a != e {
            worst = i; break
        }
        if a.isNaN || a.isInfinite { continue }
        let excess = Swift.abs(a - e) - (atol + rtol * Swift.abs(e))
        if excess > worstExcess { worstExcess = excess; worst = i }
    }
    if worst >= 0 {
        XCTFail("\(message()): element \(worst): got \(actual[worst]), expected \(expected[worst])", file: file, line: line)
    }
}
