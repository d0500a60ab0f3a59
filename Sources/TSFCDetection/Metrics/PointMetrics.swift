// Point-wise and point-adjusted precision / recall / F1 of binary predictions.
//
// Point adjustment (Xu et al., WWW 2018, "Donut"): when any point of a true anomaly segment is
// flagged, the whole segment counts as detected. Kim et al. (AAAI 2022) showed that random scores
// reach state-of-the-art point-adjusted F1, so it is only reported next to the plain figure.

/// Precision, recall and their harmonic mean.
public struct PrecisionRecallF1: Codable, Equatable, Sendable {
    /// Fraction of the flagged points (or flagged weight) that is anomalous.
    public let precision: Double
    /// Fraction of the anomalous points (or anomalous weight) that is flagged.
    public let recall: Double
    /// The harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double { Self.f1(precision, recall) }

    public init(precision: Double, recall: Double) { self.precision = precision; self.recall = recall }

    /// 2PR/(P + R), 0 when both are 0.
    public static func f1(_ p: Double, _ r: Double) -> Double { p + r > 0 ? 2 * p * r / (p + r) : 0 }

    enum CodingKeys: String, CodingKey { case precision, recall, f1 }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(precision: try c.decode(Double.self, forKey: .precision), recall: try c.decode(Double.self, forKey: .recall))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(f1, forKey: .f1)
    }
}

extension AnomalyMetrics {
    /// Point-wise precision and recall of `predictions` against `labels` (same length).
    /// Precision is 0 when nothing is predicted; recall is 0 when nothing is labelled.
    public static func point(labels: [Bool], predictions: [Bool]) -> PrecisionRecallF1 {
        precondition(labels.count == predictions.count, "point metrics: \(labels.count) labels, \(predictions.count) predictions")
        var tp = 0, predicted = 0, actual = 0
        for (l, p) in zip(labels, predictions) {
            if l && p { tp += 1 }
            if p { predicted += 1 }
            if l { actual += 1 }
        }
        return PrecisionRecallF1(precision: predicted > 0 ? Double(tp) / Double(predicted) : 0,
                                 recall: actual > 0 ? Double(tp) / Double(actual) : 0)
    }

    /// The predictions after point adjustment: every true anomaly segment with at least one
    /// predicted point becomes wholly predicted.
    public static func pointAdjusted(labels: [Bool], predictions: [Bool]) -> [Bool] {
        precondition(labels.count == predictions.count, "point adjustment: \(labels.count) labels, \(predictions.count) predictions")
        var adjusted = predictions
        for run in AnomalyLabels.runs(labels) where run.contains(where: { predictions[$0] }) {
            for i in run { adjusted[i] = true }
        }
        return adjusted
    }

    /// Point-ADJUSTED precision and recall (inflated by construction; report beside `point`).
    public static func pointAdjustedScores(labels: [Bool], predictions: [Bool]) -> PrecisionRecallF1 {
        point(labels: labels, predictions: pointAdjusted(labels: labels, predictions: predictions))
    }

    /// The best point-wise F1 over all thresholds of `scores` (an oracle threshold, as legacy tables use).
    public static func bestF1(labels: [Bool], scores: [Float]) -> Double {
        bestF1(RankingCurve(labels: labels, scores: scores.map(Double.init)))
    }

    static func bestF1(_ curve: RankingCurve) -> Double {
        curve.points.map { PrecisionRecallF1.f1($0.precision, $0.recall) }.max() ?? 0
    }

    /// The best point-ADJUSTED F1 over all thresholds of `scores` (oracle threshold): each true
    /// segment's points take the segment's largest score, which is exactly point adjustment at every threshold.
    public static func bestPointAdjustedF1(labels: [Bool], scores: [Float]) -> Double {
        var adjusted = scores.map(Double.init)
        for run in AnomalyLabels.runs(labels) {
            let peak = run.map { adjusted[$0] }.max()!
            for i in run { adjusted[i] = peak }
        }
        return bestF1(RankingCurve(labels: labels, scores: adjusted))
    }
}
