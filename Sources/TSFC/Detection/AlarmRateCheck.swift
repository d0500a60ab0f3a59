// AlarmRateCheck: says when a detector flags far more rows than its threshold rule lets through on
// normal data — either the input is that anomalous, or its scores have left the calibration rows'
// distribution (a channel that shifted since training, a new regime) and the alarms mostly say
// that. In SMD-cat, machine-1-6's test part is the measured case: one channel's test level sits
// three training standard deviations above its training mean and 60 % of that part is flagged
// (BENCHMARKS.md, issue 18). The check names the channels that drive the flagged rows.
import Foundation
import TSFCDetection

/// A detector flagged far more rows than its threshold rule expects of normal data.
public struct AlarmRateWarning: Equatable, Sendable {
    /// Share of the scored rows above the threshold.
    public let flaggedShare: Double
    /// Share of normal rows the threshold rule lets through (`TrainedDetector.expectedAlarmShare`).
    public let expectedShare: Double
    /// Channels (indices) that are the top channel of at least a tenth of the flagged rows, with
    /// that share, most first.
    public let channels: [ChannelShare]

    /// A channel and the share of flagged rows it drives.
    public struct ChannelShare: Equatable, Sendable {
        public let channel: Int
        public let share: Double
    }
}

extension TrainedDetector {
    /// The share of normal rows the threshold rule flags: 1 − q for a quantile, the contamination,
    /// POT's risk, and the Gaussian tail beyond k for z-score / k-sigma.
    public var expectedAlarmShare: Double {
        let v = thresholdRule.value
        switch thresholdRule.method {
        case .quantile: return 1 - v
        case .contamination, .pot: return v
        case .zscore, .ksigma: return 0.5 * erfc(v / 2.0.squareRoot())
        }
    }

    /// A warning when more than `factor` times the expected share of rows, and at least
    /// `minimumShare` of them, are flagged (inputs of fewer than `minimumRows` rows: none).
    public func alarmRateWarning(_ result: DetectionResult, factor: Double = 10, minimumShare: Double = 0.05,
                                 minimumRows: Int = 100) -> AlarmRateWarning? {
        let n = result.isAnomaly.count
        guard n >= minimumRows else { return nil }
        let flagged = result.isAnomaly.indices.filter { result.isAnomaly[$0] }
        let share = Double(flagged.count) / Double(n)
        guard share > Swift.max(factor * expectedAlarmShare, minimumShare) else { return nil }
        var counts = [Int](repeating: 0, count: result.channelScores.channels)
        for t in flagged { counts[result.channelScores.topChannels(at: t, k: 1)[0]] += 1 }
        let drivers = counts.indices.filter { Double(counts[$0]) >= 0.1 * Double(flagged.count) }
            .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            .map { AlarmRateWarning.ChannelShare(channel: $0, share: Double(counts[$0]) / Double(flagged.count)) }
        return AlarmRateWarning(flaggedShare: share, expectedShare: expectedAlarmShare, channels: drivers)
    }
}
