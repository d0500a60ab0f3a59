// Forecaster: instance-normalise → segment → adapter.embed → backbone → adapter.project →
// de-normalise, trained on next-segment MSE at every position and rolled out to any horizon
// (AutoTimes, Liu et al. 2024, §3 and the reference test loop).
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// An autoregressive segment forecaster on a shared causal backbone.
public final class Forecaster: Module {
    /// The model configuration it was built from.
    public let configuration: ModelConfiguration
    public let adapter: AutoTimesAdapter
    public let backbone: Module & SequenceBackbone

    /// Variance floor of the per-window instance normalisation (AutoTimes: 1e-5).
    public static let normalizationEpsilon: Float = 1e-5

    public init(configuration: ModelConfiguration, adapter: AutoTimesAdapter, backbone: Module & SequenceBackbone) {
        self.configuration = configuration
        self.adapter = adapter
        self.backbone = backbone
        super.init()
    }

    /// Points per segment (S).
    public var segmentLength: Int { configuration.segmentLength }
    /// Context length in points (L = N·S).
    public var contextLength: Int { configuration.contextLength }

    /// The longest horizon the KV-cached rollout reaches: a backbone with learned positions holds
    /// N + steps − 1 tokens at most (nil when there is no such limit).
    public var longestCachedHorizon: Int? {
        backbone.maximumLength.map { Swift.max(0, $0 - configuration.contextSegments + 1) * segmentLength }
    }

    /// Per-row mean and standard deviation of `x` `[B, L]`, each `[B, 1]` (biased variance + eps).
    public static func instanceStatistics(_ x: Tensor) -> (mean: Tensor, std: Tensor) {
        let mean = x.mean(axes: [1], keepDims: true)                                  // [B, 1]
        let std = (x.variance(axes: [1], keepDims: true) + normalizationEpsilon).sqrt() // [B, 1]
        return (mean.detached, std.detached)
    }

    /// Next-segment predictions at every position for contexts `[B, L]`, normalised by the
    /// given statistics (`[B, 1]` each) and returned de-normalised: `[B, N, S]`, where row i
    /// predicts the segment after segment i.
    /// `marks` `[B, N, F]` are the tokens' position marks when the model uses timestamps.
    public func nextSegments(_ context: Tensor, mean: Tensor, std: Tensor, marks: Tensor? = nil) -> Tensor {
        let b = context.shape[0], s = segmentLength, n = context.shape[1] / s
        precondition(context.shape[1] == n * s, "Forecaster: context length \(context.shape[1]) is not a multiple of \(s)")
        let normalized = (context - mean) / std                         // [B, L]
        let segments = normalized.reshaped([b, n, s])                   // [B, N, S]
        let hidden = backbone.hiddenStates(adapter.embed(segments, marks: marks))  // [B, N, D]
        let predicted = adapter.project(hidden)                         // [B, N, S]
        return predicted * std.reshaped([b, 1, 1]) + mean.reshaped([b, 1, 1])
    }

    /// Next-segment predictions with the context's own statistics.
    public func nextSegments(_ context: Tensor, marks: Tensor? = nil) -> Tensor {
        let (mean, std) = Forecaster.instanceStatistics(context)
        return nextSegments(context, mean: mean, std: std, marks: marks)
    }

    /// Training loss on windows `[B, L + S]`: the MSE between the predictions from the first L
    /// points and the same points shifted by one segment (the next-token target at all N positions).
    /// `marks` `[B, N, F]` mark the N context tokens.
    public func loss(windows: Tensor, marks: Tensor? = nil) -> Tensor {
        let l = contextLength, s = segmentLength, b = windows.shape[0]
        let context = windows.slice(axis: 1, 0..<l)                                      // [B, L]
        let target = windows.slice(axis: 1, s..<(l + s)).reshaped([b, l / s, s])        // [B, N, S]
        return Loss.meanSquaredError(nextSegments(context, marks: marks), target)
    }

    /// Forecasts `horizon` points after each context `[B, L]` → `[B, H]`, by ⌈H/S⌉ next-segment
    /// steps, truncated to H.
    ///
    /// `.renormalize` is the paper's loop: slide the window one segment per step (dropping the
    /// oldest), re-normalise it and re-run all N tokens. `.cached` keeps the first context's
    /// statistics, grows the context by one token per step and feeds only that token through the
    /// backbone's KV cache (N + steps − 1 positions; with learned positions the backbone must have
    /// that many).
    ///
    /// `marks` `[B, N + steps − 1, F]` (or longer) mark the context tokens and then each appended
    /// segment, steps = ⌈H/S⌉; the sliding rollout's window at step k uses marks k ..< k + N.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode = .renormalize, marks: Tensor? = nil) -> Tensor {
        precondition(horizon > 0, "Forecaster.forecast: horizon must be positive")
        let steps = (horizon + segmentLength - 1) / segmentLength
        if let marks {
            precondition(marks.shape.count == 3 && marks.shape[0] == context.shape[0]
                         && marks.shape[1] >= context.shape[1] / segmentLength + steps - 1,
                         "Forecaster.forecast: marks \(marks.shape) do not cover the context and \(steps) steps")
        }
        let pieces = withoutGradients {
            switch mode {
            case .renormalize: return slidingRollout(context, steps: steps, marks: marks)
            case .cached: return growingRollout(context, steps: steps, useCache: true, marks: marks)
            }
        }
        return Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<horizon)     // [B, H]
    }

    func slidingRollout(_ context: Tensor, steps: Int, marks: Tensor? = nil) -> [Tensor] {
        let s = segmentLength, b = context.shape[0], tokens = context.shape[1] / s
        var window = context
        var pieces: [Tensor] = []
        for step in 0..<steps {
            let windowMarks = marks?.slice(axis: 1, step..<(step + tokens))     // [B, N, F]
            let predictions = nextSegments(window, marks: windowMarks)          // [B, N, S]
            let n = predictions.shape[1]
            let next = predictions.slice(axis: 1, (n - 1)..<n).reshaped([b, s])  // [B, S]
            pieces.append(next)
            window = Tensor.concat([window.slice(axis: 1, s..<window.shape[1]), next], axis: 1)
        }
        return pieces
    }

    /// Growing-context rollout under the first context's normalisation; with `useCache` each
    /// step feeds one token through the KV cache, otherwise it recomputes the whole sequence
    /// (the reference the cached path is tested against).
    func growingRollout(_ context: Tensor, steps: Int, useCache: Bool, marks: Tensor? = nil) -> [Tensor] {
        let s = segmentLength, b = context.shape[0], n = context.shape[1] / s
        let (mean, std) = Forecaster.instanceStatistics(context)
        let mean3 = mean.reshaped([b, 1, 1]), std3 = std.reshaped([b, 1, 1])
        var tokens = adapter.embed(((context - mean) / std).reshaped([b, n, s]),
                                   marks: marks?.slice(axis: 1, 0..<n))             // [B, N, D]
        let cache = KVCache(reservingCapacity: n + steps)
        var hidden = useCache ? backbone.hiddenStates(tokens, cache: cache) : backbone.hiddenStates(tokens)
        var pieces: [Tensor] = []
        for step in 0..<steps {
            let last = hidden.slice(axis: 1, (hidden.shape[1] - 1)..<hidden.shape[1])  // [B, 1, D]
            let normalized = adapter.project(last)                                       // [B, 1, S]
            pieces.append((normalized * std3 + mean3).reshaped([b, s]))
            if step == steps - 1 { break }
            let token = adapter.embed(normalized, marks: marks?.slice(axis: 1, (n + step)..<(n + step + 1)))  // [B, 1, D]
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
