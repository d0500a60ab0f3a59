// The stamps a forecast continues a frame with: its calendar, in its precision.

extension TimeSeriesFrame {
    /// The stamps of the `count` steps after the last row and the precision to write them in:
    /// at `frequency` when given, else at the frame's inferred frequency, else at the one its
    /// precision implies (years, quarters, months); an index column continues at its step. Without
    /// any of these — no time column, or too few or irregular stamps — the steps are numbered on
    /// from the input's rows (`rows + 1 …`), with a note; never the model's training frequency.
    public func futureStamps(count: Int, frequency given: Frequency? = nil,
                             notes: inout [String]) -> (stamps: [Int64], precision: TimestampPrecision) {
        let frame = self
        let numbered = (0..<max(count, 0)).map { Int64(frame.rowCount + 1 + $0) }
        guard let last = frame.timestamps?.last else {
            if given != nil {
                notes.append("\(frame.source): the data has no time column, so --freq has nothing to continue; steps are numbered after the \(frame.rowCount) rows")
            }
            return (numbered, .index)
        }
        if frame.timestampPrecision == .index {
            var step = frame.frequency ?? .indexStep
            if let given {
                if given.unit == .step { step = given } else {
                    notes.append("\(frame.source): the time column holds plain numbers, so --freq \(given) does not apply; they continue at their own step")
                }
            }
            return (step.future(after: last, count: count), .index)
        }
        guard let frequency = given ?? frame.frequency ?? frame.timestampPrecision.impliedFrequency, frequency.unit != .step else {
            notes.append("\(frame.source): no sampling frequency could be inferred from the timestamps; steps are numbered after the \(frame.rowCount) rows (give one with --freq)")
            return (numbered, .index)
        }
        let stamps = frequency.future(after: last, count: count)
        return (stamps, frame.timestampPrecision.fitting(stamps))
    }
}
