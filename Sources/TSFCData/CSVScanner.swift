// Streaming CSV tokenisation over libcsv: the file is read in 1 MiB chunks (never whole), the
// UTF-8 byte-order mark is skipped, the delimiter detected, and every field handed to a sink with
// the physical line it sits on.
import CCSV
#if canImport(Glibc)
import Glibc
#endif

/// Receives the fields of a CSV file one by one. Subclasses override `field` and `endRecord`;
/// setting `failure` stops the scan.
class CSVSink {
    /// The first error; once set, the scanner stops feeding the parser.
    var failure: DataError?

    /// One field of the current record: bytes valid only during the call.
    func field(_ bytes: UnsafePointer<UInt8>, count: Int, index: Int, line: Int) {}

    /// The end of a record of `fieldCount` fields that started on `line`.
    func endRecord(fieldCount: Int, line: Int) {}

    /// Called once with the first chunk and the file size, before any field.
    func begin(firstChunk: UnsafeBufferPointer<UInt8>, fileSize: Int) {}
}

/// What a scan saw.
struct CSVScanSummary {
    var delimiter: UInt8
    var bytes: Int
    var lines: Int
}

/// Drives libcsv over a file and tracks line numbers.
final class CSVScanner {
    /// The largest field libcsv may buffer; longer fields mean the file is not sensible CSV.
    static let maxFieldBytes = 16 << 20
    static let chunkBytes = 1 << 20

    private let sink: CSVSink
    private var fieldIndex = 0
    private var line = 1
    private var embeddedNewlines = 0
    private var lastTerminator: Int32 = 0

    private init(sink: CSVSink) { self.sink = sink }

    /// Detects the delimiter from the first line of `chunk`: the most frequent of `,` `;` tab
    /// outside quotes (`,` on a tie or when none occurs).
    static func detectDelimiter(_ chunk: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var quoted = false
        for byte in chunk {
            if byte == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if byte == 10 || byte == 13 { break }
            switch byte {
            case UInt8(ascii: ","): counts[0] += 1
            case UInt8(ascii: ";"): counts[1] += 1
            case 9: counts[2] += 1
            default: break
            }
        }
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9]
        var best = 0
        for k in 1..<3 where counts[k] > counts[best] { best = k }
        return candidates[best]
    }

    /// Scans `path`, feeding `sink`. Throws for unreadable, empty, binary or malformed files and
    /// for the sink's own failure.
    static func scan(path: String, delimiter: UInt8?, sink: CSVSink) throws -> CSVScanSummary {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw DataError.unreadable(file: path, reason: "it is a directory") }
        let fileSize = Int(info.st_size)

        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkBytes)
        defer { buffer.deallocate() }
        func readChunk() throws -> Int {
            var filled = 0
            while filled < chunkBytes {
                let n = read(fd, buffer + filled, chunkBytes - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unreadable(file: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
            }
            return filled
        }

        var count = try readChunk()
        var start = 0
        if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }  // BOM
        let first = UnsafeBufferPointer(start: buffer + start, count: count - start)
        if !first.contains(where: { $0 != 10 && $0 != 13 && $0 != 32 && $0 != 9 }) && count < chunkBytes {
            throw DataError.emptyFile(file: path)
        }
        if first.contains(0) { throw DataError.binaryFile(file: path) }
        let delim = delimiter ?? detectDelimiter(first)

        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
            throw DataError.unreadable(file: path, reason: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, delim)
        csv_set_space_func(&parser) { $0 == 32 ? 1 : 0 }  // trim spaces only (tab may be the delimiter)
        csv_set_term_func(&parser) { $0 == 10 || $0 == 13 ? 1 : 0 }
        csv_set_realloc_func(&parser) { pointer, size in
            size > CSVScanner.maxFieldBytes ? nil : realloc(pointer, size)
        }

        let scanner = CSVScanner(sink: sink)
        sink.begin(firstChunk: first, fileSize: fileSize)
        let context = Unmanaged.passUnretained(scanner).toOpaque()
        var total = count
        var chunkStart = start
        while count > 0 {
            let length = count - chunkStart
            let parsed = csv_parse(&parser, buffer + chunkStart, length, fieldCallback, recordCallback, context)
            if let failure = sink.failure { throw failure }
            if parsed != length {
                throw scanner.parseError(parser: &parser, path: path)
            }
            if count < chunkBytes { break }
            count = try readChunk()
            total += count
            chunkStart = 0
            if count > 0, UnsafeBufferPointer(start: buffer, count: count).contains(0) {
                throw DataError.malformedCSV(SourceLocation(file: path, line: scanner.line),
                                             reason: "a NUL byte: the file holds binary data")
            }
        }
        if csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
            if let failure = sink.failure { throw failure }
            throw scanner.parseError(parser: &parser, path: path)
        }
        if let failure = sink.failure { throw failure }
        return CSVScanSummary(delimiter: delim, bytes: total, lines: scanner.line)
    }

    private func parseError(parser: inout csv_parser, path: String) -> DataError {
        let code = csv_error(&parser)
        let reason: String
        switch Int32(code) {
        case CSV_EPARSE: reason = "an unterminated or malformed quoted field"
        case CSV_ENOMEM, CSV_ETOOBIG: reason = "a field longer than \(CSVScanner.maxFieldBytes >> 20) MiB"
        default: reason = String(cString: csv_strerror(code))
        }
        return .malformedCSV(SourceLocation(file: path, line: line), reason: reason)
    }

    fileprivate func onField(_ data: UnsafeMutableRawPointer?, _ count: Int) {
        if sink.failure != nil { return }
        let bytes = data.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) }
            ?? UnsafePointer(bitPattern: 1)!  // libcsv passes NULL for an empty field
        if count > 0, memchr(bytes, 10, count) != nil {
            for k in 0..<count where bytes[k] == 10 { embeddedNewlines += 1 }
        }
        sink.field(bytes, count: count, index: fieldIndex, line: line)
        fieldIndex += 1
    }

    fileprivate func onRecord(_ terminator: Int32) {
        defer { lastTerminator = terminator }
        if fieldIndex == 0 {
            // An empty record: the LF of a CRLF pair, or a blank line.
            if !(terminator == 10 && lastTerminator == 13) { line += 1 }
            return
        }
        if sink.failure == nil { sink.endRecord(fieldCount: fieldIndex, line: line) }
        fieldIndex = 0
        line += 1 + embeddedNewlines
        embeddedNewlines = 0
    }
}

private func fieldCallback(_ data: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVScanner>.fromOpaque(context!).takeUnretainedValue().onField(data, count)
}

private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<CSVScanner>.fromOpaque(context!).takeUnretainedValue().onRecord(terminator)
}
