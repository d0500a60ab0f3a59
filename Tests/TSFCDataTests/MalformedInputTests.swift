// The malformed-file corpus: each file gives a typed error naming the file and the place, and
// `tsfc inspect` exits non-zero with that message.
import Foundation
import XCTest
@testable import TSFCData
import TSFCTestSupport

final class MalformedInputTests: XCTestCase {
    func error(_ name: String, _ options: CSVOptions = CSVOptions()) -> DataError? {
        expectDataError { try CSVSource(url: TestFiles.malformed(name), options: options).load() }
    }

    func testEveryMalformedFileGivesATypedErrorWithItsPlace() {
        let file = { (name: String) in TestFiles.malformed(name).path }
        XCTAssertEqual(error("ragged_row.csv"), .raggedRow(SourceLocation(file: file("ragged_row.csv"), line: 3), expected: 3, found: 2))
        XCTAssertEqual(error("non_numeric.csv"), .nonNumericCell(SourceLocation(file: file("non_numeric.csv"), line: 4, column: "b"), text: "abc"))
        XCTAssertEqual(error("header_only.csv"), .noDataRows(file: file("header_only.csv")))
        XCTAssertEqual(error("empty.csv"), .emptyFile(file: file("empty.csv")))
        XCTAssertEqual(error("binary_garbage.csv"), .binaryFile(file: file("binary_garbage.csv")))
        guard case let .malformedCSV(quoteLocation, _) = error("unterminated_quote.csv") else { return XCTFail() }
        XCTAssertEqual(quoteLocation, SourceLocation(file: file("unterminated_quote.csv"), line: 3))
        XCTAssertEqual(error("bad_timestamp.csv"), .badTimestamp(SourceLocation(file: file("bad_timestamp.csv"), line: 3, column: "date"), text: "2020-13-45 01:00"))
        XCTAssertEqual(error("duplicate_timestamp.csv"), .duplicateTimestamp(SourceLocation(file: file("duplicate_timestamp.csv"), line: 4, column: "date"), timestamp: "2020-01-01 01:00:00"))
        XCTAssertEqual(error("unsorted_timestamp.csv"), .unsortedTimestamps(SourceLocation(file: file("unsorted_timestamp.csv"), line: 4, column: "date"), timestamp: "2020-01-01 01:00:00"))
        XCTAssertEqual(error("missing_target.csv", CSVOptions(target: "OT")),
                       .missingColumn(file: file("missing_target.csv"), column: "OT", available: ["date", "HUFL", "HULL"]))
        guard case let .missingValues(_, 2, first) = error("missing_values.csv") else { return XCTFail() }
        XCTAssertEqual(first, [SourceLocation(file: file("missing_values.csv"), line: 3, column: "a"),
                               SourceLocation(file: file("missing_values.csv"), line: 4, column: "b")])
        // Random bytes without NUL still end in a typed error, not a crash or a frame.
        XCTAssertNotNil(error("binary_garbage_no_nul.csv"))
        XCTAssertEqual(expectDataError { try CSVSource(url: URL(fileURLWithPath: "/nonexistent/file.csv")).load() },
                       .unreadable(file: "/nonexistent/file.csv", reason: "No such file or directory"))
    }

    func testMessagesNameFileLineColumnAndRemedy() {
        let text = error("non_numeric.csv")!.description
        XCTAssertTrue(text.hasPrefix(TestFiles.malformed("non_numeric.csv").path + ":4, column 'b'"), text)
        XCTAssertTrue(text.contains("--columns"), text)
    }

    /// Runs the built `tsfc` (a dependency of this test target, so `swift build --build-tests`
    /// builds it next to the test bundle).
    func run(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.builtExecutable("tsfc"), arguments)
    }

    /// `tsfc inspect DIR` stopped with SIGILL (a `try!` inside Foundation's `readData` while
    /// sniffing for HDF5); it must name the path and exit 1.
    func testInspectOfADirectoryIsAClearError() throws {
        let directory = try makeTemporaryDirectory("tsfc-inspect-dir", removedAfter: self)
        for path in [directory.path, directory.path + ":/values"] {
            let result = try run(["inspect", path])
            XCTAssertFalse(result.terminatedBySignal, "tsfc inspect \(path) crashed: \(result.stderr)")
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains(directory.path), result.stderr)
        }
        XCTAssertTrue(try run(["inspect", directory.path]).stderr.contains("it is a directory"))
        XCTAssertFalse(DataFile.isHDF5(directory.path))
        guard case .unreadable(directory.path, _)? = expectDataError({ try DataFile.source(directory.path).load() }) else {
            return XCTFail("a directory must be an unreadable-file error")
        }
    }

    func testInspectExitsNonZeroWithTheMessage() throws {
        for name in ["ragged_row.csv", "non_numeric.csv", "empty.csv", "binary_garbage.csv", "unterminated_quote.csv", "bad_timestamp.csv"] {
            let path = TestFiles.malformed(name).path
            let result = try run(["inspect", path])
            XCTAssertNotEqual(result.status, 0, name)
            XCTAssertTrue(result.stderr.contains(path), "\(name): \(result.stderr)")
        }
        let notHDF5 = try run(["inspect", TestFiles.malformed("ragged_row.csv").path + ":/values"])
        XCTAssertNotEqual(notHDF5.status, 0)
        XCTAssertTrue(notHDF5.stderr.contains("not an HDF5 file"), notHDF5.stderr)
    }

    func testInspectReportsAGoodFile() throws {
        let url = TestFiles.write("date,a,b\n2020-01-01 00:00,1,2.5\n2020-01-01 01:00,,3.5\n2020-01-01 03:00,3,4.5\n2020-01-01 04:00,4,5.5\n")
        let result = try run(["inspect", "--json", url.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try JSONDecoder().decode(FrameSummary.self, from: Data(result.stdout.utf8))
        XCTAssertEqual(summary.rows, 4)
        XCTAssertEqual(summary.columns.map(\.name), ["a", "b"])
        XCTAssertEqual(summary.columns.map(\.dtype), ["int", "float"])
        XCTAssertEqual(summary.columns.map(\.missing), [1, 0])
        XCTAssertEqual(summary.columns[1].mean, 4)
        XCTAssertEqual(summary.columns[1].std!, (1.25 as Double).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(summary.time?.frequency, "1h")
        XCTAssertEqual(summary.time?.gapCount, 1)
        XCTAssertEqual(summary.time?.missingSteps, 1)
        XCTAssertEqual(summary.time?.first, "2020-01-01 00:00:00")
    }
}
