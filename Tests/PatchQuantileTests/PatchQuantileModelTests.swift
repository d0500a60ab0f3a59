// The patch quantile decoder: masking equals no padding, batching equals one series at a time,
// quantiles never cross, and the Theta component against closed forms.
@testable import TSFCModels
import TSFCTensor
import XCTest

final class PatchQuantileModelTests: XCTestCase {
    func smallModel(output: Int = 6, anchor: PatchQuantileAnchor = .theta) throws -> PatchQuantileModel {
        var config = ModelConfiguration()
        config.adapter = .patchQuantile
        config.backbone.layers = 2
        config.backbone.width = 32
        config.backbone.heads = 4
        config.backbone.dropout = 0
        config.patchQuantile.patchLength = 4
        config.patchQuantile.outputLength = output
        config.patchQuantile.hidden = 16
        config.patchQuantile.maxContext = 64
        config.patchQuantile.anchor = anchor
        let model = try PatchQuantileModel(configuration: config, seed: 7)
        model.eval()
        return model
    }

    func series(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var level: Float = 10
        return (0..<n).map { t in
            level += Float(Int(rng.next() % 200) - 100) / 100
            return level + 3 * Float(sin(Double(t) * 0.7))
        }
    }

    func testAContextPaddedByMaskingForecastsAsTheUnpaddedContext() throws {
        let model = try smallModel()
        for length in [2, 5, 13, 20] {
            let history = series(length, seed: UInt64(length))
            let tight = model.makeBatch([history], seasonLengths: [3])
            let padded = model.makeBatch([history], seasonLengths: [3], tokens: tight.tokens + 3)
            let a = withoutGradients { model.quantiles(tight) }, b = withoutGradients { model.quantiles(padded) }
            XCTAssertLessThan(a.maxAbsDifference(b), 2e-5, "length \(length)")
        }
    }

    func testPaddingIsNeverRead() throws {
        // Changing what the padding would hold (a longer history cut off) does not change the
        // forecast, while changing an observed point does.
        let model = try smallModel()
        let history = series(9, seed: 3)
        let base = withoutGradients { model.quantiles(model.makeBatch([history], seasonLengths: nil, tokens: 5)) }
        var changed = history
        changed[0] += 5
        let moved = withoutGradients { model.quantiles(model.makeBatch([changed], seasonLengths: nil, tokens: 5)) }
        XCTAssertGreaterThan(base.maxAbsDifference(moved), 1e-4)
    }

    func testABatchOfUnequalSeriesForecastsAsEachAlone() throws {
        let model = try smallModel()
        let histories = [series(3, seed: 1), series(30, seed: 2), series(11, seed: 3), series(64, seed: 4)]
        let together = model.forecastQuantiles(histories: histories, horizon: 9)
        for (i, h) in histories.enumerated() {
            let alone = model.forecastQuantiles(histories: [h], horizon: 9)[0]
            for (a, b) in zip(together[i].joined(), alone.joined()) { XCTAssertEqual(a, b, accuracy: 2e-4 * max(1, abs(b))) }
        }
    }

    func zeroHead(_ model: PatchQuantileModel) {
        for linear in [model.head.down, model.head.skip] {
            linear.weight.value = Tensor.zeros(linear.weight.value.shape)
            if let bias = linear.bias { bias.value = Tensor.zeros(bias.value.shape) }
        }
    }

    func testAZeroHeadForecastsTheAnchor() throws {
        // The head forecasts departures from its anchor: with its output layers zeroed every
        // quantile of every step is the anchor's forecast, in the data's units — the Theta
        // method's (with the season length given), or the last value.
        let history = series(40, seed: 8).map { $0 * 3 + 40 }
        let theta = try smallModel(anchor: .theta)
        zeroHead(theta)
        let expected = ThetaMethod.forecast(history, horizon: 6, seasonLength: 4)
        for level in theta.forecastQuantiles(histories: [history], horizon: 6, seasonLengths: [4])[0] {
            for (v, e) in zip(level, expected) { XCTAssertEqual(v, e, accuracy: 2e-3 * max(1, abs(e))) }
        }
        let last = try smallModel(anchor: .last)
        zeroHead(last)
        for level in last.forecastQuantiles(histories: [history], horizon: 10)[0] {
            for v in level { XCTAssertEqual(v, history.last!, accuracy: 1e-3) }
        }
    }

    func testQuantilesAreMonotoneAndInDataUnits() throws {
        let model = try smallModel()
        let history = series(40, seed: 9).map { $0 * 1000 + 5e4 }
        let q = model.forecastQuantiles(histories: [history], horizon: 15)[0]   // rolls out beyond O = 6
        XCTAssertEqual(q.count, model.quantileLevels.count)
        for k in 0..<15 {
            for j in 1..<q.count { XCTAssertLessThanOrEqual(q[j - 1][k], q[j][k]) }
        }
        // Standardised internally: the forecast sits on the series' scale, not near 0.
        XCTAssertGreaterThan(q[model.medianIndex][0], 1e4)
    }

    func testForecastsScaleWithTheSeries() throws {
        // Standardised per series, and the one feature that is not shift-invariant (where zero
        // lies) is scale-invariant: multiplying a series multiplies its forecast.
        let model = try smallModel()
        let history = series(25, seed: 5)
        let a = model.forecastQuantiles(histories: [history], horizon: 6)[0]
        let b = model.forecastQuantiles(histories: [history.map { 7 * $0 }], horizon: 6)[0]
        for (x, y) in zip(a.joined(), b.joined()) { XCTAssertEqual(7 * x, y, accuracy: 1e-3 * max(1, abs(y))) }
    }
}

final class LossScaleTests: XCTestCase {
    func testMASEWeightIsDeviationOverNaiveError() {
        // A line 0, 2, 4, …, 38: naive error 2, σ = 2·√((20² − 1)/12).
        let line = (0..<20).map { Float(2 * $0) }
        let sigma = PatchBatch.statistics(line).scale
        XCTAssertEqual(sigma, 2 * ((400 - 1) / 12 as Float).squareRoot(), accuracy: 1e-4)
        XCTAssertEqual(PatchBatch.maseWeight(line, sigma: sigma, season: 1), sigma / 2, accuracy: 1e-4)
        // Seasonal: a period-4 pattern repeated exactly has no seasonal error → weight 1 (undefined);
        // with a unit step added every season the seasonal naive error is 1.
        let pattern: [Float] = [1, 5, 2, 8]
        let repeated = (0..<16).map { pattern[$0 % 4] }
        XCTAssertEqual(PatchBatch.maseWeight(repeated, sigma: 3, season: 4), 1)
        let stepped = (0..<16).map { pattern[$0 % 4] + Float($0 / 4) }
        XCTAssertEqual(PatchBatch.maseWeight(stepped, sigma: 3, season: 4), 3, accuracy: 1e-5)
        // Capped for a noiseless ramp measured against a tiny error.
        XCTAssertEqual(PatchBatch.maseWeight([0, 1e-6, 2e-6], sigma: 1, season: 1), PatchBatch.maximumWeight)
    }
}

final class ThetaMethodTests: XCTestCase {
    func testConstantSeriesForecastsTheConstant() {
        let f = ThetaMethod.forecast([Float](repeating: 42, count: 30), horizon: 5, seasonLength: 1)
        for v in f { XCTAssertEqual(v, 42, accuracy: 1e-4) }
    }

    func testStraightLineGetsHalfItsSlopeFromTheLastPoint() {
        // y = t: SES is best with α = 1 (level = last point, one-step errors all 1), so the
        // forecast is (n − 1) + ½·h (Hyndman & Billah's drift b/2 with α = 1).
        let n = 50
        let f = ThetaMethod.forecast((0..<n).map(Float.init), horizon: 4, seasonLength: 1)
        for (h, v) in f.enumerated() { XCTAssertEqual(v, Float(n - 1) + 0.5 * Float(h + 1), accuracy: 1e-3) }
    }

    func testMultiplicativeSeasonIsDetectedAndReapplied() {
        let pattern: [Float] = [0.8, 0.9, 1.0, 1.2, 1.3, 1.1, 1.0, 0.9, 0.85, 0.95, 1.05, 0.95]
        let y = (0..<72).map { 100 * pattern[$0 % 12] }
        let f = ThetaMethod.forecast(y, horizon: 12, seasonLength: 12)
        let mean = pattern.reduce(0, +) / 12
        for (h, v) in f.enumerated() { XCTAssertEqual(v, 100 * pattern[(72 + h) % 12] / mean * mean, accuracy: 1.5) }
        // Without the season length the forecast is flat.
        let flat = ThetaMethod.forecast(y, horizon: 12, seasonLength: 1)
        XCTAssertLessThan(flat.max()! - flat.min()!, 1)
    }
}
