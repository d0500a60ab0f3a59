// Every metric against recorded oracle values on random cases: several events of different
// lengths, events at both ends of the series, tied scores (see Fixtures/README.md for the oracle).
import XCTest
import Foundation
@testable import TSFCDetection
import TSFCTensor

final class ReferenceMetricsTests: XCTestCase {
    struct Case: Decodable {
        let labels: [Int], scores: [Double], predictions: [Int]
        let auc_roc, average_precision, auc_pr, best_f1, best_pa_f1: Double
        let point_precision, point_recall, pa_precision, pa_recall: Double
        let vus_window: Int
        let vus_roc, vus_pr, vus_legacy_roc, vus_legacy_pr: Double
        let pate_buffer: Int
        let pate_default, pate_all_thresholds_no_zero, pate_two_splits, pate_f1: Double
        let affiliation_precision, affiliation_recall: Double
    }

    func cases() throws -> [Case] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("detection/metrics.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    func testEveryMetricMatchesTheOracle() throws {
        let all = try cases()
        XCTAssertEqual(all.count, 5)
        for (k, c) in all.enumerated() {
            let y = c.labels.map { $0 == 1 }, s = c.scores.map { Float($0) }, p = c.predictions.map { $0 == 1 }
            let m = "case \(k)"
            XCTAssertEqual(AnomalyMetrics.aucROC(labels: y, scores: s), c.auc_roc, accuracy: 1e-12, m)
            XCTAssertEqual(AnomalyMetrics.averagePrecision(labels: y, scores: s), c.average_precision, accuracy: 1e-12, m)
            XCTAssertEqual(AnomalyMetrics.aucPR(labels: y, scores: s), c.auc_pr, accuracy: 1e-12, m)
            XCTAssertEqual(AnomalyMetrics.bestF1(labels: y, scores: s), c.best_f1, accuracy: 1e-12, m)
            XCTAssertEqual(AnomalyMetrics.bestPointAdjustedF1(labels: y, scores: s), c.best_pa_f1, accuracy: 1e-12, m)
            let point = AnomalyMetrics.point(labels: y, predictions: p)
            XCTAssertEqual(point.precision, c.point_precision, accuracy: 1e-12, m)
            XCTAssertEqual(point.recall, c.point_recall, accuracy: 1e-12, m)
            let pa = AnomalyMetrics.pointAdjustedScores(labels: y, predictions: p)
            XCTAssertEqual(pa.precision, c.pa_precision, accuracy: 1e-12, m)
            XCTAssertEqual(pa.recall, c.pa_recall, accuracy: 1e-12, m)
            let v = AnomalyMetrics.vus(labels: y, scores: s, window: c.vus_window, definition: .tsbAD)
            XCTAssertEqual(v.roc, c.vus_roc, accuracy: 1e-10, m); XCTAssertEqual(v.pr, c.vus_pr, accuracy: 1e-10, m)
            let l = AnomalyMetrics.vus(labels: y, scores: s, window: c.vus_window, definition: .original2022)
            XCTAssertEqual(l.roc, c.vus_legacy_roc, accuracy: 1e-10, m); XCTAssertEqual(l.pr, c.vus_legacy_pr, accuracy: 1e-10, m)
            let b = c.pate_buffer
            XCTAssertEqual(AnomalyMetrics.pate(labels: y, scores: s, options: PATEOptions(earlyBuffer: b, delayBuffer: b)),
                           c.pate_default, accuracy: 1e-9, m)
            XCTAssertEqual(AnomalyMetrics.pate(labels: y, scores: s, options: PATEOptions(earlyBuffer: b, delayBuffer: b, includeZero: false, thresholdCount: nil)),
                           c.pate_all_thresholds_no_zero, accuracy: 1e-10, m)
            XCTAssertEqual(AnomalyMetrics.pate(labels: y, scores: s, options: PATEOptions(earlyBuffer: b, delayBuffer: b, splits: 2)),
                           c.pate_two_splits, accuracy: 1e-9, m)
            XCTAssertEqual(AnomalyMetrics.pateF1(labels: y, predictions: p, options: PATEOptions(earlyBuffer: b, delayBuffer: b)),
                           c.pate_f1, accuracy: 1e-10, m)
            // the oracle integrates with a midpoint rule of width 0.001; ours is exact
            let a = AnomalyMetrics.affiliation(labels: y, predictions: p)
            XCTAssertEqual(a.precision, c.affiliation_precision, accuracy: 1e-5, m)
            XCTAssertEqual(a.recall, c.affiliation_recall, accuracy: 1e-5, m)
        }
    }

    func testAUCROCEqualsTheMannWhitneyPairCount() {
        // Independent truth: AUC = P(score of an anomaly > score of a normal point) + ½ P(tie).
        var rng = SeededGenerator(seed: 3)
        let n = 200
        let y = (0..<n).map { _ in Float.random(in: 0..<1, using: &rng) < 0.2 }
        let s = (0..<n).map { i in (Float.random(in: 0..<1, using: &rng) * 10).rounded() + (y[i] ? 2 : 0) }
        var wins = 0.0, pairs = 0.0
        for i in 0..<n where y[i] { for j in 0..<n where !y[j] { pairs += 1; wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0) } }
        XCTAssertEqual(AnomalyMetrics.aucROC(labels: y, scores: s), wins / pairs, accuracy: 1e-12)
    }

    func testPointAdjustmentFlagsWholeSegmentsOnly() {
        let y = [false, true, true, true, false, true, true, false]
        let p = [false, false, true, false, false, false, false, true]
        XCTAssertEqual(AnomalyMetrics.pointAdjusted(labels: y, predictions: p), [false, true, true, true, false, false, false, true])
        // a random detector scores high PA-F1 on long segments: the reason PA-F1 is never shown alone
        var rng = SeededGenerator(seed: 9)
        let long = (0..<2000).map { (500..<800).contains($0) || (1200..<1500).contains($0) }
        let random = (0..<2000).map { _ in Float.random(in: 0..<1, using: &rng) < 0.01 }
        XCTAssertLessThan(AnomalyMetrics.point(labels: long, predictions: random).f1, 0.05)
        XCTAssertGreaterThan(AnomalyMetrics.pointAdjustedScores(labels: long, predictions: random).f1, 0.7)
    }

    func testAffiliationIsOneForAPerfectPredictionAndMatchesANumericIntegral() {
        let y = (0..<100).map { (20..<30).contains($0) || (60..<75).contains($0) }
        let perfect = AnomalyMetrics.affiliation(labels: y, predictions: y)
        XCTAssertEqual(perfect.precision, 1, accuracy: 1e-12); XCTAssertEqual(perfect.recall, 1, accuracy: 1e-12)
        // a late, short prediction of the first event, nothing for the second: recall of the second is 0
        let p = (0..<100).map { (33..<36).contains($0) }
        let a = AnomalyMetrics.affiliation(labels: y, predictions: p)
        // numeric check of precision (zone [0, 45), event [20, 30)): mean over x ∈ [33, 36) of P(dist(X) ≥ dist(x))
        var sum = 0.0
        let steps = 300_000
        for i in 0..<steps {
            let x = 33 + 3 * (Double(i) + 0.5) / Double(steps), d = x - 30
            sum += (Swift.max(20 - d - 0, 0) + Swift.max(45 - 30 - d, 0)) / 45
        }
        XCTAssertEqual(a.precision, sum / Double(steps), accuracy: 1e-9)
        XCTAssertLessThan(a.recall, 0.5)
    }
}
