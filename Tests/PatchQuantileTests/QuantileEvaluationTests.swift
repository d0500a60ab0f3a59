// `tsfc evaluate` scores a quantile model as `tsfc forecast` forecasts: from each window's raw
// history with the data's season, standardised back for the protocol's metrics.
import TSFC
import XCTest

final class QuantileEvaluationTests: XCTestCase {
    func testEvaluatorForecastsRawHistoriesWithTheSeason() throws {
        var config = ModelConfiguration()
        config.adapter = .patchQuantile
        config.backbone.layers = 1
        config.backbone.width = 16
        config.backbone.heads = 2
        config.backbone.dropout = 0
        config.patchQuantile.patchLength = 4
        config.patchQuantile.outputLength = 4
        config.patchQuantile.hidden = 8
        config.patchQuantile.maxContext = 16
        config.patchQuantile.thetaWeight = 0.5
        let model = try PatchQuantileModel(configuration: config, seed: 5)
        model.eval()
        // Two positive channels with a period-4 season, standardised by a known scaler.
        let t = 40, channels = 2
        let raw: [[Float]] = [(0..<t).map { 50 + 10 * Float([1, 3, 2, 5][$0 % 4]) + Float($0) },
                              (0..<t).map { 200 + 30 * Float([2, 1, 4, 3][$0 % 4]) - 0.5 * Float($0) }]
        let scaler = StandardScaler(mean: [80, 250], std: [12, 40])
        var values = [Float](repeating: 0, count: t * channels)
        for r in 0..<t { for c in 0..<channels { values[r * channels + c] = (raw[c][r] - scaler.mean[c]) / scaler.std[c] } }
        let scaling = MetricScaling(scaler: scaler, maseScales: [1, 1])
        let h = 4, range = 0..<t
        let scores = try Evaluator(horizons: [h], mode: .renormalize, batchSize: 7, scaling: scaling, seasonLength: 4)
            .evaluate(model, values: values, channels: channels, range: range)
        // The oracle: every window's raw history forecast one by one, errors in standardised units.
        var squared: Double = 0, count = 0
        let l = model.contextLength
        for c in 0..<channels {
            for s in range.lowerBound...(range.upperBound - l - h) {
                let q = model.forecastQuantiles(histories: [Array(raw[c][s..<(s + l)])], horizon: h, seasonLengths: [4])[0]
                for k in 0..<h {
                    let e = Double((q[model.medianIndex][k] - raw[c][s + l + k]) / scaler.std[c])
                    squared += e * e
                    count += 1
                }
            }
        }
        XCTAssertEqual(scores[0].mse, squared / Double(count), accuracy: 1e-4 * max(1, squared / Double(count)))
    }
}
