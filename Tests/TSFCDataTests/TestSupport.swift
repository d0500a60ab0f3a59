// Helpers shared by the data-layer tests: CSV text in a temporary file, the malformed corpus.
import Foundation
import XCTest
@testable import TSFCData
import TSFCTestSupport

enum TestFiles {
    /// A malformed-corpus fixture.
    static func malformed(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("malformed").appendingPathComponent(name)
    }

    /// Writes `text` (as UTF-8 bytes, unchanged) to a file in a fresh temporary directory and
    /// returns its URL.
    static func write(_ text: String, name: String = "data.csv") -> URL {
        try! writeFile(text, named: name, in: makeTemporaryDirectory("tsfc-data-tests"))
    }
}

/// Asserts that `body` throws a `DataError` and returns it.
func expectDataError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> DataError? {
    do {
        _ = try body()
        XCTFail("expected a DataError, got success", file: file, line: line)
    } catch let error as DataError {
        return error
    } catch {
        XCTFail("expected a DataError, got \(error)", file: file, line: line)
    }
    return nil
}
