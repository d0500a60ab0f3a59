// DLinear / NLinear (Zeng et al., AAAI 2023) against their closed forms.
import XCTest
@testable import TSFC

final class DLinearTests: XCTestCase {
    func config(_ kind: ModelKind, l: Int = 24, h: Int = 4, k: Int = 5) -> ModelConfiguration {
        var m = ModelConfiguration()
        m.adapter = kind
        m.contextLengthPoints = l
        m.horizon = h
        m.backbone.kind = .none
        m.dlinear.movingAverage = k
        return m
    }

    /// LTSF-Linear's decomposition: pad (k−1)/2 copies of the first and last point, average k.
    func testMovingAverageEqualsReplicatePaddedOracle() {
        var rng = SeededGenerator(seed: 1)
        let x = Tensor.randomNormal([3, 10], using: &rng)
        let trend = MovingAverageDecomposition(length: 10, window: 5).trend(x).scalars
        for b in 0..<3 {
            let row = Array(x.scalars[(b * 10)..<((b + 1) * 10)])
            let padded = [Float](repeating: row[0], count: 2) + row + [Float](repeating: row[9], count: 2)
            for t in 0..<10 {
                XCTAssertEqual(trend[b * 10 + t], padded[t..<(t + 5)].reduce(0, +) / 5, accuracy: 1e-5)
            }
        }
    }

    func testForwardPassesEqualTheirFormulas() throws {
        var rng = SeededGenerator(seed: 2)
        let x = Tensor.randomNormal([2, 24], using: &rng)
        let d = DLinearModel(configuration: config(.dlinear), seed: 3)
        let t = MovingAverageDecomposition(length: 24, window: 5).trend(x)
        func linear(_ layer: Linear, _ v: Tensor) -> Tensor {       // v Wᵀ + b by hand
            let w = layer.weight.value.scalars, bias = layer.bias!.value.scalars, x = v.scalars
            var out = [Float](repeating: 0, count: 8)
            for b in 0..<2 {
                for o in 0..<4 {
                    var sum = bias[o]
                    for i in 0..<24 { sum += w[o * 24 + i] * x[b * 24 + i] }
                    out[b * 4 + o] = sum
                }
            }
            return Tensor(shape: [2, 4], scalars: out)
        }
        XCTAssertLessThan(d.predict(x).maxAbsDifference(linear(d.seasonal, x - t) + linear(d.trend, t)), 1e-5)
        let n = NLinearModel(configuration: config(.nlinear), seed: 4)
        let last = x.slice(axis: 1, 23..<24)
        XCTAssertLessThan(n.predict(x).maxAbsDifference(linear(n.linear, x - last) + last), 1e-5)
        // NLinear is shift-equivariant exactly (up to rounding): the last point is taken out and added back.
        XCTAssertLessThan((n.predict(x + 100) - 100).maxAbsDifference(n.predict(x)), 1e-4)
        // Beyond H the forecast is rolled out by feeding the first H points back.
        let f = d.forecast(context: x, horizon: 6)
        let second = d.predict(Tensor.concat([x.slice(axis: 1, 4..<24), d.predict(x)], axis: 1))
        XCTAssertLessThan(f.slice(axis: 1, 4..<6).maxAbsDifference(second.slice(axis: 1, 0..<2)), 1e-5)
    }

    /// On a noiseless trend + period-8 sine an exact linear forecaster exists (x_{t+h} is a linear
    /// function of the last 8 points), so least squares reaches zero error; gradient training of
    /// DLinear and NLinear must get close to it.
    func testTrainingReachesTheExactLinearForecastOfATrendPlusSine() throws {
        let series = (0..<400).map { t -> Float in 0.01 * Float(t) + Foundation.sin(2 * Float.pi * Float(t) / 8) }
        let windows = SegmentWindows(values: series, channels: 1, range: 0..<400, length: 28)
        let all = windows.batch(Array(0..<windows.count))                                   // [N, 28]
        let ls = try ClassicAR.fit(series: series, lags: 24, forecasts: 4)
        let lsError = Loss.meanSquaredError(ls.predict(all.slice(axis: 1, 0..<24)), all.slice(axis: 1, 24..<28)).item
        XCTAssertLessThan(lsError, 1e-6, "the closed form is exact")
        for kind in [ModelKind.dlinear, .nlinear] {
            let model = try ModelFactory.makeModel(config(kind), seed: 5)
            let before = model.loss(windows: all).item
            let adam = Adam(learningRate: 1e-2)
            for _ in 0..<600 {
                _ = TSFCNN.valueAndGradient(for: model.parameters()) { model.loss(windows: all) }
                adam.step(model.parameters())
            }
            let after = model.loss(windows: all).item
            XCTAssertGreaterThan(before, 0.1, kind.rawValue)
            XCTAssertLessThan(after, 1e-3, "\(kind): \(before) → \(after)")
        }
    }

    func testConfigurationIsValidated() throws {
        let base = "version: 1\nmodel:\n  adapter: dlinear\n  context_length: 336\n  horizon: 96\n  backbone: {kind: none}\n"
        let c = try ConfigurationLoader.load(yaml: base, file: "d.yaml")
        XCTAssertEqual(c.model.dlinear.movingAverage, 25)
        XCTAssertTrue(try ModelFactory.makeModel(c.model, seed: 1) is DLinearModel)
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: base + "  dlinear: {moving_average: 24}\n", file: "d.yaml")) { e in
            XCTAssertTrue("\(e)".contains("model.dlinear.moving_average"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: base.replacingOccurrences(of: "kind: none", with: "kind: scratch"),
                                                          file: "d.yaml")) { e in
            XCTAssertTrue("\(e)".contains("model.backbone.kind"), "\(e)")
        }
    }
}
