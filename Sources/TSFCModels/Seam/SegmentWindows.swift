// SegmentWindows: channel-independent univariate windows over a row range of a standardised
// [T, C] matrix, as AutoTimes' loaders index them (sample i → channel i / count, start i % count).

/// Univariate windows of a fixed length over rows `range` of a row-major `[T, C]` matrix.
/// Window `i` covers channel `i / perChannel`, rows `range.lowerBound + i % perChannel ..< + length`.
public struct SegmentWindows: Sendable {
    public let values: [Float]
    public let channels: Int
    public let range: Range<Int>
    public let length: Int
    /// Per-token position marks of the rows, when the model uses timestamps.
    public var marks: SegmentMarks?

    /// - Precondition: `range` lies inside the matrix.
    public init(values: [Float], channels: Int, range: Range<Int>, length: Int, marks: SegmentMarks? = nil) {
        precondition(channels > 0 && range.lowerBound >= 0 && range.upperBound * channels <= values.count,
                     "SegmentWindows: range \(range) outside a matrix of \(values.count / max(channels, 1)) rows")
        self.values = values
        self.channels = channels
        self.range = range
        self.length = length
        self.marks = marks
    }

    /// Marks `[B, tokens, F]` of the windows with the given indices from `self.marks`, or nil.
    public func marks(_ indices: [Int], tokens: Int) throws -> Tensor? { try marks(indices, tokens: tokens, from: marks) }

    /// Windows per channel: rows − length + 1 (every window is used), or 0.
    public var perChannel: Int { Swift.max(0, range.count - length + 1) }
    /// Total windows over all channels.
    public var count: Int { perChannel * channels }

    /// (channel, first row) of window `i`.
    public func location(of i: Int) -> (channel: Int, start: Int) {
        (i / perChannel, range.lowerBound + i % perChannel)
    }

    /// The windows with the given indices as a `[B, length]` tensor.
    /// With `prefix`, only each window's first `prefix` points (`[B, prefix]`), e.g. the contexts
    /// of evaluation windows.
    public func batch(_ indices: [Int], prefix: Int? = nil) -> Tensor {
        let n = prefix ?? length
        precondition(n >= 0 && n <= length, "SegmentWindows.batch: prefix \(n) outside 0...\(length)")
        var out = [Float](repeating: 0, count: indices.count * n)
        values.withUnsafeBufferPointer { v in
            for (b, i) in indices.enumerated() {
                let (c, start) = location(of: i)
                for t in 0..<n { out[b * n + t] = v[(start + t) * channels + c] }
            }
        }
        return Tensor(shape: [indices.count, n], scalars: out)
    }
}

import TSFCTensor
import TSFCTraining

extension SegmentWindows {
    /// `limit` evenly spaced indices of `0..<count` (all when `limit` is 0 or ≥ count), as the
    /// `Trainer` picks validation examples.
    public static func evenlySpaced(count: Int, limit: Int) -> [Int] {
        Trainer.evenlySpaced(count: count, limit: limit)
    }
}
