// Time-LLM patch embedding (reference `layers/Embed.py` TokenEmbedding): a kernel-3 Conv1d without
// bias whose input channels are the patch's points and whose time axis is the patch axis, with
// circular padding, so each patch embedding also mixes its two neighbours (the first and last
// patch wrap around). Kaiming-normal initialised (fan-in, leaky-ReLU gain), then dropout.
import TSFCNN
import TSFCTensor

/// Patches `[B, P, patchLength]` → patch embeddings `[B, P, width]`.
public final class PatchEmbedding: Module, UnaryLayer {
    /// Convolution kernel `[width, patchLength, 3]`.
    public let weight: Parameter
    let dropout: Dropout

    public init(patchLength: Int, width: Int, dropout rate: Float, using rng: inout SeededGenerator) {
        let fanIn = patchLength * 3
        // torch kaiming_normal_(mode="fan_in", nonlinearity="leaky_relu"), slope 0.01.
        let gain = (2 / (1 + 0.01 * 0.01) as Float).squareRoot()
        weight = Parameter(Tensor.randomNormal([width, patchLength, 3],
                                               standardDeviation: gain / Float(fanIn).squareRoot(), using: &rng))
        dropout = Dropout(rate: rate, seed: rng.next())
        super.init()
    }

    /// Embedding width (Time-LLM's `d_model`).
    public var width: Int { weight.shape[0] }

    public func callAsFunction(_ patches: Tensor) -> Tensor {
        precondition(patches.rank == 3 && patches.shape[2] == weight.shape[1],
                     "PatchEmbedding: expected [B, P, \(weight.shape[1])], got \(patches.shape)")
        let channelsFirst = patches.permuted([0, 2, 1])                                  // [B, len, P]
        let y = channelsFirst.conv1d(weight: weight.value, padding: .circular(1))        // [B, width, P]
        return dropout(y.permuted([0, 2, 1]))                                            // [B, P, width]
    }
}
