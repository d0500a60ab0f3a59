// The bridge from the `detection.threshold` configuration section to a threshold rule.

extension ThresholdMethod {
    /// The rule named by a `detection.threshold` section (`zscore` is k-sigma; POT uses
    /// `initialQuantile`, SPOT's 0.98 by default). Throws `ThresholdError` for an option out of range.
    public init(_ configuration: ThresholdConfiguration,
                initialQuantile: Double = ThresholdMethod.defaultPOTInitialQuantile) throws {
        try self.init(configuration.method, value: configuration.value, initialQuantile: initialQuantile)
    }
}
