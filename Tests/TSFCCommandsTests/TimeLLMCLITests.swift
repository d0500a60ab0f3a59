import Foundation
import XCTest

/// `tsfc train → forecast → evaluate` with the Time-LLM adapter (scratch backbone, byte-level prompt;
/// kept small because a ~300-byte prompt per window is slow in a debug build).
extension CLITests {
    func testTimeLLMTrainForecastEvaluate() throws {
        let sets = ["model.adapter=time-llm", "model.context_length=24", "model.horizon=8",
                    "model.time_llm.prototypes=16", "model.time_llm.patch_width=8", "model.time_llm.heads=2",
                    "model.time_llm.key_width=8", "model.time_llm.patch_length=8", "model.time_llm.stride=4",
                    "model.time_llm.description=Generated load.", "training.epochs=1",
                    "training.max_train_windows=32", "training.max_validation_windows=16", "evaluation.horizons=[8]"]
        try tsfc(["train", "--config", "tiny.yaml", "--output", "tl"] + sets.flatMap { ["--set", $0] })
        let model = work.appendingPathComponent("tl/model.tsfc").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: model))
        let (csv, _) = try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", model])
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 2 * 20)
        XCTAssertTrue(lines[1].hasPrefix("load,2020-01-13 12:00:00,"), String(lines[1]))
        let values = lines.dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        XCTAssertEqual(values.count, 40)
        XCTAssertTrue(values.allSatisfy { $0.isFinite })
        // The same bundle forecasts the same numbers twice.
        XCTAssertEqual(try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", model]).out, csv)
        let (report, _) = try tsfc(["evaluate", "--model", model, "--json"])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        let horizons = r["horizons"] as! [[String: Any]]
        // Test rows: 60 + 24 of lookback; windows = rows − L − H + 1 per channel, × 2 channels.
        XCTAssertEqual(horizons.map { $0["windows"] as! Int }, [(84 - 24 - 8 + 1) * 2])
        XCTAssertLessThan(r["average_mse"] as! Double, 3)
        // A Time-LLM setting that cannot work is a clear configuration error.
        let e = try tsfc(["train", "--config", "tiny.yaml", "--set", "model.adapter=time-llm",
                          "--set", "model.backbone.kind=none"], expect: 1).err
        XCTAssertTrue(e.contains("model.backbone.kind"), e)
    }
}
