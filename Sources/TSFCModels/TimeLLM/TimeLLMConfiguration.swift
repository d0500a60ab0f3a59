// The `model.time_llm:` section: Time-LLM's hyperparameters (defaults: the reference
// `run_main.py` / ETTh1 script where they fit a CPU, see BENCHMARKS.md).

/// Time-LLM settings read from YAML (`model.adapter: time-llm`).
public struct TimeLLMConfiguration: Codable, Equatable, Sendable {
    /// Points per patch and between patch starts (Time-LLM: 16 and 8).
    public var patchLength: Int = 16
    public var stride: Int = 8
    /// Patch-embedding width (the reference's d_model; ETTh1 script: 32).
    public var patchWidth: Int = 32
    /// Reprogramming heads (8) and channels per head (the reference's d_ff; ETTh1 script: 128).
    public var heads: Int = 8
    public var keyWidth: Int = 128
    /// Text prototypes (1000).
    public var prototypes: Int = 1000
    /// Hidden features per patch position the head reads (reference: d_ff), capped at the backbone width.
    public var headChannels: Int = 128
    /// Dropout of the patch embedding, the reprogramming attention and the head.
    public var dropout: Float = 0.1
    /// Prompt-as-Prefix on (true) or the paper's "w/o prompt" ablation (false).
    public var prompt: Bool = true
    /// The dataset description sentence of the prompt.
    public var description: String = PromptBuilder.ettDescription
    /// Prompts are cut to this many tokens (keeping their start).
    public var maxPromptTokens: Int = 512

    public init() {}

    enum CodingKeys: String, CodingKey {
        case patchLength = "patch_length", stride, patchWidth = "patch_width", heads, keyWidth = "key_width"
        case prototypes, headChannels = "head_channels", dropout, prompt, description
        case maxPromptTokens = "max_prompt_tokens"
    }

    /// Problems with a Time-LLM model configuration, as (key, message) pairs.
    public static func problems(_ m: ModelConfiguration) -> [(String, String)] {
        let t = m.timeLLM
        var out: [(String, String)] = []
        for (key, value) in [("patch_length", t.patchLength), ("stride", t.stride), ("patch_width", t.patchWidth),
                             ("heads", t.heads), ("key_width", t.keyWidth), ("prototypes", t.prototypes),
                             ("head_channels", t.headChannels), ("max_prompt_tokens", t.maxPromptTokens)] where value < 1 {
            out.append(("model.time_llm.\(key)", "must be ≥ 1"))
        }
        if !(0..<1).contains(t.dropout) { out.append(("model.time_llm.dropout", "must be in [0, 1)")) }
        if t.patchLength >= 1 && t.stride >= 1 && m.contextLength + t.stride < t.patchLength {
            out.append(("model.context_length", "(\(m.contextLength) points) is shorter than one patch (\(t.patchLength) points)"))
        }
        if m.backbone.kind == .none {
            out.append(("model.backbone.kind", "is none, but Time-LLM's text prototypes need a backbone's token table; use scratch or pretrained"))
        }
        if t.prompt && m.backbone.kind == .pretrained && !m.backbone.path.isEmpty && !TextTimestamps.hasTokenizer(directory: m.backbone.path) {
            out.append(("model.time_llm.prompt", "is true but \(m.backbone.path) has no tokenizer.json (or vocab.json and merges.txt); add one or set prompt: false"))
        }
        return out
    }
}
