// AutoTimes (Liu et al., NeurIPS 2024) on the shared decoder: the segment adapter in a
// `TokenForecaster`. Instance-normalise → segment → adapter.embed → backbone → adapter.project →
// de-normalise, trained on next-segment MSE at every position (§3 and the reference test loop)
// and rolled out to any horizon, re-normalising every step (the paper) or through the KV cache.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// AutoTimes' autoregressive segment forecaster.
public typealias Forecaster = TokenForecaster<AutoTimesAdapter>

extension AutoTimesAdapter: TokenAdapter {
    /// One segment (S) per output token.
    public var outputLength: Int { segmentLength }
    /// Token i (segment i) predicts segment i + 1.
    public var firstTargetOffset: Int { segmentLength }
    public var targetStride: Int { segmentLength }
    public var normalization: WindowNormalization { .standardize }
    public func markedTokens(contextLength: Int) -> Int { contextLength / segmentLength }
    /// Marks are read when the adapter was built with calendar features or text positions.
    public var usesMarks: Bool { positionScale != nil }

    /// `[B, L]` → segments `[B, N, S]` → tokens `[B, N, D]`.
    public func embed(_ normalized: Tensor, marks: Tensor?, session: Void) -> Tensor {
        let b = normalized.shape[0], s = segmentLength, n = normalized.shape[1] / s
        precondition(normalized.shape[1] == n * s, "AutoTimes: context length \(normalized.shape[1]) is not a multiple of \(s)")
        return embed(normalized.reshaped([b, n, s]), marks: marks)                     // [B, N, D]
    }

    public func project(_ hidden: Tensor, session: Void) -> Tensor { project(hidden) }  // [B, N, S]

    /// A segment's token depends on that segment alone, so the rollout can append tokens.
    public var supportsCachedRollout: Bool { true }
    public func embedAppended(_ normalized: Tensor, marks: Tensor?, session: Void) -> Tensor {
        embed(normalized, marks: marks)                                                 // [B, 1, S] → [B, 1, D]
    }
}

extension TokenForecaster where Adapter == AutoTimesAdapter {
    /// Points per segment (S).
    public var segmentLength: Int { adapter.segmentLength }

    /// Per-row mean and standard deviation of `x` `[B, L]`, each `[B, 1]` (biased variance + eps).
    public static func instanceStatistics(_ x: Tensor) -> (mean: Tensor, std: Tensor) {
        InstanceNormalization.statistics(x)
    }

    /// Next-segment predictions at every position for contexts `[B, L]`, normalised by the given
    /// statistics (`[B, 1]` each) and returned de-normalised: `[B, N, S]`, where row i predicts
    /// the segment after segment i. `marks` `[B, N, F]` mark the tokens when timestamps are used.
    public func nextSegments(_ context: Tensor, mean: Tensor, std: Tensor, marks: Tensor? = nil) -> Tensor {
        tokenOutputs(context, mean: mean, std: std, marks: marks, session: ())
    }

    /// Next-segment predictions with the context's own statistics.
    public func nextSegments(_ context: Tensor, marks: Tensor? = nil) -> Tensor {
        tokenOutputs(context, marks: marks)
    }
}
