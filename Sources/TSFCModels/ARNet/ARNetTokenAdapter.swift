// ARNetTokenAdapter: AR-Net's lag windows (Triebe et al. 2019) as tokens of the shared causal
// decoder — one token per context position t ≥ p − 1, a linear embedding of the p-lag window
// ending at t (the AR-Net regulariser sparsifies the embedding's lag weights); a Linear D → H head
// predicts the H points after every token; windows are centred on their context mean.
import TSFCNN
import TSFCTensor

/// Lag-window tokens for the shared decoder.
public final class ARNetTokenAdapter: Module, TokenAdapter {
    /// Lag window `[p]` → token `[D]`.
    public let lagEmbedding: Linear
    /// Hidden state → next H points.
    public let head: Linear
    /// Lags per token (p).
    public let lags: Int
    /// The sparsity regulariser on `lagEmbedding`.
    public let regularizer: SparsityRegularizer

    public init(lagEmbedding: Linear, head: Linear, lags: Int, regularizer: SparsityRegularizer) {
        self.lagEmbedding = lagEmbedding
        self.head = head
        self.lags = lags
        self.regularizer = regularizer
        super.init()
    }

    public var outputLength: Int { head.weight.shape[0] }
    /// Token j reads points j ..< j + p and predicts the H points from j + p.
    public var firstTargetOffset: Int { lags }
    public var targetStride: Int { 1 }
    public var normalization: WindowNormalization { .centre }
    /// AR-Net scores its centred windows.
    public static var scoresNormalizedTargets: Bool { true }

    /// Tokens `[B, L − p + 1, D]` of centred contexts `[B, L]`.
    public func embed(_ normalized: Tensor, marks: Tensor?, session: Void) -> Tensor {
        lagEmbedding(normalized.unfolded(axis: 1, size: lags, stride: 1))               // [B, N, p] → [B, N, D]
    }

    public func project(_ hidden: Tensor, session: Void) -> Tensor { head(hidden) }     // [B, N, H]

    /// λ(progress)·R(lag-embedding weights).
    public func auxiliaryLoss(progress: Float) -> Tensor? {
        regularizer.term(lagEmbedding.weight.value, progress: progress)
    }
}

/// AR-Net on the shared decoder.
public typealias ARNetDecoderForecaster = TokenForecaster<ARNetTokenAdapter>

extension TokenForecaster: LagWeightReporting where Adapter == ARNetTokenAdapter {
    /// The embedding's lag weights, lag 1 first.
    public var lagWeightTable: LagWeightTable {
        LagWeightTable(rowKind: "embedding", rows: ARLagOrder.lagFirst(adapter.lagEmbedding.weight.value), intercepts: nil)
    }
}

extension TokenForecaster where Adapter == ARNetTokenAdapter {
    /// The H-point forecast after every token of centred contexts `[B, L]` → `[B, N, H]`.
    func tokenForecasts(_ context: Tensor) -> Tensor {
        adapter.project(backbone.hiddenStates(adapter.embed(context, marks: nil, session: ())), session: ())
    }
}
