// Every metric against the PATE authors' golden example (Raminghorbanii/PATE README and
// experiments/Synthetic_Data_Experiments): a series of 500 points, label [40, 59], prediction and
// score = 1 on [30, 49], buffers / zone 20. Expected values are the published ones to two decimals;
// the four-decimal values were re-run with the reference packages (research notes, anomaly-baselines §3).
import XCTest
@testable import TSFCDetection

final class GoldenMetricsTests: XCTestCase {
    let labels = (0..<500).map { (40...59).contains($0) }
    let predictions = (0..<500).map { (30...49).contains($0) }
    var scores: [Float] { predictions.map { $0 ? 1 : 0 } }

    func assert2(_ value: Double, _ expected: Double, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual((value * 100).rounded() / 100, expected, accuracy: 1e-9, "\(name) = \(value)", file: file, line: line)
    }

    func testPointMetrics() {
        let p = AnomalyMetrics.point(labels: labels, predictions: predictions)
        assert2(p.f1, 0.50, "point F1")
        XCTAssertEqual(p.precision, 0.5); XCTAssertEqual(p.recall, 0.5)
        let pa = AnomalyMetrics.pointAdjustedScores(labels: labels, predictions: predictions)
        assert2(pa.precision, 0.67, "PA precision"); assert2(pa.recall, 1.00, "PA recall"); assert2(pa.f1, 0.80, "PA-F1")
        XCTAssertEqual(pa.precision, 20.0 / 30.0, accuracy: 1e-12)   // 30 flagged after adjustment, 20 true
    }

    func testRankingMetrics() {
        assert2(AnomalyMetrics.aucROC(labels: labels, scores: scores), 0.74, "AUC-ROC")
        // closed form: TPR 0.5 at FPR 10/480, then (1, 1): 0.5·10/480/2·… computed directly
        let fpr = 10.0 / 480.0
        XCTAssertEqual(AnomalyMetrics.aucROC(labels: labels, scores: scores), fpr * 0.5 / 2 + (1 - fpr) * 1.5 / 2, accuracy: 1e-12)
        assert2(AnomalyMetrics.aucPR(labels: labels, scores: scores), 0.51, "AUC-PR")
        XCTAssertEqual(AnomalyMetrics.averagePrecision(labels: labels, scores: scores), 0.27, accuracy: 1e-12)
    }

    func testVUS() {
        // The PATE authors call the original 2022 VUS with window 2 × zone.
        let legacy = AnomalyMetrics.vus(labels: labels, scores: scores, window: 40, definition: .original2022)
        assert2(legacy.roc, 0.79, "VUS-ROC"); assert2(legacy.pr, 0.72, "VUS-PR")
        // TSB-AD 1.5 definition, buffer 20: the TSB-AD package gives 0.8110 / 0.4728.
        let current = AnomalyMetrics.vus(labels: labels, scores: scores, window: 20, definition: .tsbAD)
        XCTAssertEqual(current.roc, 0.8110, accuracy: 5e-5); XCTAssertEqual(current.pr, 0.4728, accuracy: 5e-5)
    }

    func testPATE() {
        let options = PATEOptions(earlyBuffer: 20, delayBuffer: 20, includeZero: false, thresholdCount: nil)
        let pate = AnomalyMetrics.pate(labels: labels, scores: scores, options: options)
        let pateF1 = AnomalyMetrics.pateF1(labels: labels, predictions: predictions, options: options)
        assert2(pate, 0.76, "PATE"); assert2(pateF1, 0.75, "PATE-F1")
        XCTAssertEqual(pate, 0.7593, accuracy: 5e-5); XCTAssertEqual(pateF1, 0.7513, accuracy: 5e-5)
    }

    func testAffiliation() {
        let a = AnomalyMetrics.affiliation(labels: labels, predictions: predictions)
        assert2(a.precision, 0.97, "affiliation precision"); assert2(a.recall, 0.99, "affiliation recall"); assert2(a.f1, 0.98, "affiliation F1")
        XCTAssertEqual(a.f1, 0.9799, accuracy: 5e-5)   // TSB-AD package
    }

    func testReportCarriesTheSameValuesAndRoundTrips() throws {
        let options = MetricsOptions(vusWindow: 40, vusDefinition: .original2022,
                                     pate: PATEOptions(earlyBuffer: 20, delayBuffer: 20, includeZero: false, thresholdCount: nil))
        let report = try MetricsReport(labels: labels, scores: scores, predictions: predictions, options: options)
        assert2(report.pointF1, 0.50, "point F1"); assert2(report.pointAdjustedF1, 0.80, "PA-F1")
        assert2(report.vusROC, 0.79, "VUS-ROC"); assert2(report.vusPR, 0.72, "VUS-PR")
        assert2(report.aucROC, 0.74, "AUC"); assert2(report.aucPR, 0.51, "AUC-PR")
        assert2(report.pate, 0.76, "PATE"); assert2(report.pateF1, 0.75, "PATE-F1"); assert2(report.affiliationF1, 0.98, "affiliation F1")
        XCTAssertEqual(report.anomalyEvents, 1); XCTAssertEqual(report.anomalyPoints, 20); XCTAssertEqual(report.predictedPoints, 20)
        let data = try JSONEncoder().encode(report)
        let json = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(json.contains("\"point_adjusted_f1\"") && json.contains("\"point_f1\""))
        XCTAssertEqual(try JSONDecoder().decode(MetricsReport.self, from: data), report)
        // every point-adjusted row is labelled as such and follows the plain F1 row
        let names = report.rows.map(\.name)
        let plain = names.firstIndex(of: "point F1")!, adjusted = names.firstIndex(of: "PA-F1 (point-adjusted)")!
        XCTAssertLessThan(plain, adjusted)
        let adjustedRows = names.filter { $0.hasPrefix("PA ") || $0.hasPrefix("PA-") || $0.contains(" PA-") }
        XCTAssertEqual(adjustedRows.count, 4)
        XCTAssertTrue(adjustedRows.allSatisfy { $0.contains("point-adjusted") }, "\(adjustedRows)")
    }
}
