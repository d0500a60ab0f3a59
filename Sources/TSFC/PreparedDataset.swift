// PreparedDataset: a loaded series with the papers' split and a StandardScaler fitted on the
// training rows only, standardised once for training and evaluation.
import Foundation
import TSFCBackbone
import TSFCData

/// A data file cut into train/validation/test rows and standardised by train-only statistics.
public struct PreparedDataset: Sendable {
    /// The file as loaded (original units).
    public let frame: TimeSeriesFrame
    /// Row ranges; validation and test start `lookback` rows early.
    public let split: DataSplit
    /// Fitted on `split.train` rows only.
    public let scaler: StandardScaler
    /// `frame.values` standardised by `scaler`, row-major `[T, C]`.
    public let standardized: [Float]

    /// Loads `configuration.path` and prepares it for a model with context `lookback`.
    public static func load(_ configuration: DataConfiguration, lookback: Int) throws -> PreparedDataset {
        let frame = try DataFile.open(configuration.path, options: configuration.fileOptions)
        let protocolChoice: SplitProtocol
        switch configuration.split {
        case .ettHourly: protocolChoice = .ettHourly
        case .ettMinute: protocolChoice = .ettMinute
        case .ratios:
            let r = configuration.ratios
            protocolChoice = .ratios(train: r[0], val: r[1], test: r[2])
        }
        let split = try DataSplit.make(protocolChoice, rowCount: frame.rowCount, lookback: lookback,
                                       timestamps: frame.timestamps)
        return prepare(frame, split: split)
    }

    /// Standardises `frame` with a scaler fitted on `split.train`.
    public static func prepare(_ frame: TimeSeriesFrame, split: DataSplit) -> PreparedDataset {
        let scaler = StandardScaler.fit(frame, rows: split.train)
        return PreparedDataset(frame: frame, split: split, scaler: scaler, standardized: scaler.transform(frame.values))
    }
}

extension DataConfiguration {
    /// How `path` is read (`DataFile.open`): `columns` when not empty (else every numeric
    /// column), `timestampColumn` when not empty (else the time column is detected), the date
    /// format (`date_format`, else detected) and the row policies (`fill`, `sort`, `dedupe`).
    public var fileOptions: CSVOptions {
        var options = CSVOptions()
        if !timestampColumn.isEmpty { options.timestampColumn = timestampColumn }
        options.dateFormat = dateFormat.timestampFormat
        if !columns.isEmpty { options.columns = columns }
        rowPolicies.apply(to: &options)
        return options
    }
}

/// Errors preparing position marks.
public struct TimestampError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension PreparedDataset {
    /// The marks a model with `model.timestamps` `calendar` or `text` needs (nil for `none`);
    /// calendar features follow the data's frequency unless `features` (from a bundle) are given;
    /// text marks need the forecaster's decoder (see `segmentMarks(for:model:...)`).
    public func segmentMarks(for model: ModelConfiguration, features: [TimeFeature]? = nil,
                             forecaster: Forecaster? = nil, cacheFolder: URL? = nil) throws -> SegmentMarks? {
        try PreparedDataset.segmentMarks(for: frame, model: model, features: features, forecaster: forecaster,
                                         cacheFolder: cacheFolder)
    }

    /// The marks of `frame`'s rows for `model` (nil for `timestamps: none`). Text marks embed each
    /// row's description with `forecaster`'s decoder and the tokenizer in `model.backbone.path`,
    /// cached under `cacheFolder` (default `TextTimestamps.defaultCacheFolder`).
    public static func segmentMarks(for frame: TimeSeriesFrame, model: ModelConfiguration,
                                    features: [TimeFeature]? = nil, fallbackFrequencySeconds: Int? = nil,
                                    forecaster: Forecaster? = nil, cacheFolder: URL? = nil) throws -> SegmentMarks? {
        guard model.timestamps != .none else { return nil }
        guard let stamps = frame.timestamps, !stamps.isEmpty else {
            throw TimestampError(message: "\(frame.source): model.timestamps is \(model.timestamps) but the data has no timestamp column; set data.timestamp_column or use model.timestamps: none")
        }
        guard let frequency = frame.frequency ?? fallbackFrequencySeconds.map({ Frequency(seconds: Int64($0)) }),
              frequency.seconds > 0 else {
            throw TimestampError(message: "\(frame.source): model.timestamps is \(model.timestamps) but no sampling frequency could be inferred from the timestamps")
        }
        if model.timestamps == .calendar {
            return SegmentMarks(timestamps: stamps, frequency: frequency,
                                features: features ?? TimeFeatures.features(for: frequency), segmentLength: model.segmentLength)
        }
        guard let decoder = forecaster?.backbone as? CausalDecoder else {
            throw TimestampError(message: "model.timestamps is text but the model has no pretrained decoder; use model.backbone.kind: pretrained")
        }
        let tokenizer = try TextTimestamps.loadTokenizer(directory: model.backbone.path)
        let cache = TextTimestamps.cacheURL(folder: cacheFolder ?? TextTimestamps.defaultCacheFolder, dataFile: frame.source,
                                            backbone: model.backbone.path, segmentLength: model.segmentLength,
                                            frequency: frequency)
        let rows = try TextTimestamps.rowEmbeddings(timestamps: stamps, segmentLength: model.segmentLength, frequency: frequency,
                                                    decoder: decoder, tokenizer: tokenizer, cache: cache)
        return SegmentMarks(timestamps: stamps, frequency: frequency, segmentLength: model.segmentLength,
                            text: TextRowEmbeddings(values: rows.values, width: rows.width, segmentLength: model.segmentLength,
                                                    frequency: frequency, decoder: decoder, tokenizer: tokenizer))
    }
}
