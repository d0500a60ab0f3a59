// The papers' protocol on the shipped ETT files: split borders, window counts, train-only
// scaling, time features.
import Foundation
import TSFCTensor
import XCTest
@testable import TSFCData
import TSFCTestSupport

final class ETTProtocolTests: XCTestCase {
    static let etth1: TimeSeriesFrame = try! CSVSource(url: Checkout.data("ETTh1.csv")).load()
    static let ettm1: TimeSeriesFrame = try! CSVSource(url: Checkout.data("ETTm1.csv")).load()

    func testETTh1ShapeAndSplitBorders() throws {
        let frame = Self.etth1
        XCTAssertEqual(frame.rowCount, 17420)
        XCTAssertEqual(frame.columns, ["HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"])
        XCTAssertEqual(frame.frequency, Frequency(seconds: 3600))
        XCTAssertEqual(frame.timestamps?.first, Timestamp.epochSeconds(year: 2016, month: 7, day: 1))
        XCTAssertEqual(frame.timestamps?.last, Timestamp.epochSeconds(year: 2018, month: 6, day: 26, hour: 19))
        // Row 1 of the file, first and last cells.
        XCTAssertEqual(frame[row: 0, column: 0], 5.827000141143799)
        XCTAssertEqual(frame[row: 0, column: 6], 30.5310001373291)

        for lookback in [96, 336, 672] {
            let split = try DataSplit.make(.ettHourly, rowCount: frame.rowCount, lookback: lookback)
            XCTAssertEqual(split.border1s, [0, 12 * 30 * 24 - lookback, 12 * 30 * 24 + 4 * 30 * 24 - lookback])
            XCTAssertEqual(split.border2s, [8640, 11520, 14400])
            for horizon in [96, 192, 336, 720] {
                for (part, rows) in [(SplitPart.train, 8640), (.validation, 2880 + lookback), (.test, 2880 + lookback)] {
                    let windows = try WindowDataset(frame: frame, split: split, part: part, horizon: horizon)
                    XCTAssertEqual(windows.count, rows - lookback - horizon + 1, "\(part) L=\(lookback) H=\(horizon)")
                }
            }
        }
        // Every test target row is forecast: the first test window's target starts at 11520,
        // the last one's target ends at 14400.
        let split = try DataSplit.make(.ettHourly, rowCount: frame.rowCount, lookback: 96)
        let test = try WindowDataset(frame: frame, split: split, part: .test, horizon: 96)
        XCTAssertEqual(test[0].start + 96, 11520)
        XCTAssertEqual(test[test.count - 1].start + 96 + 96, 14400)
    }

    func testETTm1ShapeAndSplitBorders() throws {
        let frame = Self.ettm1
        XCTAssertEqual(frame.rowCount, 69680)
        XCTAssertEqual(frame.frequency, Frequency(seconds: 900))
        let split = try DataSplit.make(.ettMinute, rowCount: frame.rowCount, lookback: 96)
        XCTAssertEqual(split.border1s, [0, 34560 - 96, 46080 - 96])
        XCTAssertEqual(split.border2s, [34560, 46080, 57600])
        let counts = try [SplitPart.train, .validation, .test].map { try WindowDataset(frame: frame, split: split, part: $0, horizon: 720).count }
        XCTAssertEqual(counts, [34560 - 96 - 720 + 1, 11520 - 720 + 1, 11520 - 720 + 1])
        // A 20-month protocol does not fit a shorter series: a typed error, not a crash.
        XCTAssertThrowsError(try DataSplit.make(.ettMinute, rowCount: 50000, lookback: 96))
    }

    func testRatioSplitMatchesReferenceArithmetic() throws {
        // Dataset_Custom: num_train = int(len*0.7), num_test = int(len*0.2).
        for (rows, lookback) in [(52696, 96), (7588, 96), (966, 36), (17420, 512)] {
            let split = try DataSplit.make(.standard, rowCount: rows, lookback: lookback)
            let numTrain = Int((Double(rows) * 0.7).rounded(.down)), numTest = Int((Double(rows) * 0.2).rounded(.down))
            XCTAssertEqual(split.border1s, [0, numTrain - lookback, rows - numTest - lookback])
            XCTAssertEqual(split.border2s, [numTrain, rows - numTest, rows])
        }
        // Weather: 52696 rows → 36887 / 5270 / 10539 (the reference counts).
        let weather = try DataSplit.make(.standard, rowCount: 52696, lookback: 96)
        XCTAssertEqual(weather.train.count, 36887)
        XCTAssertEqual(weather.validation.count - 96, 5270)
        XCTAssertEqual(weather.test.count - 96, 10539)
        let byDate = try DataSplit.make(.dates(valStart: Timestamp.epochSeconds(year: 2017, month: 6, day: 26),
                                               testStart: Timestamp.epochSeconds(year: 2017, month: 10, day: 24)),
                                        rowCount: Self.etth1.rowCount, lookback: 96, timestamps: Self.etth1.timestamps)
        XCTAssertEqual(byDate.border2s[0], 8640)  // 2016-07-01 + 360 days
        XCTAssertEqual(byDate.border2s[1], 11520)
        XCTAssertThrowsError(try DataSplit.make(.indices(trainEnd: 50, valEnd: 40), rowCount: 100, lookback: 10))
        XCTAssertThrowsError(try DataSplit.make(.standard, rowCount: 100, lookback: 96))
    }

    /// Scaler statistics against numpy on the training rows (float64 parse of the same file,
    /// `a[:8640].mean(0)`, `a[:8640].std(0)`), and against a naive loop here.
    func testScalerFitsTrainRowsOnly() throws {
        let frame = Self.etth1
        let split = try DataSplit.make(.ettHourly, rowCount: frame.rowCount, lookback: 96)
        let scaler = StandardScaler.fit(frame, rows: split.train)
        let numpyMean = [7.937742245659508, 2.0210386567335163, 5.079770601157927, 0.7461858799957015, 2.781762386375555, 0.7884531235540096, 17.1282616982271]
        let numpyStd = [5.81274940914376, 2.0901046504075986, 5.51879357903625, 1.9263792741329897, 1.0235226594952223, 0.6302366362251974, 9.176491024944383]
        for c in 0..<7 {
            XCTAssertEqual(Double(scaler.mean[c]), numpyMean[c], accuracy: 1e-5 * max(1, abs(numpyMean[c])))
            XCTAssertEqual(Double(scaler.std[c]), numpyStd[c], accuracy: 1e-5 * numpyStd[c])
            // Naive: Float sums over the train rows of the column.
            let column = frame.column(c)[split.train]
            let mean = column.reduce(0.0) { $0 + Double($1) } / Double(column.count)
            XCTAssertEqual(Double(scaler.mean[c]), mean, accuracy: 1e-5)
        }
        // Not the full-data statistics (OT's mean over all rows is 13.32).
        XCTAssertGreaterThan(abs(scaler.mean[6] - StandardScaler.fit(frame, rows: 0..<frame.rowCount).mean[6]), 3)
        let scaled = scaler.transform(frame)
        let trainOT = scaled.column(6)[split.train]
        XCTAssertEqual(trainOT.reduce(0, +) / Float(trainOT.count), 0, accuracy: 1e-4)
        let round = scaler.inverseTransform(scaled.values)
        for k in stride(from: 0, to: round.count, by: 97) { XCTAssertEqual(round[k], frame.values[k], accuracy: 1e-4) }
        // Tensor forms agree with the array forms.
        let t = scaler.transform(frame.rows(0..<10).tensor)
        XCTAssertEqual(t.scalars, Array(scaled.values[0..<70]))
        XCTAssertTrue(scaler.inverseTransform(t).isAlmostEqual(to: frame.rows(0..<10).tensor, atol: 1e-4))
    }

    func testWindowsMarksAndTimeFeatures() throws {
        let frame = Self.etth1
        let windows = try WindowDataset(frame: frame, rows: 0..<500, lookback: 24, horizon: 12)
        XCTAssertEqual(windows.timeFeatures, [.hourOfDay, .dayOfWeek, .dayOfMonth, .dayOfYear])
        let w = windows[5]
        XCTAssertEqual(w.x.shape, [24, 7]); XCTAssertEqual(w.y.shape, [12, 7])
        XCTAssertEqual(w.x.scalars, Array(frame.values[5 * 7..<29 * 7]))
        XCTAssertEqual(w.y.scalars, Array(frame.values[29 * 7..<41 * 7]))
        // Row 5 is 2016-07-01 05:00, a Friday, day 183 of a leap year (Foundation agrees).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(frame.timestamps![5]))
        let weekdayMondayZero = (calendar.component(.weekday, from: date) + 5) % 7
        let doy = calendar.ordinality(of: .day, in: .year, for: date)!
        let expected: [Float] = [5 / 23 - 0.5, Float(weekdayMondayZero) / 6 - 0.5, 0 / 30 - 0.5, Float(doy - 1) / 365 - 0.5]
        XCTAssertEqual(Array(w.xMarks.scalars[0..<4]), expected)
        XCTAssertEqual(weekdayMondayZero, 4)
        // Minute data adds minute-of-hour first.
        let m = try WindowDataset(frame: Self.ettm1, rows: 0..<200, lookback: 8, horizon: 4)
        XCTAssertEqual(m.timeFeatures.first, .minuteOfHour)
        XCTAssertEqual(m[1].xMarks.scalars[0], 15 / 59 - 0.5)
        // ISO week and month against Foundation for many days.
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: -800, to: 20000, by: 3) {
            let t = Int64(day) * 86_400
            let d = Date(timeIntervalSince1970: TimeInterval(t))
            let f = Timestamp.fields(t)
            XCTAssertEqual(TimeFeature.weekOfYear.value(f), Float(iso.component(.weekOfYear, from: d) - 1) / 52 - 0.5)
            XCTAssertEqual(TimeFeature.monthOfYear.value(f), Float(iso.component(.month, from: d) - 1) / 11 - 0.5)
        }
    }
}
