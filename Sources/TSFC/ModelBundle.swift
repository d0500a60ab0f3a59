// ModelBundle: a trained forecaster in one pickle-free `.tsfc` file — a safetensors file whose
// tensors are the model's parameters and whose metadata holds the versioned configuration, the
// scaler statistics, the data schema (columns, frequency) and a hash of the training config.
import Foundation
import TSFCBackbone
import TSFCData
import TSFCTensor

/// Errors reading a model bundle.
public enum ModelBundleError: Error, CustomStringConvertible {
    case notABundle(path: String, reason: String)
    case newerVersion(path: String, found: Int, supported: Int)
    case invalid(path: String, reason: String)
    /// A forecaster was asked for but the bundle holds an anomaly detector.
    case detectorBundle(path: String, scorer: ScorerKind)

    public var description: String {
        switch self {
        case .notABundle(let p, let r): return "\(p) is not a tsfc model bundle (\(r))"
        case .newerVersion(let p, let f, let s):
            return "\(p) is a version \(f) bundle; this tsfc reads up to version \(s): upgrade tsfc"
        case .invalid(let p, let r): return "\(p): damaged model bundle: \(r)"
        case .detectorBundle(let p, let scorer):
            return "\(p) is an anomaly detector (\(scorer) scorer), not a forecaster: score data with `tsfc detect --model \(p)`, or train a forecasting configuration for `tsfc forecast`"
        }
    }
}

/// Everything besides the weights that a forecast needs.
public struct BundleMetadata: Codable, Sendable, Equatable {
    /// The resolved configuration the model was trained with.
    public var configuration: RunConfiguration
    /// Column names in model order.
    public var columns: [String]
    /// Per-column mean and standard deviation of the training rows (StandardScaler).
    public var mean: [Float]
    public var std: [Float]
    /// Sampling interval in seconds, when the training data had timestamps.
    public var frequencySeconds: Int?
    /// FNV-1a hash of the configuration JSON (to tell runs apart).
    public var configurationHash: String
    /// Training steps and seconds, best validation loss.
    public var trainingSteps: Int
    public var trainingSeconds: Double
    public var bestValidationLoss: Double
    /// The decoder's architecture (so a bundle rebuilds it without the original files).
    public var backbone: DecoderConfiguration?
    /// The calendar features of each token, with `model.timestamps: calendar` (nil otherwise).
    public var calendarFeatures: [TimeFeature]?
    /// The scorer, aggregation and calibrated threshold, when the bundle is an anomaly detector.
    public var detector: DetectorMetadata?

    public init(configuration: RunConfiguration, columns: [String], mean: [Float], std: [Float],
                frequencySeconds: Int?, trainingSteps: Int, trainingSeconds: Double, bestValidationLoss: Double,
                backbone: DecoderConfiguration? = nil, calendarFeatures: [TimeFeature]? = nil) {
        self.configuration = configuration
        self.columns = columns
        self.mean = mean
        self.std = std
        self.frequencySeconds = frequencySeconds
        self.configurationHash = BundleMetadata.hash(of: configuration)
        self.trainingSteps = trainingSteps
        self.trainingSeconds = trainingSeconds
        self.bestValidationLoss = bestValidationLoss
        self.backbone = backbone
        self.calendarFeatures = calendarFeatures
    }

    /// FNV-1a (64-bit) of the configuration's sorted-key JSON, as 16 hex digits.
    public static func hash(of configuration: RunConfiguration) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(configuration)) ?? Data()
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Reading and writing `.tsfc` bundles.
public enum ModelBundle {
    /// The `format` metadata value of a bundle.
    public static let format = "tsfc-model"
    /// The newest bundle version this build writes and reads.
    public static let version = 1

    /// Writes parameters and metadata atomically to `url`.
    public static func write(parameters: [String: Tensor], metadata: BundleMetadata, to url: URL) throws {
        let json = String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self)
        try Safetensors.write(parameters, to: url,
                              metadata: ["format": format, "bundle_version": String(version), "tsfc": json])
    }

    /// Reads a bundle's metadata and parameters, checking its format and version.
    public static func read(contentsOf url: URL) throws -> (metadata: BundleMetadata, parameters: [String: Tensor]) {
        let raw: [String: String]
        do {
            raw = try Safetensors.readMetadata(contentsOf: url)
        } catch {
            throw ModelBundleError.notABundle(path: url.path, reason: "\(error)")
        }
        guard raw["format"] == format else {
            throw ModelBundleError.notABundle(path: url.path, reason: "no 'format: \(format)' in its metadata")
        }
        guard let v = raw["bundle_version"].flatMap(Int.init) else {
            throw ModelBundleError.invalid(path: url.path, reason: "missing bundle_version")
        }
        guard v <= version else { throw ModelBundleError.newerVersion(path: url.path, found: v, supported: version) }
        guard let json = raw["tsfc"]?.data(using: .utf8) else {
            throw ModelBundleError.invalid(path: url.path, reason: "missing the tsfc metadata block")
        }
        let metadata: BundleMetadata
        do {
            metadata = try decodeMetadata(json)
        } catch {
            throw ModelBundleError.invalid(path: url.path, reason: "unreadable metadata: \(error)")
        }
        guard metadata.mean.count == metadata.columns.count, metadata.std.count == metadata.columns.count else {
            throw ModelBundleError.invalid(path: url.path, reason: "scaler statistics do not match the columns")
        }
        return (metadata, try Safetensors.read(contentsOf: url))
    }

    /// Decodes a bundle's metadata block. The configuration (and a detector's threshold rule) is
    /// merged over the defaults first, so a bundle written before a key existed still loads with
    /// that key's default.
    static func decodeMetadata(_ json: Data) throws -> BundleMetadata {
        var filled = try ConfigurationDefaults.filling(json, at: ["configuration"], with: RunConfiguration())
        filled = try ConfigurationDefaults.filling(filled, at: ["detector", "thresholdRule"], with: ThresholdConfiguration())
        return try JSONDecoder().decode(BundleMetadata.self, from: filled)
    }
}
