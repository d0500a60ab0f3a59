// AR-Net's and Classic-AR's registrations.
extension ModelFamily {
    /// AR-Net: sparse linear autoregression, standalone or as lag-window tokens on the decoder.
    public static let arNet = ModelFamily(kind: .arnet, paper: "AR-Net (Triebe et al., 2019)", build: { config, context in
        try ModelFactory.makeAutoregressive(config, seed: context.seed, storedBackbone: context.storedBackbone)
    }, problems: { ARNetConfiguration.problems($0) })

    /// Classic-AR: least-squares AR fitted in closed form (AR-Net's baseline).
    public static let classicAR = ModelFamily(kind: .classicAR, paper: "least-squares AR (AR-Net's Classic-AR baseline)",
                                              build: { config, _ in ClassicARForecaster(configuration: config) },
                                              problems: { ARNetConfiguration.problems($0) })
}
