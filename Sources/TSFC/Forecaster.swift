// Forecaster: instance-normalise → segment → adapter.embed → backbone → adapter.project →
// de-normalise, trained on next-segment MSE at every position and rolled out to any horizon
// (AutoTimes, Liu et al. 2024, §3 and the reference test loop).
import TSFCAdapters
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

    /// Per-row mean and standard deviation of `x` `[B, L]`, each `[B, 1]` (biased variance + eps).
    public static func instanceStatistics(_ x: Tensor) -> (mean: Tensor, std: Tensor) {
        let mean = x.mean(axes: [1], keepDims: true)                                  // [B, 1]
        let std = (x.variance(axes: [1], keepDims: true) + normalizationEpsilon).sqrt() // [B, 1]
        return (mean.detached, std.detached)
    }

    /// Next-segment predictions at every position for contexts `[B, L]`, normalised by the
    /// given statistics (`[B, 1]` each) and returned de-normalised: `[B, N, S]`, where row i
    /// predicts the segment after segment i.
    public func nextSegments(_ context: Tensor, mean: Tensor, std: Tensor) -> Tensor {
        let b = context.shape[0], s = segmentLength, n = context.shape[1] / s
        precondition(context.shape[1] == n * s, "Forecaster: context length \(context.shape[1]) is not a multiple of \(s)")
        let normalized = (context - mean) / std                         // [B, L]
        let segments = normalized.reshaped([b, n, s])                   // [B, N, S]
        let hidden = backbone.hiddenStates(adapter.embed(segments))     // [B, N, D]
        let predicted = adapter.project(hidden)                         // [B, N, S]
        return predicted * std.reshaped([b, 1, 1]) + mean.reshaped([b, 1, 1])
    }

    /// Next-segment predictions with the context's own statistics.
    public func nextSegments(_ context: Tensor) -> Tensor {
        let (mean, std) = Forecaster.instanceStatistics(context)
        return nextSegments(context, mean: mean, std: std)
    }

    /// Training loss on windows `[B, L + S]`: the MSE between the predictions from the first L
    /// points and the same points shifted by one segment (the next-token target at all N positions).
    public func loss(windows: Tensor) -> Tensor {
        let l = contextLength, s = segmentLength, b = windows.shape[0]
        let context = windows.slice(axis: 1, 0..<l)                                      // [B, L]
        let target = windows.slice(axis: 1, s..<(l + s)).reshaped([b, l / s, s])        // [B, N, S]
        return Loss.meanSquaredError(nextSegments(context), target)
    }

    /// Forecasts `horizon` points after each context `[B, L]` → `[B, H]`, by ⌈H/S⌉ next-segment
    /// steps. `.renormalize` slides the window one segment per step and re-normalises (the
    /// paper's loop); `.cached` keeps the first context's statistics and window start, growing the
    /// context instead (no re-normalisation; see `RolloutMode`).
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode = .renormalize) -> Tensor {
        precondition(horizon > 0, "Forecaster.forecast: horizon must be positive")
        let s = segmentLength, b = context.shape[0]
        let steps = (horizon + s - 1) / s
        return withoutGradients {
            var window = context
            var pieces: [Tensor] = []
            let (mean0, std0) = Forecaster.instanceStatistics(context)
            for _ in 0..<steps {
                let predictions: Tensor
                switch mode {
                case .renormalize: predictions = nextSegments(window)
                case .cached: predictions = nextSegments(window, mean: mean0, std: std0)
                }
                let n = predictions.shape[1]
                let next = predictions.slice(axis: 1, (n - 1)..<n).reshaped([b, s])   // [B, S]
                pieces.append(next)
                window = Tensor.concat([window.slice(axis: 1, s..<window.shape[1]), next], axis: 1)
            }
            return Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<horizon)          // [B, H]
        }
    }
}
