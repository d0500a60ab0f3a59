// The quantiles a forecast asks for, read off a model's quantile head: linear interpolation
// between the head's levels, clamping (with a note) outside their range.

/// Reads requested quantile levels off the levels a quantile head predicts.
public enum QuantileHeadInterpolation {
    /// `[requested level][step]` from `values` `[head level][step]` at the ascending `headLevels`:
    /// linear between the two nearest head levels inside their range, the nearest end outside
    /// it (those requested levels are returned in `clamped`). The result is made monotone in the
    /// level at every step (a running maximum), so quantiles never cross even if the head's do.
    public static func interpolate(headLevels: [Float], values: [[Float]], at requested: [Double])
        -> (values: [[Double]], clamped: [Double]) {
        guard let first = headLevels.first, let last = headLevels.last, !values.isEmpty else { return ([], requested) }
        let steps = values[0].count
        var clamped: [Double] = []
        var out: [[Double]] = requested.map { q -> [Double] in
            let qf = Float(q)
            if qf < first - 1e-6 || qf > last + 1e-6 { clamped.append(q) }
            if qf <= first { return values[0].map(Double.init) }
            if qf >= last { return values[values.count - 1].map(Double.init) }
            let upper = headLevels.firstIndex { $0 >= qf }!
            let lower = upper - 1
            let t = Double((qf - headLevels[lower]) / (headLevels[upper] - headLevels[lower]))
            return (0..<steps).map { s in Double(values[lower][s]) * (1 - t) + Double(values[upper][s]) * t }
        }
        for k in out.indices.dropFirst() {
            for s in 0..<steps { out[k][s] = max(out[k][s], out[k - 1][s]) }
        }
        return (out, clamped)
    }
}
