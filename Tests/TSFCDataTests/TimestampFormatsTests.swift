// The real-world timestamp corpus: every format a time column is written in, with the exact
// stamps, precision and frequency each file must load as; how the time column is found; the
// ambiguous day/month file; epoch numbers only when asked.
import XCTest
@testable import TSFCData

final class TimestampFormatsTests: XCTestCase {
    func load(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> TimeSeriesFrame {
        try CSVSource(url: TestFiles.write(text), options: options).load()
    }

    /// One corpus file: its text, the data columns, the stamps written back in the input's
    /// precision, and the inferred frequency.
    struct Case {
        let name: String
        let text: String
        let columns: [String]
        let stamps: [String]
        let precision: TimestampPrecision
        let frequency: String?
    }

    static let corpus: [Case] = [
        Case(name: "ISO dates", text: "date,v\n2020-01-30,1\n2020-01-31,2\n2020-02-01,3\n",
             columns: ["v"], stamps: ["2020-01-30", "2020-01-31", "2020-02-01"], precision: .day, frequency: "1d"),
        Case(name: "ISO date-times", text: "ds,v\n2020-01-01 23:00,1\n2020-01-02T00:00:00Z,2\n2020-01-02 01:00:00,3\n",
             columns: ["v"], stamps: ["2020-01-01 23:00:00", "2020-01-02 00:00:00", "2020-01-02 01:00:00"], precision: .second, frequency: "1h"),
        Case(name: "year-month", text: "Month,Passengers\n1949-01,112\n1949-02,118\n1949-03,132\n",
             columns: ["Passengers"], stamps: ["1949-01", "1949-02", "1949-03"], precision: .month, frequency: "MS"),
        Case(name: "year/month", text: "period,x\n1949/11,1\n1949/12,2\n1950/01,3\n",
             columns: ["x"], stamps: ["1949-11", "1949-12", "1950-01"], precision: .month, frequency: "MS"),
        Case(name: "YEAR column", text: "YEAR,SUNACTIVITY\n1700,5\n1701,11\n1702,16\n",
             columns: ["SUNACTIVITY"], stamps: ["1700", "1701", "1702"], precision: .year, frequency: "YS"),
        Case(name: "first column of years under any name", text: "when,value\n1958,1\n1959,2\n", columns: ["value"],
             stamps: ["1958", "1959"], precision: .year, frequency: "YS"),
        Case(name: "years that do not increase are data", text: "a,value\n1958,1\n1957,2\n", columns: ["a", "value"],
             stamps: [], precision: .second, frequency: nil),
        Case(name: "integers under an ordinary name are data", text: "count,value\n1,1\n2,2\n", columns: ["count", "value"],
             stamps: [], precision: .second, frequency: nil),
        Case(name: "first column of years", text: "y,value\n1990,1\n1991,2\n1993,3\n",
             columns: ["value"], stamps: ["1990", "1991", "1993"], precision: .year, frequency: "YS"),
        Case(name: "quarters with a space", text: "date,gdp\n1970 Q3,1\n1970 Q4,2\n1971 Q1,3\n",
             columns: ["gdp"], stamps: ["1970Q3", "1970Q4", "1971Q1"], precision: .quarter, frequency: "QS"),
        Case(name: "compact quarters", text: "quarter,gdp\n1970Q1,1\n1970Q2,2\n", columns: ["gdp"],
             stamps: ["1970Q1", "1970Q2"], precision: .quarter, frequency: "QS"),
        Case(name: "dashed quarters, only text column", text: "when,gdp\n1999-Q4,1\n2000-Q1,2\n2000-Q2,3\n",
             columns: ["gdp"], stamps: ["1999Q4", "2000Q1", "2000Q2"], precision: .quarter, frequency: "QS"),
        Case(name: "year and month name", text: "Month,sales\n1991 Jul,3.5\n1991 Aug,3.2\n1991 Sep,3.9\n",
             columns: ["sales"], stamps: ["1991-07", "1991-08", "1991-09"], precision: .month, frequency: "MS"),
        Case(name: "month name first, full names", text: "label,sales\nNovember 1991,1\nDecember 1991,2\nJanuary 1992,3\n",
             columns: ["sales"], stamps: ["1991-11", "1991-12", "1992-01"], precision: .month, frequency: "MS"),
        Case(name: "year-dash-month name", text: "date,sales\n1991-Jul,1\n1991-Aug,2\n", columns: ["sales"],
             stamps: ["1991-07", "1991-08"], precision: .month, frequency: "MS"),
        Case(name: "compact YYYYMMDD weekly", text: "date,co2\n19580329,316.1\n19580405,317.3\n19580412,317.6\n",
             columns: ["co2"], stamps: ["1958-03-29", "1958-04-05", "1958-04-12"], precision: .day, frequency: "7d"),
        Case(name: "compact YYYYMMDD in an unnamed-looking first column", text: "day,v\n20200227,1\n20200228,2\n20200229,3\n20200301,4\n",
             columns: ["v"], stamps: ["2020-02-27", "2020-02-28", "2020-02-29", "2020-03-01"], precision: .day, frequency: "1d"),
        Case(name: "compact YYYYMMDDHHMM", text: "time,v\n202001010000,1\n202001010030,2\n202001010100,3\n",
             columns: ["v"], stamps: ["2020-01-01 00:00:00", "2020-01-01 00:30:00", "2020-01-01 01:00:00"], precision: .second, frequency: "30min"),
        Case(name: "day-first, decided by a day over 12", text: "date,v\n12/01/2020,1\n13/01/2020,2\n14/01/2020,3\n",
             columns: ["v"], stamps: ["2020-01-12", "2020-01-13", "2020-01-14"], precision: .day, frequency: "1d"),
        Case(name: "month-first, decided by a day over 12", text: "date,v\n01/12/2020 10:00,1\n01/13/2020 10:00,2\n",
             columns: ["v"], stamps: ["2020-01-12 10:00:00", "2020-01-13 10:00:00"], precision: .second, frequency: "1d"),
        Case(name: "dotted day-first month ends", text: "Datum;v\n31.01.2021;1\n28.02.2021;2\n31.03.2021;3\n",
             columns: ["v"], stamps: ["2021-01-31", "2021-02-28", "2021-03-31"], precision: .day, frequency: "ME"),
        Case(name: "unnamed index column", text: ",a,b\n0,1,2\n1,3,4\n2,5,6\n", columns: ["a", "b"],
             stamps: ["0", "1", "2"], precision: .index, frequency: "1 step"),
        Case(name: "no time column", text: "x,y\n1,2\n3,4\n", columns: ["x", "y"], stamps: [], precision: .second, frequency: nil),
        Case(name: "monthly with missing months", text: "date,v\n2000-01-01,1\n2000-02-01,2\n2000-05-01,3\n2000-06-01,4\n2000-07-01,5\n",
             columns: ["v"], stamps: ["2000-01-01", "2000-02-01", "2000-05-01", "2000-06-01", "2000-07-01"], precision: .day, frequency: "MS"),
        Case(name: "business days", text: "date,v\n2024-02-28,1\n2024-02-29,2\n2024-03-01,3\n2024-03-04,4\n2024-03-05,5\n",
             columns: ["v"], stamps: ["2024-02-28", "2024-02-29", "2024-03-01", "2024-03-04", "2024-03-05"], precision: .day, frequency: "B"),
    ]

    func testCorpusLoadsWithExactStampsPrecisionAndFrequency() throws {
        for c in Self.corpus {
            let frame = try load(c.text)
            XCTAssertEqual(frame.columns, c.columns, c.name)
            XCTAssertEqual(frame.timestamps.map { $0.map(frame.timestampPrecision.format) } ?? [], c.stamps, c.name)
            XCTAssertEqual(frame.timestampPrecision, c.precision, c.name)
            XCTAssertEqual(frame.frequency?.description, c.frequency, c.name)
        }
    }

    func testMonthlyGapsAreGapsNotANewFrequency() throws {
        let frame = try load(Self.corpus.first { $0.name == "monthly with missing months" }!.text)
        let analysis = try XCTUnwrap(frame.frequencyAnalysis())
        XCTAssertEqual(analysis.frequency, .monthStart)
        XCTAssertEqual(analysis.gaps.map(\.missingSteps), [2])
        XCTAssertEqual(analysis.gaps.first?.afterRow, 1)
        XCTAssertEqual(analysis.irregularSteps, 0)
    }

    func testIntegerDatesAreNeverEpochSecondsUnlessAsked() throws {
        let text = "date,co2\n19580329,316.1\n19580405,317.3\n"
        XCTAssertEqual(try load(text).timestamps, [Timestamp.epochSeconds(year: 1958, month: 3, day: 29),
                                                    Timestamp.epochSeconds(year: 1958, month: 4, day: 5)])
        XCTAssertEqual(try load(text, CSVOptions(dateFormat: .epochSeconds)).timestamps, [19_580_329, 19_580_405])
        let millis = try load("ts,v\n1577836800000,1\n1577836860500,2\n", CSVOptions(dateFormat: .epochMilliseconds))
        XCTAssertEqual(millis.timestamps, [1_577_836_800, 1_577_836_860])
        // Ten-digit integers under a time name are an index, not seconds since 1970.
        let index = try load("time,v\n1577836800,1\n1577836860,2\n")
        XCTAssertEqual(index.timestampPrecision, .index)
        XCTAssertEqual(index.frequency, Frequency(unit: .step, multiple: 60))
    }

    func testAmbiguousDayMonthColumnIsAnErrorNamingDateFormat() throws {
        let text = "date,v\n03/04/2020,1\n04/04/2020,2\n05/04/2020,3\n"
        guard case let .ambiguousDates(location, example) = expectDataError({ try load(text) }) else { return XCTFail() }
        XCTAssertEqual(location.line, 2)
        XCTAssertEqual(location.column, "date")
        XCTAssertEqual(example, "03/04/2020")
        let message = DataError.ambiguousDates(location, example: example).description
        XCTAssertTrue(message.contains("--date-format dmy") && message.contains("--date-format mdy"), message)
        XCTAssertEqual(try load(text, CSVOptions(dateFormat: .dayFirst)).timestamps.map { $0.map(TimestampPrecision.day.format) },
                       ["2020-04-03", "2020-04-04", "2020-04-05"])
        XCTAssertEqual(try load(text, CSVOptions(dateFormat: .monthFirst)).timestamps.map { $0.map(TimestampPrecision.day.format) },
                       ["2020-03-04", "2020-04-04", "2020-05-04"])
        // Equal day and month read the same either way: not ambiguous.
        XCTAssertEqual(try load("date,v\n01/01/2020,1\n01/01/2021,2\n").frequency, .yearStart)
    }

    /// The first rows leave the order open; a day over 12 far down the column settles it.
    func testDayMonthOrderIsDecidedByTheWholeColumn() throws {
        var text = "date,v\n"
        for hour in 0..<(24 * 13) {
            text += String(format: "%02d/01/2021 %02d:00,%d\n", hour / 24 + 1, hour % 24, hour)
        }
        let frame = try load(text)
        XCTAssertEqual(frame.rowCount, 24 * 13)
        XCTAssertEqual(frame.timestamps?.last, Timestamp.epochSeconds(year: 2021, month: 1, day: 13, hour: 23))
        XCTAssertEqual(frame.frequency, Frequency(seconds: 3600))
    }

    func testGivenTimestampColumnAndNone() throws {
        let text = "a,when,b\n1,1991 Jul,2\n3,1991 Aug,4\n"
        let frame = try load(text, CSVOptions(timestampColumn: "when"))
        XCTAssertEqual(frame.columns, ["a", "b"])
        XCTAssertEqual(frame.timestampPrecision, .month)
        let years = try load("year,v\n2001,1\n2002,2\n", CSVOptions(timestampColumn: ""))
        XCTAssertNil(years.timestamps)
        XCTAssertEqual(years.columns, ["year", "v"])
    }

    func testBadCellNamesTheLineAndTheOptions() throws {
        guard case let .badTimestamp(location, text) = expectDataError({ try self.load("date,v\n1949-01,1\n1949-13,2\n") }) else { return XCTFail() }
        XCTAssertEqual(location.line, 3)
        XCTAssertEqual(text, "1949-13")
        let message = DataError.badTimestamp(location, text: text).description
        XCTAssertTrue(message.contains("--date-format") && message.contains("--timestamp-column"), message)
    }

    func testFormatsParseSingleCells() {
        let day = { (y: Int, m: Int, d: Int) in Timestamp.epochSeconds(year: y, month: m, day: d) }
        let cases: [(TimestampFormat, String, Int64?)] = [
            (.yearMonth, "1949-1", day(1949, 1, 1)), (.yearMonth, "1949.12", day(1949, 12, 1)), (.yearMonth, "1949-13", nil),
            (.quarter, "Q3 1970", day(1970, 7, 1)), (.quarter, "1970q4", day(1970, 10, 1)), (.quarter, "1970 Q5", nil),
            (.monthName, "Sept 2001", day(2001, 9, 1)), (.monthName, "2001 DEC", day(2001, 12, 1)), (.monthName, "2001 Dex", nil),
            (.compact, "20240229", day(2024, 2, 29)), (.compact, "20230229", nil), (.compact, "2024022913", nil),
            (.compact, "20240229235959", day(2024, 2, 29) + 86_399),
            (.dayFirst, "29-02-2024", day(2024, 2, 29)), (.monthFirst, "2/29/2024 7:05", day(2024, 2, 29) + 7 * 3600 + 300),
            (.year, "0999", day(999, 1, 1)), (.year, "19999", nil), (.iso, "19580329", nil),
            (.epochMilliseconds, "-1500", -2), (.index, "-3", -3),
        ]
        for (format, text, expected) in cases {
            XCTAssertEqual(format.parse(text), expected, "\(format) \(text)")
        }
    }
}
