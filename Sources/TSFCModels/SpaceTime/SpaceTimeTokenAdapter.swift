// SpaceTimeTokenAdapter: SpaceTime's encoder (Zhang et al., ICLR 2023) as an adapter of the
// shared causal decoder. The encoder's features at every segment boundary (points S−1, 2S−1, …,
// L−1) become the decoder's tokens (through a Linear C → D); a Linear D → S head predicts the next
// segment at every token (next-token training, as AutoTimes); windows are centred on their mean
// (the reference's `data_transform mean`).
import TSFCNN
import TSFCTensor

/// SpaceTime encoder features as segment tokens.
public final class SpaceTimeTokenAdapter: Module, TokenAdapter {
    /// The SSM encoder (built without the closed-loop decoder).
    public let network: SpaceTimeNetwork
    /// Encoder features → token embeddings `[B, N, C]` → `[B, N, D]`.
    public let tokenProjection: Linear
    /// Hidden state → next segment `[B, N, D]` → `[B, N, S]`.
    public let segmentHead: Linear
    /// Points per segment (S).
    public let segmentLength: Int

    public init(network: SpaceTimeNetwork, tokenProjection: Linear, segmentHead: Linear, segmentLength: Int) {
        self.network = network
        self.tokenProjection = tokenProjection
        self.segmentHead = segmentHead
        self.segmentLength = segmentLength
        super.init()
    }

    public var outputLength: Int { segmentLength }
    public var firstTargetOffset: Int { segmentLength }
    public var targetStride: Int { segmentLength }
    public var normalization: WindowNormalization { .centre }

    /// Tokens `[B, N, D]`: encoder features `[B, C, L]` at the N segment ends.
    public func embed(_ normalized: Tensor, marks: Tensor?, session: Void) -> Tensor {
        let s = segmentLength, n = normalized.shape[1] / s
        let features = network.encode(normalized)                                         // [B, C, L]
        let boundaries = (1...n).map { $0 * s - 1 }
        let tokens = features.indexSelect(axis: 2, indices: boundaries).permuted([0, 2, 1])  // [B, N, C]
        return tokenProjection(tokens)                                                    // [B, N, D]
    }

    public func project(_ hidden: Tensor, session: Void) -> Tensor { segmentHead(hidden) }  // [B, N, S]
}

/// SpaceTime on the shared decoder.
public typealias SpaceTimeDecoderForecaster = TokenForecaster<SpaceTimeTokenAdapter>

extension TokenForecaster where Adapter == SpaceTimeTokenAdapter {
    /// Next-segment predictions `[B, N, S]` at every segment boundary of contexts `[B, L]`, on
    /// the context's scale.
    public func nextSegments(_ context: Tensor) -> Tensor { tokenOutputs(context) }
}
