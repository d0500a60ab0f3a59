import Foundation
import XCTest

/// Closed sets on the command line are typed: a value outside the set is refused before anything
/// runs, naming the allowed values; `--horizons` is a list of positive integers; `--set` takes
/// the same enum values as the YAML.
extension CLITests {
    func testTypedOptionsRefuseValuesOutsideTheirSet() throws {
        var e = try tsfc(["forecast", "series.csv", "--horizon", "3", "--format", "xml"], expect: 64).err
        XCTAssertTrue(e.contains("--format") && e.contains("csv") && e.contains("json"), e)
        e = try tsfc(["evaluate", "--split", "weekly"], expect: 64).err
        XCTAssertTrue(e.contains("--split") && e.contains("ett-hourly") && e.contains("ratios"), e)
        e = try tsfc(["evaluate", "--subset", "train"], expect: 64).err
        XCTAssertTrue(e.contains("--subset") && e.contains("val"), e)
        for bad in ["96,x", "96,-1", "0", "96,,192"] {
            e = try tsfc(["evaluate", "--horizons", bad], expect: 64).err
            XCTAssertTrue(e.contains("--horizons") && e.contains("positive integers"), e)
        }
        e = try tsfc(["detect", "series.csv", "--threshold-method", "k-sigma"], expect: 64).err
        XCTAssertTrue(e.contains("--threshold-method") && e.contains("ksigma") && e.contains("zscore"), e)
        e = try tsfc(["detect", "series.csv", "--scorer", "none"], expect: 64).err
        XCTAssertTrue(e.contains("--scorer must be knn, lof, ridge, ensemble, reconstruction or residual"), e)
        e = try tsfc(["inspect-model", "missing.tsfc", "--format", "csv"], expect: 64).err
        XCTAssertTrue(e.contains("--format") && e.contains("text"), e)
        e = try tsfc(["inspect", "series.csv", "--layout", "tall"], expect: 64).err
        XCTAssertTrue(e.contains("--layout") && e.contains("wide") && e.contains("long"), e)
        XCTAssertTrue(try tsfc(["inspect", "series.csv", "--layout", "wide"]).out.contains("300 rows"))
    }

    func testSetTakesEnumValuesAndRefusesOthersWithTheAllowedList() throws {
        let help = try tsfc(["train", "--help"]).out
        XCTAssertTrue(help.contains("--set <key=value>"), help)
        let resolved = try tsfc(["train", "--config", "tiny.yaml", "--set", "model.embedding_activation=gelu",
                                 "--set", "detection.threshold.method=zscore", "--print-config"]).out
        XCTAssertTrue(resolved.contains("embedding_activation: gelu") && resolved.contains("method: zscore"), resolved)
        let e = try tsfc(["train", "--config", "tiny.yaml", "--set", "model.adapter=prophet"], expect: 1).err
        XCTAssertTrue(e.contains("tiny.yaml: 'model.adapter' is 'prophet'; available adapters: autotimes, time-llm"), e)
    }

    func testHorizonsListIsEvaluated() throws {
        let model = try train()
        let (report, _) = try tsfc(["evaluate", "--model", model, "--horizons", "4, 12", "--subset", "val", "--json"])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        let horizons = (r["horizons"] as! [[String: Any]]).map { $0["horizon"] as! Int }
        XCTAssertEqual(horizons, [4, 12])
        XCTAssertEqual(r["split"] as? String, "val")
    }
}
