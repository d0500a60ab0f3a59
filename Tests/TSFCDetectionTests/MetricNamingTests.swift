import XCTest
@testable import TSFCDetection

/// The metric shown as "AUC-PR" is average precision (TSB-AD's definition); the trapezoidal area
/// is shown under its own name.
final class MetricNamingTests: XCTestCase {
    func testAUCPRIsAveragePrecision() throws {
        var labels = [Bool](repeating: false, count: 500)
        for t in 40..<60 { labels[t] = true }
        let scores: [Float] = (0..<500).map { (30..<50).contains($0) ? 1 : 0 }
        let report = try MetricsReport(labels: labels, scores: scores, predictions: scores.map { $0 > 0 })
        let rows = Dictionary(report.rows.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(rows["AUC-PR (average precision)"]!, 0.27, accuracy: 0.005)   // the golden example's AP
        XCTAssertEqual(rows["PR area (trapezoid)"]!, 0.51, accuracy: 0.005)
        XCTAssertNil(rows["AUC-PR"])
    }
}
