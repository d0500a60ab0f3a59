// Helpers for the safetensors tests: a byte-level file builder that does not go through the
// library's writer, so reader tests have an independent source of files.
import Foundation

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

/// Little-endian bytes of each value.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var out: [UInt8] = []
    for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    return out
}
