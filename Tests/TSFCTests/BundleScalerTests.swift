// The bundle's StandardScaler: written as the `mean`/`std` keys every bundle has had, read back
// unchanged, read from the shipped (version-1) model, and aligned to the columns of the frame
// being forecast.
import Foundation
import XCTest
@testable import TSFC
import TSFCTestSupport

final class BundleScalerTests: XCTestCase {
    static let shipped = Checkout.root.appendingPathComponent("Data/models/autotimes-etth1.tsfc")

    func makeMetadata(scaler: StandardScaler, columns: [String]) -> BundleMetadata {
        BundleMetadata(configuration: RunConfiguration(), columns: columns, scaler: scaler, frequencySeconds: 3600,
                       trainingSteps: 3, trainingSeconds: 0.5, bestValidationLoss: 0.25)
    }

    /// The top-level object of a bundle's `tsfc` metadata block.
    func metadataObject(_ url: URL) throws -> [String: Any] {
        let json = Data(try XCTUnwrap(try Safetensors.readMetadata(contentsOf: url)["tsfc"]).utf8)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    func testBundleWritesTheScalerInTheVersionOneLayoutAndReadsItBack() throws {
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a", "b"], values: [1, 5, 2, 5, 4, 5, 100, -100])
        let scaler = StandardScaler.fit(frame, rows: 0..<3)
        XCTAssertEqual(scaler.std[1], 1)
        let written = makeMetadata(scaler: scaler, columns: frame.columns)
        let url = try makeTemporaryDirectory("tsfc-bundle-scaler", removedAfter: self).appendingPathComponent("m.tsfc")
        try ModelBundle.write(parameters: ["w": Tensor([1, 2])], metadata: written, to: url)
        XCTAssertEqual(try Safetensors.readMetadata(contentsOf: url)["bundle_version"], "1")
        // The scaler's statistics are the block's `mean` and `std`, beside keys the shipped bundle has.
        let object = try metadataObject(url)
        XCTAssertEqual(try XCTUnwrap(object["mean"] as? [Double]).map(Float.init), scaler.mean)
        XCTAssertEqual(try XCTUnwrap(object["std"] as? [Double]).map(Float.init), scaler.std)
        XCTAssertTrue(Set(object.keys).isSubset(of: try metadataObject(Self.shipped).keys), "\(object.keys.sorted())")
        let (read, _) = try ModelBundle.read(contentsOf: url)
        XCTAssertEqual(read, written)
        XCTAssertEqual(read.scaler, scaler)
        XCTAssertEqual(read.mean, scaler.mean)
        XCTAssertEqual(read.std, scaler.std)
        // Without its statistics the block is refused.
        var stripped = object
        stripped["std"] = nil
        XCTAssertThrowsError(try ModelBundle.decodeMetadata(try JSONSerialization.data(withJSONObject: stripped)))
    }

    func testEveryFieldRoundTripsThroughJSON() throws {
        var metadata = makeMetadata(scaler: StandardScaler(mean: [1.5, -2.25], std: [0.1, 3]), columns: ["x", "y"])
        metadata.backbone = .scratch(layers: 1, width: 8, heads: 2)
        metadata.calendarFeatures = [.hourOfDay, .dayOfWeek]
        metadata.detector = DetectorMetadata(scorer: .residual, aggregation: .max, threshold: 1.5,
                                             thresholdRule: ThresholdConfiguration(), calibrationCount: 40)
        let json = try JSONEncoder().encode(metadata)
        XCTAssertEqual(try JSONDecoder().decode(BundleMetadata.self, from: json), metadata)
        XCTAssertEqual(try ModelBundle.decodeMetadata(json), metadata)
        let keys = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
        XCTAssertEqual(Set(keys), ["configuration", "columns", "mean", "std", "frequencySeconds", "configurationHash", "trainingSteps",
                                   "trainingSeconds", "bestValidationLoss", "backbone", "calendarFeatures", "detector"])
    }

    func testShippedVersionOneBundleDecodes() throws {
        let object = try metadataObject(Self.shipped)
        XCTAssertEqual(try Safetensors.readMetadata(contentsOf: Self.shipped)["bundle_version"], "1")
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
    }

    func testShippedModelRewrittenForecastsIdentically() throws {
        let (metadata, parameters) = try ModelBundle.read(contentsOf: Self.shipped)
        let url = try makeTemporaryDirectory("tsfc-bundle-scaler", removedAfter: self).appendingPathComponent("again.tsfc")
        try ModelBundle.write(parameters: parameters, metadata: metadata, to: url)
        XCTAssertEqual(try metadataObject(url)["mean"] as? [Double], try metadataObject(Self.shipped)["mean"] as? [Double])
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
