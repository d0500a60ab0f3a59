// Scratch directories and files for tests: one fresh folder per use, removed when the test ends.
import Foundation
import XCTest

/// A fresh, empty directory `<system temp>/<prefix>-<UUID>`. With `test`, it is removed when that
/// test ends (pass or fail); without, the caller removes it.
public func makeTemporaryDirectory(_ prefix: String = "tsfc-test", removedAfter test: XCTestCase? = nil) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test?.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Writes `bytes` to `name` inside `directory` and returns the file's URL.
@discardableResult
public func writeFile(_ bytes: Data, named name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try bytes.write(to: url)
    return url
}

/// Writes `text` as UTF-8 bytes (unchanged: no BOM, no newline added) to `name` inside
/// `directory` and returns the file's URL.
@discardableResult
public func writeFile(_ text: String, named name: String, in directory: URL) throws -> URL {
    try writeFile(Data(text.utf8), named: name, in: directory)
}
