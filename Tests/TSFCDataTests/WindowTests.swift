// Windows, views, batches, instance normalisation and patches on small synthetic frames.
import TSFCTensor
import XCTest
@testable import TSFCData

final class WindowTests: XCTestCase {
    /// value(t, c) = 100·c + t, hourly from 2020-01-01.
    func syntheticFrame(rows: Int, channels: Int) -> TimeSeriesFrame {
        var values = [Float]()
        for t in 0..<rows { for c in 0..<channels { values.append(Float(100 * c + t)) } }
        return TimeSeriesFrame(timestamps: (0..<rows).map { 1_577_836_800 + Int64($0) * 3600 },
                               columns: (0..<channels).map { "c\($0)" }, values: values)
    }

    func testCountsForStridesAndViews() throws {
        let frame = syntheticFrame(rows: 50, channels: 3)
        for (l, h, s) in [(10, 5, 1), (10, 5, 2), (7, 3, 4), (45, 5, 1)] {
            let multi = try WindowDataset(frame: frame, lookback: l, horizon: h, stride: s)
            // Naive: count start positions whose window fits.
            let naive = stride(from: 0, to: 50, by: s).filter { $0 + l + h <= 50 }.count
            XCTAssertEqual(multi.count, naive)
            let ci = try WindowDataset(frame: frame, lookback: l, horizon: h, stride: s, channelIndependent: true)
            XCTAssertEqual(ci.count, naive * 3)
        }
        XCTAssertThrowsError(try WindowDataset(frame: frame, lookback: 46, horizon: 5))
        XCTAssertThrowsError(try WindowDataset(frame: frame, lookback: 0, horizon: 5))
    }

    func testChannelIndependentWindowsAreChannelMajor() throws {
        let frame = syntheticFrame(rows: 30, channels: 2)
        let ci = try WindowDataset(frame: frame, lookback: 4, horizon: 2, channelIndependent: true)
        let perSeries = 30 - 4 - 2 + 1
        let w = ci[perSeries + 3]  // channel 1, start 3
        XCTAssertEqual(w.channel, 1)
        XCTAssertEqual(w.x.shape, [4, 1])
        XCTAssertEqual(w.x.scalars, [103, 104, 105, 106])
        XCTAssertEqual(w.y.scalars, [107, 108])
    }

    func testSeededShuffledBatchesCoverEveryWindowOnce() throws {
        let frame = syntheticFrame(rows: 40, channels: 2)
        let data = try WindowDataset(frame: frame, lookback: 5, horizon: 3)
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42), g3 = SeededGenerator(seed: 43)
        let a = data.batches(size: 7, shuffle: true, generator: &g1)
        let b = data.batches(size: 7, shuffle: true, generator: &g2)
        let c = data.batches(size: 7, shuffle: true, generator: &g3)
        XCTAssertEqual(a.order, b.order)
        XCTAssertNotEqual(a.order, c.order)
        XCTAssertNotEqual(a.order, Array(0..<data.count))
        XCTAssertEqual(a.order.sorted(), Array(0..<data.count))
        let batches = Array(a)
        XCTAssertEqual(batches.count, (data.count + 6) / 7)
        XCTAssertEqual(batches.last!.x.shape[0], data.count % 7 == 0 ? 7 : data.count % 7)  // last batch kept
        XCTAssertEqual(batches.flatMap(\.indices), a.order)
        let first = batches[0]
        XCTAssertEqual(first.x.shape, [7, 5, 2]); XCTAssertEqual(first.y.shape, [7, 3, 2])
        XCTAssertEqual(first.xMarks.shape, [7, 5, 4])
        // Batch row 2 is window order[2]: x starts at value(start, 0) = start.
        XCTAssertEqual(first.x.scalars[2 * 10], Float(a.order[2]))
        var g4 = SeededGenerator(seed: 1)
        XCTAssertEqual(data.batches(size: 4, shuffle: false, generator: &g4).order, Array(0..<data.count))
    }

    func testInstanceNormalizationRoundTrip() {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor.randomNormal([3, 16, 2], mean: 4, standardDeviation: 3, using: &rng)
        let (z, stats) = InstanceNormalization.normalize(x)
        XCTAssertEqual(z.shape, [3, 16, 2])
        for b in 0..<3 {
            for c in 0..<2 {
                let column = (0..<16).map { z[b, $0, c] }
                let mean = column.reduce(0, +) / 16
                let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16
                XCTAssertEqual(mean, 0, accuracy: 1e-5)
                XCTAssertEqual(variance, 1, accuracy: 1e-3)
                let raw = (0..<16).map { x[b, $0, c] }
                XCTAssertEqual(stats.mean[b, 0, c], raw.reduce(0, +) / 16, accuracy: 1e-4)
            }
        }
        XCTAssertTrue(InstanceNormalization.denormalize(z, stats).isAlmostEqual(to: x, atol: 1e-4))
    }

    func testPatchesByUnfold() throws {
        let x = Tensor(shape: [2, 10], scalars: (0..<20).map(Float.init))  // [B·C, L]
        let p = try Patching.unfold(x, length: 4, stride: 2)
        XCTAssertEqual(p.shape, [2, 4, 4])
        XCTAssertEqual(Patching.patchCount(steps: 10, length: 4, stride: 2), 4)
        XCTAssertEqual(Array(p.scalars[4..<8]), [2, 3, 4, 5])
        XCTAssertEqual(Array(p.scalars[16..<20]), [10, 11, 12, 13])
        let padded = try Patching.unfold(x, length: 4, stride: 2, padEnd: true)  // PatchTST's end padding
        XCTAssertEqual(padded.shape, [2, Patching.patchCount(steps: 10, length: 4, stride: 2, padEnd: true), 4])
        XCTAssertEqual(Array(padded.scalars[16..<20]), [8, 9, 9, 9])
        let segments = try Patching.unfold(x, length: 5, stride: 5)  // AutoTimes' segments
        XCTAssertEqual(segments.shape, [2, 2, 5])
        XCTAssertThrowsError(try Patching.unfold(x, length: 11, stride: 1))
        XCTAssertThrowsError(try Patching.unfold(x, length: 0, stride: 1))
    }
}

final class ScalerTests: XCTestCase {
    func testStandardScalerMatchesClosedForm() {
        // Column a over rows 0..<4: 1, 2, 3, 4 → mean 2.5, population std √1.25; b constant → std 1.
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a", "b"], values: [1, 7, 2, 7, 3, 7, 4, 7, 50, 9])
        let scaler = StandardScaler.fit(frame, rows: 0..<4)
        XCTAssertEqual(scaler.mean, [2.5, 7])
        XCTAssertEqual(scaler.std[0], Float(1.25.squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(scaler.std[1], 1)
        XCTAssertEqual(scaler.transform(frame.values)[9], 2)
    }

    func testIndexSplit() throws {
        let split = try DataSplit.make(.indices(trainEnd: 60, valEnd: 80), rowCount: 100, lookback: 10)
        XCTAssertEqual(split.train, 0..<60)
        XCTAssertEqual(split.validation, 50..<80)
        XCTAssertEqual(split.test, 70..<100)
    }
}
