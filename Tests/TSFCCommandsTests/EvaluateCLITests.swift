import Foundation
import TSFC
import XCTest

/// `tsfc evaluate` with horizons it cannot use: a usage error that names them, never a crash.
extension CLITests {
    func testEvaluateRefusesHorizonsItCannotUse() throws {
        let model = try train()
        var e = try tsfc(["evaluate", "--model", model, "--horizons", "8,x"], expect: 64).err
        XCTAssertTrue(e.contains("--horizons 8,x") && e.contains("positive integers"), e)
        e = try tsfc(["evaluate", "--model", model, "--horizons", "8,0"], expect: 64).err
        XCTAssertTrue(e.contains("--horizons 8,0"), e)
        // A bundle whose stored horizons are empty (edited by another tool) stopped the command
        // at `hs.max()!`; it names the bundle and says what to give instead.
        let stored = try ModelBundle.read(contentsOf: URL(fileURLWithPath: model))
        var metadata = stored.metadata
        metadata.configuration.evaluation.horizons = []
        try ModelBundle.write(parameters: stored.parameters, metadata: metadata, to: work.appendingPathComponent("no-horizons.tsfc"))
        e = try tsfc(["evaluate", "--model", "no-horizons.tsfc"], expect: 64).err
        XCTAssertTrue(e.contains("no-horizons.tsfc") && e.contains("evaluation.horizons") && e.contains("--horizons"), e)
        let (report, _) = try tsfc(["evaluate", "--model", "no-horizons.tsfc", "--horizons", "8", "--json"])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        XCTAssertEqual((r["horizons"] as! [[String: Any]]).map { $0["windows"] as! Int }, [(84 - 24 - 8 + 1) * 2])
    }
}
