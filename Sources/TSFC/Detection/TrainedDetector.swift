// TrainedDetector: a scorer with everything needed to judge new data — the training columns and
// their input normalisation (detrending, floored StandardScaler), the channel aggregation, and
// the alarm threshold calibrated on held-out training scores. It also keeps the last raw rows of
// its training data and their last timestamp: an input that starts right after them gets them
// as history, in the run that fitted the detector and after reloading it alike; any other input
// starts without history (its first rows' context is padded). The run configuration it was
// trained with makes it orchestration (TSFC); the scoring lives in TSFCDetection.
import TSFCData
import TSFCDetection

/// A fitted, calibrated anomaly detector.
public final class TrainedDetector {
    /// The scorer.
    public let scorer: any AnomalyDetector
    /// The training columns, in model order.
    public let columns: [String]
    /// How raw values become the scorer's input.
    public let normalization: InputNormalization
    /// Standardisation fitted on the training rows (the normalisation's scaler).
    public var scaler: StandardScaler { normalization.scaler }
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
    /// The last raw training rows `[H, C]` (model column order), and the training data's last
    /// timestamp and sampling step (nil without timestamps).
    public let trainingTail: [Float]
    public let trainingEnd: Int64?
    public let trainingStep: Int64?

    public init(scorer: any AnomalyDetector, columns: [String], normalization: InputNormalization, aggregation: ScoreAggregation,
                threshold: Float, thresholdRule: ThresholdConfiguration, configuration: RunConfiguration,
                calibrationCount: Int, trainingTail: [Float] = [], trainingEnd: Int64? = nil, trainingStep: Int64? = nil) {
        self.scorer = scorer
        self.columns = columns
        self.normalization = normalization
        self.aggregation = aggregation
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.configuration = configuration
        self.calibrationCount = calibrationCount
        self.trainingTail = trainingTail
        self.trainingEnd = trainingEnd
        self.trainingStep = trainingStep
    }

    /// A detector with a plain StandardScaler (no detrending, no floor).
    public convenience init(scorer: any AnomalyDetector, columns: [String], scaler: StandardScaler, aggregation: ScoreAggregation,
                            threshold: Float, thresholdRule: ThresholdConfiguration, configuration: RunConfiguration,
                            calibrationCount: Int) {
        self.init(scorer: scorer, columns: columns,
                  normalization: InputNormalization(detrend: [Bool](repeating: false, count: columns.count), rollingWindow: 2,
                                                    scaler: scaler, flooredChannels: []),
                  aggregation: aggregation, threshold: threshold, thresholdRule: thresholdRule, configuration: configuration,
                  calibrationCount: calibrationCount)
    }

    /// Raw rows of history the scorer and the normalisation read before the first scored row.
    public var historyRows: Int { scorer.contextRows + normalization.historyNeeded }

    /// The frame's raw values reordered into the detector's columns.
    /// Throws when a training column is missing (or, for channel-mixing scorers, an extra one is present).
    public func rawValues(_ frame: TimeSeriesFrame) throws -> [Float] {
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
        for t in 0..<rows { for (k, i) in order.enumerated() { out[t * c + k] = frame.values[t * width + i] } }
        return out
    }

    /// The frame's values as scorer input (normalised without history).
    public func standardized(_ frame: TimeSeriesFrame) throws -> [Float] {
        normalization.apply(try rawValues(frame), channels: columns.count)
    }

    static func list(_ names: [String]) -> String {
        names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", … (\(names.count) in all)" : "")
    }

    /// Whether `frame` starts one sampling step after the training data's last row.
    public func continuesTraining(_ frame: TimeSeriesFrame) -> Bool {
        guard let end = trainingEnd, let step = trainingStep, let first = frame.timestamps?.first else { return false }
        return first - end == step
    }

    /// Scores `frame`. History: `history` (earlier raw rows with the same columns) when given;
    /// otherwise the stored training tail when `frame` continues the training data; otherwise none.
    public func detect(_ frame: TimeSeriesFrame, history: TimeSeriesFrame? = nil) throws -> DetectionResult {
        let c = columns.count
        var past: [Float] = []
        if let history, history.rowCount > 0 {
            let keep = Swift.min(history.rowCount, historyRows)
            past = try rawValues(history.rows((history.rowCount - keep)..<history.rowCount))
        } else if continuesTraining(frame) {
            past = Array(trainingTail.suffix(historyRows * c))
        }
        let raw = past + (try rawValues(frame))
        let input = normalization.apply(raw, channels: c)
        let pastRows = past.count / c
        let context = Swift.min(pastRows, scorer.contextRows)
        let drop = pastRows - context
        let channelScores = try scorer.channelScores(ScoringInput(values: Array(input[(drop * c)...]), channels: c, historyRows: context))
        return judge(channelScores)
    }

    /// Aggregates per-channel scores and applies the threshold.
    public func judge(_ channelScores: AnomalyScores) -> DetectionResult {
        DetectionResult(channelScores: channelScores, aggregation: aggregation, threshold: threshold)
    }
}
