// `tsfc detect` and a label column in the data file: given as --label-column it is read as labels
// and never scored; left unnamed, a label-like column is scored as data with a warning.
import Foundation
import TSFCTestSupport
import XCTest

extension DetectCLITests {
    /// test.csv with a third column `is_anomaly` holding the spike's labels.
    func writeWithLabelColumn() throws -> String {
        let lines = try String(contentsOf: url("test.csv"), encoding: .utf8).split(separator: "\n")
        var csv = lines[0] + ",is_anomaly\n"
        for (i, line) in lines.dropFirst().enumerated() {
            csv += line + (abs(i - DetectCLITests.spikeRow) <= 2 ? ",1\n" : ",0\n")
        }
        try csv.write(to: url("labelled.csv"), atomically: true, encoding: .utf8)
        return "labelled.csv"
    }

    func testALabelColumnIsNeverScoredAndALabelLikeColumnIsWarnedAbout() throws {
        let file = try writeWithLabelColumn()
        let args = ["detect", file, "--config", "detect-tiny.yaml", "--train-fraction", "0.5", "--format", "json"]
        // Named as labels: read as labels (metrics appear), not scored, no warning.
        let (labelled, labelledErr) = try tsfc(args + ["--label-column", "is_anomaly"])
        XCTAssertFalse(labelledErr.contains("looks like anomaly labels"), labelledErr)
        XCTAssertNotNil(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(labelled.utf8)) as? [String: Any])["metrics"])
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(labelled.utf8)) as? [String: Any])
        let channels = try XCTUnwrap(doc["columns"] as? [String], "\(doc.keys.sorted())")
        XCTAssertEqual(channels, ["x", "y"])
        // Not named: scored as a third channel, with a warning that names the flag.
        let (unlabelled, warned) = try tsfc(args)
        XCTAssertTrue(warned.contains("column 'is_anomaly' looks like anomaly labels") && warned.contains("--label-column is_anomaly"), warned)
        let other = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(unlabelled.utf8)) as? [String: Any])
        XCTAssertEqual(other["columns"] as? [String], ["x", "y", "is_anomaly"])
    }
}
