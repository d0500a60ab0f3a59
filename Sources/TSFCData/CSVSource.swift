// CSVSource: a CSV file (wide or long layout) streamed into a TimeSeriesFrame.
import Foundation

/// A CSV file read with libcsv, streamed in chunks.
///
/// Wide layout: one column per channel, an optional timestamp column (found by name or given).
/// Long layout: `unique_id, ds, y` (+ extra numeric columns) pivoted to one channel per id
/// (`<id>` for `y`, `<id>/<column>` for extras) over the union of timestamps.
public struct CSVSource: DataSource, Sendable {
    public var url: URL
    public var options: CSVOptions

    public init(url: URL, options: CSVOptions = CSVOptions()) {
        self.url = url
        self.options = options
    }

    /// The delimiter `options` gives, as a byte (nil: detect it).
    func givenDelimiter() throws -> UInt8? {
        guard let d = options.delimiter else { return nil }
        guard let ascii = d.asciiValue, [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")].contains(ascii) else {
            throw DataError.invalidOption("delimiter '\(d)' is not supported: use ',', ';', '|' or a tab")
        }
        return ascii
    }

    /// Reads the file. Throws `DataError` naming the file, line and column of the first problem.
    public func load() throws -> TimeSeriesFrame {
        let path = url.path
        let delimiter = try givenDelimiter()
        let time = try TimeColumnDetection.resolve(path: path, options: options, delimiter: delimiter)
        var resolved = options
        resolved.timestampColumn = time.column ?? ""
        resolved.dateFormat = time.format
        var frame: TimeSeriesFrame
        if let parallel = try ParallelCSVLoader.load(path: path, options: resolved, delimiter: delimiter) {
            frame = parallel
        } else {
            let sink = CSVFrameBuilder(path: path, options: resolved)
            _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: sink)
            frame = try sink.finish()
        }
        if frame.timestamps != nil { frame.timestampPrecision = time.precision }
        return frame
    }

    /// The names in the file's first line, split at any of the delimiters tsfc reads (enough to
    /// tell a long layout's id column; the full reader checks the header properly).
    private func headerNames(_ path: String) -> Set<String> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        let line = String(decoding: head.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        let names = line.split(whereSeparator: { ",;|\t".contains($0) })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"\u{FEFF}")) }
        return Set(names)
    }

    /// Reads the file as a panel: a long-layout file gives one frame per series, each over its
    /// own rows only (its own start, end, length and frequency; see
    /// `CSVFrameBuilder.finishSeries`), in the time column's precision (dates for a series whose
    /// stamps all fall at midnight); a wide file gives the one frame `load()` gives.
    public func loadSeries() throws -> [TimeSeriesFrame] {
        let path = url.path
        let delimiter = try givenDelimiter()
        if options.layout == .wide || !options.hasHeader { return [try load()] }
        let time = try TimeColumnDetection.resolve(path: path, options: options, delimiter: delimiter)
        if options.layout == .auto, time.column == nil || !headerNames(path).contains(options.idColumn) {
            return [try load()]  // wide: the one frame, on the parallel path for large files
        }
        var resolved = options
        resolved.timestampColumn = time.column ?? ""
        resolved.dateFormat = time.format
        let sink = CSVFrameBuilder(path: path, options: resolved)
        _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: sink)
        return try sink.finishSeries().map { Self.seriesPrecision($0, column: time.precision) }
    }

    /// A long layout's series in its time column's precision, which is the finest cell's: a
    /// series whose stamps all fall at midnight (a daily or coarser series beside an hourly one)
    /// is written as dates.
    static func seriesPrecision(_ frame: TimeSeriesFrame, column precision: TimestampPrecision) -> TimeSeriesFrame {
        var frame = frame
        let midnight = frame.timestamps?.allSatisfy { ($0 % 86_400 + 86_400) % 86_400 == 0 } ?? false
        frame.timestampPrecision = precision == .second && midnight ? .day : precision
        return frame
    }
}

/// The sink that turns fields into a frame.
final class CSVFrameBuilder: CSVSink {
    enum Role: Equatable {
        case skip
        case timestamp
        case label
        case value(Int)  // wide: channel slot; long: slot within a series (0 is `y`)
        case seriesID
    }

    let path: String
    let options: CSVOptions
    /// How the time column's cells are parsed.
    let timestampFormat: TimestampFormat
    @exclusivity(unchecked) var header: [String]?
    @exclusivity(unchecked) var roles = [Role]()
    @exclusivity(unchecked) var isLong = false
    @exclusivity(unchecked) var estimatedRows = 0

    // Wide accumulation.
    @exclusivity(unchecked) var columnNames = [String]()
    @exclusivity(unchecked) var values = [Float]()
    @exclusivity(unchecked) var timestamps = [Int64]()
    @exclusivity(unchecked) var labels = [Float]()
    @exclusivity(unchecked) var hasTimestamps = false
    @exclusivity(unchecked) var hasLabels = false
    @exclusivity(unchecked) var integral = [Bool]()
    @exclusivity(unchecked) var missing = MissingValueReport(columns: [])
    /// The first repeated or backward timestamp, and the first of each kind.
    @exclusivity(unchecked) var orderProblem: DataError?
    @exclusivity(unchecked) var firstDuplicate: DataError?
    @exclusivity(unchecked) var firstUnsorted: DataError?
    @exclusivity(unchecked) var previousTimestamp: Int64?

    // The current record.
    @exclusivity(unchecked) var scratch = [Float]()
    @exclusivity(unchecked) var rowTimestamp: Int64?
    @exclusivity(unchecked) var rowLabel: Float = 0

    // Long accumulation.
    @exclusivity(unchecked) var extraNames = [String]()
    @exclusivity(unchecked) var seriesIndex = [String: Int]()
    @exclusivity(unchecked) var series = [LongSeries]()
    @exclusivity(unchecked) var rowSeries = -1

    final class LongSeries {
        let id: String
        var stamps = [Int64]()
        var values = [Float]()
        var lines = [Int32]()
        init(id: String) { self.id = id }
    }

    init(path: String, options: CSVOptions) {
        self.path = path
        self.options = options
        timestampFormat = options.dateFormat ?? .iso
    }

    override func begin(firstChunk: UnsafeBufferPointer<UInt8>, fileSize: Int) {
        var newlines = 0
        for byte in firstChunk where byte == 10 { newlines += 1 }
        let perRow = max(1, firstChunk.count / max(newlines, 1))
        estimatedRows = min(fileSize / perRow + fileSize / perRow / 16 + 16, 1 << 31)
        if haveHeader, !isLong, rowWidth > 0 {  // a later range of a parallel load
            values.reserveCapacity(estimatedRows * rowWidth)
            if hasTimestamps { timestamps.reserveCapacity(estimatedRows) }
        }
    }

    /// Takes the header (and so every column role) of `other`, for a range that starts after it.
    func adoptHeader(of other: CSVFrameBuilder) {
        configure(header: other.pendingHeader)
        freezeTables()
        haveHeader = true
    }

    override func field(_ bytes: UnsafePointer<UInt8>, count: Int, index: Int, line: Int) {
        guard haveHeader else {
            if index == 0 { pendingHeader.removeAll() }
            pendingHeader.append(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
            return
        }
        guard index < roleCount else { return }  // ragged: reported at the record's end
        switch roleTable[index] {
        case .skip:
            return
        case .value(let slot):
            if !store(NumberParser.parse(bytes, count: count, decimalComma: delimiter != 44), in: slot) {
                fail(.nonNumericCell(location(line, index), text: text(bytes, count)))
            }
        case .timestamp:
            guard let t = timestampFormat.parse(bytes, count: count) else {
                fail(.badTimestamp(location(line, index), text: text(bytes, count)))
                return
            }
            rowTimestamp = t
        case .label:
            guard case let .value(v, _) = NumberParser.parse(bytes, count: count, decimalComma: delimiter != 44) else {
                fail(.nonNumericCell(location(line, index), text: text(bytes, count)))
                return
            }
            rowLabel = v
        case .seriesID:
            let id = text(bytes, count)
            if let k = seriesIndex[id] {
                rowSeries = k
            } else {
                rowSeries = series.count
                seriesIndex[id] = series.count
                series.append(LongSeries(id: id))
            }
        }
    }

    /// Stores a parsed number cell in `slot` (NaN for a missing cell); false for an invalid one.
    @inline(__always)
    private func store(_ cell: ParsedCell, in slot: Int) -> Bool {
        switch cell {
        case let .value(v, isIntegral):
            row[slot] = v
            if !isIntegral { nonIntegralFlags[slot] = true }
            return true
        case .missing:
            row[slot] = .nan
            return true
        case .invalid:
            return false
        }
    }

    /// The bounds of `p[start..<end]` without leading and trailing spaces (and tabs, unless the
    /// tab is the delimiter).
    @inline(__always)
    private static func trimmed(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, tabIsSpace: Bool) -> (Int, Int) {
        var a = start, b = end
        while a < b, p[a] == 32 || (tabIsSpace && p[a] == 9) { a += 1 }
        while b > a, p[b - 1] == 32 || (tabIsSpace && p[b - 1] == 9) { b -= 1 }
        return (a, b)
    }

    /// The fused path for wide rows: numbers are parsed in the same pass that finds the fields.
    override func record(_ p: UnsafePointer<UInt8>, count end: Int, line: Int, delimiter: UInt8) -> Bool {
        guard haveHeader, !isLong else { return false }
        let tabIsSpace = delimiter != 9
        var position = 0
        var index = 0
        while true {
            var fieldEnd: Int
            if index < roleCount, case let .value(slot) = roleTable[index] {
                let (cell, stop) = NumberParser.parseField(p, from: position, end: end, delimiter: delimiter)
                fieldEnd = stop
                if !store(cell, in: slot) {
                    let (a, b) = Self.trimmed(p, position, fieldEnd, tabIsSpace: tabIsSpace)
                    fail(.nonNumericCell(location(line, index), text: text(p + a, b - a)))
                    return true
                }
            } else {
                fieldEnd = position
                while fieldEnd < end, p[fieldEnd] != delimiter { fieldEnd += 1 }
                if index < roleCount, roleTable[index] != .skip {
                    let (a, b) = Self.trimmed(p, position, fieldEnd, tabIsSpace: tabIsSpace)
                    field(p + a, count: b - a, index: index, line: line)
                    if failed { return true }
                }
            }
            index += 1
            if fieldEnd >= end { break }
            position = fieldEnd + 1
        }
        endRecord(fieldCount: index, line: line)
        return true
    }

    @exclusivity(unchecked) var pendingHeader = [String]()
    @exclusivity(unchecked) var nonIntegralSeen = [Bool]()
    @exclusivity(unchecked) var haveHeader = false
    /// Unsafe copies of `roles` and `scratch` for the hot loop (no uniqueness checks).
    @exclusivity(unchecked) var roleTable = UnsafeMutablePointer<Role>.allocate(capacity: 1)
    @exclusivity(unchecked) var roleCount = 0
    @exclusivity(unchecked) var row = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    @exclusivity(unchecked) var rowWidth = 0
    /// Per value slot: a non-integer was seen (an unsafe copy of `nonIntegralSeen`).
    @exclusivity(unchecked) var nonIntegralFlags = UnsafeMutablePointer<Bool>.allocate(capacity: 1)

    deinit {
        roleTable.deinitialize(count: roleCount)
        roleTable.deallocate()
        row.deallocate()
        nonIntegralFlags.deallocate()
    }

    /// Copies `roles` and sizes the row buffer once the header is configured.
    func freezeTables() {
        roleTable.deinitialize(count: roleCount)
        roleTable.deallocate()
        roleTable = UnsafeMutablePointer<Role>.allocate(capacity: max(1, roles.count))
        roleTable.initialize(from: roles, count: roles.count)
        roleCount = roles.count
        row.deallocate()
        rowWidth = scratch.count
        row = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rowWidth))
        row.initialize(repeating: .nan, count: rowWidth)
        nonIntegralFlags.deallocate()
        nonIntegralFlags = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, rowWidth))
        nonIntegralFlags.initialize(repeating: false, count: rowWidth)
    }

    override func endRecord(fieldCount: Int, line: Int) {
        guard haveHeader else {
            configure(header: options.hasHeader ? pendingHeader : CSVOptions.headerlessNames(count: pendingHeader.count))
            freezeTables()
            haveHeader = true
            guard !options.hasHeader else { return }
            // No header line: the first record is data; its fields are read again as such.
            for (k, text) in pendingHeader.enumerated() {
                let bytes = Array(text.utf8) + [0]
                bytes.withUnsafeBufferPointer { b in field(b.baseAddress!, count: b.count - 1, index: k, line: line) }
            }
            return endRecord(fieldCount: fieldCount, line: line)
        }
        guard fieldCount == roles.count else {
            fail(.raggedRow(SourceLocation(file: path, line: line), expected: roles.count, found: fieldCount))
            return
        }
        if isLong { endLongRecord(line: line) } else { endWideRecord(line: line) }
    }

    private func endWideRecord(line: Int) {
        let width = rowWidth
        for c in 0..<width where row[c].isNaN {
            missing.record(column: c, location: SourceLocation(file: path, line: line, column: columnNames[c]))
        }
        values.append(contentsOf: UnsafeBufferPointer(start: row, count: width))
        if hasTimestamps, let t = rowTimestamp {
            if let previous = previousTimestamp, t <= previous, t == previous ? firstDuplicate == nil : firstUnsorted == nil {
                let place = SourceLocation(file: path, line: line, column: header?[roles.firstIndex(of: .timestamp) ?? 0])
                if t == previous {
                    firstDuplicate = .duplicateTimestamp(place, timestamp: stampText(t))
                } else {
                    firstUnsorted = .unsortedTimestamps(place, timestamp: stampText(t))
                }
                if orderProblem == nil { orderProblem = t == previous ? firstDuplicate : firstUnsorted }
            }
            previousTimestamp = t
            timestamps.append(t)
        }
        if hasLabels { labels.append(rowLabel) }
    }

    private func endLongRecord(line: Int) {
        guard rowSeries >= 0, let t = rowTimestamp else { return }
        let s = series[rowSeries]
        s.stamps.append(t)
        s.values.append(contentsOf: UnsafeBufferPointer(start: row, count: rowWidth))
        s.lines.append(Int32(truncatingIfNeeded: line))
    }

    /// A parsed stamp for a message: the integer of an index column, else the date and time.
    private func stampText(_ t: Int64) -> String {
        timestampFormat == .index ? String(t) : Timestamp.format(t)
    }

    private func text(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: min(count, 200)), as: UTF8.self)
    }

    private func location(_ line: Int, _ index: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: header.map { index < $0.count ? $0[index] : "\(index + 1)" })
    }

    /// Assigns a role to each header column.
    func configure(header rawHeader: [String]) {
        let names = rawHeader.enumerated().map { k, name -> String in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? "column\(k + 1)" : trimmed
        }
        header = names
        roles = Array(repeating: .skip, count: names.count)
        func index(of name: String) -> Int? { names.firstIndex(of: name) }
        func require(_ name: String) -> Int? {
            if let k = index(of: name) { return k }
            fail(.missingColumn(file: path, column: name, available: names))
            return nil
        }

        // Timestamp column.
        var timestampIndex: Int?
        if let given = options.timestampColumn {
            if !given.isEmpty { guard let k = require(given) else { return }; timestampIndex = k }
        } else {
            timestampIndex = names.firstIndex { CSVOptions.timestampNames.contains($0.lowercased()) }
        }
        if let k = timestampIndex { roles[k] = .timestamp; hasTimestamps = true }

        switch options.layout {
        case .long: isLong = true
        case .wide: isLong = false
        case .auto: isLong = index(of: options.idColumn) != nil && index(of: options.valueColumn) != nil && timestampIndex != nil
        }

        if isLong {
            guard timestampIndex != nil else {
                fail(.missingColumn(file: path, column: options.timestampColumn ?? "ds", available: names)); return
            }
            guard let idIndex = require(options.idColumn), let valueIndex = require(options.valueColumn) else { return }
            roles[idIndex] = .seriesID
            roles[valueIndex] = .value(0)
            var slot = 1
            for (k, name) in names.enumerated() where roles[k] == .skip && name != options.labelColumn {
                roles[k] = .value(slot)
                extraNames.append(name)
                slot += 1
            }
            scratch = Array(repeating: .nan, count: slot)
            nonIntegralSeen = Array(repeating: false, count: slot)
            return
        }

        if let labelName = options.labelColumn {
            guard let k = require(labelName) else { return }
            roles[k] = .label
            hasLabels = true
        }
        var chosen: [Int]
        if let selection = options.columns {
            chosen = []
            for name in selection {
                guard let k = require(name) else { return }
                if roles[k] == .label { continue }  // the label column is never read as data
                chosen.append(k)
            }
        } else {
            chosen = names.indices.filter { roles[$0] == .skip }
        }
        if let target = options.target {
            guard let k = require(target) else { return }
            chosen.removeAll { $0 == k }
            chosen.append(k)
        }
        for (slot, k) in chosen.enumerated() { roles[k] = .value(slot) }
        columnNames = chosen.map { names[$0] }
        scratch = Array(repeating: .nan, count: chosen.count)
        nonIntegralSeen = Array(repeating: false, count: chosen.count)
        missing = MissingValueReport(columns: columnNames, policy: options.missingValues)
        let rows = max(0, estimatedRows)
        if chosen.count > 0 { values.reserveCapacity(rows * chosen.count) }
        if hasTimestamps { timestamps.reserveCapacity(rows) }
    }

    /// Builds the frame once the scan is done, applying the order and missing-value policies.
    func finish() throws -> TimeSeriesFrame {
        if let failure { throw failure }
        guard let header else { throw DataError.emptyFile(file: path) }
        var frame: TimeSeriesFrame
        if isLong {
            frame = try pivotLong(header: header)
        } else {
            if columnNames.isEmpty {
                throw DataError.invalidOption("\(path):1: no numeric columns to read (header: \(header.joined(separator: ", "))). Name them with --columns.")
            }
            if values.isEmpty { throw DataError.noDataRows(file: path) }
            var kept: [Int]?
            if orderProblem != nil, options.timestampOrder != .allow {
                do {
                    kept = try RowOrdering.arrange(timestamps, sort: options.sortsRows, dedupe: options.duplicatePolicy)
                } catch {
                    switch error {
                    case .unsorted: throw firstUnsorted ?? orderProblem!
                    case .duplicate(let row):
                        // Without sorting the first repeat met while reading is the first problem.
                        if !options.sortsRows, let firstDuplicate { throw firstDuplicate }
                        throw DataError.duplicateTimestamp(SourceLocation(file: path, column: header[roles.firstIndex(of: .timestamp) ?? 0]),
                                                           timestamp: "\(stampText(timestamps[row])) (on more than one row)")
                    }
                }
            }
            frame = TimeSeriesFrame(timestamps: hasTimestamps ? timestamps : nil, columns: columnNames,
                                    values: values, labels: hasLabels ? labels : nil, target: options.target,
                                    source: path, missingValues: missing,
                                    integralColumns: (0..<rowWidth).map { !nonIntegralFlags[$0] })
            values = []; timestamps = []; labels = []
            if let kept { frame.keepRows(kept) }
        }
        try Self.applyMissingPolicy(options.missingValues, to: &frame)
        return frame
    }

    /// Applies the missing-value policy to a frame whose report is filled in.
    static func applyMissingPolicy(_ policy: MissingValuePolicy, to frame: inout TimeSeriesFrame) throws {
        frame.missingValues.policy = policy
        let total = frame.missingValues.total
        guard total > 0, policy != .keep else { return }
        if policy == .error {
            throw DataError.missingValues(file: frame.source, count: total, first: Array(frame.missingValues.firstLocations.prefix(5)))
        }
        let width = frame.channelCount
        let rowsBefore = frame.rowCount
        if let kept = MissingValueFiller.apply(policy, values: &frame.values, width: width) {
            frame.timestamps = frame.timestamps.map { stamps in kept.map { stamps[$0] } }
            frame.labels = frame.labels.map { l in kept.map { l[$0] } }
            frame.missingValues.droppedRows = rowsBefore - kept.count
            if kept.isEmpty { throw DataError.noDataRows(file: frame.source) }
        }
        if let c = (0..<width).first(where: { c in frame.values[c].isNaN }) {
            throw DataError.invalidOption("\(frame.source): column '\(frame.columns[c])' has no values at all; leave it out with --columns.")
        }
        let missing = frame.missingValues
        frame = TimeSeriesFrame(timestamps: frame.timestamps, columns: frame.columns, values: frame.values,
                                labels: frame.labels, target: frame.target, source: frame.source,
                                missingValues: missing, integralColumns: frame.integralColumns)
    }

    /// The long layout's series that `options.columns` picks (all when nil), at least one with rows.
    private func chosenSeries() throws -> [LongSeries] {
        var chosen = series
        if let selection = options.columns {
            chosen = try selection.map { id in
                guard let k = seriesIndex[id] else {
                    throw DataError.missingColumn(file: path, column: id, available: series.map(\.id))
                }
                return series[k]
            }
        }
        guard !chosen.isEmpty, chosen.contains(where: { !$0.stamps.isEmpty }) else { throw DataError.noDataRows(file: path) }
        return chosen
    }

    /// Long layout → wide frame over the sorted union of timestamps.
    private func pivotLong(header: [String]) throws -> TimeSeriesFrame {
        let chosen = try chosenSeries()
        let slots = 1 + extraNames.count
        var names = [String]()
        for s in chosen {
            names.append(s.id)
            for extra in extraNames { names.append("\(s.id)/\(extra)") }
        }
        // Per series: sort by time (the pivot lines series up by time); repeated timestamps
        // follow the duplicate policy.
        var all = [Int64]()
        var orders = [[Int]]()
        for s in chosen {
            let unique = options.timestampOrder == .allow
                ? try arrangedRows(of: s, header: header, sort: true, dedupe: .first)
                : try arrangedRows(of: s, header: header, sort: true, dedupe: options.duplicatePolicy)
            orders.append(unique)
            all.append(contentsOf: unique.map { s.stamps[$0] })
        }
        all.sort()
        var union = [Int64]()
        union.reserveCapacity(all.count)
        for t in all where union.last != t { union.append(t) }
        var row = [Int64: Int]()
        for (k, t) in union.enumerated() { row[t] = k }
        let width = names.count
        var grid = [Float](repeating: .nan, count: union.count * width)
        var report = MissingValueReport(columns: names, policy: options.missingValues)
        var integralColumns = [Bool]()
        for (j, s) in chosen.enumerated() {
            for k in orders[j] {
                let r = row[s.stamps[k]]!
                for slot in 0..<slots {
                    let v = s.values[k * slots + slot]
                    grid[r * width + j * slots + slot] = v
                    if v.isNaN {
                        report.record(column: j * slots + slot,
                                      location: SourceLocation(file: path, line: Int(s.lines[k]), column: names[j * slots + slot]))
                    }
                }
            }
            if orders[j].count < union.count {
                var present = [Bool](repeating: false, count: union.count)
                for k in orders[j] { present[row[s.stamps[k]]!] = true }
                for r in 0..<union.count where !present[r] {
                    for slot in 0..<slots {
                        report.record(column: j * slots + slot,
                                      location: SourceLocation(file: path, line: nil, column: "\(names[j * slots + slot]) at \(stampText(union[r]))"))
                    }
                }
            }
            integralColumns.append(contentsOf: (0..<rowWidth).map { !nonIntegralFlags[$0] })
        }
        return TimeSeriesFrame(timestamps: union, columns: names, values: grid, target: nil, source: path,
                               missingValues: report, integralColumns: integralColumns)
    }

    /// The rows of one long-layout series to keep, in time order, under the sort and duplicate
    /// policies; problems are located at the series' own line in the file.
    private func arrangedRows(of s: LongSeries, header: [String], sort: Bool, dedupe: DuplicatePolicy) throws -> [Int] {
        let column = header[roles.firstIndex(of: .timestamp) ?? 0]
        do {
            return try RowOrdering.arrange(s.stamps, sort: sort, dedupe: dedupe)
        } catch {
            switch error {
            case .unsorted(let k):
                throw DataError.unsortedTimestamps(SourceLocation(file: path, line: Int(s.lines[k]), column: column),
                                                   timestamp: "\(stampText(s.stamps[k])) of \(options.idColumn) '\(s.id)'")
            case .duplicate(let k):
                throw DataError.duplicateTimestamp(SourceLocation(file: path, line: Int(s.lines[k]), column: column),
                                                   timestamp: "\(stampText(s.stamps[k])) of \(options.idColumn) '\(s.id)'")
            }
        }
    }

    /// Long layout → one frame per series, each over its own rows only (its own start, end,
    /// length and frequency): columns `<id>` for `y` and `<id>/<column>` for extras, source
    /// `path, unique_id 'id'`. Rows within a series must be in time order unless `sort` is set;
    /// repeated timestamps follow `dedupe`; missing cells follow the missing-value policy.
    /// A wide file is one frame, as `finish()` builds it.
    func finishSeries() throws -> [TimeSeriesFrame] {
        if let failure { throw failure }
        guard let header else { throw DataError.emptyFile(file: path) }
        guard isLong else { return [try finish()] }
        let chosen = try chosenSeries()
        let slots = 1 + extraNames.count
        let integral = (0..<rowWidth).map { !nonIntegralFlags[$0] }
        var frames = [TimeSeriesFrame]()
        for s in chosen where !s.stamps.isEmpty {
            let names = [s.id] + extraNames.map { "\(s.id)/\($0)" }
            let kept = options.timestampOrder == .allow
                ? Array(s.stamps.indices)
                : try arrangedRows(of: s, header: header, sort: options.sortsRows, dedupe: options.duplicatePolicy)
            var values = [Float]()
            values.reserveCapacity(kept.count * slots)
            var report = MissingValueReport(columns: names, policy: options.missingValues)
            for k in kept {
                for slot in 0..<slots {
                    let v = s.values[k * slots + slot]
                    values.append(v)
                    if v.isNaN {
                        report.record(column: slot, location: SourceLocation(file: path, line: Int(s.lines[k]), column: names[slot]))
                    }
                }
            }
            var frame = TimeSeriesFrame(timestamps: kept.map { s.stamps[$0] }, columns: names, values: values, target: nil,
                                        source: "\(path), \(options.idColumn) '\(s.id)'", missingValues: report,
                                        integralColumns: integral)
            try Self.applyMissingPolicy(options.missingValues, to: &frame)
            frames.append(frame)
        }
        return frames
    }
}
