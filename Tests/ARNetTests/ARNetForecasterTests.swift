// AR-Net and Classic-AR as tsfc ForecastingModels: objective, rollout, closed-form fit, bundles.
@testable import TSFCModels
import Foundation
import XCTest
@testable import TSFC
import TSFCModels
import TSFCNN
import TSFCTensor

final class ARNetForecasterTests: XCTestCase {
    func config(adapter: ModelKind = .arnet, backbone: BackboneKind = .none) -> ModelConfiguration {
        var m = ModelConfiguration()
        m.adapter = adapter
        m.contextLengthPoints = 12
        m.horizon = 4
        m.arnet.lags = 5
        m.arnet.sparsity = 0.25
        m.backbone.kind = backbone
        m.backbone.layers = 1
        m.backbone.width = 8
        m.backbone.heads = 2
        m.backbone.dropout = 0
        return m
    }

    func randomWindows(_ b: Int, _ n: Int, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return Tensor.randomNormal([b, n], using: &rng)
    }

    /// trainingLoss = MSE + λ·min(1, progress/0.5)²·mean(2σ(3|w|^{1/3}) − 1), computed by hand.
    func testTrainingLossAddsWarmedUpRegulariser() throws {
        let model = ARNetModel(configuration: config(), seed: 3)
        let w = randomWindows(6, 16, seed: 4)
        let mse = model.loss(windows: w, marks: nil).item
        let weights = model.network.firstLayer.weight.value.scalars.map(Double.init)
        let r = weights.map { 2 / (1 + Foundation.exp(-3 * Foundation.pow(Swift.abs($0), 1.0 / 3))) - 1 }.reduce(0, +) / Double(weights.count)
        let lambda = 0.02 * (1 / 0.25 - 1)
        for progress: Float in [0, 0.1, 0.25, 0.8] {
            let warm = Double(Swift.min(progress / 0.5, 1) * Swift.min(progress / 0.5, 1))
            XCTAssertEqual(Double(model.trainingLoss(windows: w, marks: nil, progress: progress).item),
                           Double(mse) + lambda * warm * r, accuracy: 1e-5)
        }
        // The MSE is the network's forecast error on the H points after the context.
        let pred = model.network(w.slice(axis: 1, 0..<12)).scalars, target = w.slice(axis: 1, 12..<16).scalars
        XCTAssertEqual(Double(mse), zip(pred, target).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / 24, accuracy: 1e-5)
    }

    /// Forecasts beyond the head's H points feed the first H back: two manual steps agree.
    func testRolloutFeedsForecastsBack() throws {
        let model = ARNetModel(configuration: config(), seed: 5)
        let context = randomWindows(3, 12, seed: 6)
        let out = model.forecast(context: context, horizon: 7)                         // [3, 7]
        let first = model.network(context)                                            // [3, 4]
        let second = model.network(Tensor.concat([context.slice(axis: 1, 4..<12), first], axis: 1))
        let expected = Tensor.concat([first, second.slice(axis: 1, 0..<3)], axis: 1)
        for (a, b) in zip(out.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(out.shape, [3, 7])
    }

    /// Backbone variant: token j's forecast depends only on points ≤ its window end (causal), and
    /// the loss is the MSE over every token's next H points.
    func testBackboneTokensAreCausal() throws {
        let model = try XCTUnwrap(ModelFactory.makeModel(config(backbone: .scratch), seed: 7) as? ARNetDecoderForecaster)
        model.eval()
        let context = randomWindows(2, 12, seed: 8)
        let full = model.tokenForecasts(context)                                        // [2, 8, 4]
        XCTAssertEqual(full.shape, [2, 8, 4])
        // Changing the last point changes only the last token.
        var s = context.scalars
        s[11] += 1; s[23] += 1
        let changed = model.tokenForecasts(Tensor(shape: [2, 12], scalars: s))
        let a = full.slice(axis: 1, 0..<7).scalars, b = changed.slice(axis: 1, 0..<7).scalars
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5) }
        XCTAssertNotEqual(full.slice(axis: 1, 7..<8).scalars, changed.slice(axis: 1, 7..<8).scalars)
    }

    /// Classic-AR's closed-form fit on segment windows equals the direct least-squares fit.
    func testClassicARClosedFormFit() throws {
        var rng = SeededGenerator(seed: 9)
        let values = (0..<200).map { _ in rng.nextNormal() }
        let windows = SegmentWindows(values: values, channels: 1, range: 0..<200, length: 16)
        let model = ClassicARForecaster(configuration: config(adapter: .classicAR))
        try model.fitClosedForm(train: windows, limit: 0)
        let direct = try ClassicAR.fit(series: values, lags: 12, forecasts: 4)
        for (a, b) in zip(model.autoregression.weight.value.scalars, direct.weight.value.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(model.lagWeightTable.rows.count, 4)
        XCTAssertEqual(model.lagWeightTable.rows[0][0], direct.weight.value.scalars[11])   // lag 1 = newest input
    }

    /// Bundle round trip: the reloaded model forecasts exactly as the written one.
    func testBundleRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arnet-bundle-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for m in [config(), config(backbone: .scratch), config(adapter: .classicAR)] {
            var run = RunConfiguration()
            run.model = m
            let model = try ModelFactory.makeModel(m, seed: 11)
            if let ar = model as? ClassicARForecaster {
                var rng = SeededGenerator(seed: 12)
                let values = (0..<100).map { _ in rng.nextNormal() }
                try ar.fitClosedForm(train: SegmentWindows(values: values, channels: 1, range: 0..<100, length: 16), limit: 0)
            }
            model.eval()
            let url = dir.appendingPathComponent("\(m.adapter)-\(m.backbone.kind).tsfc")
            let metadata = BundleMetadata(configuration: run, columns: ["y"], mean: [0], std: [1], frequencySeconds: nil,
                                          trainingSteps: 0, trainingSeconds: 0, bestValidationLoss: 0,
                                          backbone: model.decoderConfiguration)
            try ModelBundle.write(model, metadata: metadata, to: url)
            let (loaded, _) = try ModelBundle.loadForecaster(contentsOf: url)
            let context = randomWindows(2, 12, seed: 13)
            XCTAssertEqual(loaded.forecast(context: context, horizon: 9).scalars, model.forecast(context: context, horizon: 9).scalars)
            XCTAssertEqual((loaded as! LagWeightReporting).lagWeightTable, (model as! LagWeightReporting).lagWeightTable)
        }
    }

    func testLargestLags() {
        let t = LagWeightTable(rowKind: "step", rows: [[0.1, -0.5, 0.0, 0.3]], intercepts: nil)
        XCTAssertEqual(t.largest(row: 0, count: 3).map(\.lag), [2, 4, 1])
    }

    func testConfigurationErrors() {
        let base = "version: 1\ndata:\n  path: x.csv\nmodel:\n  adapter: arnet\n  context_length: 12\n  horizon: 4\n  backbone:\n    kind: none\n"
        XCTAssertNoThrow(try ConfigurationLoader.load(yaml: base, file: "a.yaml"))
        let scratch = base.replacingOccurrences(of: "kind: none", with: "kind: scratch")
        for (extra, key) in [("  arnet:\n    sparsity: 0\n", "model.arnet.sparsity"),
                             ("  arnet:\n    lags: 20\n", "model.arnet.lags"),
                             ("  arnet:\n    ar_layers: [0]\n", "model.arnet.ar_layers")] {
            let yaml = key == "model.arnet.lags" ? scratch + extra : base + extra
            XCTAssertThrowsError(try ConfigurationLoader.load(yaml: yaml, file: "a.yaml")) {
                XCTAssertTrue("\($0)".contains(key) && "\($0)".contains("a.yaml"), "\($0)")
            }
        }
        let classic = base.replacingOccurrences(of: "arnet", with: "classic-ar").replacingOccurrences(of: "kind: none", with: "kind: scratch")
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: classic, file: "c.yaml"))
    }
}
