import XCTest
import TSFCModels
import TSFCNN
import Foundation
import TSFCTensor
@testable import TSFC
import TSFCTestSupport

final class ForecasterTests: XCTestCase {
    func makeModel(segment: Int = 4, segments: Int = 3, width: Int = 8, seed: UInt64 = 1) -> Forecaster {
        var config = ModelConfiguration()
        config.segmentLength = segment
        config.contextSegments = segments
        var rng = SeededGenerator(seed: seed)
        let adapter = AutoTimesAdapter(segmentLength: segment, width: width, hidden: 16, activation: .tanh,
                                       dropout: 0, using: &rng)
        return Forecaster(configuration: config, adapter: adapter, backbone: IdentityBackbone(width: width))
    }

    func testNextSegmentTargetsAreInputsShiftedBySegment() {
        // With an identity backbone and a model that reproduces its input segment, the loss is
        // exactly the MSE between consecutive segments — which fixes the target to the shift by S.
        let m = makeModel()
        let windows = Tensor(shape: [1, 16], scalars: (0..<16).map { Float($0) })
        let context = windows.slice(axis: 1, 0..<12)
        let predicted = m.nextSegments(context)                    // [1, 3, 4]
        let target = windows.slice(axis: 1, 4..<16).reshaped([1, 3, 4])
        XCTAssertEqual(m.loss(windows: windows).item, Loss.meanSquaredError(predicted, target).item, accuracy: 1e-5)
        XCTAssertEqual(predicted.shape, [1, 3, 4])
    }

    func testInstanceNormalisationMakesPredictionsShiftAndScaleEquivariant() {
        let m = makeModel()
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randomNormal([2, 12], using: &rng)
        let a = m.nextSegments(x)
        let b = m.nextSegments(x * 3 + 5)
        XCTAssertTrue((a * 3 + 5).isAlmostEqual(to: b, atol: 1e-3, rtol: 1e-3))
    }

    func testRolloutStepsAndTruncation() {
        let m = makeModel(segment: 96, segments: 7, width: 8)
        var rng = SeededGenerator(seed: 4)
        let x = Tensor.randomNormal([3, 672], using: &rng)
        let f720 = m.forecast(context: x, horizon: 720)
        XCTAssertEqual(f720.shape, [3, 720])
        let f100 = m.forecast(context: x, horizon: 100)
        XCTAssertEqual(f100.shape, [3, 100])
        // Truncation keeps the first H points of the same rollout.
        XCTAssertEqual(f100.scalars[0..<100], f720.scalars[0..<100])
        // 8 steps for 720: the step-k segment equals a manual slide-and-predict.
        var window = x
        var manual: [Tensor] = []
        for _ in 0..<8 {
            let p = m.nextSegments(window).slice(axis: 1, 6..<7).reshaped([3, 96])
            manual.append(p)
            window = Tensor.concat([window.slice(axis: 1, 96..<672), p], axis: 1)
        }
        let manualForecast = Tensor.concat(manual, axis: 1).slice(axis: 1, 0..<720)
        XCTAssertLessThan(manualForecast.maxAbsDifference(f720), 1e-4)
    }

    func testSegmentWindowsCountAndIndexing() {
        // T = 10 rows, 2 channels: value = row·10 + channel.
        var values: [Float] = []
        for r in 0..<10 { values += [Float(r * 10), Float(r * 10 + 1)] }
        let w = SegmentWindows(values: values, channels: 2, range: 2..<9, length: 3)
        XCTAssertEqual(w.perChannel, 7 - 3 + 1)
        XCTAssertEqual(w.count, 10)
        XCTAssertEqual(w.batch([0, 4, 5, 9]).scalars, [20, 30, 40, 60, 70, 80, 21, 31, 41, 61, 71, 81])
    }

    func testEvaluatorScoresEveryWindowPerHorizon() throws {
        let m = makeModel(segment: 4, segments: 3)
        let rows = 40, channels = 2
        var rng = SeededGenerator(seed: 5)
        let values = Tensor.randomNormal([rows * channels], using: &rng).scalars
        let report = try Evaluator(horizons: [4, 8], mode: .renormalize, batchSize: 7)
            .evaluate(m, values: values, channels: channels, range: 0..<rows)
        XCTAssertEqual(report[0].windows, (rows - 12 - 4 + 1) * channels)
        XCTAssertEqual(report[1].windows, (rows - 12 - 8 + 1) * channels)
        // Independent recomputation of the H=4 MSE, one window at a time.
        var acc = ErrorAccumulator()
        for c in 0..<channels {
            for s in 0...(rows - 16) {
                let ctx = Tensor(shape: [1, 12], scalars: (0..<12).map { values[(s + $0) * channels + c] })
                let f = m.forecast(context: ctx, horizon: 4).scalars
                acc.add(prediction: f[0..<4], target: (0..<4).map { values[(s + 12 + $0) * channels + c] }[0..<4])
            }
        }
        XCTAssertEqual(report[0].mse, acc.mse, accuracy: 1e-5)
        XCTAssertEqual(report[0].mae, acc.mae, accuracy: 1e-5)
    }

    func testTinyModelOverfitsSine() throws {
        let m = makeModel(segment: 8, segments: 4, width: 16, seed: 2)
        let rows = 400
        let values = (0..<rows).map { Float(sin(Double($0) * 2 * .pi / 24)) }
        let train = SegmentWindows(values: values, channels: 1, range: 0..<300, length: 40)
        let val = SegmentWindows(values: values, channels: 1, range: 300..<400, length: 40)
        var cfg = TrainingConfiguration()
        cfg.epochs = 60; cfg.batchSize = 32; cfg.learningRate = 1e-2; cfg.warmupSteps = 10; cfg.patience = 30
        cfg.weightDecay = 0
        let summary = try Trainer(configuration: cfg, seed: 1).fit(m, train: train, validation: val)
        XCTAssertLessThan(summary.bestValidationLoss, 2e-3)
    }

    func testResumeContinuesExactly() throws {
        let values = (0..<300).map { Float(sin(Double($0) / 5)) + Float($0 % 7) * 0.1 }
        let train = SegmentWindows(values: values, channels: 1, range: 0..<220, length: 16)
        let val = SegmentWindows(values: values, channels: 1, range: 220..<300, length: 16)
        var cfg = TrainingConfiguration()
        cfg.epochs = 4; cfg.batchSize = 16; cfg.learningRate = 1e-2; cfg.warmupSteps = 3; cfg.patience = 10
        let dir = try makeTemporaryDirectory("tsfc-resume", removedAfter: self)

        let full = makeModel(segment: 4, segments: 3, seed: 9)
        _ = try Trainer(configuration: cfg, seed: 3).fit(full, train: train, validation: val)

        // Interrupt after the second validation, then resume from the checkpoint in a new model.
        let url = dir.appendingPathComponent("ckpt.safetensors")
        let first = makeModel(segment: 4, segments: 3, seed: 9)
        var validations = 0
        let partial = try Trainer(configuration: cfg, seed: 3).fit(first, train: train, validation: val, checkpointURL: url) {
            if case .validated = $0 { validations += 1; return validations == 2 ? .stop : .proceed }
            return .proceed
        }
        XCTAssertTrue(partial.interrupted)
        let resumed = makeModel(segment: 4, segments: 3, seed: 100)
        let summary = try Trainer(configuration: cfg, seed: 3).fit(resumed, train: train, validation: val,
                                                                   checkpointURL: url, resume: true)
        XCTAssertFalse(summary.interrupted)
        XCTAssertEqual(resumed.parameters().flatMap { $0.value.scalars }, full.parameters().flatMap { $0.value.scalars })
    }

    func testBundleRoundTripGivesIdenticalForecasts() throws {
        let m = makeModel()
        let meta = BundleMetadata(configuration: RunConfiguration(), columns: ["a", "b"], mean: [1, 2], std: [3, 4],
                                  frequencySeconds: 3600, trainingSteps: 5, trainingSeconds: 1.5, bestValidationLoss: 0.25)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID()).tsfc")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelBundle.write(parameters: m.parameterDictionary(), metadata: meta, to: url)
        let (readMeta, params) = try ModelBundle.read(contentsOf: url)
        XCTAssertEqual(readMeta, meta)
        let copy = makeModel(seed: 77)
        try copy.load(params)
        var rng = SeededGenerator(seed: 6)
        let x = Tensor.randomNormal([2, 12], using: &rng)
        XCTAssertEqual(copy.forecast(context: x, horizon: 10).scalars, m.forecast(context: x, horizon: 10).scalars)
    }

    func testBundleErrors() throws {
        let dir = FileManager.default.temporaryDirectory
        let notBundle = dir.appendingPathComponent("nb-\(UUID()).tsfc")
        try Data("hello".utf8).write(to: notBundle)
        defer { try? FileManager.default.removeItem(at: notBundle) }
        XCTAssertThrowsError(try ModelBundle.read(contentsOf: notBundle)) { XCTAssertTrue("\($0)".contains("not a tsfc model bundle")) }
        let plain = dir.appendingPathComponent("plain-\(UUID()).safetensors")
        try Safetensors.write(["x": Tensor([1])], to: plain, metadata: [:])
        defer { try? FileManager.default.removeItem(at: plain) }
        XCTAssertThrowsError(try ModelBundle.read(contentsOf: plain)) { XCTAssertTrue("\($0)".contains("not a tsfc model bundle")) }
        let newer = dir.appendingPathComponent("newer-\(UUID()).tsfc")
        try Safetensors.write(["x": Tensor([1])], to: newer, metadata: ["format": "tsfc-model", "bundle_version": "9", "tsfc": "{}"])
        defer { try? FileManager.default.removeItem(at: newer) }
        XCTAssertThrowsError(try ModelBundle.read(contentsOf: newer)) { XCTAssertTrue("\($0)".contains("upgrade tsfc")) }
    }
}
