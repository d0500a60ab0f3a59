// Test support: sliding windows (lookback L → horizon H) over one split of a frame, in a
// multivariate or a channel-independent view, with calendar marks and seeded shuffled batches,
// and PatchTST-style patching. Every window is used: there are exactly ⌊(T − L − H) / stride⌋ + 1
// per channel view. The tests use it as the reference windower of the papers' data protocol
// (window counts per split, train-only scaling); the library's trainer cuts its windows with
// `SegmentWindows` (TSFC). Moved here from TSFCData, where nothing but tests and benches used it.
import TSFCData
import TSFCTensor

/// One training example.
struct Window: Sendable {
    /// Inputs [L, C] (C = 1 in the channel-independent view).
    var x: Tensor
    /// Targets [H, C].
    var y: Tensor
    /// Calendar features of the input rows [L, F] (F may be 0).
    var xMarks: Tensor
    /// Calendar features of the target rows [H, F].
    var yMarks: Tensor
    /// The frame row of the first input step.
    var start: Int
    /// The channel, in the channel-independent view.
    var channel: Int?
}

/// A stack of windows.
struct WindowBatch: Sendable {
    /// [B, L, C]
    var x: Tensor
    /// [B, H, C]
    var y: Tensor
    /// [B, L, F]
    var xMarks: Tensor
    /// [B, H, F]
    var yMarks: Tensor
    /// Dataset indices of the windows, in batch order.
    var indices: [Int]
}

/// Windows over rows `rows` of a (usually already scaled) frame.
struct WindowDataset: Sendable {
    let lookback: Int
    let horizon: Int
    let stride: Int
    /// One series per channel (the Time-LLM / PatchTST view) instead of all channels together.
    let channelIndependent: Bool
    /// The calendar features in the marks.
    let timeFeatures: [TimeFeature]
    /// The frame rows the windows are cut from.
    let rows: Range<Int>

    private let values: [Float]  // [T_split, C]
    private let marks: [Float]  // [T_split, F]
    let channelCount: Int

    /// Windows over `rows` of `frame`. `timeFeatures` nil picks the reference set for the frame's
    /// frequency (none without timestamps). Throws when the rows cannot hold one window or a
    /// length is not positive.
    init(frame: TimeSeriesFrame, rows: Range<Int>? = nil, lookback: Int, horizon: Int, stride: Int = 1,
                channelIndependent: Bool = false, timeFeatures: [TimeFeature]? = nil) throws {
        let rows = rows ?? 0..<frame.rowCount
        guard lookback > 0, horizon > 0, stride > 0 else {
            throw DataError.invalidOption("lookback, horizon and stride must be positive (got \(lookback), \(horizon), \(stride))")
        }
        guard rows.lowerBound >= 0, rows.upperBound <= frame.rowCount else {
            throw DataError.invalidOption("rows \(rows) are outside the frame's \(frame.rowCount) rows")
        }
        guard rows.count >= lookback + horizon else {
            throw DataError.invalidOption("\(frame.source): \(rows.count) rows cannot hold one window of lookback \(lookback) + horizon \(horizon); shorten them or use more data")
        }
        self.lookback = lookback
        self.horizon = horizon
        self.stride = stride
        self.channelIndependent = channelIndependent
        self.rows = rows
        self.channelCount = frame.channelCount
        let width = frame.channelCount
        self.values = Array(frame.values[rows.lowerBound * width..<rows.upperBound * width])
        let features: [TimeFeature]
        if let timeFeatures {
            guard timeFeatures.isEmpty || frame.timestamps != nil else {
                throw DataError.invalidOption("\(frame.source): time features need timestamps, and the data has none")
            }
            features = timeFeatures
        } else if let frequency = frame.frequency, frame.timestamps != nil {
            features = TimeFeatures.features(for: frequency)
        } else {
            features = []
        }
        self.timeFeatures = features
        self.marks = frame.timestamps.map { TimeFeatures.encode(Array($0[rows]), features: features) } ?? []
    }

    /// Convenience: the windows of one part of a split.
    init(frame: TimeSeriesFrame, split: DataSplit, part: SplitPart, horizon: Int, stride: Int = 1,
                channelIndependent: Bool = false, timeFeatures: [TimeFeature]? = nil) throws {
        let rows: Range<Int>
        switch part {
        case .train: rows = split.train
        case .validation: rows = split.validation
        case .test: rows = split.test
        }
        try self.init(frame: frame, rows: rows, lookback: split.lookback, horizon: horizon, stride: stride,
                      channelIndependent: channelIndependent, timeFeatures: timeFeatures)
    }

    /// Window start positions per channel view.
    var windowsPerSeries: Int { (rows.count - lookback - horizon) / stride + 1 }

    /// Number of windows (× channels in the channel-independent view).
    var count: Int { windowsPerSeries * (channelIndependent ? channelCount : 1) }

    /// The `index`-th window; channel-independent indices run channel-major
    /// (`channel = index / windowsPerSeries`), as Time-LLM's loader does.
    subscript(index: Int) -> Window {
        precondition(index >= 0 && index < count, "window index \(index) out of 0..<\(count)")
        let channel = channelIndependent ? index / windowsPerSeries : nil
        let s = (channelIndependent ? index % windowsPerSeries : index) * stride
        let width = channelCount
        let f = timeFeatures.count
        func take(_ from: Int, _ n: Int) -> [Float] {
            if let channel { return (from..<(from + n)).map { values[$0 * width + channel] } }
            return Array(values[from * width..<(from + n) * width])
        }
        let c = channel == nil ? width : 1
        return Window(
            x: Tensor(shape: [lookback, c], scalars: take(s, lookback)),
            y: Tensor(shape: [horizon, c], scalars: take(s + lookback, horizon)),
            xMarks: Tensor(shape: [lookback, f], scalars: f == 0 ? [] : Array(marks[s * f..<(s + lookback) * f])),
            yMarks: Tensor(shape: [horizon, f], scalars: f == 0 ? [] : Array(marks[(s + lookback) * f..<(s + lookback + horizon) * f])),
            start: rows.lowerBound + s, channel: channel)
    }

    /// Stacks the windows at `indices` into one batch.
    func batch(_ indices: [Int]) -> WindowBatch {
        let c = channelIndependent ? 1 : channelCount
        let f = timeFeatures.count
        var x = [Float](), y = [Float](), xm = [Float](), ym = [Float]()
        x.reserveCapacity(indices.count * lookback * c)
        y.reserveCapacity(indices.count * horizon * c)
        for i in indices {
            let w = self[i]
            x.append(contentsOf: w.x.scalars); y.append(contentsOf: w.y.scalars)
            xm.append(contentsOf: w.xMarks.scalars); ym.append(contentsOf: w.yMarks.scalars)
        }
        let b = indices.count
        return WindowBatch(x: Tensor(shape: [b, lookback, c], scalars: x), y: Tensor(shape: [b, horizon, c], scalars: y),
                           xMarks: Tensor(shape: [b, lookback, f], scalars: xm),
                           yMarks: Tensor(shape: [b, horizon, f], scalars: ym), indices: indices)
    }

    /// Batches of `size` covering every window once; the last batch may be smaller (never
    /// dropped). With `shuffle`, the order is a Fisher–Yates permutation drawn from `generator`.
    func batches(size: Int, shuffle: Bool, generator: inout SeededGenerator) -> WindowBatches {
        precondition(size > 0, "batch size must be positive")
        var order = Array(0..<count)
        if shuffle {
            var k = order.count - 1
            while k > 0 {
                let j = Int(generator.next() % UInt64(k + 1))
                order.swapAt(k, j)
                k -= 1
            }
        }
        return WindowBatches(dataset: self, order: order, size: size)
    }
}

/// Which part of a split.
enum SplitPart: String, Sendable, CaseIterable, Codable {
    case train, validation, test
}

/// A sequence of batches in a fixed order.
struct WindowBatches: Sequence, Sendable {
    let dataset: WindowDataset
    /// Window indices in visiting order.
    let order: [Int]
    let size: Int

    /// ⌈count / size⌉
    var batchCount: Int { (order.count + size - 1) / size }

    func makeIterator() -> AnyIterator<WindowBatch> {
        var position = 0
        return AnyIterator {
            guard position < order.count else { return nil }
            let end = Swift.min(position + size, order.count)
            defer { position = end }
            return dataset.batch(Array(order[position..<end]))
        }
    }
}

/// Patches and segments: sliding windows over the last (time) axis.
enum Patching {
    /// Number of patches of `length` every `stride` steps in a series of `steps`
    /// (+1 with `padEnd`, which repeats the last value `stride` times as PatchTST does).
    static func patchCount(steps: Int, length: Int, stride: Int, padEnd: Bool = false) -> Int {
        let total = steps + (padEnd ? stride : 0)
        return total < length ? 0 : (total - length) / stride + 1
    }

    /// x [..., L] → patches [..., N, P] (P = `length`); differentiable. Throws when the lengths
    /// do not fit (they come from configuration).
    static func unfold(_ x: Tensor, length: Int, stride: Int, padEnd: Bool = false) throws -> Tensor {
        guard length > 0, stride > 0 else {
            throw DataError.invalidOption("patch length and stride must be positive (got \(length), \(stride))")
        }
        let axis = x.rank - 1
        let source = padEnd ? x.paddedReplicate(axis: axis, before: 0, after: stride) : x
        guard source.shape[axis] >= length else {
            throw DataError.invalidOption("a series of \(x.shape[axis]) steps is shorter than one patch of \(length)")
        }
        return source.unfolded(axis: axis, size: length, stride: stride)  // [..., N, P]
    }
}
