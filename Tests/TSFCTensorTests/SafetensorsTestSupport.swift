// Helpers for the safetensors tests: a scratch directory and a byte-level file builder that does
// not go through the library's writer, so reader tests have an independent source of files.
import Foundation
import XCTest

/// A fresh temporary directory, removed when the test ends.
func makeScratchDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("tsfc-safetensors-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Bytes of a safetensors file with the given header text and data buffer, built by hand.
/// `headerLength` overrides the length prefix (to fake corrupt files).
func rawSafetensors(header: String, data: [UInt8], headerLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    var bytes = Data()
    withUnsafeBytes(of: (headerLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: json)
    bytes.append(contentsOf: data)
    return bytes
}

/// Writes `bytes` to `name` inside `directory` and returns its URL.
func writeFile(_ bytes: Data, named name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try bytes.write(to: url)
    return url
}

/// Little-endian bytes of each value.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var out: [UInt8] = []
    for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    return out
}
