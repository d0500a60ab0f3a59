// Forecasting: forecasts for every numeric column of a frame from a trained bundle, with future
// timestamps at the data's frequency.
import TSFCData
import TSFCTensor

/// Forecast values for one series.
public struct SeriesForecast: Sendable, Equatable, Codable {
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
    /// Quantile forecasts in the data's units, ascending by level and monotone (no crossing):
    /// from the model's quantile head where it has one, else from conformal calibration; empty
    /// when none were asked for.
    public var quantiles: [QuantileForecast] = []

    public init(id: String, timestamps: [Int64]?, values: [Float], precision: TimestampPrecision? = nil,
                quantiles: [QuantileForecast] = []) {
        self.id = id
        self.timestamps = timestamps
        self.values = values
        self.precision = precision
        self.quantiles = quantiles
    }

    /// The values of the quantile at `level` (e.g. 0.1), if it was forecast.
    public func quantile(_ level: Float) -> [Float]? {
        quantiles.first { abs($0.level - level) < 1e-6 }?.values
    }
}

/// One quantile of a forecast: the value each step stays below with probability `level`.
public struct QuantileForecast: Sendable, Equatable, Codable {
    /// The probability level in (0, 1), e.g. 0.1 for the lower end of an 80 % interval.
    public let level: Float
    /// H values in the data's units.
    public let values: [Float]

    public init(level: Float, values: [Float]) {
        self.level = level
        self.values = values
    }
}

/// The result of forecasting a frame.
public struct ForecastResult: Sendable, Codable {
    public let horizon: Int
    public let series: [SeriesForecast]
    /// How to write the stamps (`precision.format(t)`): the input's own precision, finer only
    /// where a step needs it; `.index` for numbered steps.
    public let precision: TimestampPrecision
    /// Remarks for the user (frequency unknown, short series skipped in a panel…).
    public let notes: [String]
}

/// Errors from forecasting.
public struct ForecastError: Error, CustomStringConvertible {
    /// What went wrong, for callers that act on the kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The series has `rows` rows of history, fewer than the model's `minimum` context.
        case contextTooShort(rows: Int, minimum: Int)
        /// Any other failure (the message says which).
        case other
    }
    public let message: String
    public let kind: Kind
    public var description: String { message }

    public init(message: String, kind: Kind = .other) {
        self.message = message
        self.kind = kind
    }

    /// Fewer rows than this are too few to train a model on, so a refusal does not suggest it.
    static let rowsToTrainOn = 5

    /// The refusal of `frame`, whose `rows` rows are fewer than `model`'s `minimumContext`: it
    /// names the file and series, both counts, and the two ways out (a longer history, or a model
    /// trained with a shorter context, with the `tsfc train` command that trains one).
    static func contextTooShort(_ frame: TimeSeriesFrame, rows: Int, model: some ForecastingModel) -> ForecastError {
        let minimum = model.minimumContext
        let names = frame.columns.map { "'\($0)'" }.joined(separator: ", ")
        let place = frame.source.hasSuffix(names) ? frame.source
            : "\(frame.source), \(frame.columns.count == 1 ? "series" : "columns") \(names)"
        // A context a fifth of the history: with `split: ratios` (70/10/20) the training rows hold
        // many windows and the validation rows (10 % plus the context) at least one.
        let config = model.configuration
        let shorter: String
        if config.contextLengthPoints > 0 {
            shorter = "--set model.context_length=\(Swift.max(1, rows / 5))"
        } else {
            shorter = "--set model.segment_length=\(Swift.max(1, rows / 10)) --set model.context_segments=2"
        }
        // A panel series' source is "<file>, <id column> '<id>'" (CSVSource.loadSeries): the file is before it.
        // Trained on that series alone (`data.columns` picks series ids of a long file), since a
        // ragged panel pivoted to one table has missing cells.
        var file = frame.source, series = ""
        if file.hasSuffix("'"), let cut = file.range(of: ", ", options: .backwards) {
            file = String(file[..<cut.lowerBound])
            series = " --set \"data.columns=[\(frame.columns.joined(separator: ","))]\""
        }
        // A history of a handful of rows cannot train a model either: then only the minimum is said.
        guard rows >= ForecastError.rowsToTrainOn else {
            return ForecastError(
                message: "\(place): \(rows) row\(rows == 1 ? "" : "s") of history, but a forecast needs at least \(minimum); give a longer series",
                kind: .contextTooShort(rows: rows, minimum: minimum))
        }
        return ForecastError(
            message: "\(place): \(rows) rows of history, but the model needs at least \(minimum) (its context); "
                + "give a series with at least \(minimum) rows, or train a model with a shorter context on it, "
                + "e.g. `tsfc train --config Configs/default.yaml --set data.path=\(file)\(series) --set data.split=ratios \(shorter)`",
            kind: .contextTooShort(rows: rows, minimum: minimum))
    }
}

extension ForecastingModel {
    /// Forecasts `horizon` steps after the last row of every column of `frame`.
    ///
    /// Columns the model was trained on are standardised with its training statistics; other
    /// columns with their own mean and deviation (the model normalises each window itself, so it
    /// forecasts any series channel-independently). The model never sees fabricated history: a
    /// frame with fewer rows than the model's `minimumContext` is refused with a
    /// `ForecastError` of kind `.contextTooShort`; otherwise the model reads the last
    /// `min(rows, contextLength)` rows.
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
        guard rows >= minimumContext else { throw ForecastError.contextTooShort(frame, rows: rows, model: self) }
        if let quantileModel = self as? any QuantileForecastingModel {
            return try quantileModel.forecastWithQuantiles(frame, horizon: horizon, frequency: frequency)
        }
        let l = min(rows, contextLength)
        var notes: [String] = []
        var contexts: [Float] = []
        let scaler = metadata.scaler(for: frame)
        for c in 0..<channels {
            contexts += scaler.transform(Array(frame.column(c).suffix(l)), column: c)
        }
        var marks: Tensor?
        if let rowMarks = try PreparedDataset.segmentMarks(for: frame, model: configuration, features: metadata.calendarFeatures,
                                                           fallbackFrequencySeconds: metadata.frequencySeconds,
                                                           forecaster: self as? Forecaster), usesMarks {
            // Context token i starts at row (rows − L) + i·S.
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

extension QuantileForecastingModel {
    /// Forecasts every column of `frame` from its raw history (the model scales each series
    /// itself): the median as the point forecast and every level of the head as a quantile.
    func forecastWithQuantiles(_ frame: TimeSeriesFrame, horizon: Int, frequency: Frequency?) throws -> ForecastResult {
        try forecastWithQuantiles(frames: [frame], horizon: horizon, frequency: frequency)[0]
    }

    /// `forecastWithQuantiles` of many frames (a panel's series) in one batched pass of the model:
    /// every column of every frame is one history; each frame gets its own future stamps and
    /// season length from its own (or the given) frequency.
    func forecastWithQuantiles(frames: [TimeSeriesFrame], horizon: Int, frequency: Frequency?) throws -> [ForecastResult] {
        var histories: [[Float]] = [], seasons: [Int] = []
        for frame in frames {
            let season = Baseline.seasonLength(for: frequency ?? frame.frequency)
            for c in 0..<frame.channelCount {
                histories.append(Array(frame.column(c).suffix(contextLength)))
                seasons.append(season)
            }
        }
        let levels = quantileLevels, median = medianIndex
        let predicted = forecastQuantiles(histories: histories, horizon: horizon, seasonLengths: seasons)
        var next = 0
        return try frames.map { frame in
            var notes: [String] = []
            let future = frame.futureStamps(count: horizon, frequency: frequency, notes: &notes)
            let series = try frame.columns.map { name -> SeriesForecast in
                let q = predicted[next]
                next += 1
                guard q.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                    throw ForecastError(message: "\(frame.source): the model produced non-finite values; check the input for extreme values")
                }
                return SeriesForecast(id: name, timestamps: future.stamps, values: q[median],
                                      quantiles: zip(levels, q).map { QuantileForecast(level: $0, values: $1) })
            }
            return ForecastResult(horizon: horizon, series: series, precision: future.precision, notes: notes)
        }
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
