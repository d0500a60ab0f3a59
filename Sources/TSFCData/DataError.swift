// Typed errors of the data layer. Every case names the file and the place in it (line and column
// for text files, dataset path for HDF5) and says what to do about it.

/// A place in a source file that an error or a report points at.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file the location is in.
    public var file: String
    /// 1-based physical line in a text file (nil for HDF5 or whole-file problems).
    public var line: Int?
    /// The column: its header name when known, else its 1-based position.
    public var column: String?

    public init(file: String, line: Int? = nil, column: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ", column '\(column)'" }
        return text
    }
}

/// Everything that can go wrong while reading, validating or splitting time-series data.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file has no bytes, or no header row.
    case emptyFile(file: String)
    /// The file has a header but no data rows.
    case noDataRows(file: String)
    /// The file looks binary (NUL bytes or invalid text), not like CSV.
    case binaryFile(file: String)
    /// libcsv rejected the text (an unterminated or malformed quoted field, a field too long).
    case malformedCSV(SourceLocation, reason: String)
    /// A data row has a different number of fields than the header.
    case raggedRow(SourceLocation, expected: Int, found: Int)
    /// A cell that must be a number is not one.
    case nonNumericCell(SourceLocation, text: String)
    /// A timestamp cell could not be parsed.
    case badTimestamp(SourceLocation, text: String)
    /// A column of `a/b/yyyy` dates reads as both day-first and month-first dates.
    case ambiguousDates(SourceLocation, example: String)
    /// A column that was asked for (target, selection, timestamp) is not in the header.
    case missingColumn(file: String, column: String, available: [String])
    /// Two rows carry the same timestamp.
    case duplicateTimestamp(SourceLocation, timestamp: String)
    /// A row's timestamp is earlier than the previous row's.
    case unsortedTimestamps(SourceLocation, timestamp: String)
    /// Cells are missing and the policy is `.error`.
    case missingValues(file: String, count: Int, first: [SourceLocation])
    /// The HDF5 file could not be opened as HDF5.
    case notHDF5(file: String)
    /// The dataset or group path is not in the HDF5 file.
    case datasetNotFound(file: String, path: String)
    /// The dataset has a shape or type tsfc cannot read.
    case unsupportedDataset(file: String, path: String, reason: String)
    /// An HDF5 call failed.
    case hdf5Failure(file: String, path: String, operation: String)
    /// An option or argument is invalid (a split that does not fit, a bad delimiter…).
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason)). Check the path and its permissions."
        case let .emptyFile(file):
            return "\(file): the file is empty. A CSV needs a header row and at least one data row."
        case let .noDataRows(file):
            return "\(file): the file has a header but no data rows. Add rows or pick another file."
        case let .binaryFile(file):
            return "\(file):1: the file contains binary data (NUL bytes), not CSV text. Pass a CSV file, or an HDF5 file as FILE.h5:/dataset."
        case let .malformedCSV(location, reason):
            return "\(location): malformed CSV (\(reason)). Close every quoted field with a double quote and escape inner quotes as \"\"."
        case let .raggedRow(location, expected, found):
            return "\(location): the row has \(found) fields but the header has \(expected). Fix the row so every row has the header's number of fields."
        case let .nonNumericCell(location, text):
            return "\(location): '\(Self.clip(text))' is not a number. Fix the cell, mark it missing (empty, NaN, NA, null), or leave the column out with --columns."
        case let .badTimestamp(location, text):
            return "\(location): cannot parse timestamp '\(Self.clip(text))'. Write it as ISO-8601 (2016-07-01, 2016-07-01 00:00[:00][Z|+hh:mm]), 1949-01, 1949, 1970 Q1, 1991 Jul, 19580329 or 29/03/1958; say how it is written with --date-format (\(TimestampFormat.optionHelp)), or name the time column with --timestamp-column (an empty name: the file has none)."
        case let .ambiguousDates(location, example):
            return "\(location): the dates are ambiguous: '\(Self.clip(example))' reads as day-first and as month-first, and no date in the column has a day over 12 to decide. Say which with --date-format dmy (day/month/year) or --date-format mdy (month/day/year)."
        case let .missingColumn(file, column, available):
            return "\(file):1: no column '\(column)' in the header (columns: \(available.joined(separator: ", "))). Pick one of these names."
        case let .duplicateTimestamp(location, timestamp):
            return "\(location): duplicate timestamp \(timestamp). Remove the duplicate rows, or keep one row per timestamp with --dedupe first or --dedupe last (data.dedupe in a configuration)."
        case let .unsortedTimestamps(location, timestamp):
            return "\(location): timestamp \(timestamp) is earlier than the row before it. Sort the file by time, or pass --sort (data.sort: true in a configuration)."
        case let .missingValues(file, count, first):
            // A pivoted long file's cell has no line of its own: it is named by series and time.
            let places = first.map { ($0.line.map { "line \($0) " } ?? "") + "column '\($0.column ?? "?")'" }.joined(separator: "; ")
            return "\(file): \(count) missing value(s) (first at \(places)). Fill them in the file, or choose a policy with --fill forward, --fill interpolate, --fill zero or --fill drop (data.fill in a configuration)."
        case let .notHDF5(file):
            return "\(file): not an HDF5 file. Pass an HDF5 file (FILE.h5:/dataset) or a CSV file."
        case let .datasetNotFound(file, path):
            return "\(file):\(path): no such dataset or group. List the file's contents (h5ls -r) and pass FILE.h5:/group/dataset."
        case let .unsupportedDataset(file, path, reason):
            return "\(file):\(path): \(reason). tsfc reads a 2-D [time, channel] numeric dataset or a group of 1-D numeric datasets."
        case let .hdf5Failure(file, path, operation):
            return "\(file):\(path): HDF5 \(operation) failed. Check that the file is intact and not open for writing elsewhere."
        case let .invalidOption(message):
            return message
        }
    }

    /// Shortens a cell for a message and makes control bytes visible.
    static func clip(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : Character($0) })
        return cleaned.count > 40 ? String(cleaned.prefix(40)) + "…" : cleaned
    }
}
