// SegmentMarks: AutoTimes' per-token position marks. Token i of a window starting at row s is
// marked by the timestamp of its first row, s + i·S (the reference's `stamp[s_begin:s_end:S]`);
// rows before or after the data (padding, rollout) get timestamps extrapolated at the frequency.
import TSFCData
import TSFCTensor

/// Calendar or text-timestamp marks of segment tokens over a dataset's rows.
public struct SegmentMarks: Sendable {
    /// Epoch seconds of every data row.
    public let timestamps: [Int64]
    /// The data's sampling frequency (used past either end of `timestamps`).
    public let frequency: Frequency
    /// Calendar features per token (F); empty in text mode.
    public let features: [TimeFeature]
    /// Points per segment (S).
    public let segmentLength: Int
    /// Text mode: one embedding per row, and the embedder for rows outside the data.
    public let text: TextRowEmbeddings?

    /// Text-timestamp marks: `rows` holds one embedding per timestamp.
    public init(timestamps: [Int64], frequency: Frequency, segmentLength: Int, text rows: TextRowEmbeddings) {
        precondition(!timestamps.isEmpty && segmentLength > 0 && frequency.seconds > 0 && rows.rowCount == timestamps.count,
                     "SegmentMarks: needs one text embedding per timestamp, a positive segment length and frequency")
        self.timestamps = timestamps
        self.frequency = frequency
        self.features = []
        self.segmentLength = segmentLength
        self.text = rows
    }

    /// - Precondition: at least one timestamp, S > 0, a positive frequency.
    public init(timestamps: [Int64], frequency: Frequency, features: [TimeFeature], segmentLength: Int) {
        precondition(!timestamps.isEmpty && segmentLength > 0 && frequency.seconds > 0,
                     "SegmentMarks: needs timestamps, a positive segment length and frequency")
        self.timestamps = timestamps
        self.frequency = frequency
        self.features = features
        self.segmentLength = segmentLength
        self.text = nil
    }

    /// Values per token mark (F calendar features, or D in text mode).
    public var featureCount: Int { text?.width ?? features.count }

    /// The timestamp of row `r`, extrapolated at the frequency outside the data.
    public func timestamp(ofRow r: Int) -> Int64 {
        if r >= 0 && r < timestamps.count { return timestamps[r] }
        let anchor = r < 0 ? timestamps[0] : timestamps[timestamps.count - 1]
        let offset = r < 0 ? r : r - (timestamps.count - 1)
        return SegmentMarks.advance(anchor, steps: offset, frequency: frequency)
    }

    /// `t` moved by `steps` sampling intervals (calendar months, quarters and years, business
    /// days: see `Frequency.advance`).
    public static func advance(_ t: Int64, steps: Int, frequency: Frequency) -> Int64 {
        frequency.advance(t, steps: steps)
    }

    /// Marks `[B, tokens, F]` of the tokens starting at rows `starts[b] + i·S`, i < `tokens`:
    /// calendar features, or text embeddings (rows outside the data are embedded on demand, which
    /// throws `TextTimestampError` when the backbone refuses a description).
    public func marks(startRows starts: [Int], tokens: Int) throws -> Tensor {
        var out: [Float] = []
        out.reserveCapacity(starts.count * tokens * featureCount)
        for s in starts {
            let rows = (0..<tokens).map { s + $0 * segmentLength }
            if let text {
                for r in rows { out += try text.embedding(row: r, timestamp: timestamp(ofRow: r)) }
            } else {
                out += TimeFeatures.encode(rows.map(timestamp(ofRow:)), features: features)
            }
        }
        return Tensor(shape: [starts.count, tokens, featureCount], scalars: out)
    }
}

extension SegmentWindows {
    /// Marks `[B, tokens, F]` for the windows with the given indices (token i starts at the
    /// window's row + i·S), or nil without `marks`.
    public func marks(_ indices: [Int], tokens: Int, from marks: SegmentMarks?) throws -> Tensor? {
        guard let marks else { return nil }
        return try marks.marks(startRows: indices.map { location(of: $0).start }, tokens: tokens)
    }
}
