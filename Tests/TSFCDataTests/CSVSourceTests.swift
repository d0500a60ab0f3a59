// CSV reading: dialects, timestamps, selection, layouts, missing values, order, chunk boundaries.
import Foundation
import XCTest
@testable import TSFCData

final class CSVSourceTests: XCTestCase {
    func load(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> TimeSeriesFrame {
        try CSVSource(url: TestFiles.write(text), options: options).load()
    }

    func testWideWithDetectedDelimitersQuotesCRLFAndBOM() throws {
        let expected: [Float] = [1.5, -2, 3e2, 4.25]
        for delimiter in [",", ";", "\t"] {
            let d = delimiter
            let text = "\u{FEFF}date\(d)\"first\(d) col\"\(d)b\r\n2020-01-01 00:00:00\(d)1.5\(d)\"-2\"\r\n\r\n2020-01-01 01:00:00\(d)3e2\(d) 4.25 \r\n"
            let frame = try load(text)
            XCTAssertEqual(frame.columns, ["first\(d) col", "b"], "delimiter \(d.debugDescription)")
            XCTAssertEqual(frame.values, expected)
            XCTAssertEqual(frame.timestamps, [1_577_836_800, 1_577_840_400])
        }
    }

    /// A headerless file (SMD's layout): every line is a row, columns c0…; an error names the line.
    func testNoHeaderReadsTheFirstLineAsData() throws {
        var options = CSVOptions()
        options.hasHeader = false
        let frame = try load("0.5,1,2\n0.25,3,4\n1e-3,,6\n", { var o = options; o.missingValues = .forwardFill; return o }())
        XCTAssertEqual(frame.rowCount, 3)
        XCTAssertEqual(frame.columns, ["c0", "c1", "c2"])
        XCTAssertEqual(frame.values, [0.5, 1, 2, 0.25, 3, 4, 1e-3, 3, 6])
        XCTAssertNil(frame.timestamps)
        // With a header (the default) the same text loses its first row to the names.
        XCTAssertEqual(try load("0.5,1,2\n0.25,3,4\n").rowCount, 1)
        let error = expectDataError { try load("1,2\n3,x\n", options) }
        XCTAssertTrue("\(error.map { "\($0)" } ?? "")".contains(":2"), "\(String(describing: error))")
    }

    func testGivenDelimiterAndTimestampColumnAndEpochSeconds() throws {
        let frame = try load("when|x\n1577836800|1\n1577836860|2\n", CSVOptions(delimiter: "|", timestampColumn: "when", dateFormat: .epochSeconds))
        XCTAssertEqual(frame.timestamps, [1_577_836_800, 1_577_836_860])
        XCTAssertEqual(frame.frequency, Frequency(seconds: 60))
        XCTAssertEqual(frame.values, [1, 2])
    }

    func testTimestampFormatsAgreeWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let cases: [(String, String)] = [
            ("2016-07-01", "2016-07-01T00:00:00Z"),
            ("2016-07-01 13:45", "2016-07-01T13:45:00Z"),
            ("2016-07-01T13:45:07", "2016-07-01T13:45:07Z"),
            ("2016-07-01T13:45:07Z", "2016-07-01T13:45:07Z"),
            ("2016-07-01T13:45:07+02:00", "2016-07-01T13:45:07+02:00"),
            ("2016-07-01 13:45-0530", "2016-07-01T13:45:00-05:30"),
            ("2016/02/29 23:59:59.250", "2016-02-29T23:59:59Z"),
            ("1969-12-31T23:00:00Z", "1969-12-31T23:00:00Z"),
        ]
        for (text, iso) in cases {
            let expected = Int64(formatter.date(from: iso)!.timeIntervalSince1970)
            XCTAssertEqual(Timestamp.parse(text), expected, text)
        }
        for bad in ["2016-02-30", "2017-02-29", "2016-13-01", "2016-07-01 24:00", "2016-07-01 12:60", "yesterday", "2016-07-01 12:00 junk", ""] {
            XCTAssertNil(Timestamp.parse(bad), bad)
        }
    }

    func testCalendarFieldsAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let t = Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)
            let date = Date(timeIntervalSince1970: TimeInterval(t))
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            let f = Timestamp.fields(t)
            XCTAssertEqual([f.year, f.month, f.day, f.hour, f.minute, f.second], [c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!])
            XCTAssertEqual(f.dayOfWeek, (c.weekday! + 5) % 7)  // Foundation: Sunday 1; ours: Monday 0
            XCTAssertEqual(f.dayOfYear, calendar.ordinality(of: .day, in: .year, for: date)!)
            XCTAssertEqual(Timestamp.parse(Timestamp.format(t)), t)
        }
    }

    func testNumberParserMatchesStrtod() {
        var rng = SeededGeneratorForTests(seed: 3)
        for k in 0..<3000 {
            let magnitude = Double(rng.next() % 1_000_000) / 1000 * pow(10, Double(Int(rng.next() % 13) - 6))
            let v = k % 2 == 0 ? magnitude : -magnitude
            for text in [String(v), String(format: "%.17g", v), String(format: "%.6e", v), String(Float(v))] {
                let bytes = Array(text.utf8)
                let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, count: $0.count) }
                guard case let .value(x, _) = parsed else { XCTFail("not parsed: \(text)"); continue }
                XCTAssertEqual(x, Float(strtod(text, nil)), text)
            }
        }
        for missing in ["", "NaN", "nan", "NA", "na", "null", "NULL", "N/A", " NaN "] {
            let bytes = Array(missing.utf8) + [0]
            XCTAssertEqual(bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, count: bytes.count - 1) }, .missing, missing)
        }
        for bad in ["abc", "1.2.3", "1e", "--1", "1,5", "0x10", "NAN1"] {
            let bytes = Array(bad.utf8)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, count: $0.count) }, .invalid, bad)
        }
    }

    func testColumnSelectionTargetAndLabels() throws {
        let text = "date,OT,a,label,b\n2020-01-01,1,2,0,3\n2020-01-02,4,5,1,6\n"
        let all = try load(text, CSVOptions(target: "OT", labelColumn: "label"))
        XCTAssertEqual(all.columns, ["a", "b", "OT"])
        XCTAssertEqual(all.values, [2, 3, 1, 5, 6, 4])
        XCTAssertEqual(all.labels, [0, 1])
        XCTAssertEqual(all.target, "OT")
        let some = try load(text, CSVOptions(columns: ["b", "a"]))
        XCTAssertEqual(some.columns, ["b", "a"])
        XCTAssertEqual(some.values, [3, 2, 6, 5])
        if case let .missingColumn(_, column, available) = expectDataError({ try load(text, CSVOptions(columns: ["zz"])) }) {
            XCTAssertEqual(column, "zz")
            XCTAssertEqual(available, ["date", "OT", "a", "label", "b"])
        } else { XCTFail() }
    }

    func testLongAndWideLayoutsAgree() throws {
        let wide = try load("ds,A,B\n2020-01-01 00:00,1,10\n2020-01-01 01:00,2,20\n2020-01-01 02:00,3,30\n")
        // Long rows in a shuffled order; the pivot sorts by time.
        let long = try load("unique_id,ds,y\nB,2020-01-01 01:00,20\nA,2020-01-01 00:00,1\nA,2020-01-01 01:00,2\nB,2020-01-01 00:00,10\nA,2020-01-01 02:00,3\nB,2020-01-01 02:00,30\n",
                            CSVOptions(columns: ["A", "B"]))
        XCTAssertEqual(long.columns, wide.columns)
        XCTAssertEqual(long.values, wide.values)
        XCTAssertEqual(long.timestamps, wide.timestamps)
        // Extras become `<id>/<column>`; a (series, time) pair that is absent is missing.
        let extras = try load("unique_id,ds,y,temp\nA,2020-01-01,1,5\nB,2020-01-01,2,6\nA,2020-01-02,3,7\n",
                              CSVOptions(missingValues: .keep))
        XCTAssertEqual(extras.columns, ["A", "A/temp", "B", "B/temp"])
        XCTAssertEqual(Array(extras.values[0..<4]), [1, 5, 2, 6])
        XCTAssertEqual(Array(extras.values[4..<6]), [3, 7])
        XCTAssertTrue(extras.values[6].isNaN && extras.values[7].isNaN)
        XCTAssertEqual(extras.missingValues.total, 2)
        XCTAssertThrowsError(try load("unique_id,ds,y\nA,2020-01-01,1\nA,2020-01-01,2\n")) { error in
            guard case let .duplicateTimestamp(location, _) = error as? DataError else { return XCTFail("\(error)") }
            XCTAssertEqual(location.line, 3)
        }
    }

    func testMissingValuePolicies() throws {
        let text = "date,a,b\n2020-01-01 00:00,,1\n2020-01-01 01:00,2,NA\n2020-01-01 02:00,null,NaN\n2020-01-01 03:00,8,4\n2020-01-01 04:00,N/A,5\n"
        let error = expectDataError { try load(text) }
        guard case let .missingValues(_, count, first) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(count, 5)
        XCTAssertEqual(first.first?.line, 2)
        XCTAssertEqual(first.first?.column, "a")

        let kept = try load(text, CSVOptions(missingValues: .keep))
        XCTAssertEqual(kept.missingValues.perColumn, [3, 2])
        XCTAssertEqual(kept.missingValues.firstLocations.map(\.line), [2, 3, 4, 4, 6])

        let ffill = try load(text, CSVOptions(missingValues: .forwardFill))
        XCTAssertEqual(ffill.values, [2, 1, 2, 1, 2, 1, 8, 4, 8, 5])  // leading gap takes the next value
        let interp = try load(text, CSVOptions(missingValues: .interpolate))
        XCTAssertEqual(interp.values, [2, 1, 2, 2, 5, 3, 8, 4, 8, 5])
        let drop = try load(text, CSVOptions(missingValues: .drop))
        XCTAssertEqual(drop.values, [8, 4])
        XCTAssertEqual(drop.timestamps, [1_577_847_600])
        XCTAssertEqual(drop.missingValues.droppedRows, 4)
    }

    func testSortAndDeduplicateWhenAsked() throws {
        let text = "date,a\n2020-01-01 02:00,3\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n2020-01-01 01:00,9\n"
        XCTAssertThrowsError(try load(text))
        let frame = try load(text, CSVOptions(timestampOrder: .sortAndDeduplicate))
        XCTAssertEqual(frame.values, [1, 2, 3])
        XCTAssertEqual(frame.frequency, Frequency(seconds: 3600))
        let raw = try load(text, CSVOptions(timestampOrder: .allow))
        XCTAssertEqual(raw.timestampDiagnostics().duplicates, 1)
        XCTAssertEqual(raw.timestampDiagnostics().backwardSteps, 1)
    }

    func testFrequencyToleratesGapsAndReportsThem() {
        var stamps = (0..<100).map { Int64($0) * 900 }
        stamps.removeSubrange(40..<43)  // three missing steps
        stamps.remove(at: 70)
        let analysis = FrequencyAnalysis.infer(stamps)!
        XCTAssertEqual(analysis.frequency, Frequency(seconds: 900))
        XCTAssertEqual(analysis.frequency.description, "15min")
        XCTAssertEqual(analysis.gaps.map(\.missingSteps), [3, 1])
        XCTAssertEqual(analysis.gaps.first?.afterRow, 39)
        let months = (1...12).map { Timestamp.epochSeconds(year: 2020, month: $0, day: 1) }
        XCTAssertEqual(FrequencyAnalysis.infer(months)?.frequency.code, "m")
        XCTAssertNil(FrequencyAnalysis.infer([0, 1, 5, 12, 30, 31, 100]))
    }

    /// A file of several MiB crosses many 1 MiB chunk boundaries (fields and CRLF pairs split
    /// between reads); every value must come back, and an error's line must be exact.
    func testLargeFileAcrossChunkBoundaries() throws {
        var rng = SeededGeneratorForTests(seed: 9)
        var text = "timestamp,x,y,z\r\n"
        var expected = [Float]()
        let rows = 60_000
        for r in 0..<rows {
            let v = (0..<3).map { _ in Float(Int(rng.next() % 2_000_001) - 1_000_000) / 997 }
            expected.append(contentsOf: v)
            text += "\(1_600_000_000 + r * 60),\(v[0]),\"\(v[1])\",\(v[2])\r\n"
        }
        XCTAssertGreaterThan(text.utf8.count, 2 << 20)
        let frame = try load(text, CSVOptions(dateFormat: .epochSeconds))
        XCTAssertEqual(frame.rowCount, rows)
        XCTAssertEqual(frame.values, expected)
        XCTAssertEqual(frame.frequency, Frequency(seconds: 60))
        let broken = text + "1700000000,1,2\r\n"
        guard case let .raggedRow(location, 4, 3) = expectDataError({ try load(broken) }) else { return XCTFail() }
        XCTAssertEqual(location.line, rows + 2)
    }

    func testLineNumbersCountQuotedNewlinesAndBlankLines() throws {
        let text = "date,note,a\n2020-01-01,\"two\nlines\",1\n\n2020-01-02,x,oops\n"
        guard case let .nonNumericCell(location, "oops") = expectDataError({ try load(text, CSVOptions(columns: ["a"])) }) else { return XCTFail() }
        XCTAssertEqual(location.line, 5)
        XCTAssertEqual(location.column, "a")
    }
}

/// SplitMix64 for test data (independent of the library's generator).
struct SeededGeneratorForTests: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class NumberParserEdgeTests: XCTestCase {
    /// Decimal strings of Float halfway points (and their neighbours one Double ulp away) are the
    /// cases where a fast estimate could round the wrong way; all must match Float(strtod).
    func testFloatHalfwayPointsRoundLikeStrtod() {
        var rng = SeededGeneratorForTests(seed: 21)
        for _ in 0..<4000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next() % 0x7F00_0000))
            guard f.isNormal, f > 1e-25, f < 1e25 else { continue }
            let mid = (Double(f) + Double(f.nextUp)) / 2
            for v in [mid, mid.nextUp, mid.nextDown] {
                for text in [String(format: "%.17g", v), String(format: "%.19g", v), String(format: "%.16g", v), String(format: "%.15e", v)] {
                    let bytes = Array(text.utf8)
                    let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, count: $0.count) }
                    guard case let .value(x, _) = parsed else { XCTFail(text); continue }
                    XCTAssertEqual(x, Float(strtod(text, nil)), text)
                }
            }
        }
    }
}
