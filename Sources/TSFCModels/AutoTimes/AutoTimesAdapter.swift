// AutoTimes adapter — Liu et al., "AutoTimes: Autoregressive Time Series Forecasters via Large
// Language Models" (NeurIPS 2024). Follows the reference code's layers/mlp.py and
// models/AutoTimes_*.py: non-overlapping segments of S points are embedded by an MLP
// (Linear → act → Dropout → Linear, or one Linear when hidden = 0), fed to a causal decoder, and
// projected back to S points by a mirrored, separate MLP. Position information, when used, is
// L2-normalised and added to the L2-normalised segment embeddings with a learnable scale
// (initialised to 1), as the paper mixes its timestamp embeddings.
import TSFCNN
import TSFCTensor

/// Segment embedding and projection of AutoTimes.
public final class AutoTimesAdapter: Module {
    /// Points per segment (S).
    public let segmentLength: Int
    /// Segment → token embedding: `[B, N, S]` → `[B, N, D]`.
    public let encoder: Module & UnaryLayer
    /// Hidden state → next segment: `[B, N, D]` → `[B, N, S]`.
    public let decoder: Module & UnaryLayer
    /// Calendar features → position embedding (`[B, N, F]` → `[B, N, D]`), when used.
    public let positionEncoder: Linear?
    /// Learnable weight of the position embedding (AutoTimes' `add_scale`).
    public let positionScale: Parameter?

    /// - Parameters:
    ///   - segmentLength: S.
    ///   - width: D, the backbone's width.
    ///   - hidden: MLP hidden width; 0 uses single linear maps.
    ///   - calendarFeatures: number of calendar features per token, or 0 for none.
    ///   - textPositions: marks are already `[B, N, D]` embeddings (AutoTimes' textual
    ///     timestamps): no `positionEncoder`, only the learnable scale.
    public init(segmentLength: Int, width: Int, hidden: Int, activation: Activation, dropout: Float,
                calendarFeatures: Int = 0, textPositions: Bool = false, using rng: inout SeededGenerator) {
        self.segmentLength = segmentLength
        if hidden > 0 {
            encoder = MLP(inputCount: segmentLength, hiddenCount: hidden, outputCount: width,
                          activation: activation, dropout: dropout, using: &rng)
            decoder = MLP(inputCount: width, hiddenCount: hidden, outputCount: segmentLength,
                          activation: activation, dropout: dropout, using: &rng)
        } else {
            encoder = Linear(segmentLength, width, using: &rng)
            decoder = Linear(width, segmentLength, using: &rng)
        }
        if calendarFeatures > 0 {
            positionEncoder = Linear(calendarFeatures, width, using: &rng)
            positionScale = Parameter(Tensor([1]))
        } else if textPositions {
            positionEncoder = nil
            positionScale = Parameter(Tensor([1]))
        } else {
            positionEncoder = nil
            positionScale = nil
        }
        super.init()
    }

    /// Token embeddings for normalised segments `[B, N, S]` (and calendar marks `[B, N, F]`, or
    /// text-timestamp embeddings `[B, N, D]` when there is no `positionEncoder`).
    public func embed(_ segments: Tensor, marks: Tensor? = nil) -> Tensor {
        let tokens = encoder(segments)                                   // [B, N, D]
        guard let positionScale, let marks else { return tokens }
        let position = positionEncoder.map { $0(marks) } ?? marks        // [B, N, D]
        return AutoTimesAdapter.l2Normalized(tokens) + positionScale.value * AutoTimesAdapter.l2Normalized(position)
    }

    /// Next-segment predictions `[B, N, S]` from hidden states `[B, N, D]`.
    public func project(_ hidden: Tensor) -> Tensor { decoder(hidden) }

    /// x / ‖x‖₂ along the last axis (torch `F.normalize`, eps 1e-12).
    static func l2Normalized(_ x: Tensor) -> Tensor {
        x / ((x * x).sum(axes: [-1], keepDims: true).sqrt().maximum(Tensor(1e-12)))
    }
}
