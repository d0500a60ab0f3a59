// BundleMetadata's JSON: the scaler's own keys (`mean`, `std`) are written into the metadata
// object itself, so the block keeps the layout every bundle has had (a version-1 reader, and
// the shipped model, see the same keys); every other field is one key of its own.
import TSFCBackbone
import TSFCData

extension BundleMetadata {
    private enum CodingKeys: String, CodingKey {
        case configuration, columns, frequencySeconds, configurationHash, trainingSteps, trainingSeconds
        case bestValidationLoss, backbone, calendarFeatures, detector
    }

    /// Reads the block; the scaler decodes its `mean` and `std` from the same object.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try c.decode(RunConfiguration.self, forKey: .configuration)
        columns = try c.decode([String].self, forKey: .columns)
        scaler = try StandardScaler(from: decoder)
        frequencySeconds = try c.decodeIfPresent(Int.self, forKey: .frequencySeconds)
        configurationHash = try c.decode(String.self, forKey: .configurationHash)
        trainingSteps = try c.decode(Int.self, forKey: .trainingSteps)
        trainingSeconds = try c.decode(Double.self, forKey: .trainingSeconds)
        bestValidationLoss = try c.decode(Double.self, forKey: .bestValidationLoss)
        backbone = try c.decodeIfPresent(DecoderConfiguration.self, forKey: .backbone)
        calendarFeatures = try c.decodeIfPresent([TimeFeature].self, forKey: .calendarFeatures)
        detector = try c.decodeIfPresent(DetectorMetadata.self, forKey: .detector)
    }

    /// Writes the block, in the order of the stored properties.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(columns, forKey: .columns)
        try scaler.encode(to: encoder)
        try c.encodeIfPresent(frequencySeconds, forKey: .frequencySeconds)
        try c.encode(configurationHash, forKey: .configurationHash)
        try c.encode(trainingSteps, forKey: .trainingSteps)
        try c.encode(trainingSeconds, forKey: .trainingSeconds)
        try c.encode(bestValidationLoss, forKey: .bestValidationLoss)
        try c.encodeIfPresent(backbone, forKey: .backbone)
        try c.encodeIfPresent(calendarFeatures, forKey: .calendarFeatures)
        try c.encodeIfPresent(detector, forKey: .detector)
    }
}
