// Empirical quantiles of calibration scores, with linear interpolation between order statistics
// (numpy's default "linear" method, type 7 of Hyndman & Fan).

/// Quantiles of a finite sample.
public enum EmpiricalQuantile {
    /// The `q` quantile (0 ≤ q ≤ 1) of `sorted`, which must be sorted ascending and non-empty.
    public static func of(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "EmpiricalQuantile: empty sample")
        precondition(q >= 0 && q <= 1, "EmpiricalQuantile: q = \(q) outside [0, 1]")
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// The `q` quantile of unsorted `values` (non-empty).
    public static func of(_ values: [Float], _ q: Double) -> Double {
        of(sorted: values.map(Double.init).sorted(), q)
    }
}
