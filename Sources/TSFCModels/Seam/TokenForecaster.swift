// TokenForecaster: the one shared-decoder forecaster. normalise → adapter.embed → backbone →
// adapter.project → de-normalise; trained on every output token's next points (next-token
// training, as AutoTimes does it) and rolled out to any horizon by one loop. The paper-specific
// parts (AutoTimes' segment MLPs, SpaceTime's SSM features, AR-Net's lag windows, Time-LLM's
// reprogramming) are adapters.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// A forecaster made of a `TokenAdapter` and a shared causal `SequenceBackbone`.
public final class TokenForecaster<Adapter: TokenAdapter>: Module, ForecastingModel {
    /// The model configuration it was built from.
    public let configuration: ModelConfiguration
    public let adapter: Adapter
    public let backbone: Module & SequenceBackbone

    /// Variance floor of the per-window standardisation (AutoTimes / RevIN: 1e-5).
    public static var normalizationEpsilon: Float { InstanceNormalization.epsilon }

    public init(configuration: ModelConfiguration, adapter: Adapter, backbone: Module & SequenceBackbone) {
        self.configuration = configuration
        self.adapter = adapter
        self.backbone = backbone
        super.init()
    }

    /// The adapter and the backbone, in the order `Adapter.listsBackboneFirst` asks for.
    public override func namedChildren() -> [(String, Module)] {
        let children = super.namedChildren()
        guard Adapter.listsBackboneFirst else { return children }
        return children.filter { $0.0 == "backbone" } + children.filter { $0.0 != "backbone" }
    }

    public var contextLength: Int { configuration.contextLength }
    /// Points after the context a training window holds: the last output token's target end.
    public var targetLength: Int {
        adapter.firstTargetOffset + (outputTokens - 1) * adapter.targetStride + adapter.outputLength - contextLength
    }
    /// Output tokens N' per context.
    public var outputTokens: Int { adapter.outputTokens(contextLength: contextLength) }
    /// Marked tokens per context (N, when the adapter reads marks).
    public var markedTokens: Int { adapter.markedTokens(contextLength: contextLength) }
    public var usesMarks: Bool { adapter.usesMarks }
    public var decoderConfiguration: DecoderConfiguration? { (backbone as? CausalDecoder)?.configuration }
    public func markTokens(horizon: Int) -> Int {
        markedTokens + (horizon + adapter.outputLength - 1) / adapter.outputLength - 1
    }

    /// The longest horizon the KV-cached rollout reaches: a backbone with learned positions holds
    /// N + steps − 1 tokens at most (nil when there is no such limit or no cached rollout).
    public var longestCachedHorizon: Int? {
        guard adapter.supportsCachedRollout else { return nil }
        return backbone.maximumLength.map { Swift.max(0, $0 - markedTokens + 1) * adapter.outputLength }
    }

    /// Bundles from before the token forecaster: the adapter's parameters at the model's root (or
    /// under `Adapter.legacyParameterPrefix`), the decoder under `backbone.` (or under the prefix).
    /// Current bundles (every name under `adapter.` or `backbone.`) are returned as they are.
    public func migratingLegacyNames(_ stored: [String: Tensor]) -> [String: Tensor] {
        if stored.keys.allSatisfy({ $0.hasPrefix("adapter.") || $0.hasPrefix("backbone.") }) { return stored }
        let prefix = Adapter.legacyParameterPrefix
        var renamed: [String: Tensor] = [:]
        for (name, tensor) in stored {
            let local = name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
            renamed[local.hasPrefix("backbone.") ? local : "adapter." + local] = tensor
        }
        return renamed
    }

    /// The window statistics `[B, 1]` each (the standard deviation is 1 for `.centre`).
    public func statistics(_ context: Tensor) -> (mean: Tensor, std: Tensor?) {
        switch adapter.normalization {
        case .standardize:
            let s = InstanceNormalization.statistics(context)
            return (s.mean, s.std)
        case .centre:
            return (context.mean(axes: [1], keepDims: true).detached, nil)
        }
    }

    /// `(x − mean) / std`, or `x − mean` when there is no deviation (`.centre`); `[B, 1]` statistics.
    static func normalize(_ x: Tensor, mean: Tensor, std: Tensor?) -> Tensor {
        std.map { (x - mean) / $0 } ?? (x - mean)
    }

    /// Predictions `[B, N', K]` in data units for contexts `[B, L]`, normalised by the given
    /// statistics; output token i predicts the K points from `firstTargetOffset + i · targetStride`.
    public func tokenOutputs(_ context: Tensor, mean: Tensor, std: Tensor?, marks: Tensor? = nil,
                             session: Adapter.Session) -> Tensor {
        let b = context.shape[0]
        let normalized = Self.normalize(context, mean: mean, std: std)                       // [B, L]
        let predicted = adapter.outputs(normalized, marks: marks, backbone: backbone, session: session)  // [B, N', K]
        if let std { return predicted * std.reshaped([b, 1, 1]) + mean.reshaped([b, 1, 1]) }
        return predicted + mean.reshaped([b, 1, 1])
    }

    /// Predictions `[B, N', K]` for contexts `[B, L]` with their own statistics.
    public func tokenOutputs(_ context: Tensor, marks: Tensor? = nil) -> Tensor {
        let (mean, std) = statistics(context)
        return tokenOutputs(context, mean: mean, std: std, marks: marks, session: adapter.beginSession(backbone: backbone))
    }

    /// The targets `[B, N', K]` of windows `[B, L + targetLength]`.
    public func targets(_ windows: Tensor) -> Tensor {
        let first = adapter.firstTargetOffset, k = adapter.outputLength, stride = adapter.targetStride
        let n = outputTokens, b = windows.shape[0]
        if stride == k { return windows.slice(axis: 1, first..<(first + n * k)).reshaped([b, n, k]) }  // disjoint
        return windows.slice(axis: 1, first..<(first + (n - 1) * stride + k)).unfolded(axis: 1, size: k, stride: stride)
    }

    /// Validation loss on windows `[B, L + targetLength]`: the MSE of every output token's points.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let context = windows.slice(axis: 1, 0..<contextLength)                               // [B, L]
        guard Adapter.scoresNormalizedTargets else {
            return Loss.meanSquaredError(tokenOutputs(context, marks: marks), targets(windows))
        }
        let (mean, std) = statistics(context)
        let normalizedWindows = Self.normalize(windows, mean: mean, std: std)                // [B, L + T]
        let normalized = normalizedWindows.slice(axis: 1, 0..<contextLength)                  // [B, L]
        let outputs = adapter.outputs(normalized, marks: marks, backbone: backbone,
                                      session: adapter.beginSession(backbone: backbone))     // [B, N', K]
        return Loss.meanSquaredError(outputs, targets(normalizedWindows))
    }

    /// `loss` plus the adapter's auxiliary term.
    public func trainingLoss(windows: Tensor, marks: Tensor?, progress: Float) -> Tensor {
        let base = loss(windows: windows, marks: marks)
        return adapter.auxiliaryLoss(progress: progress).map { base + $0 } ?? base
    }

    /// Forecasts `horizon` points after each context `[B, L]` → `[B, H]` by ⌈H/K⌉ steps.
    ///
    /// `.renormalize` (the papers' loop): each step re-normalises the window, takes the last output
    /// token's K points and slides the window by K. `.cached` (adapters with `embedAppended`)
    /// keeps the first context's statistics and feeds one appended token per step through the
    /// backbone's KV cache. `marks` `[B, markedTokens + steps − 1, F]` mark the context tokens and
    /// then each appended token; the sliding window at step k uses marks k ..< k + markedTokens.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode = .renormalize, marks: Tensor? = nil) -> Tensor {
        precondition(horizon > 0, "forecast: horizon must be positive")
        let steps = (horizon + adapter.outputLength - 1) / adapter.outputLength
        if let marks {
            precondition(marks.shape.count == 3 && marks.shape[0] == context.shape[0]
                         && marks.shape[1] >= adapter.markedTokens(contextLength: context.shape[1]) + steps - 1,
                         "forecast: marks \(marks.shape) do not cover the context and \(steps) steps")
        }
        let pieces = withoutGradients {
            mode == .cached && adapter.supportsCachedRollout
                ? growingRollout(context, steps: steps, useCache: true, marks: marks)
                : slidingRollout(context, steps: steps, marks: marks)
        }
        let all = pieces.count == 1 ? pieces[0] : Tensor.concat(pieces, axis: 1)
        return all.shape[1] == horizon ? all : all.slice(axis: 1, 0..<horizon)                // [B, H]
    }

    /// The re-normalising rollout: `steps` pieces `[B, K]`.
    public func slidingRollout(_ context: Tensor, steps: Int, marks: Tensor? = nil) -> [Tensor] {
        let k = adapter.outputLength, b = context.shape[0], l = context.shape[1], tokens = adapter.markedTokens(contextLength: l)
        let session = adapter.beginSession(backbone: backbone)
        var window = context
        var pieces: [Tensor] = []
        for step in 0..<steps {
            let windowMarks = marks?.slice(axis: 1, step..<(step + tokens))                 // [B, N, F]
            let (mean, std) = statistics(window)
            let predicted = tokenOutputs(window, mean: mean, std: std, marks: windowMarks, session: session)  // [B, N', K]
            let n = predicted.shape[1]
            let next = predicted.slice(axis: 1, (n - 1)..<n).reshaped([b, k])               // [B, K]
            pieces.append(next)
            if step == steps - 1 { break }
            window = k >= l ? next.slice(axis: 1, (k - l)..<k)
                : Tensor.concat([window.slice(axis: 1, k..<l), next], axis: 1)              // [B, L]
        }
        return pieces
    }

    /// Growing-context rollout under the first context's normalisation; with `useCache` each step
    /// feeds one token through the KV cache, otherwise it recomputes the whole sequence (the
    /// reference the cached path is tested against). Needs `adapter.supportsCachedRollout`.
    public func growingRollout(_ context: Tensor, steps: Int, useCache: Bool, marks: Tensor? = nil) -> [Tensor] {
        precondition(adapter.supportsCachedRollout, "growingRollout: \(Adapter.self) has no cached rollout")
        let k = adapter.outputLength, b = context.shape[0], n = adapter.markedTokens(contextLength: context.shape[1])
        let session = adapter.beginSession(backbone: backbone)
        let (mean, std) = statistics(context)
        let mean3 = mean.reshaped([b, 1, 1]), std3 = std?.reshaped([b, 1, 1])
        let normalized = Self.normalize(context, mean: mean, std: std)                       // [B, L]
        var tokens = adapter.embed(normalized, marks: marks?.slice(axis: 1, 0..<n), session: session)  // [B, N, D]
        let cache = KVCache(reservingCapacity: n + steps)
        var hidden = useCache ? backbone.hiddenStates(tokens, cache: cache) : backbone.hiddenStates(tokens)
        var pieces: [Tensor] = []
        for step in 0..<steps {
            let last = hidden.slice(axis: 1, (hidden.shape[1] - 1)..<hidden.shape[1])        // [B, 1, D]
            let predicted = adapter.project(last, session: session)                          // [B, 1, K]
            pieces.append(((std3.map { predicted * $0 } ?? predicted) + mean3).reshaped([b, k]))
            if step == steps - 1 { break }
            let token = adapter.embedAppended(predicted, marks: marks?.slice(axis: 1, (n + step)..<(n + step + 1)),
                                              session: session)                              // [B, 1, D]
            if useCache {
                hidden = backbone.hiddenStates(token, cache: cache)
            } else {
                tokens = Tensor.concat([tokens, token], axis: 1)
                hidden = backbone.hiddenStates(tokens)
            }
        }
        return pieces
    }
}

/// Per-window standardisation shared by the standardising adapters.
public enum InstanceNormalization {
    /// Variance floor (AutoTimes / RevIN: 1e-5).
    public static let epsilon: Float = 1e-5

    /// Per-row mean and standard deviation of `x` `[B, L]`, each `[B, 1]` (biased variance + eps),
    /// detached from the tape.
    public static func statistics(_ x: Tensor) -> (mean: Tensor, std: Tensor) {
        let mean = x.mean(axes: [1], keepDims: true)                                  // [B, 1]
        let std = (x.variance(axes: [1], keepDims: true) + epsilon).sqrt()           // [B, 1]
        return (mean.detached, std.detached)
    }
}
