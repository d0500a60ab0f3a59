import Foundation
import XCTest
import TSFCTensor
@testable import TSFC
import TSFCTestSupport

/// The model that ships in `Data/models/` (the one `make demo` and `tsfc forecast` use by default)
/// loads strictly from a clean checkout and forecasts ETTh1's test split far better than the
/// naive persistence forecast — on windows it never saw, with the scaler from its training rows.
final class ShippedModelTests: XCTestCase {
    /// The repository root.
    static let root = Checkout.root

    func testShippedModelBeatsPersistenceOnETTh1TestWindows() throws {
        let bundle = ShippedModelTests.root.appendingPathComponent("Data/models/autotimes-etth1.tsfc")
        let (model, metadata) = try ModelBundle.loadForecaster(contentsOf: bundle)
        XCTAssertEqual(metadata.configuration.model.adapter, .autotimes)
        var data = metadata.configuration.data
        data.path = ShippedModelTests.root.appendingPathComponent("Data/ETTh1.csv").path
        let dataset = try PreparedDataset.load(data, lookback: model.contextLength)
        // The bundle's scaler is the one fitted on the training rows of this file.
        for (a, b) in zip(dataset.scaler.mean, metadata.mean) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        let l = model.contextLength, h = 96
        let windows = SegmentWindows(values: dataset.standardized, channels: dataset.frame.channelCount,
                                     range: dataset.split.test, length: l + h)
        let picked = stride(from: 0, to: windows.count, by: windows.count / 64).map { $0 }   // 64 spread windows
        let full = windows.batch(picked).scalars                                             // [B, L + H]
        let forecast = model.forecast(context: windows.batch(picked, prefix: l), horizon: h).scalars  // [B, H]
        var modelError: Double = 0, naiveError: Double = 0
        for b in 0..<picked.count {
            let last = full[b * (l + h) + l - 1]
            for k in 0..<h {
                let truth = full[b * (l + h) + l + k]
                modelError += Double((forecast[b * h + k] - truth) * (forecast[b * h + k] - truth))
                naiveError += Double((last - truth) * (last - truth))
            }
        }
        let n = Double(picked.count * h)
        XCTAssertTrue(forecast.allSatisfy(\.isFinite))
        // BENCHMARKS.md: MSE .360 at H = 96 over all test windows; persistence is far above 1.
        XCTAssertLessThan(modelError / n, 0.45, "shipped model MSE \(modelError / n)")
        XCTAssertLessThan(modelError / n, 0.75 * naiveError / n, "model \(modelError / n) vs persistence \(naiveError / n)")
    }
}
