// Time-LLM's registration.
extension ModelFamily {
    /// Time-LLM: reprogrammed patches and Prompt-as-Prefix on the shared decoder.
    public static let timeLLM = ModelFamily(kind: .timeLLM, paper: "Time-LLM (Jin et al., ICLR 2024)",
                                            build: { config, context in
        try ModelFactory.makeTimeLLM(config, seed: context.seed, storedBackbone: context.storedBackbone)
    }, problems: { TimeLLMConfiguration.problems($0) })
}
