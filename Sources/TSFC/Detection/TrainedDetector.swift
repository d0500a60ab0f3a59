// TrainedDetector: a scorer with everything needed to judge new data — the training columns and
// their StandardScaler, the channel aggregation, and the alarm threshold calibrated on held-out
// training scores. The run configuration it was trained with makes it orchestration (TSFC); the
// scoring and judging it does live in TSFCDetection.
import TSFCData
import TSFCDetection

/// A fitted, calibrated anomaly detector.
public final class TrainedDetector {
    /// The scorer.
    public let scorer: any AnomalyDetector
    /// The training columns, in model order.
    public let columns: [String]
    /// Standardisation fitted on the training rows.
    public let scaler: StandardScaler
    /// How channel scores become one score per step.
    public let aggregation: ScoreAggregation
    /// Steps whose score is above this are anomalous.
    public let threshold: Float
    /// The rule the threshold came from.
    public let thresholdRule: ThresholdConfiguration
    /// The configuration it was trained with.
    public let configuration: RunConfiguration
    /// Number of calibration scores the threshold was fitted on.
    public let calibrationCount: Int

    public init(scorer: any AnomalyDetector, columns: [String], scaler: StandardScaler, aggregation: ScoreAggregation,
                threshold: Float, thresholdRule: ThresholdConfiguration, configuration: RunConfiguration,
                calibrationCount: Int) {
        self.scorer = scorer
        self.columns = columns
        self.scaler = scaler
        self.aggregation = aggregation
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.configuration = configuration
        self.calibrationCount = calibrationCount
    }

    /// The frame's values reordered into the detector's columns and standardised.
    /// Throws when a training column is missing (or, for channel-mixing scorers, an extra one is present).
    public func standardized(_ frame: TimeSeriesFrame) throws -> [Float] {
        var order: [Int] = []
        var missing: [String] = []
        for name in columns {
            if let i = frame.columnIndex(name) { order.append(i) } else { missing.append(name) }
        }
        if !missing.isEmpty {
            let shown = missing.prefix(5).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
            throw DetectionError.invalid("\(frame.source): the detector was trained on columns [\(TrainedDetector.list(columns))] but \(missing.count) of them are missing here (\(shown)); score data with the training columns or train a new detector")
        }
        let extra = frame.columns.filter { !columns.contains($0) }
        if !extra.isEmpty {
            throw DetectionError.invalid("\(frame.source): columns [\(TrainedDetector.list(extra))] were not in the detector's training data [\(TrainedDetector.list(columns))]; drop them (--columns) or train a new detector")
        }
        let c = columns.count, rows = frame.rowCount, width = frame.channelCount
        var out = [Float](repeating: 0, count: rows * c)
        for t in 0..<rows {
            for (k, i) in order.enumerated() {
                out[t * c + k] = scaler.transform(frame.values[t * width + i], column: k)
            }
        }
        return out
    }

    static func list(_ names: [String]) -> String {
        names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", … (\(names.count) in all)" : "")
    }

    /// Scores `frame`; `history` (earlier rows with the same columns, e.g. the training data's
    /// tail) gives context to the first rows. Without it, the first rows' context is padded.
    public func detect(_ frame: TimeSeriesFrame, history: TimeSeriesFrame? = nil) throws -> DetectionResult {
        let values = try standardized(frame)
        var input = values, historyRows = 0
        if let history, history.rowCount > 0 {
            let keep = Swift.min(history.rowCount, scorer.contextRows)
            let past = try standardized(history.rows((history.rowCount - keep)..<history.rowCount))
            input = past + values
            historyRows = keep
        }
        let channelScores = try scorer.channelScores(ScoringInput(values: input, channels: columns.count, historyRows: historyRows))
        return judge(channelScores)
    }

    /// Aggregates per-channel scores and applies the threshold.
    public func judge(_ channelScores: AnomalyScores) -> DetectionResult {
        DetectionResult(channelScores: channelScores, aggregation: aggregation, threshold: threshold)
    }
}
