// Safetensors: reading and writing the weight and checkpoint format of the whole project.
// Format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
// N bytes of JSON header, then the tensors' bytes, contiguous and in header order of offsets.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing safetensors files.
public enum Safetensors {
    /// Reads every tensor in the file at `url`, converted to `Float` (see `SafetensorsFile.tensor(named:)`).
    /// - Throws: `SafetensorsError` naming the file and the problem.
    public static func read(contentsOf url: URL) throws -> [String: Tensor] {
        let file = try SafetensorsFile(contentsOf: url)
        var result: [String: Tensor] = [:]
        result.reserveCapacity(file.names.count)
        for name in file.names { result[name] = try file.tensor(named: name) }
        return result
    }

    /// Reads the `__metadata__` block of the file at `url` (empty when it has none).
    /// - Throws: `SafetensorsError` naming the file and the problem.
    public static func readMetadata(contentsOf url: URL) throws -> [String: String] {
        try SafetensorsFile(contentsOf: url).metadata
    }

    /// Writes `tensors` as F32 to `url`, with `metadata` as the header's `__metadata__` block.
    ///
    /// Tensors are laid out in sorted name order with contiguous offsets, and the header is padded
    /// with spaces to a multiple of 8 bytes so the data buffer starts 8-byte aligned. The write is
    /// atomic: the bytes go to a temporary file in the same directory, which is flushed and then
    /// renamed over `url`, so an interrupted write never leaves a half-written file behind.
    /// - Throws: `SafetensorsError.invalidTensorName` for an empty name or `__metadata__`, and
    ///   `.writeFailed` when the file system refuses.
    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:]) throws {
        let path = url.path
        let names = tensors.keys.sorted()
        for name in names where name.isEmpty || name == "__metadata__" {
            throw SafetensorsError.invalidTensorName(file: path, tensor: name)
        }
        let header = try encodeHeader(names: names, tensors: tensors, metadata: metadata, file: path)

        try writeAtomically(to: path) { fd in
            try writeAll(fd, path: path, header)
            for name in names {
                try tensors[name]!.withUnsafeBufferPointer { scalars in
                    #if _endian(little)
                    try writeAll(fd, path: path, UnsafeRawBufferPointer(scalars))
                    #else
                    let swapped = scalars.map { $0.bitPattern.littleEndian }
                    try swapped.withUnsafeBytes { try writeAll(fd, path: path, $0) }
                    #endif
                }
            }
        }
    }

    /// The 8-byte length prefix plus the space-padded JSON header for `names` in order.
    static func encodeHeader(
        names: [String], tensors: [String: Tensor], metadata: [String: String], file: String
    ) throws -> [UInt8] {
        var entries: [String: HeaderEntry] = [:]
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let bytes = tensor.count * MemoryLayout<Float>.size
            entries[name] = HeaderEntry(dtype: "F32", shape: tensor.shape, dataOffsets: [offset, offset + bytes])
            offset += bytes
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var json: [UInt8]
        do {
            json = Array(try encoder.encode(EncodedHeader(tensors: entries, metadata: metadata)))
        } catch {
            throw SafetensorsError.writeFailed(file: file, reason: "encoding the header: \(error)")
        }
        while json.count % 8 != 0 { json.append(0x20) }
        var result = [UInt8]()
        result.reserveCapacity(8 + json.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { result.append(contentsOf: $0) }
        result.append(contentsOf: json)
        return result
    }

    /// Runs `body` on a fresh temporary file beside `path`, then flushes it and renames it to
    /// `path`; on any failure the temporary file is removed and `path` is left as it was.
    static func writeAtomically(to path: String, _ body: (Int32) throws -> Void) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SafetensorsError.writeFailed(file: path, reason: "creating a temporary file: \(systemMessage())")
        }
        let temporary = String(cString: template)
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try body(fd)
            guard fchmod(fd, 0o644) == 0, fsync(fd) == 0 else {
                throw SafetensorsError.writeFailed(file: path, reason: systemMessage())
            }
        }
        guard rename(temporary, path) == 0 else {
            throw SafetensorsError.writeFailed(file: path, reason: "rename: \(systemMessage())")
        }
        committed = true
        // Best effort: persist the rename itself (the data was already flushed above).
        let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interrupted calls.
    static func writeAll(_ fd: Int32, path: String, _ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(fd, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw SafetensorsError.writeFailed(file: path, reason: systemMessage())
            }
            pointer += written
            remaining -= written
        }
    }

    static func writeAll(_ fd: Int32, path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, path: path, $0) }
    }
}

/// One tensor's description in a written header.
private struct HeaderEntry: Encodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

/// A written header: the metadata block (when not empty) and one entry per tensor.
private struct EncodedHeader: Encodable {
    var tensors: [String: HeaderEntry]
    var metadata: [String: String]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if !metadata.isEmpty {
            try container.encode(metadata, forKey: Key(stringValue: "__metadata__"))
        }
        for (name, entry) in tensors {
            try container.encode(entry, forKey: Key(stringValue: name))
        }
    }
}
