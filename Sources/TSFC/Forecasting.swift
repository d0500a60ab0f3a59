// Forecasting: forecasts for every numeric column of a frame from a trained bundle, with future
// timestamps at the data's frequency.
import TSFCData
import TSFCTensor

/// Forecast values for one series.
public struct SeriesForecast: Sendable, Equatable {
    /// The series' name (its column).
    public let id: String
    /// The stamp of each forecast step: epoch seconds, or integers continuing the input's
    /// numbering when `ForecastResult.precision` is `.index`.
    public let timestamps: [Int64]?
    /// Point forecasts in the data's units, H values.
    public let values: [Float]
    /// How this series' stamps are written when it differs from `ForecastResult.precision` (a
    /// panel's series each keep their own calendar); nil: the result's.
    public var precision: TimestampPrecision? = nil
}

/// The result of forecasting a frame.
public struct ForecastResult: Sendable {
    public let horizon: Int
    public let series: [SeriesForecast]
    /// How to write the stamps (`precision.format(t)`): the input's own precision, finer only
    /// where a step needs it; `.index` for numbered steps.
    public let precision: TimestampPrecision
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
    ///
    /// Future stamps follow `frequency` when given, else the frequency inferred from the frame's
    /// stamps (or implied by their precision: a single year, quarter or month); without either
    /// the steps are numbered, continuing the input's row numbers (see `futureStamps`).
    public func forecast(_ frame: TimeSeriesFrame, metadata: BundleMetadata, horizon: Int,
                         mode: RolloutMode = .renormalize, frequency: Frequency? = nil) throws -> ForecastResult {
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
        let scaler = metadata.scaler(for: frame)
        for c in 0..<channels {
            let recent = Array(frame.column(c).suffix(l))
            let padded = [Float](repeating: recent[0], count: l - recent.count) + recent
            contexts += scaler.transform(padded, column: c)
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
        let future = frame.futureStamps(count: horizon, frequency: frequency, notes: &notes)
        let series = (0..<channels).map { c in
            SeriesForecast(id: frame.columns[c], timestamps: future.stamps,
                           values: scaler.inverseTransform(predicted[(c * horizon)..<((c + 1) * horizon)], column: c))
        }
        return ForecastResult(horizon: horizon, series: series, precision: future.precision, notes: notes)
    }
}

extension BundleMetadata {
    /// The scaler for `frame`'s columns, in its order: the training statistics for the columns the
    /// model was trained on, and for any other column its own statistics over all of `frame`'s rows.
    public func scaler(for frame: TimeSeriesFrame) -> StandardScaler {
        let own = StandardScaler.fit(frame, rows: 0..<frame.rowCount)
        var mean = own.mean, std = own.std
        for (c, name) in frame.columns.enumerated() {
            if let k = columns.firstIndex(of: name) { (mean[c], std[c]) = (scaler.mean[k], scaler.std[k]) }
        }
        return StandardScaler(mean: mean, std: std)
    }
}
