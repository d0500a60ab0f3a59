// Choosing a CSV file's time column and its format from the header and the first rows: by name,
// as the one non-numeric column that holds dates, or as a first column of increasing years,
// compact dates or a row index; day-first versus month-first decided over the whole column.

/// Collects the first records of a file as text, then stops the scan.
final class SampleSink: CSVSink {
    static let stop = DataError.invalidOption("sample complete")
    let limit: Int
    var rows = [[String]]()
    private var current = [String]()

    init(limit: Int) { self.limit = limit }

    override func field(_ bytes: UnsafePointer<UInt8>, count: Int, index: Int, line: Int) {
        current.append(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self).trimmingSpaces)
    }

    override func endRecord(fieldCount: Int, line: Int) {
        rows.append(current)
        current.removeAll(keepingCapacity: true)
        if rows.count > limit { fail(Self.stop) }
    }
}

/// Gathers day-first versus month-first evidence over one column of a whole file.
final class DayMonthSink: CSVSink {
    let column: Int
    var evidence = DayMonthEvidence()
    var firstAmbiguousLine: Int?
    private var headerDone: Bool

    /// `hasHeader`: the first line names the columns and is not read.
    init(column: Int, hasHeader: Bool = true) {
        self.column = column
        headerDone = !hasHeader
    }

    override func field(_ bytes: UnsafePointer<UInt8>, count: Int, index: Int, line: Int) {
        guard headerDone, index == column else { return }
        let c = ByteCursor(base: bytes, count: count)
        guard !c.atEnd else { return }
        let before = evidence.readingsDiffer
        evidence.observe(bytes + c.i, count: c.end - c.i)
        if !before, evidence.readingsDiffer { firstAmbiguousLine = line }
    }

    override func endRecord(fieldCount: Int, line: Int) { headerDone = true }
}

/// The time column of a CSV file and how to read it.
struct TimeColumnChoice: Equatable {
    /// The column's header name (as `CSVFrameBuilder` names it); nil when the file has none.
    var column: String?
    /// How its cells are written.
    var format: TimestampFormat
    /// How precisely they are written.
    var precision: TimestampPrecision
    /// Day-first versus month-first is not settled by the sample: `resolve` reads the column.
    var needsWholeColumn = false
}

enum TimeColumnDetection {
    /// Rows sampled to choose the column and its format.
    static let sampleRows = 200
    /// Lower-cased names of columns that hold an index, when they are the first column.
    static let indexNames: Set<String> = ["", "index", "idx", "unnamed: 0", "#", "row", "step", "t"]

    /// Chooses the time column of the CSV file at `path` and its format (see `choose`), reading
    /// the first rows and, for `a/b/yyyy` dates that the first rows leave ambiguous, the column.
    static func resolve(path: String, options: CSVOptions, delimiter: UInt8?) throws -> TimeColumnChoice {
        let sample = SampleSink(limit: sampleRows)
        do {
            _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: sample)
        } catch let error as DataError where error == SampleSink.stop {}
        guard let firstRow = sample.rows.first else { throw DataError.emptyFile(file: path) }
        let rawHeader = options.hasHeader ? firstRow : CSVOptions.headerlessNames(count: firstRow.count)
        let rows = Array(sample.rows.dropFirst(options.hasHeader ? 1 : 0))
        var choice = try choose(rawHeader: rawHeader, rows: rows, options: options, file: path)
        if choice.needsWholeColumn, let name = choice.column, let k = names(rawHeader).firstIndex(of: name) {
            let sink = DayMonthSink(column: k, hasHeader: options.hasHeader)
            _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: sink)
            switch sink.evidence.resolution {
            case .some(.some(let format)): choice.format = format
            case .some(.none):
                throw DataError.ambiguousDates(SourceLocation(file: path, line: sink.firstAmbiguousLine, column: name),
                                               example: sink.evidence.firstAmbiguousCell ?? "")
            case .none: break  // some cell is no such date: the scan reports it
            }
        }
        return choice
    }

    /// Header names as `CSVFrameBuilder` gives them: trimmed, `column<k>` for empty ones.
    static func names(_ rawHeader: [String]) -> [String] {
        rawHeader.enumerated().map { k, name in name.trimmingSpaces.isEmpty ? "column\(k + 1)" : name.trimmingSpaces }
    }

    /// Chooses from the header and sample rows: `options.timestampColumn` when given (empty: no
    /// time column); else the first column named like a time (`CSVOptions.timestampNames`, any
    /// case); else, with `options.dateFormat`, the first column in that format; else the first
    /// non-numeric column whose cells are timestamps; else a first column
    /// of strictly increasing years, compact dates, or integers under an index-like name (empty,
    /// `index`, `Unnamed: 0`…). Day-first and month-first dates that the sample leaves ambiguous
    /// come back as `.dayFirst` for `resolve` to settle over the whole column.
    static func choose(rawHeader: [String], rows: [[String]], options: CSVOptions, file: String) throws -> TimeColumnChoice {
        let names = names(rawHeader)
        func cells(_ k: Int) -> [String] { rows.map { k < $0.count ? $0[k] : "" } }
        func choice(_ k: Int, _ detection: TimestampDetection) -> TimeColumnChoice {
            if let given = options.dateFormat {
                let hasTime = cells(k).contains { $0.contains(":") || ($0.count > 8 && $0.allSatisfy(\.isNumber)) }
                return TimeColumnChoice(column: names[k], format: given, precision: given.precision(hasTime: hasTime))
            }
            switch detection {
            case let .format(format, hasTime):
                var chosen = TimeColumnChoice(column: names[k], format: format, precision: format.precision(hasTime: hasTime))
                if format == .dayFirst || format == .monthFirst, rows.count >= sampleRows {
                    // Rows past the sample could still contradict an order both readings allowed.
                    var evidence = DayMonthEvidence()
                    for cell in cells(k) where !cell.isEmpty { evidence.observe(cell) }
                    chosen.needsWholeColumn = evidence.dayFirstPossible && evidence.monthFirstPossible
                }
                return chosen
            case let .ambiguousDayMonth(hasTime):
                return TimeColumnChoice(column: names[k], format: .dayFirst, precision: hasTime ? .second : .day,
                                        needsWholeColumn: true)
            case .unknown:
                return TimeColumnChoice(column: names[k], format: .iso, precision: .second)
            }
        }
        if let given = options.timestampColumn {
            guard !given.isEmpty, let k = names.firstIndex(of: given) else {
                return TimeColumnChoice(column: given.isEmpty ? nil : given, format: options.dateFormat ?? .iso, precision: .second)
            }
            return choice(k, TimestampFormat.detect(cells(k)))
        }
        for wanted in CSVOptions.timestampNames {
            if let k = names.firstIndex(where: { $0.lowercased() == wanted }) {
                return choice(k, TimestampFormat.detect(cells(k)))
            }
        }
        if let format = options.dateFormat,
           let k = names.indices.first(where: { k in
               let column = cells(k).filter { !$0.isEmpty }
               return !column.isEmpty && column.allSatisfy { format.parse($0) != nil }
           }) {
            return choice(k, .format(format, hasTime: false))
        }
        let skipped: Set<String> = [options.labelColumn, options.target, options.idColumn].compactMap { $0 }.reduce(into: []) { $0.insert($1) }
        for k in names.indices where !skipped.contains(names[k]) && (options.columns.map { !$0.contains(names[k]) } ?? true) {
            let column = cells(k)
            let nonNumeric = column.contains { cell in
                guard !cell.isEmpty else { return false }
                var copy = cell
                return copy.withUTF8 { NumberParser.parse($0.baseAddress!, count: $0.count) } == .invalid
            }
            guard nonNumeric else { continue }
            let detection = TimestampFormat.detect(column)
            if detection != .unknown { return choice(k, detection) }
        }
        if let first = names.first, !skipped.contains(first), options.columns.map({ !$0.contains(first) }) ?? true {
            let column = cells(0).filter { !$0.isEmpty }
            let detection = TimestampFormat.detect(column)
            if column.count == rows.count, case let .format(format, _) = detection,
               [.year, .compact, .index].contains(format) {
                let stamps = column.compactMap { format.parse($0) }
                let increasing = stamps.count == column.count && zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }
                let indexLike = format != .index || indexNames.contains(rawHeader[0].trimmingSpaces.lowercased())
                if increasing, indexLike { return choice(0, detection) }
            }
        }
        return TimeColumnChoice(column: nil, format: .iso, precision: .second)
    }
}
