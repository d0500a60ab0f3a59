// Helpers shared by the data-layer tests: temporary files, fixtures, the package root.
import Foundation
import XCTest
@testable import TSFCData

enum TestFiles {
    /// The package root, found by walking up from this file to Package.swift.
    static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return url
    }

    /// A shipped data file in `Data/`.
    static func data(_ name: String) -> URL { packageRoot.appendingPathComponent("Data").appendingPathComponent(name) }

    /// A malformed-corpus fixture.
    static func malformed(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("malformed").appendingPathComponent(name)
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tsfc-data-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` (as UTF-8 bytes, unchanged) to a temporary file and returns its URL.
    static func write(_ text: String, name: String = "data.csv") -> URL {
        let url = temporaryDirectory().appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url
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
