// Time-LLM — Jin et al., "Time-LLM: Time Series Forecasting by Reprogramming Large Language
// Models" (ICLR 2024). Follows the reference `models/TimeLLM.py` with the fixes listed in the
// research notes (§6.3):
//
//   normalised context [B, L] ──patching──► [B, P, 16] ──conv embed──► [B, P, d_model]
//     ──reprogramming (queries) ◄── text prototypes [S, D] = W·E_vocab (keys/values)──► [B, P, D]
//     ──[prompt embeddings ; reprogrammed patches]──► backbone ──last P positions──► [B, P, D]
//     ──flatten head──► [B, H]
//
// Prompts differ in token count from sample to sample. Instead of padding them and letting the
// patches attend to the padding (the reference passes no attention mask), samples whose prompts
// have the same length go through the backbone together: a sample's forecast never depends on
// the other samples in its batch. The prototypes are computed once per forward pass.
import TSFCNN
import TSFCTensor

/// Time-LLM's hyperparameters: the context and head lengths plus the `model.time_llm` section,
/// whose knobs read through directly (`settings.patchLength` is `settings.section.patchLength`).
@dynamicMemberLookup
public struct TimeLLMSettings: Equatable, Sendable {
    /// Context points (L) and forecast points the head emits (H).
    public var contextLength: Int
    public var horizon: Int
    /// Patching, widths, prototypes, dropout, the prompt switch and its length limit.
    public var section: TimeLLMConfiguration

    public init(contextLength: Int, horizon: Int, section: TimeLLMConfiguration = TimeLLMConfiguration()) {
        self.contextLength = contextLength
        self.horizon = horizon
        self.section = section
    }

    /// A knob of the section.
    public subscript<Value>(dynamicMember key: WritableKeyPath<TimeLLMConfiguration, Value>) -> Value {
        get { section[keyPath: key] }
        set { section[keyPath: key] = newValue }
    }

    /// The prompt prefix's builder, or nil for the "w/o prompt" ablation (`prompt: false`).
    public var prompt: PromptBuilder? {
        section.prompt ? PromptBuilder(description: section.description, contextLength: contextLength, horizon: horizon) : nil
    }

    /// Patch positions P.
    public var patchCount: Int { Patching(length: section.patchLength, stride: section.stride).count(contextLength: contextLength) }
    /// The longest token sequence the backbone sees: the prompt (when used) plus P patches.
    public var longestSequence: Int { patchCount + (prompt == nil ? 0 : section.maxPromptTokens) }
}

/// The Time-LLM model on normalised inputs: everything but the backbone, which it reads through
/// (its token table is the prototypes' source and embeds the prompt) and never owns.
public final class TimeLLM: Module {
    public let settings: TimeLLMSettings
    public let patchEmbedding: PatchEmbedding
    public let prototypes: TextPrototypes
    public let reprogramming: ReprogrammingLayer
    public let head: FlattenHead
    /// Tokenises the prompt (required when `settings.prompt` is set).
    public let tokenizer: (any PromptTokenizer)?
    let patching: Patching

    /// - Precondition: a tokenizer whose ids fit the backbone's vocabulary when the prompt is on.
    public init(settings: TimeLLMSettings, backbone: any TokenEmbeddingBackbone,
                tokenizer: (any PromptTokenizer)?, using rng: inout SeededGenerator) {
        let vocabulary = backbone.tokenEmbeddingTable.shape[0]
        precondition(settings.prompt == nil || tokenizer.map { $0.vocabularySize <= vocabulary } == true,
                     "TimeLLM: the prompt needs a tokenizer whose ids fit the backbone's \(vocabulary) tokens")
        self.settings = settings
        self.tokenizer = tokenizer
        patching = Patching(length: settings.patchLength, stride: settings.stride)
        let d = backbone.width
        patchEmbedding = PatchEmbedding(patchLength: settings.patchLength, width: settings.patchWidth,
                                        dropout: settings.dropout, using: &rng)
        prototypes = TextPrototypes(vocabulary: vocabulary, count: settings.prototypes, using: &rng)
        reprogramming = ReprogrammingLayer(patchWidth: settings.patchWidth, backboneWidth: d, heads: settings.heads,
                                           keyWidth: settings.keyWidth, dropout: settings.dropout, using: &rng)
        head = FlattenHead(channels: Swift.min(settings.headChannels, d), positions: settings.patchCount,
                           horizon: settings.horizon, dropout: settings.dropout, using: &rng)
        super.init()
    }

    /// The prompt text of each normalised context row `[B, L]`.
    public func promptTexts(_ normalized: Tensor) -> [String] {
        guard let builder = settings.prompt else { return [] }
        let b = normalized.shape[0], l = normalized.shape[1], v = normalized.scalars
        return (0..<b).map { builder.text(for: Array(v[(($0) * l)..<(($0 + 1) * l)])) }
    }

    /// Prompt token ids of each row (cut to `maxPromptTokens`).
    public func promptTokens(_ normalized: Tensor) -> [[Int]] {
        guard let tokenizer else { return [] }
        return promptTexts(normalized).map { Array(tokenizer.encode($0).prefix(settings.maxPromptTokens)) }
    }

    /// Reprogrammed patch embeddings `[B, P, D]` for normalised contexts `[B, L]`, given the
    /// prototypes `[S, D]`.
    public func reprogrammed(_ normalized: Tensor, prototypes source: Tensor) -> Tensor {
        let patches = patching(normalized)                       // [B, P, patchLength]
        let embedded = patchEmbedding(patches)                   // [B, P, d_model]
        return reprogramming(patches: embedded, prototypes: source)  // [B, P, D]
    }

    /// The text prototypes `[S, D]` of the current parameters and `backbone`'s token table.
    public func currentPrototypes(backbone: any TokenEmbeddingBackbone) -> Tensor { prototypes(backbone.tokenEmbeddingTable) }

    /// Forecasts `[B, H]` (normalised) for normalised contexts `[B, L]` through `backbone`.
    /// `prototypes` `[S, D]` may be passed in when several passes share them (a rollout); by
    /// default they are computed once for this pass.
    public func callAsFunction(_ normalized: Tensor, backbone: any TokenEmbeddingBackbone, prototypes given: Tensor? = nil) -> Tensor {
        precondition(normalized.rank == 2 && normalized.shape[1] == settings.contextLength,
                     "TimeLLM: expected [B, \(settings.contextLength)], got \(normalized.shape)")
        let source = given ?? currentPrototypes(backbone: backbone)  // [S, D], once per pass
        let patches = reprogrammed(normalized, prototypes: source) // [B, P, D]
        let p = patches.shape[1]
        guard settings.prompt != nil else {
            return head(backbone.hiddenStates(patches))          // [B, P, D] → [B, H]
        }
        let ids = withoutGradients { promptTokens(normalized) }
        let groups = Dictionary(grouping: ids.indices, by: { ids[$0].count }).sorted { $0.key < $1.key }
        var order: [Int] = []
        var outputs: [Tensor] = []
        for (length, members) in groups {
            let rows = members.count == patches.shape[0] ? patches : patches.indexSelect(axis: 0, indices: members)  // [g, P, D]
            var sequence = rows
            if length > 0 {
                let prompt = backbone.embedTokens(members.flatMap { ids[$0] }, shape: [members.count, length])  // [g, T, D]
                sequence = Tensor.concat([prompt, rows], axis: 1)                   // [g, T + P, D]
            }
            let hidden = backbone.hiddenStates(sequence)                            // [g, T + P, D]
            outputs.append(head(hidden.slice(axis: 1, length..<(length + p))))     // [g, H]
            order += members
        }
        let forecasts = outputs.count == 1 ? outputs[0] : Tensor.concat(outputs, axis: 0)  // [B, H] grouped
        if order == Array(0..<order.count) { return forecasts }
        var inverse = [Int](repeating: 0, count: order.count)
        for (position, row) in order.enumerated() { inverse[row] = position }
        return forecasts.indexSelect(axis: 0, indices: inverse)                     // [B, H]
    }
}
