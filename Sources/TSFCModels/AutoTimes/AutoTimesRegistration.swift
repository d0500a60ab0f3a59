// AutoTimes' registration.
extension ModelFamily {
    /// AutoTimes: segment tokens on the shared decoder (the default model's family).
    public static let autoTimes = ModelFamily(kind: .autotimes, paper: "AutoTimes (Liu et al., NeurIPS 2024)") { config, context in
        try ModelFactory.makeForecaster(config, seed: context.seed, storedBackbone: context.storedBackbone,
                                        calendarFeatures: context.calendarFeatures)
    }
}
