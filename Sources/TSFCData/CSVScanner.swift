// Streaming CSV tokenisation over libcsv: the file is read in 1 MiB chunks (never whole), the
// UTF-8 byte-order mark is skipped, the delimiter detected, and every field handed to a sink with
// the physical line it sits on. Lines without quotes or stray CRs (almost all numeric data) are
// split directly, which is several times faster than libcsv's per-byte state machine and gives
// the same fields; any other line, and everything while libcsv is inside a record, goes through
// libcsv.
import CCSV
#if canImport(Glibc)
import Glibc
#endif

/// Receives the fields of a CSV file one by one. Subclasses override `field` and `endRecord`;
/// setting `failure` stops the scan.
class CSVSink {
    /// The first error; once set, the scanner stops feeding the parser.
    @exclusivity(unchecked) private(set) var failure: DataError?
    /// True once `failure` is set (a cheap check for the hot loop).
    @exclusivity(unchecked) private(set) var failed = false

    /// Records the first failure.
    final func fail(_ error: DataError) {
        if !failed { failure = error; failed = true }
    }

    /// One field of the current record: bytes valid only during the call.
    func field(_ bytes: UnsafePointer<UInt8>, count: Int, index: Int, line: Int) {}
    /// The file's delimiter, set before the first field (`,` until then).
    @exclusivity(unchecked) var delimiter: UInt8 = 44

    /// The end of a record of `fieldCount` fields that started on `line`.
    func endRecord(fieldCount: Int, line: Int) {}

    /// A whole quote-free record (line without its terminator) at once; returns false to have it
    /// split into `field` calls instead. A sink that handles it calls `endRecord` itself.
    func record(_ bytes: UnsafePointer<UInt8>, count: Int, line: Int, delimiter: UInt8) -> Bool { false }

    /// Called once with the first chunk and the file size, before any field.
    func begin(firstChunk: UnsafeBufferPointer<UInt8>, fileSize: Int) {}
}

/// What a scan saw.
struct CSVScanSummary {
    var delimiter: UInt8
    var bytes: Int
    var lines: Int
    /// True when some text went through libcsv (quotes or stray CRs) rather than the direct
    /// splitter.
    var usedLibcsv: Bool
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
    /// With `range`, only those bytes are scanned (they must start at a line start); the
    /// byte-order mark and the empty-file check apply only to a range starting at 0.
    /// `firstLine` numbers the range's first line in messages (a range cut from the middle of a file).
    static func scan(path: String, delimiter: UInt8?, sink: CSVSink, range: Range<Int>? = nil,
                     firstLine: Int = 1) throws -> CSVScanSummary {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw DataError.unreadable(file: path, reason: "it is a directory") }
        let fileSize = Int(info.st_size)
        var remaining = range?.count ?? Int.max
        if let range, range.lowerBound > 0, lseek(fd, off_t(range.lowerBound), SEEK_SET) < 0 {
            throw DataError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }

        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkBytes)
        defer { buffer.deallocate() }
        var filled = 0
        var endOfFile = false
        func fill() throws {
            while filled < chunkBytes, !endOfFile {
                if remaining == 0 { endOfFile = true; break }
                let n = read(fd, buffer + filled, min(chunkBytes - filled, remaining))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unreadable(file: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { endOfFile = true }
                filled += n
                remaining -= n
            }
        }

        try fill()
        var begin = 0
        let atStart = (range?.lowerBound ?? 0) == 0
        if atStart, filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { begin = 3 }  // BOM
        let first = UnsafeBufferPointer(start: buffer + begin, count: filled - begin)
        if atStart, endOfFile, !first.contains(where: { $0 != 10 && $0 != 13 && $0 != 32 && $0 != 9 }) {
            throw DataError.emptyFile(file: path)
        }
        if memchr(buffer + begin, 0, filled - begin) != nil { throw DataError.binaryFile(file: path) }
        let delim = delimiter ?? detectDelimiter(first)
        sink.delimiter = delim

        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
            throw DataError.unreadable(file: path, reason: "libcsv could not initialise")
        }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, delim)
        // libcsv's defaults: CR and LF end records; spaces and tabs (unless tab is the delimiter)
        // around unquoted fields are trimmed.
        csv_set_realloc_func(&parser) { pointer, size in
            size > CSVScanner.maxFieldBytes ? nil : realloc(pointer, size)
        }

        let scanner = CSVScanner(sink: sink)
        scanner.line = firstLine
        scanner.delimiter = delim
        sink.begin(firstChunk: first, fileSize: range.map { $0.count } ?? fileSize)
        let context = Unmanaged.passUnretained(scanner).toOpaque()
        var total = 0
        while true {
            // The region: whole lines, or everything at the end of the file or when one line is
            // longer than the buffer (libcsv then carries the partial record).
            var regionEnd = filled
            if !endOfFile {
                var k = filled
                while k > begin, buffer[k - 1] != 10 { k -= 1 }
                if k > begin { regionEnd = k }
            }
            if memchr(buffer + begin, 0, regionEnd - begin) != nil {
                throw DataError.malformedCSV(SourceLocation(file: path, line: scanner.line),
                                             reason: "a NUL byte: the file holds binary data")
            }
            guard scanner.process(buffer + begin, count: regionEnd - begin, parser: &parser, context: context) else {
                throw scanner.parseError(parser: &parser, path: path)
            }
            if let failure = sink.failure { throw failure }
            total += regionEnd - begin
            if endOfFile, regionEnd == filled { break }
            let tail = filled - regionEnd
            if tail > 0 { memmove(buffer, buffer + regionEnd, tail) }
            filled = tail
            begin = 0
            try fill()
            if filled == 0 { break }
        }
        if csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
            if let failure = sink.failure { throw failure }
            throw scanner.parseError(parser: &parser, path: path)
        }
        if let failure = sink.failure { throw failure }
        return CSVScanSummary(delimiter: delim, bytes: total, lines: scanner.line, usedLibcsv: scanner.usedLibcsv)
    }

    private var delimiter: UInt8 = 44
    private(set) var usedLibcsv = false

    /// Feeds `count` bytes: line by line through the direct splitter while libcsv is between
    /// records, the rest through libcsv. Returns false when libcsv rejects the text.
    private func process(_ base: UnsafeMutablePointer<UInt8>, count: Int, parser: inout csv_parser,
                         context: UnsafeMutableRawPointer) -> Bool {
        // Most regions have no quote and no CR at all: then no line needs checking for them.
        let mayNeedLibcsv = memchr(base, 34, count) != nil || memchr(base, 13, count) != nil
        var position = 0
        while position < count {
            if sink.failed { return true }
            if parser.pstate != 0 {  // inside a record (a quoted field spanning lines)
                let n = count - position
                usedLibcsv = true
                return csv_parse(&parser, base + position, n, fieldCallback, recordCallback, context) == n
            }
            let newline = memchr(base + position, 10, count - position)
            let lineEnd = newline.map { $0.assumingMemoryBound(to: UInt8.self) - base + 1 } ?? count
            if !splitLine(base + position, count: lineEnd - position, check: mayNeedLibcsv) {
                let n = lineEnd - position
                usedLibcsv = true
                if csv_parse(&parser, base + position, n, fieldCallback, recordCallback, context) != n { return false }
            }
            position = lineEnd
        }
        return true
    }

    /// Splits one line without quotes; returns false (having emitted nothing) when the line has
    /// a quote or a CR before its end, which libcsv must handle. Fields are trimmed of spaces
    /// (and tabs unless tab is the delimiter), as libcsv trims them.
    @inline(__always)
    private func splitLine(_ p: UnsafeMutablePointer<UInt8>, count: Int, check: Bool) -> Bool {
        var end = count
        if end > 0, p[end - 1] == 10 { end -= 1 }
        if end > 0, p[end - 1] == 13 { end -= 1 }
        if check, end > 0, memchr(p, 34, end) != nil || memchr(p, 13, end) != nil { return false }
        let delim = delimiter
        let tabIsSpace = delim != 9
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 32 || (tabIsSpace && b == 9) }
        if end == 0 || isSpace(p[0]) {
            var k = 0
            while k < end, isSpace(p[k]) { k += 1 }
            if k == end {  // an empty or all-space line: no record, as libcsv
                line += 1
                lastTerminator = 10
                return true
            }
        }
        if sink.record(p, count: end, line: line, delimiter: delim) {
            fieldIndex = 0
            line += 1
            lastTerminator = 10
            return true
        }
        var a = 0
        var field = 0
        while true {
            let hit = memchr(p + a, Int32(delim), end - a)
            var b = hit.map { $0.assumingMemoryBound(to: UInt8.self) - p } ?? end
            let next = b + 1
            var s = a
            while s < b, isSpace(p[s]) { s += 1 }
            while b > s, isSpace(p[b - 1]) { b -= 1 }
            sink.field(p + s, count: b - s, index: field, line: line)
            field += 1
            if hit == nil { break }
            a = next
        }
        sink.endRecord(fieldCount: field, line: line)
        fieldIndex = 0
        line += 1
        lastTerminator = 10
        return true
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
        if sink.failed { return }
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
        if !sink.failed { sink.endRecord(fieldCount: fieldIndex, line: line) }
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
