import Foundation
import XCTest

/// `tsfc train → forecast → evaluate` with the SpaceTime adapter, standalone and on the backbone.
extension CLITests {
    func spaceTimeConfig(backbone: String) -> String {
        """
        version: 1
        seed: 7
        data:
          path: series.csv
          split: ratios
          ratios: [0.6, 0.2, 0.2]
        model:
          adapter: spacetime
          context_length: 24
          horizon: \(backbone == "none" ? 8 : 0)
          segment_length: 8
          spacetime:
            state_size: 8
            view_repeats: 2
            moving_average_windows: [3, 6]
            encoder_kernels: 3
            dropout: 0.0
          backbone:
            kind: \(backbone)
            layers: 1
            width: 16
            heads: 2
            dropout: 0.0
        training:
          epochs: 2
          batch_size: 16
          learning_rate: 0.003
          warmup_steps: 2
          patience: 5
        evaluation:
          horizons: [8, 20]
        """
    }

    func testSpaceTimeTrainForecastEvaluate() throws {
        for backbone in ["none", "scratch"] {
            try spaceTimeConfig(backbone: backbone).write(to: work.appendingPathComponent("st.yaml"), atomically: true, encoding: .utf8)
            try tsfc(["train", "--config", "st.yaml", "--output", "st-\(backbone)"])
            let model = work.appendingPathComponent("st-\(backbone)/model.tsfc").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: model))
            let (csv, _) = try tsfc(["forecast", "series.csv", "--horizon", "20", "--model", model])
            let lines = csv.split(separator: "\n")
            XCTAssertEqual(lines.count, 1 + 2 * 20, backbone)
            XCTAssertTrue(lines[1].hasPrefix("load,2020-01-13 12:00:00,"), String(lines[1]))
            let (report, _) = try tsfc(["evaluate", "--model", model, "--json"])
            let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
            let horizons = r["horizons"] as! [[String: Any]]
            XCTAssertEqual(horizons.map { $0["windows"] as! Int }, [(84 - 24 - 8 + 1) * 2, (84 - 24 - 20 + 1) * 2])
            // Standardised data: predicting the context mean scores about 1; the trained model must
            // have learnt something about the daily sine in two epochs.
            XCTAssertLessThan(r["average_mse"] as! Double, 1.5, backbone)
        }
        try spaceTimeConfig(backbone: "none").replacingOccurrences(of: "encoder_kernels: 3", with: "encoder_kernels: 5")
            .write(to: work.appendingPathComponent("bad-st.yaml"), atomically: true, encoding: .utf8)
        let e = try tsfc(["train", "--config", "bad-st.yaml"], expect: 1).err
        XCTAssertTrue(e.contains("bad-st.yaml") && e.contains("model.spacetime.encoder_kernels"), e)
    }
}
