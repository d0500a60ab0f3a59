// ChannelScoreScale: per-channel standardisation of anomaly scores before they are aggregated.
// A channel the model reconstructs poorly everywhere (noisy, or simply hard) has large raw errors
// on normal rows too; left raw, it dominates a mean or max over channels and hides a real anomaly
// on a well-modelled channel. Dividing each channel by its typical score on held-out normal rows
// puts every channel in units of "times its normal error". The scale has a floor (absolute, in
// the score units, not relative to the other channels: a relative floor would shrink exactly the
// quiet channel that a loud one should not drown) so a channel that is nearly perfectly
// reconstructed in calibration cannot turn a tiny error into a huge score later. (Channels that
// are nearly constant in training are floored earlier, by the input scaler.)

/// Per-channel divisors for anomaly scores, fitted on scores of normal (held-out) rows.
public struct ChannelScoreScale: Sendable, Equatable {
    /// One positive divisor per channel.
    public let scales: [Float]
    /// The default floor on a channel's scale. For squared errors of standardised inputs it is an
    /// error of 1 % of the channel's training spread.
    public static let defaultFloor: Float = 1e-4

    /// - Precondition: every scale is positive and finite.
    public init(scales: [Float]) {
        precondition(!scales.isEmpty && scales.allSatisfy { $0 > 0 && $0.isFinite }, "ChannelScoreScale: scales must be positive and finite")
        self.scales = scales
    }

    /// Each channel's mean score on `calibration` (normal rows), at least `floor` (which must be
    /// positive); a channel without finite scores gets 1.
    public static func fit(calibration: AnomalyScores, floor: Float = defaultFloor) -> ChannelScoreScale {
        precondition(floor > 0 && floor.isFinite, "ChannelScoreScale: the floor must be positive")
        let c = calibration.channels, n = calibration.count
        var means = [Double](repeating: 0, count: c)
        for t in 0..<n { for ch in 0..<c { means[ch] += Double(calibration.perChannel[t * c + ch]) } }
        let m = means.map { n > 0 ? Float($0 / Double(n)) : 1 }
        return ChannelScoreScale(scales: m.map { $0.isFinite ? Swift.max($0, floor) : 1 })
    }

    /// Calibration scores for a threshold, each half of `calibration`'s rows divided by the scale
    /// fitted on the other half (two folds, as `EnsembleScorer.crossFittedScores`). The stored
    /// scale is fitted on all these rows, so dividing them by it is in-sample: a calibration row
    /// with a large error also enlarges its own channel's mean and comes out smaller than a later
    /// normal row of the same error would, and the threshold lands low. Fewer than four rows: the
    /// in-sample scores.
    public static func crossFittedScores(calibration: AnomalyScores, floor: Float = defaultFloor) -> AnomalyScores {
        let c = calibration.channels, n = calibration.count, half = n / 2
        guard half >= 2 else { return fit(calibration: calibration, floor: floor).apply(calibration) }
        func rows(_ r: Range<Int>) -> AnomalyScores {
            AnomalyScores(channels: c, perChannel: Array(calibration.perChannel[(r.lowerBound * c)..<(r.upperBound * c)]))
        }
        var out = fit(calibration: rows(half..<n), floor: floor).apply(rows(0..<half))
        out.append(fit(calibration: rows(0..<half), floor: floor).apply(rows(half..<n)))
        return out
    }

    /// `scores` with channel `c` divided by `scales[c]`.
    public func apply(_ scores: AnomalyScores) -> AnomalyScores {
        precondition(scores.channels == scales.count, "ChannelScoreScale: \(scores.channels) channels, \(scales.count) scales")
        var out = scores
        let c = scales.count
        for i in out.perChannel.indices { out.perChannel[i] /= scales[i % c] }
        return out
    }
}
