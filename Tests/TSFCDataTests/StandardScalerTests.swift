// StandardScaler: fitted on the training rows only, and every transform equal to the naive
// per-column formula, bit for bit.
import Foundation
import XCTest
@testable import TSFCData

final class StandardScalerTests: XCTestCase {
    /// 10 rows × 3 columns: a ramp, a constant and a sine; rows 6… are far off the first six.
    static let frame: TimeSeriesFrame = {
        var values: [Float] = []
        for t in 0..<10 {
            let late: Float = t >= 6 ? 1000 : 0
            values += [Float(t) * 0.75 - 1 + late, 4, Float(sin(Double(t))) * 3 + late]
        }
        return TimeSeriesFrame(timestamps: nil, columns: ["ramp", "flat", "wave"], values: values)
    }()

    func testFitUsesTheTrainingRowsOnlyWithThePopulationStd() {
        let frame = Self.frame, train = 0..<6
        let scaler = StandardScaler.fit(frame, rows: train)
        for c in 0..<3 {
            let column = train.map { Double(frame.values[$0 * 3 + c]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            XCTAssertEqual(scaler.mean[c], Float(mean), "column \(c)")
            XCTAssertEqual(scaler.std[c], std > 0 ? Float(std) : 1, "column \(c)")
        }
        XCTAssertEqual(scaler.std[1], 1, "a constant column is scaled by 1")
        // The late rows (+1000) would move the statistics if they were used.
        XCTAssertGreaterThan(abs(StandardScaler.fit(frame, rows: 0..<10).mean[0] - scaler.mean[0]), 100)
    }

    func testTransformsEqualTheNaiveFormulaAndInvert() {
        let frame = Self.frame
        let scaler = StandardScaler.fit(frame, rows: 0..<6)
        let standardized = scaler.transform(frame.values)
        for t in 0..<10 {
            for c in 0..<3 {
                let v = frame.values[t * 3 + c]
                XCTAssertEqual(standardized[t * 3 + c], (v - scaler.mean[c]) / scaler.std[c])
            }
        }
        XCTAssertEqual(scaler.transform(frame).values, standardized)
        let back = scaler.inverseTransform(standardized)
        for (k, v) in standardized.enumerated() {
            XCTAssertEqual(back[k], v * scaler.std[k % 3] + scaler.mean[k % 3])
            XCTAssertEqual(back[k], frame.values[k], accuracy: 1e-3 * max(1, abs(frame.values[k])))
        }
        // One column at a time (a window of one channel) gives the same numbers.
        for c in 0..<3 {
            let column = frame.column(c)
            let own = scaler.transform(column, column: c)
            XCTAssertEqual(own, (0..<10).map { standardized[$0 * 3 + c] })
            XCTAssertEqual(scaler.inverseTransform(own[2...], column: c), (2..<10).map { back[$0 * 3 + c] })
        }
        // The tensor forms agree with the arrays (to rounding: tensor kernels may vectorise).
        for (a, b) in zip(scaler.transform(frame.tensor).scalars, standardized) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        for (a, b) in zip(scaler.inverseTransform(scaler.transform(frame.tensor)).scalars, back) {
            XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)))
        }
    }

    func testCodableRoundTrip() throws {
        let scaler = StandardScaler.fit(Self.frame, rows: 0..<6)
        let json = try JSONEncoder().encode(scaler)
        XCTAssertEqual(try JSONDecoder().decode(StandardScaler.self, from: json), scaler)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["mean", "std"])
    }
}
