// The bundle's StandardScaler: written as a `scaler` object, read back unchanged, read from a
// version-1 bundle's bare `mean`/`std` arrays (the shipped model is one), and aligned to the
// columns of the frame being forecast.
import Foundation
import XCTest
@testable import TSFC
import TSFCTestSupport

final class BundleScalerTests: XCTestCase {
    static let shipped = Checkout.root.appendingPathComponent("Data/models/default.tsfc")

    func makeMetadata(scaler: StandardScaler, columns: [String]) -> BundleMetadata {
        BundleMetadata(configuration: RunConfiguration(), columns: columns, scaler: scaler, frequencySeconds: 3600,
                       trainingSteps: 3, trainingSeconds: 0.5, bestValidationLoss: 0.25)
    }

    func testBundleWritesTheScalerAndReadsItBack() throws {
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a", "b"], values: [1, 5, 2, 5, 4, 5, 100, -100])
        let scaler = StandardScaler.fit(frame, rows: 0..<3)
        XCTAssertEqual(scaler.std[1], 1)
        let written = makeMetadata(scaler: scaler, columns: frame.columns)
        let url = try makeTemporaryDirectory("tsfc-bundle-scaler", removedAfter: self).appendingPathComponent("m.tsfc")
        try ModelBundle.write(parameters: ["w": Tensor([1, 2])], metadata: written, to: url)
        let raw = try Safetensors.readMetadata(contentsOf: url)
        XCTAssertEqual(raw["bundle_version"], "2")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(raw["tsfc"]).utf8)) as? [String: Any])
        XCTAssertNil(object["mean"])
        XCTAssertNil(object["std"])
        XCTAssertEqual(try XCTUnwrap(object["scaler"] as? [String: Any]).keys.sorted(), ["mean", "std"])
        let (read, _) = try ModelBundle.read(contentsOf: url)
        XCTAssertEqual(read, written)
        XCTAssertEqual(read.scaler, scaler)
        XCTAssertEqual(read.mean, scaler.mean)
        XCTAssertEqual(read.std, scaler.std)
    }

    func testVersionOneLayoutDecodes() throws {
        // The shipped model was written with the scaler as top-level arrays.
        let raw = try Safetensors.readMetadata(contentsOf: Self.shipped)
        XCTAssertEqual(raw["bundle_version"], "1")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(raw["tsfc"]).utf8)) as? [String: Any])
        XCTAssertNil(object["scaler"])
        let storedMean = try XCTUnwrap(object["mean"] as? [Double]).map(Float.init)
        let storedStd = try XCTUnwrap(object["std"] as? [Double]).map(Float.init)
        let (metadata, _) = try ModelBundle.read(contentsOf: Self.shipped)
        XCTAssertEqual(metadata.scaler, StandardScaler(mean: storedMean, std: storedStd))
        XCTAssertEqual(metadata.scaler.mean.count, metadata.columns.count)
        // It is the scaler of ETTh1's training rows.
        var data = metadata.configuration.data
        data.path = Checkout.data("ETTh1.csv").path
        let dataset = try PreparedDataset.load(data, lookback: metadata.configuration.model.contextLength)
        for (a, b) in zip(dataset.scaler.mean + dataset.scaler.std, metadata.scaler.mean + metadata.scaler.std) {
            XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)))
        }

        // Any metadata block in the old layout decodes to the same metadata as in the new one.
        let written = makeMetadata(scaler: StandardScaler(mean: [1.5, -2.25], std: [0.1, 3]), columns: ["x", "y"])
        var old = try XCTUnwrap(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(written)) as? [String: Any])
        let scaler = try XCTUnwrap(old.removeValue(forKey: "scaler") as? [String: Any])
        old["mean"] = scaler["mean"]
        old["std"] = scaler["std"]
        XCTAssertEqual(try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: old)), written)
        // Without either layout the block is refused.
        old["std"] = nil
        XCTAssertThrowsError(try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: old)))
    }

    func testShippedModelRewrittenInTheNewLayoutForecastsIdentically() throws {
        let (metadata, parameters) = try ModelBundle.read(contentsOf: Self.shipped)
        let url = try makeTemporaryDirectory("tsfc-bundle-scaler", removedAfter: self).appendingPathComponent("v2.tsfc")
        try ModelBundle.write(parameters: parameters, metadata: metadata, to: url)
        XCTAssertEqual(try Safetensors.readMetadata(contentsOf: url)["bundle_version"], "2")
        let frame = try DataFile.open(Checkout.data("ETTh1.csv").path)
        let (old, oldMetadata) = try ModelBundle.loadForecaster(contentsOf: Self.shipped)
        let (new, newMetadata) = try ModelBundle.loadForecaster(contentsOf: url)
        XCTAssertEqual(newMetadata, oldMetadata)
        let expected = try old.forecast(frame, metadata: oldMetadata, horizon: 24).series
        XCTAssertEqual(try new.forecast(frame, metadata: newMetadata, horizon: 24).series, expected)
        XCTAssertEqual(expected.map(\.id), frame.columns)
    }

    func testScalerForAFrameTakesTrainingStatisticsForKnownColumns() {
        let trained = makeMetadata(scaler: StandardScaler(mean: [10, 20], std: [2, 4]), columns: ["a", "b"])
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["b", "new", "a"], values: [1, 3, 5, 2, 7, 6])
        let scaler = trained.scaler(for: frame)
        let own = StandardScaler.fit(frame, rows: 0..<2)
        XCTAssertEqual(scaler.mean, [20, own.mean[1], 10])
        XCTAssertEqual(scaler.std, [4, own.std[1], 2])
        XCTAssertEqual(own.mean[1], 5)
        XCTAssertEqual(own.std[1], 2)
    }
}
