// Forecasting: forecasts for every numeric column of a frame from a trained bundle, with future
// timestamps at the data's frequency.
import TSFCData
import TSFCTensor

/// Forecast values for one series.
public struct SeriesForecast: Sendable, Equatable {
    /// The series' name (its column).
    public let id: String
    /// Epoch seconds of each forecast step, when the input had timestamps.
    public let timestamps: [Int64]?
    /// Point forecasts in the data's units, H values.
    public let values: [Float]
}

/// The result of forecasting a frame.
public struct ForecastResult: Sendable {
    public let horizon: Int
    public let series: [SeriesForecast]
    /// Remarks for the user (short context padded, frequency unknown…).
    public let notes: [String]
}

/// Errors from forecasting.
public struct ForecastError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension ForecastingModel {
    /// Forecasts `horizon` steps after the last row of every column of `frame`.
    ///
    /// Columns the model was trained on are standardised with its training statistics; other
    /// columns with their own mean and deviation (the model normalises each window itself, so it
    /// forecasts any series channel-independently). A context shorter than the model's is
    /// left-padded with its first value, and a note says so.
    public func forecast(_ frame: TimeSeriesFrame, metadata: BundleMetadata, horizon: Int,
                         mode: RolloutMode = .renormalize) throws -> ForecastResult {
        guard horizon > 0 else { throw ForecastError(message: "the horizon must be a positive number of steps, got \(horizon)") }
        if mode == .cached, let limit = longestCachedHorizon, horizon > limit {
            throw ForecastError(message: "the cached rollout reaches at most \(limit) steps with this model (learned positions); use the renormalize rollout")
        }
        let rows = frame.rowCount, channels = frame.channelCount
        guard rows > 0, channels > 0 else { throw ForecastError(message: "\(frame.source): no rows of numeric data to forecast from") }
        let l = contextLength
        var notes: [String] = []
        if rows < l {
            notes.append("\(frame.source): the context has \(rows) rows, the model reads \(l); the first value was repeated to fill the \(l - rows) missing rows")
        }
        var contexts: [Float] = []
        var scales: [(mean: Float, std: Float)] = []
        let own = StandardScaler.fit(frame, rows: 0..<rows)  // for columns the model was not trained on
        for c in 0..<channels {
            let column = frame.column(c)
            let (mean, std): (Float, Float)
            if let k = metadata.columns.firstIndex(of: frame.columns[c]) {
                (mean, std) = (metadata.mean[k], metadata.std[k])
            } else {
                (mean, std) = (own.mean[c], own.std[c])
            }
            scales.append((mean, std))
            let recent = Array(column.suffix(l))
            let padded = [Float](repeating: recent[0], count: l - recent.count) + recent
            contexts += padded.map { ($0 - mean) / std }
        }
        var marks: Tensor?
        if let rowMarks = try PreparedDataset.segmentMarks(for: frame, model: configuration, features: metadata.calendarFeatures,
                                                           fallbackFrequencySeconds: metadata.frequencySeconds,
                                                           forecaster: self as? Forecaster), usesMarks {
            // Context token i starts at row (rows − L) + i·S (negative rows: padding, dated backwards).
            let tokens = markTokens(horizon: horizon)
            marks = try rowMarks.marks(startRows: [Int](repeating: rows - l, count: channels), tokens: tokens)  // [C, N + steps − 1, F]
        }
        let predicted = forecast(context: Tensor(shape: [channels, l], scalars: contexts), horizon: horizon, mode: mode, marks: marks)
            .scalars                                                               // [C, H]
        guard predicted.allSatisfy(\.isFinite) else {
            throw ForecastError(message: "\(frame.source): the model produced non-finite values; check the input for extreme values")
        }
        let future = Self.futureTimestamps(after: frame, metadata: metadata, count: horizon, notes: &notes)
        let series = (0..<channels).map { c in
            SeriesForecast(id: frame.columns[c], timestamps: future,
                           values: predicted[(c * horizon)..<((c + 1) * horizon)].map { $0 * scales[c].std + scales[c].mean })
        }
        return ForecastResult(horizon: horizon, series: series, notes: notes)
    }

    /// Timestamps of the `count` steps after the frame's last row, at its inferred frequency
    /// (or the training data's); calendar months for monthly data.
    static func futureTimestamps(after frame: TimeSeriesFrame, metadata: BundleMetadata, count: Int,
                                 notes: inout [String]) -> [Int64]? {
        guard let last = frame.timestamps?.last else { return nil }
        if let f = frame.frequency, f.isMonthly {
            let fields = Timestamp.fields(last)
            return (1...count).map { k in
                let month0 = fields.month - 1 + k
                let year = fields.year + month0 / 12, month = month0 % 12 + 1
                let nextYear = month == 12 ? year + 1 : year, nextMonth = month % 12 + 1
                let monthDays = Timestamp.daysFromCivil(year: nextYear, month: nextMonth, day: 1)
                    - Timestamp.daysFromCivil(year: year, month: month, day: 1)
                let day = Swift.min(fields.day, monthDays)
                return Timestamp.epochSeconds(year: year, month: month, day: day, hour: fields.hour,
                                              minute: fields.minute, second: fields.second)
            }
        }
        let step = frame.frequency?.seconds ?? metadata.frequencySeconds.map(Int64.init)
        guard let step, step > 0 else {
            notes.append("\(frame.source): the sampling frequency could not be inferred; steps are numbered instead of dated")
            return nil
        }
        if frame.frequency == nil {
            notes.append("\(frame.source): the frequency was taken from the model's training data (\(step) s)")
        }
        return (1...count).map { last + Int64($0) * step }
    }
}
