// Anomaly labels: validation of user-supplied label values and their maximal runs (events).

/// Why labels (or scores/predictions judged against them) cannot be used.
public enum AnomalyLabelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `source` holds `found` labels but the data has `expected` rows.
    case lengthMismatch(source: String, found: Int, expected: Int)
    /// The label at 0-based `index` of `source` is `value`, not 0 or 1.
    case notBinary(source: String, index: Int, value: Double)
    /// The labels contain no anomaly (or only anomalies), so ranking metrics are undefined.
    case noContrast(source: String, anomalies: Int, points: Int)
    /// A score is NaN or infinite.
    case nonFiniteScore(index: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(source, found, expected):
            return "\(source) has \(found) labels but the data has \(expected) rows; give exactly one 0/1 label per row"
        case let .notBinary(source, index, value):
            return "\(source): label \(index + 1) is \(value); labels must be 0 or 1"
        case let .noContrast(source, anomalies, points):
            return "\(source) marks \(anomalies) of \(points) points as anomalous; the metrics need both normal and anomalous points"
        case let .nonFiniteScore(index):
            return "score \(index) is not finite; the metrics need finite scores"
        }
    }
}

/// Checking label values and finding anomalous runs.
public enum AnomalyLabels {
    /// `values` as Booleans, after checking that there are `expectedCount` of them and each is 0 or 1.
    /// `source` names the file or column in errors.
    public static func validated(_ values: [Double], expectedCount: Int, source: String) throws -> [Bool] {
        guard values.count == expectedCount else {
            throw AnomalyLabelError.lengthMismatch(source: source, found: values.count, expected: expectedCount)
        }
        return try values.enumerated().map { i, v in
            if v == 0 { return false }
            if v == 1 { return true }
            throw AnomalyLabelError.notBinary(source: source, index: i, value: v)
        }
    }

    /// Integer labels (e.g. `[UInt8]` or `[Int]`) as Booleans, checked like `validated(_:expectedCount:source:)`.
    public static func validated<I: BinaryInteger>(_ values: [I], expectedCount: Int, source: String) throws -> [Bool] {
        try validated(values.map { Double($0) }, expectedCount: expectedCount, source: source)
    }

    /// Maximal runs of `true` as inclusive index ranges, in order.
    public static func runs(_ flags: [Bool]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        var start: Int?
        for (i, f) in flags.enumerated() {
            if f, start == nil { start = i }
            if !f, let s = start { out.append(s...(i - 1)); start = nil }
        }
        if let s = start { out.append(s...(flags.count - 1)) }
        return out
    }
}
