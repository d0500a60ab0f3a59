// Every anomaly-detection metric of one scored series in one Codable report. Point-adjusted
// figures carry "point_adjusted" in their names and always sit beside the plain point figures:
// point adjustment inflates F1 by construction (random scores reach high PA-F1).

/// Settings of the metrics that take parameters.
public struct MetricsOptions: Codable, Equatable, Sendable {
    /// Largest VUS buffer length ℓ (TSB-AD uses 100 or the series' period).
    public var vusWindow: Int = 100
    /// VUS thresholds (evenly spaced ranks).
    public var vusThresholds: Int = 250
    /// Which VUS definition (TSB-AD's by default).
    public var vusDefinition: VUSDefinition = .tsbAD
    /// PATE buffers and thresholds (the reference package's defaults).
    public var pate: PATEOptions = PATEOptions()

    enum CodingKeys: String, CodingKey {
        case vusWindow = "vus_window", vusThresholds = "vus_thresholds", vusDefinition = "vus_definition", pate
    }

    public init(vusWindow: Int = 100, vusThresholds: Int = 250, vusDefinition: VUSDefinition = .tsbAD, pate: PATEOptions = PATEOptions()) {
        self.vusWindow = vusWindow; self.vusThresholds = vusThresholds; self.vusDefinition = vusDefinition; self.pate = pate
    }
}

/// All metrics of `scores` and thresholded `predictions` against `labels`.
public struct MetricsReport: Codable, Equatable, Sendable {
    /// Number of scored points.
    public let points: Int
    /// Points labelled anomalous.
    public let anomalyPoints: Int
    /// Maximal runs of anomalous labels.
    public let anomalyEvents: Int
    /// Points flagged by the predictions.
    public let predictedPoints: Int

    // Threshold-dependent, from the predictions.
    /// Point-wise precision, recall and F1 of the predictions (plain, not adjusted).
    public let pointPrecision: Double
    public let pointRecall: Double
    public let pointF1: Double
    /// Point-ADJUSTED (Xu et al. 2018): inflated by construction; compare only with legacy tables.
    public let pointAdjustedPrecision: Double
    public let pointAdjustedRecall: Double
    public let pointAdjustedF1: Double
    /// PATE-F1 of the predictions.
    public let pateF1: Double
    /// Affiliation precision, recall and F1 of the predictions.
    public let affiliationPrecision: Double
    public let affiliationRecall: Double
    public let affiliationF1: Double

    // Threshold-free, from the scores.
    /// Area under the point-wise ROC curve.
    public let aucROC: Double
    /// Trapezoidal area under the PR curve (the PATE paper's "AUC-PR"; shown as "PR area (trapezoid)").
    public let aucPR: Double
    /// Average precision: TSB-AD's AUC-PR, the value shown as "AUC-PR".
    public let averagePrecision: Double
    /// Volumes under the range-ROC and range-PR surfaces (`options.vusDefinition`).
    public let vusROC: Double
    public let vusPR: Double
    /// PATE of the scores (`options.pate`).
    public let pate: Double
    /// Best point F1 over all thresholds (oracle threshold).
    public let bestPointF1: Double
    /// Best point-ADJUSTED F1 over all thresholds (oracle threshold; inflated by construction).
    public let bestPointAdjustedF1: Double

    /// The settings the metrics were computed with.
    public let options: MetricsOptions

    enum CodingKeys: String, CodingKey {
        case points, anomalyPoints = "anomaly_points", anomalyEvents = "anomaly_events", predictedPoints = "predicted_points"
        case pointPrecision = "point_precision", pointRecall = "point_recall", pointF1 = "point_f1"
        case pointAdjustedPrecision = "point_adjusted_precision", pointAdjustedRecall = "point_adjusted_recall"
        case pointAdjustedF1 = "point_adjusted_f1", pateF1 = "pate_f1"
        case affiliationPrecision = "affiliation_precision", affiliationRecall = "affiliation_recall", affiliationF1 = "affiliation_f1"
        case aucROC = "auc_roc", aucPR = "auc_pr", averagePrecision = "average_precision", vusROC = "vus_roc", vusPR = "vus_pr"
        case pate, bestPointF1 = "best_point_f1", bestPointAdjustedF1 = "best_point_adjusted_f1", options
    }

    /// Computes every metric. Throws `AnomalyLabelError` when the lengths differ, a score is not
    /// finite, or the labels hold no anomaly or only anomalies.
    public init(labels: [Bool], scores: [Float], predictions: [Bool], options: MetricsOptions = MetricsOptions(),
                labelSource: String = "the labels") throws {
        guard labels.count == scores.count else {
            throw AnomalyLabelError.lengthMismatch(source: labelSource, found: labels.count, expected: scores.count)
        }
        precondition(predictions.count == scores.count, "MetricsReport: \(predictions.count) predictions, \(scores.count) scores")
        if let bad = scores.firstIndex(where: { !$0.isFinite }) { throw AnomalyLabelError.nonFiniteScore(index: bad) }
        let anomalies = labels.filter { $0 }.count
        guard anomalies > 0, anomalies < labels.count else {
            throw AnomalyLabelError.noContrast(source: labelSource, anomalies: anomalies, points: labels.count)
        }
        points = labels.count
        anomalyPoints = anomalies
        anomalyEvents = AnomalyLabels.runs(labels).count
        predictedPoints = predictions.filter { $0 }.count
        let point = AnomalyMetrics.point(labels: labels, predictions: predictions)
        pointPrecision = point.precision; pointRecall = point.recall; pointF1 = point.f1
        let adjusted = AnomalyMetrics.pointAdjustedScores(labels: labels, predictions: predictions)
        pointAdjustedPrecision = adjusted.precision; pointAdjustedRecall = adjusted.recall; pointAdjustedF1 = adjusted.f1
        pateF1 = AnomalyMetrics.pateF1(labels: labels, predictions: predictions, options: options.pate)
        let affiliation = AnomalyMetrics.affiliation(labels: labels, predictions: predictions)
        affiliationPrecision = affiliation.precision; affiliationRecall = affiliation.recall; affiliationF1 = affiliation.f1
        let curve = RankingCurve(labels: labels, scores: scores.map(Double.init))
        aucROC = AnomalyMetrics.aucROC(curve)
        aucPR = AnomalyMetrics.aucPR(curve)
        averagePrecision = AnomalyMetrics.averagePrecision(curve)
        let vus = AnomalyMetrics.vus(labels: labels, scores: scores, window: options.vusWindow,
                                     thresholdCount: options.vusThresholds, definition: options.vusDefinition)
        vusROC = vus.roc; vusPR = vus.pr
        pate = AnomalyMetrics.pate(labels: labels, scores: scores, options: options.pate)
        bestPointF1 = AnomalyMetrics.bestF1(curve)
        bestPointAdjustedF1 = AnomalyMetrics.bestPointAdjustedF1(labels: labels, scores: scores)
        self.options = options
    }

    /// (name, value) rows in display order; point-adjusted rows follow their plain counterparts
    /// and are labelled "(point-adjusted)".
    public var rows: [(name: String, value: Double)] {
        [("VUS-PR", vusPR), ("VUS-ROC", vusROC), ("PATE", pate), ("AUC-PR (average precision)", averagePrecision), ("PR area (trapezoid)", aucPR),
         ("AUC-ROC", aucROC), ("point precision", pointPrecision), ("point recall", pointRecall), ("point F1", pointF1),
         ("PA precision (point-adjusted)", pointAdjustedPrecision),
         ("PA recall (point-adjusted)", pointAdjustedRecall),
         ("PA-F1 (point-adjusted)", pointAdjustedF1), ("PATE-F1", pateF1),
         ("affiliation precision", affiliationPrecision), ("affiliation recall", affiliationRecall), ("affiliation F1", affiliationF1),
         ("best point F1 (oracle threshold)", bestPointF1), ("best PA-F1 (oracle threshold, point-adjusted)", bestPointAdjustedF1)]
    }
}
