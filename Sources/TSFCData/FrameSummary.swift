// What `tsfc inspect` reports about a frame: shape, types, time range, frequency, gaps,
// timestamp order problems, missing values and basic statistics per column.
import Foundation

/// Per-column facts.
public struct ColumnSummary: Sendable, Codable, Equatable {
    public var name: String
    /// `int` when every value read was an integer, else `float` (stored as float32).
    public var dtype: String
    public var missing: Int
    public var min: Double?
    public var max: Double?
    public var mean: Double?
    /// Population standard deviation.
    public var std: Double?
}

/// Facts about the time axis.
public struct TimeSummary: Sendable, Codable, Equatable {
    public var first: String
    public var last: String
    /// Inferred step (`1h`, `15min`…), nil when no step dominates.
    public var frequency: String?
    public var frequencySeconds: Int64?
    public var regularShare: Double?
    public var gapCount: Int
    public var missingSteps: Int
    /// The first few gaps as `from → to (n missing)`.
    public var firstGaps: [String]
    public var irregularSteps: Int
    public var duplicateTimestamps: Int
    public var backwardSteps: Int
}

/// A frame's summary, as `tsfc inspect` prints it.
public struct FrameSummary: Sendable, Codable, Equatable {
    public var source: String
    public var rows: Int
    public var columns: [ColumnSummary]
    public var time: TimeSummary?
    public var missingTotal: Int
    public var labels: Bool

    /// Summarises `frame` (NaN cells count as missing and are left out of the statistics).
    public static func summarize(_ frame: TimeSeriesFrame) -> FrameSummary {
        let width = frame.channelCount
        var sums = [Double](repeating: 0, count: width)
        var counts = [Int](repeating: 0, count: width)
        var minimum = [Float](repeating: .infinity, count: width)
        var maximum = [Float](repeating: -.infinity, count: width)
        frame.values.withUnsafeBufferPointer { v in
            for t in 0..<frame.rowCount {
                for c in 0..<width {
                    let x = v[t * width + c]
                    if x.isNaN { continue }
                    sums[c] += Double(x); counts[c] += 1
                    if x < minimum[c] { minimum[c] = x }
                    if x > maximum[c] { maximum[c] = x }
                }
            }
        }
        let means = (0..<width).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
        var squares = [Double](repeating: 0, count: width)
        frame.values.withUnsafeBufferPointer { v in
            for t in 0..<frame.rowCount {
                for c in 0..<width {
                    let x = v[t * width + c]
                    if !x.isNaN { let d = Double(x) - means[c]; squares[c] += d * d }
                }
            }
        }
        let columns = (0..<width).map { c -> ColumnSummary in
            let n = counts[c]
            return ColumnSummary(
                name: frame.columns[c], dtype: frame.integralColumns[c] ? "int" : "float",
                missing: frame.rowCount - n,
                min: n > 0 ? Double(minimum[c]) : nil, max: n > 0 ? Double(maximum[c]) : nil,
                mean: n > 0 ? means[c] : nil, std: n > 0 ? (squares[c] / Double(n)).squareRoot() : nil)
        }
        var time: TimeSummary?
        if let stamps = frame.timestamps, let first = stamps.first, let last = stamps.last {
            let analysis = frame.frequencyAnalysis()
            let order = frame.timestampDiagnostics()
            let gaps = analysis?.gaps ?? []
            time = TimeSummary(
                first: frame.timestampPrecision.format(first), last: frame.timestampPrecision.format(last),
                frequency: analysis.map { $0.frequency.description }, frequencySeconds: analysis?.frequency.seconds,
                regularShare: analysis?.regularShare, gapCount: gaps.count,
                missingSteps: gaps.reduce(0) { $0 + $1.missingSteps },
                firstGaps: gaps.prefix(10).map { "\(frame.timestampPrecision.format($0.from)) → \(frame.timestampPrecision.format($0.to)) (\($0.missingSteps) missing)" },
                irregularSteps: analysis?.irregularSteps ?? 0,
                duplicateTimestamps: order.duplicates, backwardSteps: order.backwardSteps)
        }
        return FrameSummary(source: frame.source, rows: frame.rowCount, columns: columns, time: time,
                            missingTotal: columns.reduce(0) { $0 + $1.missing }, labels: frame.labels != nil)
    }
}
