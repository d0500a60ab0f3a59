// TriP-LLM-style patch autoencoder — Yu, Ouyang, Lin, "TriP-LLM: A Tri-Branch Patch-wise Large
// Language Model Framework for Time-Series Anomaly Detection" (arXiv 2508.00047, IEEE Access 2025).
// Follows the paper's layout, written from its description (the reference repository has no
// licence): a window `[B, L, C]` is cut into patches whose channels are mixed into one token
// (not channel-independent), three branches embed the patches — a local patching branch, a
// selection branch that weights patches by a learned score, and a global branch over the whole
// window — a gate fuses them per patch, the shared causal backbone (the paper's frozen LLM slot)
// maps the tokens, and a patch decoder (LayerNorm → Linear → GELU → Linear) rebuilds every patch.
// Simplifications for a 2-core CPU budget: non-overlapping patches of one size (the paper uses
// several overlapping sizes interpolated onto one grid), linear/MLP branches instead of the
// paper's causal convolutions and TCN, and the tsfc decoder (from scratch or pretrained) instead
// of GPT-2.
import TSFCNN
import TSFCTensor

/// A reconstruction autoencoder over multichannel windows: `[B, L, C]` → `[B, L, C]`.
public final class TriPLLMAutoencoder: Module {
    /// Points per window (L).
    public let windowLength: Int
    /// Points per patch (P); L is a multiple of P.
    public let patchLength: Int
    /// Channels per time step (C).
    public let channels: Int
    /// Patching branch: patch values `[B, N, P·C]` → `[B, N, D]`.
    public let patchBranch: Linear
    /// Selection branch: a score per patch `[B, N, D]` → `[B, N, 1]` …
    public let selectionScore: Linear
    /// … weighting an MLP feature of each patch `[B, N, D]` → `[B, N, D]`.
    public let selectionFeature: MLP
    /// Global branch: the whole window `[B, L·C]` → `[B, D]`, shared by every patch.
    public let globalBranch: Linear
    /// LayerNorm shared by the three branch outputs before fusion.
    public let branchNorm: LayerNorm
    /// Gate: the concatenated branches `[B, N, 3D]` → softmax weights `[B, N, 3]`.
    public let gate: Linear
    /// The shared causal backbone: tokens `[B, N, D]` → hidden states `[B, N, D]`.
    public let backbone: Module & SequenceBackbone
    /// Patch decoder: LayerNorm, then `[B, N, D]` → `[B, N, P·C]`.
    public let decoderNorm: LayerNorm
    public let decoder: MLP

    /// - Parameters:
    ///   - windowLength: L, a multiple of `patchLength`.
    ///   - patchLength: P.
    ///   - channels: C.
    ///   - backbone: the sequence model; it must accept L / P positions.
    ///   - dropout: dropout inside the selection MLP and the decoder.
    public init(windowLength: Int, patchLength: Int, channels: Int, backbone: Module & SequenceBackbone,
                dropout: Float, using rng: inout SeededGenerator) {
        precondition(patchLength > 0 && windowLength % patchLength == 0 && channels > 0,
                     "TriPLLMAutoencoder: window \(windowLength) must be a positive multiple of patch \(patchLength)")
        self.windowLength = windowLength
        self.patchLength = patchLength
        self.channels = channels
        self.backbone = backbone
        let d = backbone.width, patchValues = patchLength * channels
        patchBranch = Linear(patchValues, d, using: &rng)
        selectionScore = Linear(d, 1, using: &rng)
        selectionFeature = MLP(inputCount: d, hiddenCount: d, outputCount: d, activation: .gelu, dropout: dropout, using: &rng)
        globalBranch = Linear(windowLength * channels, d, using: &rng)
        branchNorm = LayerNorm(d)
        gate = Linear(3 * d, 3, using: &rng)
        decoderNorm = LayerNorm(d)
        decoder = MLP(inputCount: d, hiddenCount: 2 * d, outputCount: patchValues, activation: .gelu,
                      dropout: dropout, using: &rng)
        super.init()
    }

    /// Patches per window (N).
    public var patchCount: Int { windowLength / patchLength }

    /// Fused patch tokens `[B, N, D]` for windows `[B, L, C]`.
    public func embed(_ windows: Tensor) -> Tensor {
        let b = windows.shape[0], n = patchCount, d = backbone.width
        let patches = windows.reshaped([b, n, patchLength * channels])           // [B, N, P·C]
        let local = patchBranch(patches)                                         // [B, N, D]
        let weights = selectionScore(local).reshaped([b, n]).softmax()           // [B, N]
        let selected = selectionFeature(local) * (weights.reshaped([b, n, 1]) * Float(n))  // [B, N, D]
        let global = globalBranch(windows.reshaped([b, windowLength * channels]))
            .reshaped([b, 1, d]) + Tensor.zeros([1, n, 1])                       // [B, N, D]
        let branches = [branchNorm(local), branchNorm(selected), branchNorm(global)]
        let g = gate(Tensor.concat(branches, axis: 2)).softmax()                 // [B, N, 3]
        var fused = branches[0] * g.slice(axis: 2, 0..<1)                         // [B, N, D]
        fused = fused + branches[1] * g.slice(axis: 2, 1..<2)
        fused = fused + branches[2] * g.slice(axis: 2, 2..<3)
        return fused
    }

    /// Reconstructions `[B, L, C]` of windows `[B, L, C]`.
    public func reconstruct(_ windows: Tensor) -> Tensor {
        precondition(windows.shape.count == 3 && windows.shape[1] == windowLength && windows.shape[2] == channels,
                     "TriPLLMAutoencoder: windows \(windows.shape) are not [B, \(windowLength), \(channels)]")
        let b = windows.shape[0]
        let hidden = backbone.hiddenStates(embed(windows))                       // [B, N, D]
        return decoder(decoderNorm(hidden)).reshaped([b, windowLength, channels]) // [B, L, C]
    }

    /// Mean squared reconstruction error of windows `[B, L, C]` (a scalar): the training loss.
    public func loss(_ windows: Tensor) -> Tensor {
        Loss.meanSquaredError(reconstruct(windows), windows)
    }
}
