// Row policies: what to do with missing cells, repeated timestamps and rows out of time order
// (`--fill`, `--sort`, `--dedupe` on the command line; `data.fill`, `data.sort`, `data.dedupe` in
// a configuration).

/// How missing cells are handled, as `--fill` and `data.fill` name it.
public enum FillPolicy: String, Sendable, CaseIterable, Codable {
    /// Refuse the file, naming the first missing cells (the default).
    case none
    /// Carry the last value forward (leading gaps take the first value that follows).
    case forward
    /// Linear interpolation between neighbours in row order; edges take the nearest value.
    case interpolate
    /// Replace missing cells with 0.
    case zero
    /// Drop every row with a missing cell.
    case drop

    /// The reader's policy for this choice.
    public var missingValuePolicy: MissingValuePolicy {
        switch self {
        case .none: return .error
        case .forward: return .forwardFill
        case .interpolate: return .interpolate
        case .zero: return .zero
        case .drop: return .drop
        }
    }
}

/// Which row of a repeated timestamp is kept, as `--dedupe` and `data.dedupe` name it.
public enum DuplicatePolicy: String, Sendable, CaseIterable, Codable {
    /// Refuse the file at the first repeated timestamp (the default).
    case error
    /// Keep the first row of each timestamp (in file order).
    case first
    /// Keep the last row of each timestamp (in file order).
    case last
}

/// The three row policies together.
public struct RowPolicies: Sendable, Equatable {
    /// Missing cells.
    public var fill: FillPolicy
    /// Sort rows by time (stably) instead of refusing rows out of order.
    public var sort: Bool
    /// Repeated timestamps.
    public var dedupe: DuplicatePolicy

    public init(fill: FillPolicy = .none, sort: Bool = false, dedupe: DuplicatePolicy = .error) {
        self.fill = fill
        self.sort = sort
        self.dedupe = dedupe
    }

    /// Sets the CSV reader's missing-value, sorting and duplicate policies.
    public func apply(to options: inout CSVOptions) {
        options.missingValues = fill.missingValuePolicy
        options.sort = sort
        options.dedupe = dedupe
    }
}

/// Puts rows in time order and resolves repeated timestamps.
enum RowOrdering {
    /// The first problem met: the row (an index into the stamps) that goes back in time or
    /// repeats the timestamp before it.
    enum Problem: Error, Equatable {
        case unsorted(row: Int)
        case duplicate(row: Int)
    }

    /// The rows to keep, in time order: all rows (stably sorted when `sort`), one per timestamp
    /// as `dedupe` says. Throws the first problem: a backward step when not sorting, a repeated
    /// timestamp when `dedupe` is `.error`.
    static func arrange(_ stamps: [Int64], sort: Bool, dedupe: DuplicatePolicy) throws(Problem) -> [Int] {
        var order = Array(stamps.indices)
        if sort {
            order.sort { a, b in stamps[a] != stamps[b] ? stamps[a] < stamps[b] : a < b }
        } else if let k = stamps.indices.dropFirst().first(where: { stamps[$0] < stamps[$0 - 1] }) {
            throw .unsorted(row: k)
        }
        var kept = [Int]()
        kept.reserveCapacity(order.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, stamps[order[end]] == stamps[order[start]] { end += 1 }
            if end - start > 1 {
                switch dedupe {
                case .error: throw .duplicate(row: order[start + 1])
                case .first: kept.append(order[start])
                case .last: kept.append(order[end - 1])
                }
            } else {
                kept.append(order[start])
            }
            start = end
        }
        return kept
    }
}
