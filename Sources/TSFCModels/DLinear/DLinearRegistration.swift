// DLinear's and NLinear's registrations.
extension ModelFamily {
    /// DLinear: trend / seasonal decomposition and two linear maps.
    public static let dLinear = ModelFamily(kind: .dlinear, paper: "DLinear (Zeng et al., AAAI 2023)",
                                            build: { config, context in DLinearModel(configuration: config, seed: context.seed) },
                                            problems: { DLinearConfiguration.problems($0) })

    /// NLinear: one linear map of the context relative to its last point.
    public static let nLinear = ModelFamily(kind: .nlinear, paper: "NLinear (Zeng et al., AAAI 2023)",
                                            build: { config, context in NLinearModel(configuration: config, seed: context.seed) },
                                            problems: { DLinearConfiguration.problems($0) })
}
