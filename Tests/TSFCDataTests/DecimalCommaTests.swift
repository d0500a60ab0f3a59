// Decimal commas: spreadsheets in most of Europe write `1001,76` in `;`- or tab-separated files.
import XCTest
@testable import TSFCData

final class DecimalCommaTests: XCTestCase {
    func load(_ text: String) throws -> TimeSeriesFrame { try CSVSource(url: TestFiles.write(text)).load() }

    func testSemicolonAndTabFilesReadDecimalCommas() throws {
        for d in [";", "\t"] {
            let frame = try load("date\(d)gdp\(d)rate\n2000-01-01\(d)1001,76\(d)-0,5\n2000-02-01\(d)1013,35\(d)2\n2000-03-01\(d)7\(d)1e3\n")
            XCTAssertEqual(frame.columns, ["gdp", "rate"])
            XCTAssertEqual(frame.column(0)[0], 1001.76, accuracy: 1e-3)
            XCTAssertEqual(frame.column(0)[1], 1013.35, accuracy: 1e-3)
            XCTAssertEqual(frame.column(0)[2], 7)
            XCTAssertEqual(frame.column(1), [-0.5, 2, 1000])
        }
    }

    func testLongFormatWithSemicolonsReadsDecimalCommas() throws {
        let frame = try load("unique_id;ds;y\na;2000-01-01;1,5\na;2000-01-02;2,25\n")
        XCTAssertEqual(frame.column(0), [1.5, 2.25])
    }

    /// In a comma-separated file a comma inside a quoted cell is not a decimal mark (it may be a
    /// thousands separator): the cell is refused, naming it, rather than read as 1.5.
    func testCommaSeparatedFilesDoNotGuess() throws {
        XCTAssertThrowsError(try load("date,x\n2000-01-01,\"1,500\"\n2000-01-02,2\n")) { error in
            XCTAssertTrue("\(error)".contains("1,500") && "\(error)".contains("not a number"), "\(error)")
        }
        // Two commas or a point and a comma are not a decimal number in any file.
        XCTAssertThrowsError(try load("date;x\n2000-01-01;1,000,5\n2000-01-02;2\n"))
        XCTAssertThrowsError(try load("date;x\n2000-01-01;1.000,5\n2000-01-02;2\n"))
    }
}
