// Threshold-free point metrics: AUC-ROC, AUC-PR (trapezoidal) and average precision.
// Thresholds are the distinct scores, a point is flagged when its score ≥ the threshold
// (scikit-learn's roc_curve / precision_recall_curve conventions).

/// Namespace of anomaly-detection metrics. Scores are "higher = more anomalous".
public enum AnomalyMetrics {}

/// Cumulative counts at each distinct score, from the highest down.
struct RankingCurve {
    struct Point { let threshold: Double; let truePositives: Int; let falsePositives: Int; let precision: Double; let recall: Double }
    let positives: Int
    let negatives: Int
    let points: [Point]

    init(labels: [Bool], scores: [Double]) {
        precondition(labels.count == scores.count, "ranking metrics: \(labels.count) labels, \(scores.count) scores")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        positives = labels.filter { $0 }.count
        negatives = labels.count - positives
        var tp = 0, fp = 0
        var out: [Point] = []
        for (k, i) in order.enumerated() {
            if labels[i] { tp += 1 } else { fp += 1 }
            if k + 1 == order.count || scores[order[k + 1]] != scores[i] {
                out.append(Point(threshold: scores[i], truePositives: tp, falsePositives: fp,
                                 precision: Double(tp) / Double(tp + fp),
                                 recall: positives > 0 ? Double(tp) / Double(positives) : 1))
            }
        }
        points = out
    }
}

extension AnomalyMetrics {
    /// Area under the ROC curve (trapezoidal; ties share a threshold). NaN without both classes.
    public static func aucROC(labels: [Bool], scores: [Float]) -> Double {
        aucROC(RankingCurve(labels: labels, scores: scores.map(Double.init)))
    }

    static func aucROC(_ curve: RankingCurve) -> Double {
        guard curve.positives > 0, curve.negatives > 0 else { return .nan }
        var area = 0.0, x0 = 0.0, y0 = 0.0
        for p in curve.points {
            let x = Double(p.falsePositives) / Double(curve.negatives), y = Double(p.truePositives) / Double(curve.positives)
            area += (x - x0) * (y + y0) / 2
            x0 = x; y0 = y
        }
        return area
    }

    /// Area under the precision–recall curve by the trapezoidal rule, starting at (recall 0,
    /// precision 1) — `sklearn.metrics.auc(recall, precision)`, the "AUC-PR" of the PATE paper.
    /// NaN without anomalies.
    public static func aucPR(labels: [Bool], scores: [Float]) -> Double {
        aucPR(RankingCurve(labels: labels, scores: scores.map(Double.init)))
    }

    static func aucPR(_ curve: RankingCurve) -> Double {
        guard curve.positives > 0 else { return .nan }
        var area = 0.0, r0 = 0.0, p0 = 1.0
        for p in curve.points {
            area += (p.recall - r0) * (p.precision + p0) / 2
            r0 = p.recall; p0 = p.precision
        }
        return area
    }

    /// Average precision Σ (Rₖ − Rₖ₋₁)·Pₖ — scikit-learn's `average_precision_score`, the
    /// "AUC-PR" of TSB-AD's tables. NaN without anomalies.
    public static func averagePrecision(labels: [Bool], scores: [Float]) -> Double {
        averagePrecision(RankingCurve(labels: labels, scores: scores.map(Double.init)))
    }

    static func averagePrecision(_ curve: RankingCurve) -> Double {
        guard curve.positives > 0 else { return .nan }
        var ap = 0.0, r0 = 0.0
        for p in curve.points {
            ap += (p.recall - r0) * p.precision
            r0 = p.recall
        }
        return ap
    }
}
