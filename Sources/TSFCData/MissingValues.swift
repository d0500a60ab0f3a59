// Missing cells: where they were, how many, and the policy that handled them.

/// How many cells were missing, where, and what was done.
public struct MissingValueReport: Sendable, Equatable {
    /// The frame's columns at read time.
    public var columns: [String]
    /// Missing cells per column (same order as `columns`).
    public var perColumn: [Int]
    /// The first few places (file, line, column) of missing cells.
    public var firstLocations: [SourceLocation]
    /// The policy applied.
    public var policy: MissingValuePolicy
    /// Rows removed by `.drop`.
    public var droppedRows: Int

    /// At most this many locations are kept.
    public static let locationLimit = 20

    public init(columns: [String], policy: MissingValuePolicy = .error) {
        self.columns = columns
        self.perColumn = Array(repeating: 0, count: columns.count)
        self.firstLocations = []
        self.policy = policy
        self.droppedRows = 0
    }

    /// All missing cells.
    public var total: Int { perColumn.reduce(0, +) }

    mutating func record(column: Int, location: @autoclosure () -> SourceLocation) {
        perColumn[column] += 1
        if firstLocations.count < Self.locationLimit { firstLocations.append(location()) }
    }
}

enum MissingValueFiller {
    /// Applies `policy` to NaN cells of row-major `values` [T, C] in place. Returns the kept row
    /// indices for `.drop` (nil for the other policies). `.error` is handled by the caller.
    static func apply(_ policy: MissingValuePolicy, values: inout [Float], width: Int) -> [Int]? {
        guard width > 0 else { return nil }
        let rows = values.count / width
        switch policy {
        case .error, .keep:
            return nil
        case .zero:
            for k in values.indices where values[k].isNaN { values[k] = 0 }
            return nil
        case .drop:
            var kept = [Int]()
            var write = 0
            for t in 0..<rows {
                var complete = true
                for c in 0..<width where values[t * width + c].isNaN { complete = false; break }
                guard complete else { continue }
                if write != t { for c in 0..<width { values[write * width + c] = values[t * width + c] } }
                write += 1
                kept.append(t)
            }
            values.removeLast((rows - write) * width)
            return kept
        case .forwardFill:
            for c in 0..<width {
                var last: Float?
                var leading = 0
                for t in 0..<rows {
                    let v = values[t * width + c]
                    if v.isNaN {
                        if let last { values[t * width + c] = last } else { leading += 1 }
                    } else {
                        if last == nil { for k in 0..<leading { values[k * width + c] = v } }
                        last = v
                    }
                }
            }
            return nil
        case .interpolate:
            for c in 0..<width {
                var previous: Int?  // last row with a value
                for t in 0..<rows where !values[t * width + c].isNaN {
                    let v = values[t * width + c]
                    if let p = previous {
                        if t - p > 1 {
                            let a = values[p * width + c]
                            for k in (p + 1)..<t {
                                let w = Float(k - p) / Float(t - p)
                                values[k * width + c] = a + (v - a) * w
                            }
                        }
                    } else {
                        for k in 0..<t { values[k * width + c] = v }
                    }
                    previous = t
                }
                if let p = previous, p < rows - 1 {
                    for k in (p + 1)..<rows { values[k * width + c] = values[p * width + c] }
                }
            }
            return nil
        }
    }
}
