// The `model.spacetime:` section: hyperparameters of the SpaceTime adapter (Zhang et al., ICLR
// 2023). Defaults follow the reference's ETTh1 recipe (`--n_blocks 1 --kernel_dim 64`).

/// SpaceTime's architecture and loss weights.
public struct SpaceTimeConfiguration: Codable, Equatable, Sendable {
    /// Companion state size d (`kernel_dim`).
    public var stateSize: Int = 64
    /// Copies of the preprocessing views; channels = (4 + windows) × view_repeats (128).
    public var viewRepeats: Int = 16
    /// Moving-average windows of the preprocessing residual views.
    public var movingAverageWindows: [Int] = [4, 12, 24, 48]
    /// Companion kernels of the first encoder block (each serves channels / kernels heads).
    public var encoderKernels: Int = 16
    /// Encoder blocks.
    public var encoderBlocks: Int = 1
    /// Dropout of the channel MLPs and the output head.
    public var dropout: Float = 0.25
    /// Weights of the horizon, one-step and next-input RMSE terms.
    public var lossWeights: [Float] = [1, 1, 1]
    /// Chunk length of the SSM convolutions (speed only; the outputs do not depend on it).
    public var chunkLength: Int = 64
    /// `bounded` (tsfc's: a / max(1, ‖a‖₁), closed loop scaled as a whole) or `reference` (the
    /// reference code's L1 normalisation of a, b, c and k). Missing means `bounded`, which is what
    /// bundles written before this key existed use.
    public var normalization: SpaceTimeNormalization = .bounded

    public init() {}

    enum CodingKeys: String, CodingKey {
        case stateSize = "state_size", viewRepeats = "view_repeats"
        case movingAverageWindows = "moving_average_windows", encoderKernels = "encoder_kernels"
        case encoderBlocks = "encoder_blocks", dropout, lossWeights = "loss_weights", chunkLength = "chunk_length"
        case normalization
    }

    /// The network architecture these settings describe.
    public var architecture: SpaceTimeArchitecture {
        var a = SpaceTimeArchitecture()
        a.stateSize = stateSize
        a.viewRepeats = viewRepeats
        a.movingAverageWindows = movingAverageWindows
        a.encoderKernels = encoderKernels
        a.encoderBlocks = encoderBlocks
        a.dropout = dropout
        a.chunkLength = chunkLength
        a.normalization = normalization
        return a
    }

    /// Problems with a spacetime model configuration, each as (dotted key, message); empty when valid.
    public static func problems(_ m: ModelConfiguration) -> [(String, String)] {
        var out = m.spacetime.problems().map { ("model.spacetime.\($0.0)", $0.1) }
        if m.contextLength < 2 { out.append(("model.context_length", "must be ≥ 2 for spacetime")) }
        if m.backbone.kind != .none {
            if m.contextLength % m.segmentLength != 0 {
                out.append(("model.context_length", "is \(m.contextLength), but SpaceTime on a backbone takes one token per segment_length (\(m.segmentLength)) points; use a multiple"))
            }
            if m.horizon != 0 && m.horizon != m.segmentLength {
                out.append(("model.horizon", "is \(m.horizon), but SpaceTime on a backbone predicts one segment per token and rolls out any horizon; leave it out"))
            }
        }
        return out
    }

    /// Problems with these settings, each as (key under `model.spacetime`, message); empty when valid.
    public func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        if stateSize < 2 { out.append(("state_size", "must be ≥ 2")) }
        if viewRepeats < 1 { out.append(("view_repeats", "must be ≥ 1")) }
        if movingAverageWindows.contains(where: { $0 < 1 }) { out.append(("moving_average_windows", "must all be ≥ 1")) }
        let channels = (4 + movingAverageWindows.count) * Swift.max(viewRepeats, 1)
        if encoderKernels < 1 || channels % encoderKernels != 0 {
            out.append(("encoder_kernels", "is \(encoderKernels), but must divide the \(channels) channels ((4 + windows) × view_repeats)"))
        }
        if chunkLength < 1 { out.append(("chunk_length", "must be ≥ 1")) }
        if encoderBlocks < 1 { out.append(("encoder_blocks", "must be ≥ 1")) }
        if !(0..<1).contains(dropout) { out.append(("dropout", "must be in [0, 1)")) }
        if lossWeights.count != 3 || lossWeights.contains(where: { !($0 >= 0) }) {
            out.append(("loss_weights", "must be three non-negative weights [horizon, one_step, next_input], e.g. [1, 1, 1]"))
        }
        return out
    }
}
