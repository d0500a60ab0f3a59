// Linear scales and "nice" ticks: a data interval mapped onto pixels, with round tick values
// (1, 2 or 5 times a power of ten) and labels written with just the decimals the step needs.
import Foundation

/// Maps a data interval linearly onto a pixel interval (which may run backwards, as y does).
public struct LinearScale: Sendable, Equatable {
    public var domain: ClosedRange<Double>
    /// Pixels of `domain.lowerBound` and `domain.upperBound`.
    public var range: (Double, Double)

    public init(domain: ClosedRange<Double>, range: (Double, Double)) {
        self.domain = domain
        self.range = range
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    /// The pixel of data value `x` (outside the domain it extrapolates).
    public func callAsFunction(_ x: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0 else { return (range.0 + range.1) / 2 }
        return range.0 + (x - domain.lowerBound) / span * (range.1 - range.0)
    }
}

/// Round tick values for a numeric axis.
public enum NiceTicks {
    /// The step of about `count` intervals over `lower…upper`: 1, 2 or 5 × 10ᵏ (at least 1 with
    /// `integers`).
    public static func step(lower: Double, upper: Double, count: Int, integers: Bool = false) -> Double {
        let span = upper - lower
        guard span > 0, span.isFinite, count > 0 else { return 1 }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let normalized = raw / magnitude
        let nice: Double = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10
        let step = nice * magnitude
        return integers ? max(1, step.rounded()) : step
    }

    /// The multiples of `step` inside `lower…upper`.
    public static func values(lower: Double, upper: Double, step: Double) -> [Double] {
        guard step > 0, lower <= upper, (upper - lower) / step < 1000 else { return [] }
        var out: [Double] = []
        var k = (lower / step - 1e-9).rounded(.up)
        while k * step <= upper + step * 1e-9 {
            out.append(k * step == 0 ? 0 : k * step)  // no -0
            k += 1
        }
        return out
    }

    /// `lower…upper` widened outwards to multiples of the step of about `count` ticks, so the
    /// axis starts and ends on a labelled value. A degenerate interval is first widened by 1
    /// (or by a tenth of its magnitude).
    public static func niceDomain(lower: Double, upper: Double, count: Int, integers: Bool = false) -> ClosedRange<Double> {
        var (lo, hi) = (lower, upper)
        if !(lo.isFinite && hi.isFinite) { return 0...1 }
        if hi - lo <= abs(hi) * 1e-12 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        }
        let s = step(lower: lo, upper: hi, count: count, integers: integers)
        return (lo / s).rounded(.down) * s...(hi / s).rounded(.up) * s
    }

    /// Decimals needed to tell ticks `step` apart (0 for steps of 1 or more).
    public static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, min(10, Int((-log10(step) + 1e-9).rounded(.up))))
    }

    /// `value` with `decimals` decimals; thousands grouped with a thin space-free comma from
    /// 10,000 up (`12,500`); `-0` written as `0`.
    public static func label(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if Double(text) == 0 { text = String(format: "%.\(decimals)f", 0.0) }
        guard abs(value) >= 10_000 else { return text }
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = whole + grouped
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
