// Peaks over threshold (POT) with a generalized Pareto tail, after SPOT (Siffer, Fouque,
// Termier, Largouët; "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017).
//
// The excesses Y_i = X_i − t over an initial threshold t (an empirical quantile) are fitted by
// maximum likelihood with Grimshaw's (1993) reduction: with x = γ/σ the likelihood equations
// become one equation w(x) = u(x)·v(x) − 1 = 0, where u(x) = mean 1/(1 + x·Y) and
// v(x) = 1 + mean log(1 + x·Y); each root gives γ = v(x) − 1 and σ = γ/x. The roots are bracketed
// on grids over (−1/max Y, 0) and (0, 2(mean Y − min Y)/(min Y)²) and refined by bisection; the
// candidate with the largest log-likelihood wins, the exponential tail (γ = 0, σ = mean Y) included.
// The threshold for risk q is z_q = t + σ/γ·((q·n/N_t)^(−γ) − 1), or t − σ·log(q·n/N_t) if γ = 0.

import Foundation

/// A generalized Pareto distribution fitted to the excesses over an initial threshold.
public struct GeneralizedParetoFit: Codable, Equatable, Sendable {
    /// Shape γ (ξ); 0 is an exponential tail, > 0 heavy, < 0 bounded.
    public let shape: Double
    /// Scale σ > 0.
    public let scale: Double
    /// The initial threshold t (the initial quantile of the calibration scores).
    public let initialThreshold: Double
    /// N_t, the number of calibration scores strictly above t.
    public let peakCount: Int
    /// n, the number of calibration scores.
    public let sampleCount: Int
    /// The log-likelihood of the excesses under the fit.
    public let logLikelihood: Double

    enum CodingKeys: String, CodingKey {
        case shape, scale, initialThreshold = "initial_threshold", peakCount = "peak_count"
        case sampleCount = "sample_count", logLikelihood = "log_likelihood"
    }

    public init(shape: Double, scale: Double, initialThreshold: Double, peakCount: Int, sampleCount: Int, logLikelihood: Double) {
        self.shape = shape; self.scale = scale; self.initialThreshold = initialThreshold
        self.peakCount = peakCount; self.sampleCount = sampleCount; self.logLikelihood = logLikelihood
    }

    /// The score exceeded with probability `risk` under the fitted tail (risk < N_t / n).
    public func threshold(risk: Double) -> Double {
        let r = risk * Double(sampleCount) / Double(peakCount)
        if Swift.abs(shape) < 1e-12 { return initialThreshold - scale * Foundation.log(r) }
        return initialThreshold + scale / shape * (Foundation.pow(r, -shape) - 1)
    }
}

/// Fitting generalized Pareto tails (SPOT's peaks-over-threshold step).
public enum PeaksOverThreshold {
    /// The fewest excesses over the initial threshold that a tail is fitted on.
    public static let minimumPeaks = 10

    /// Fits the tail of `sorted` (ascending, finite calibration scores) above its `initialQuantile`
    /// (in (0, 1)). Throws `ThresholdError` when the scores or the quantile cannot give a tail.
    public static func fit(sortedCalibrationScores sorted: [Double], initialQuantile: Double) throws -> GeneralizedParetoFit {
        guard initialQuantile > 0 && initialQuantile < 1 else {
            throw ThresholdError.optionOutOfRange(option: "initial_quantile (pot)", value: initialQuantile, allowed: "in (0, 1)")
        }
        if let bad = sorted.firstIndex(where: { !$0.isFinite }) { throw ThresholdError.nonFiniteCalibrationScore(index: bad) }
        let needed = Int((Double(minimumPeaks) / (1 - initialQuantile) - 1e-9).rounded(.up))
        guard !sorted.isEmpty else { throw ThresholdError.tooFewCalibrationScores(method: "pot", count: 0, needed: needed) }
        let t = EmpiricalQuantile.of(sorted: sorted, initialQuantile)
        let excesses = sorted.filter { $0 > t }.map { $0 - t }
        guard excesses.count >= minimumPeaks else {
            if sorted.count < needed {
                throw ThresholdError.tooFewCalibrationScores(method: "pot", count: sorted.count, needed: needed)
            }
            throw ThresholdError.degenerateCalibration(
                method: "pot", reason: "only \(excesses.count) calibration scores lie above the initial threshold \(t) (tied scores), "
                    + "and the tail fit needs \(minimumPeaks); lower the initial quantile")
        }
        guard let tail = try fitExcesses(excesses) else {
            throw ThresholdError.degenerateCalibration(method: "pot", reason: "the \(excesses.count) excesses over the initial threshold are all equal")
        }
        return GeneralizedParetoFit(shape: tail.shape, scale: tail.scale, initialThreshold: t, peakCount: excesses.count,
                                    sampleCount: sorted.count, logLikelihood: tail.logLikelihood)
    }

    /// Maximum-likelihood generalized Pareto fit of positive, finite `excesses` by Grimshaw's
    /// procedure; nil when they have no spread. Throws `ThresholdError.degenerateCalibration` when
    /// there are none, or one is not a positive finite number.
    public static func fitExcesses(_ excesses: [Double]) throws -> (shape: Double, scale: Double, logLikelihood: Double)? {
        guard let yMin = excesses.min(), let yMax = excesses.max() else {
            throw ThresholdError.degenerateCalibration(method: "pot", reason: "no excesses over the initial threshold to fit a tail on")
        }
        if let bad = excesses.first(where: { !($0.isFinite && $0 > 0) }) {
            throw ThresholdError.degenerateCalibration(
                method: "pot", reason: "excesses over the initial threshold must be positive and finite numbers, got \(bad)")
        }
        let n = Double(excesses.count)
        let yMean = excesses.reduce(0, +) / n
        guard yMax - yMin > 1e-12 * yMax else { return nil }

        // u(x)·v(x) − 1 with u = mean 1/(1 + xY), v = 1 + mean log(1 + xY).
        func w(_ x: Double) -> Double {
            var u = 0.0, v = 0.0
            for y in excesses {
                let s = 1 + x * y
                u += 1 / s
                v += Foundation.log(s)
            }
            return (u / n) * (1 + v / n) - 1
        }
        func logLikelihood(shape: Double, scale: Double) -> Double {
            if shape == 0 { return -n * Foundation.log(scale) - excesses.reduce(0, +) / scale }
            var sum = 0.0
            for y in excesses { sum += Foundation.log(1 + shape / scale * y) }
            return -n * Foundation.log(scale) - (1 + 1 / shape) * sum
        }

        var best = (shape: 0.0, scale: yMean, logLikelihood: logLikelihood(shape: 0, scale: yMean))
        func consider(_ x: Double) {
            var v = 0.0
            for y in excesses { v += Foundation.log(1 + x * y) }
            let shape = v / n
            let scale = shape / x
            guard scale > 0, scale.isFinite, shape.isFinite else { return }
            let ll = logLikelihood(shape: shape, scale: scale)
            if ll.isFinite && ll > best.logLikelihood { best = (shape, scale, ll) }
        }
        func bisect(_ lo0: Double, _ hi0: Double, _ wLo0: Double) -> Double {
            var lo = lo0, hi = hi0, wLo = wLo0
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if mid == lo || mid == hi { break }
                let wm = w(mid)
                if (wm < 0) == (wLo < 0) { lo = mid; wLo = wm } else { hi = mid }
            }
            return 0.5 * (lo + hi)
        }
        func scan(_ grid: [Double]) {
            var previous = grid[0], wPrevious = w(previous)
            for x in grid.dropFirst() {
                let wx = w(x)
                if wx == 0 { consider(x) } else if (wx < 0) != (wPrevious < 0) && wPrevious != 0 {
                    consider(bisect(previous, x, wPrevious))
                }
                previous = x; wPrevious = wx
            }
        }
        let points = 600
        // Negative side: x in (−1/yMax, 0), denser towards the pole at −1/yMax.
        let a = -1 / yMax
        let tiny = 1e-7 / yMax
        let start = a * (1 - 1e-9)
        scan((0...points).map { i -> Double in
            let f = Double(i) / Double(points)             // 0 … 1
            return start + (-tiny - start) * f * f
        })
        // Positive side: x in (0, 2(mean − min)/min²], geometric grid.
        let c = Swift.max(2 * (yMean - yMin) / (yMin * yMin), 10 / yMin)
        let lo = tiny, ratio = Foundation.pow(c / lo, 1 / Double(points))
        scan((0...points).map { lo * Foundation.pow(ratio, Double($0)) })
        return best
    }
}
