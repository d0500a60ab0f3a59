// ConformalCalibrator: split-conformal prediction intervals from rolling-origin residuals, per
// horizon step (Vovk et al.; the per-step form is the one statsforecast's ConformalIntervals and
// the "conformal multi-horizon" literature use). The calibration forecasts are cut from the
// history before the forecast origin only, so no interval ever reads the future it covers.

/// Split-conformal calibration on absolute rolling-origin residuals.
///
/// For an origin n (the forecast sees rows 0 ..< n) the residual of step h at cutoff c is
/// |y(c + h − 1) − ŷ_c(h)|, the forecast ŷ_c made from rows 0 ..< c; step h reads the K most
/// recent cutoffs whose h-th point is in the history, c = n − h − K + 1 … n − h (and at least
/// the model's minimum history). With those n_h residuals sorted, the half-width of the level-(1 − α)
/// interval is the finite-sample conformal quantile, the ⌈(n_h + 1)(1 − α)⌉-th smallest, which
/// covers a new exchangeable residual with probability ≥ 1 − α; when ⌈(n_h + 1)(1 − α)⌉ > n_h the
/// width is undefined (infinite), never invented.
///
/// Quantile q of the forecast is point − w(1 − 2q) below the median, point + w(2q − 1) above it
/// and the point at 0.5, so quantiles are monotone in q by construction.
public enum ConformalCalibrator {
    /// The cutoffs whose forecasts calibrate an origin of `origin` rows: the union over steps,
    /// `max(minimumHistory, origin − horizon − windows + 1) … origin − 1` (empty when none).
    public static func cutoffs(origin: Int, horizon: Int, windows: Int, minimumHistory: Int) -> ClosedRange<Int>? {
        let low = max(max(minimumHistory, 1), origin - horizon - windows + 1), high = origin - 1
        return low <= high ? low...high : nil
    }

    /// The absolute residuals of each step 1 … `horizon` (index h − 1) from the history alone:
    /// `forecast(c)` gives the `horizon` forecasts from rows 0 ..< c (nil where the model cannot
    /// forecast from c rows). Only `history` is read, so only the past can enter.
    public static func residuals(history: ArraySlice<Double>, horizon: Int, windows: Int, minimumHistory: Int,
                                 forecast: (Int) throws -> [Double]?) rethrows -> [[Double]] {
        let n = history.count, base = history.startIndex
        var out = [[Double]](repeating: [], count: horizon)
        guard let range = cutoffs(origin: n, horizon: horizon, windows: windows, minimumHistory: minimumHistory) else { return out }
        for c in range {
            guard let f = try forecast(c) else { continue }
            for h in 1...horizon where c + h <= n && c >= n - h - windows + 1 {
                let e = abs(history[base + c + h - 1] - f[h - 1])
                if e.isFinite { out[h - 1].append(e) }
            }
        }
        return out
    }

    /// The number of residuals that gives a level-`coverage` interval its finite-sample quantile:
    /// the least n with ⌈(n + 1)·coverage⌉ ≤ n (4 for 80 %, 19 for 95 %).
    public static func minimumCount(coverage: Double) -> Int {
        var n = 1
        while rank(count: n, coverage: coverage) > n { n += 1 }
        return n
    }

    /// ⌈(n + 1)·coverage⌉, robust to rounding (0.8·20 is 16, not 17).
    static func rank(count n: Int, coverage: Double) -> Int {
        Int((Double(n + 1) * coverage - 1e-9).rounded(.up))
    }

    /// The half-width of the level-`coverage` interval from ascending residuals: the
    /// ⌈(n + 1)·coverage⌉-th smallest; nil when that rank exceeds n.
    public static func width(sorted residuals: [Double], coverage: Double) -> Double? {
        let k = rank(count: residuals.count, coverage: coverage)
        return k <= residuals.count ? residuals[max(k, 1) - 1] : nil
    }

    /// The value of quantile `q` around `point` from ascending residuals (nil: undefined).
    public static func quantile(_ q: Double, point: Double, sorted residuals: [Double]) -> Double? {
        if abs(q - 0.5) < 1e-12 { return point }
        if q < 0.5 { return width(sorted: residuals, coverage: 1 - 2 * q).map { point - $0 } }
        return width(sorted: residuals, coverage: 2 * q - 1).map { point + $0 }
    }

    /// The largest interval coverage the quantile levels imply (0 when only the median is asked).
    public static func largestCoverage(_ levels: [Double]) -> Double {
        levels.map { abs(2 * $0 - 1) }.max() ?? 0
    }
}
