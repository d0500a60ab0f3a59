// TimeSeriesFrame: the in-memory table every source produces and every split, scaler and window
// reads. Values are one flat row-major [T, C] Float array.
import TSFCTensor

/// Anything that can produce a `TimeSeriesFrame`.
public protocol DataSource {
    /// Reads the whole frame (values in memory; the file itself is streamed).
    func load() throws -> TimeSeriesFrame
}

/// A multichannel time series: T rows (time steps) × C columns (channels).
public struct TimeSeriesFrame: Sendable, Equatable {
    /// Epoch seconds (UTC) per row, or nil when the source has no time column.
    public var timestamps: [Int64]?
    /// Channel names, C of them.
    public var columns: [String]
    /// Row-major values [T, C]: row t, channel c is `values[t * C + c]`.
    public var values: [Float]
    /// Optional per-row anomaly labels (0 normal, non-zero anomalous).
    public var labels: [Float]?
    /// The target channel's name, when one was named (it is then the last column).
    public var target: String?
    /// Where the frame came from (a path, or a path and dataset), for messages.
    public var source: String
    /// Missing cells seen while reading and what was done about them.
    public var missingValues: MissingValueReport
    /// Per column, true when every value read was written as an integer (for `inspect`).
    public var integralColumns: [Bool]
    /// The inferred sampling frequency (nil without timestamps or without a dominant step).
    public private(set) var frequency: Frequency?
    /// How precisely the source wrote its stamps (`.index`: the stamps are plain integers, not
    /// epoch seconds); stamps written back (a forecast's `ds`) use it.
    public var timestampPrecision: TimestampPrecision = .second {
        didSet {
            if (oldValue == .index) != (timestampPrecision == .index) {
                frequency = timestamps.flatMap { FrequencyAnalysis.infer($0, isIndex: timestampPrecision == .index)?.frequency }
            }
        }
    }

    /// Creates a frame; `values.count` must be `rowCount × columns.count`.
    public init(timestamps: [Int64]?, columns: [String], values: [Float], labels: [Float]? = nil,
                target: String? = nil, source: String = "memory",
                missingValues: MissingValueReport = MissingValueReport(columns: []),
                integralColumns: [Bool]? = nil) {
        precondition(columns.isEmpty ? values.isEmpty : values.count % columns.count == 0,
                     "values.count must be a multiple of the column count")
        let rows = columns.isEmpty ? 0 : values.count / columns.count
        precondition(timestamps == nil || timestamps!.count == rows, "one timestamp per row")
        precondition(labels == nil || labels!.count == rows, "one label per row")
        self.timestamps = timestamps
        self.columns = columns
        self.values = values
        self.labels = labels
        self.target = target
        self.source = source
        self.missingValues = missingValues.columns.isEmpty ? MissingValueReport(columns: columns) : missingValues
        self.integralColumns = integralColumns ?? Array(repeating: false, count: columns.count)
        self.frequency = timestamps.flatMap { FrequencyAnalysis.infer($0)?.frequency }
    }

    /// T, the number of time steps.
    public var rowCount: Int { columns.isEmpty ? 0 : values.count / columns.count }
    /// C, the number of channels.
    public var channelCount: Int { columns.count }

    /// The value at row `t`, channel `c`.
    public subscript(row t: Int, column c: Int) -> Float { values[t * columns.count + c] }

    /// One channel as a contiguous array of T values.
    public func column(_ c: Int) -> [Float] {
        let width = columns.count
        return (0..<rowCount).map { values[$0 * width + c] }
    }

    /// The index of a named column, if present.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// The values as a tensor [T, C].
    public var tensor: Tensor { Tensor(shape: [rowCount, channelCount], scalars: values) }

    /// Rows `range` as a new frame (timestamps and labels follow).
    public func rows(_ range: Range<Int>) -> TimeSeriesFrame {
        let width = columns.count
        var frame = TimeSeriesFrame(
            timestamps: timestamps.map { Array($0[range]) }, columns: columns,
            values: Array(values[range.lowerBound * width..<range.upperBound * width]),
            labels: labels.map { Array($0[range]) }, target: target, source: source,
            missingValues: missingValues, integralColumns: integralColumns)
        frame.timestampPrecision = timestampPrecision
        if frame.frequency == nil { frame.frequency = frequency }
        return frame
    }

    /// Only the named channels, in the given order. Throws `missingColumn` for an unknown name.
    public func selecting(_ names: [String]) throws -> TimeSeriesFrame {
        let indices = try names.map { name -> Int in
            guard let index = columnIndex(name) else {
                throw DataError.missingColumn(file: source, column: name, available: columns)
            }
            return index
        }
        let width = columns.count
        var selected = [Float]()
        selected.reserveCapacity(rowCount * indices.count)
        for t in 0..<rowCount { for c in indices { selected.append(values[t * width + c]) } }
        var frame = TimeSeriesFrame(timestamps: timestamps, columns: indices.map { columns[$0] }, values: selected,
                                    labels: labels, target: names.contains(target ?? "\u{0}") ? target : nil,
                                    source: source, integralColumns: indices.map { integralColumns[$0] })
        frame.timestampPrecision = timestampPrecision
        return frame
    }

    /// Timestamp order problems: repeated and backwards steps (counts and first rows).
    public func timestampDiagnostics() -> TimestampDiagnostics {
        var diagnostics = TimestampDiagnostics()
        guard let timestamps, timestamps.count > 1 else { return diagnostics }
        for t in 1..<timestamps.count {
            if timestamps[t] == timestamps[t - 1] {
                diagnostics.duplicates += 1
                if diagnostics.firstDuplicateRow == nil { diagnostics.firstDuplicateRow = t }
            } else if timestamps[t] < timestamps[t - 1] {
                diagnostics.backwardSteps += 1
                if diagnostics.firstBackwardRow == nil { diagnostics.firstBackwardRow = t }
            }
        }
        return diagnostics
    }

    /// Sorts rows by timestamp (stable) and keeps the first row of each timestamp.
    /// Returns the number of rows removed. No-op without timestamps.
    @discardableResult
    public mutating func sortAndDeduplicate() -> Int {
        guard let stamps = timestamps else { return 0 }
        let order = (0..<stamps.count).sorted { a, b in stamps[a] != stamps[b] ? stamps[a] < stamps[b] : a < b }
        var kept = [Int]()
        kept.reserveCapacity(order.count)
        for index in order where kept.isEmpty || stamps[kept.last!] != stamps[index] { kept.append(index) }
        let width = columns.count
        var newValues = [Float]()
        newValues.reserveCapacity(kept.count * width)
        for index in kept { newValues.append(contentsOf: values[index * width..<(index + 1) * width]) }
        let removed = stamps.count - kept.count
        values = newValues
        timestamps = kept.map { stamps[$0] }
        labels = labels.map { l in kept.map { l[$0] } }
        frequency = FrequencyAnalysis.infer(timestamps!, isIndex: timestampPrecision == .index)?.frequency
        return removed
    }

    /// Keeps only `kept` rows, in that order (timestamps and labels follow), and infers the
    /// frequency again. The missing-value report is kept as read.
    mutating func keepRows(_ kept: [Int]) {
        let width = columns.count
        var newValues = [Float]()
        newValues.reserveCapacity(kept.count * width)
        for index in kept { newValues.append(contentsOf: values[index * width..<(index + 1) * width]) }
        values = newValues
        timestamps = timestamps.map { stamps in kept.map { stamps[$0] } }
        labels = labels.map { l in kept.map { l[$0] } }
        frequency = timestamps.flatMap { FrequencyAnalysis.infer($0, isIndex: timestampPrecision == .index)?.frequency }
    }

    /// Frequency, gaps and irregular steps of the timestamps (nil without timestamps).
    public func frequencyAnalysis() -> FrequencyAnalysis? {
        timestamps.flatMap { FrequencyAnalysis.infer($0, isIndex: timestampPrecision == .index) }
    }
}

/// Repeated and backwards timestamps in a frame.
public struct TimestampDiagnostics: Sendable, Equatable, Codable {
    /// Rows whose timestamp equals the previous row's.
    public var duplicates = 0
    /// Rows whose timestamp is earlier than the previous row's.
    public var backwardSteps = 0
    public var firstDuplicateRow: Int?
    public var firstBackwardRow: Int?
    public init() {}
}
