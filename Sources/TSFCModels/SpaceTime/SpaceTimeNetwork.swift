// SpaceTime encoder/decoder network — Zhang et al., "Effectively Modeling Time Series with Simple
// Discrete State Spaces" (ICLR 2023). Follows the reference's ETTh1 recipe (`--n_blocks 1`):
// repeat embedding → encoder block (fixed preprocessing SSM views, multi-head companion SSM with
// skip D, residual channel MLP, plus the preprocessed input) → further encoder blocks
// (companion SSM + MLP + skip) → closed-loop companion decoder → GELU → Dropout → Linear(C → 1).
// Each window's lag mean is subtracted and added back (`--data_transform mean`).
import TSFCNN
import TSFCTensor

/// Architecture of a SpaceTime network.
public struct SpaceTimeArchitecture: Equatable, Sendable {
    /// Companion state size d (reference `kernel_dim`: 64).
    public var stateSize: Int = 64
    /// Copies of the preprocessing views; channels C = views × repeats (reference: 8 × 16 = 128).
    public var viewRepeats: Int = 16
    /// Moving-average windows of the residual views (the reference draws 4 from [4, 64)).
    public var movingAverageWindows: [Int] = [4, 12, 24, 48]
    /// Companion kernels of the first encoder block; each serves C / kernels channels (heads).
    public var encoderKernels: Int = 16
    /// Encoder blocks (the first has the preprocessing SSM; later ones one kernel per channel).
    public var encoderBlocks: Int = 1
    /// Dropout of the MLPs and the output head (reference ETTh1: 0.25).
    public var dropout: Float = 0.25
    /// Chunk length of the SSM convolutions (speed only: results equal the direct convolution).
    public var chunkLength: Int = 64
    /// How the companion vectors are normalised (`bounded`, or the reference code's).
    public var normalization: SpaceTimeNormalization = .bounded

    public init() {}

    /// Preprocessing views V = 4 differencing orders + the moving-average windows.
    public var views: Int { 4 + movingAverageWindows.count }
    /// Channels C.
    public var channels: Int { views * viewRepeats }
}

/// One SpaceTime encoder block: `[B, C, L]` → `[B, C, L]`.
public final class SpaceTimeEncoderBlock: Module {
    public let ssm: CompanionSSM
    public let mlp: ResidualChannelMLP

    public init(channels: Int, kernels: Int, stateSize: Int, dropout: Float, chunk: Int = 64,
                normalization: SpaceTimeNormalization = .bounded, using rng: inout SeededGenerator) {
        ssm = CompanionSSM(channels: channels, kernels: kernels, stateSize: stateSize, chunk: chunk,
                           normalization: normalization, using: &rng)
        mlp = ResidualChannelMLP(channels: channels, dropout: dropout, using: &rng)
        super.init()
    }

    /// mlp(ssm(z)) + z.
    public func callAsFunction(_ z: Tensor) -> Tensor { mlp(ssm(z)) + z }
}

/// What one forward pass produces (all de-meaned back to the series' scale where a series).
public struct SpaceTimeOutputs {
    /// Closed-loop forecast `[B, H]` of the H points after the lag.
    public var forecast: Tensor
    /// Open-loop one-step predictions `[B, L]` (entry t predicts point t + 1), training only.
    public var oneStep: Tensor?
    /// The decoder's predicted next inputs `[B, C, L]` (entry t predicts input t + 1).
    public var nextInputPrediction: Tensor?
    /// The decoder's actual inputs `[B, C, L]` (the encoder output).
    public var decoderInput: Tensor?
}

/// The SpaceTime encoder/decoder forecaster.
public final class SpaceTimeNetwork: Module {
    public let architecture: SpaceTimeArchitecture
    public let preprocessing: PreprocessingSSM
    public let encoder: [SpaceTimeEncoderBlock]
    /// The closed-loop decoder; nil when the network only encodes (shared-backbone variant).
    public let decoder: ClosedLoopSSM?
    public let outputDropout: Dropout
    public let output: Linear?

    public init(architecture: SpaceTimeArchitecture, withDecoder: Bool = true, using rng: inout SeededGenerator) {
        let arch = architecture
        precondition(arch.encoderBlocks >= 1 && arch.viewRepeats >= 1 && arch.channels % arch.encoderKernels == 0,
                     "SpaceTimeNetwork: invalid architecture \(arch)")
        self.architecture = arch
        preprocessing = PreprocessingSSM(windows: arch.movingAverageWindows)
        var blocks = [SpaceTimeEncoderBlock(channels: arch.channels, kernels: arch.encoderKernels,
                                            stateSize: arch.stateSize, dropout: arch.dropout, chunk: arch.chunkLength,
                                            normalization: arch.normalization, using: &rng)]
        for _ in 1..<arch.encoderBlocks {
            blocks.append(SpaceTimeEncoderBlock(channels: arch.channels, kernels: arch.channels,
                                                stateSize: arch.stateSize, dropout: arch.dropout, chunk: arch.chunkLength,
                                                normalization: arch.normalization, using: &rng))
        }
        encoder = blocks
        decoder = withDecoder ? ClosedLoopSSM(channels: arch.channels, stateSize: arch.stateSize, chunk: arch.chunkLength,
                                                  normalization: arch.normalization, using: &rng) : nil
        outputDropout = Dropout(rate: arch.dropout, seed: rng.next())
        output = withDecoder ? Linear(arch.channels, 1, using: &rng) : nil
        super.init()
    }

    /// Encoder features `[B, C, L]` of de-meaned series `[B, L]`.
    public func encode(_ x: Tensor) -> Tensor {
        var z = preprocessing(x).repeated(axis: 1, times: architecture.viewRepeats)  // [B, C, L]: channel r·V + v
        for block in encoder { z = block(z) }
        return z
    }

    /// The output head on decoder outputs `[B, C, T]` → `[B, T]`.
    func head(_ y: Tensor) -> Tensor {
        guard let output else { preconditionFailure("SpaceTimeNetwork: no decoder head") }
        let t = y.permuted([0, 2, 1])                                               // [B, T, C]
        let b = t.shape[0], steps = t.shape[1]
        return output(outputDropout(t.gelu())).reshaped([b, steps])                 // [B, T]
    }

    /// A forward pass on contexts `[B, L]`: the closed-loop forecast of `horizon` points and,
    /// with `training`, the open-loop one-step and next-input predictions the loss needs.
    public func callAsFunction(_ context: Tensor, horizon: Int, training: Bool) -> SpaceTimeOutputs {
        guard let decoder else { preconditionFailure("SpaceTimeNetwork: built without a decoder") }
        let mean = context.mean(axes: [1], keepDims: true).detached                 // [B, 1]
        let z = encode(context - mean)                                              // [B, C, L]
        let (closed, open, next) = decoder(z, horizon: horizon, openLoop: training)
        let forecast = head(closed) + mean                                          // [B, H]
        var out = SpaceTimeOutputs(forecast: forecast)
        if let open {
            out.oneStep = head(open) + mean                                         // [B, L]
            out.nextInputPrediction = next
            out.decoderInput = z
        }
        return out
    }

    /// Closed-loop forecasts `[B, H]` for contexts `[B, L]`, any H ≥ 1.
    public func forecast(_ context: Tensor, horizon: Int) -> Tensor {
        self(context, horizon: horizon, training: false).forecast
    }
}

/// Weights of SpaceTime's three loss terms (reference `--criterion_weights 1 1 1`).
public struct SpaceTimeLossWeights: Equatable, Sendable {
    public var horizon: Float = 1
    public var oneStep: Float = 1
    public var nextInput: Float = 1
    public init(horizon: Float = 1, oneStep: Float = 1, nextInput: Float = 1) {
        self.horizon = horizon
        self.oneStep = oneStep
        self.nextInput = nextInput
    }
}

extension SpaceTimeNetwork {
    /// Root of a mean squared error (the reference's `informer_rmse`), with a 1e-12 floor
    /// under the root so the gradient stays finite at a perfect fit.
    static func rootMeanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        ((prediction - target).squared().mean() + 1e-12).sqrt()
    }

    /// SpaceTime's three training terms on windows `[B, L + H]` (lag L): RMSE of the closed-loop
    /// horizon forecast; RMSE of the open-loop one-step predictions after the first d − 1 burn-in
    /// steps (outputs d−1 … L−1 against points d … L); RMSE of the decoder's next-input
    /// predictions (d−1 … L−2 against its inputs d … L−1). Each is a scalar.
    public func lossTerms(windows: Tensor, lag: Int) -> (horizon: Tensor, oneStep: Tensor, nextInput: Tensor) {
        let total = windows.shape[1], h = total - lag
        precondition(h >= 1 && lag >= 2, "SpaceTimeNetwork.lossTerms: windows \(windows.shape) need lag \(lag) ≥ 2 plus a horizon")
        let context = windows.slice(axis: 1, 0..<lag)                                   // [B, L]
        let out = self(context, horizon: h, training: true)
        let horizonTerm = SpaceTimeNetwork.rootMeanSquaredError(out.forecast, windows.slice(axis: 1, lag..<total))
        let burn = Swift.min(architecture.stateSize - 1, lag - 2)
        let oneStepTerm = SpaceTimeNetwork.rootMeanSquaredError(
            out.oneStep!.slice(axis: 1, burn..<lag), windows.slice(axis: 1, (burn + 1)..<(lag + 1)))
        let nextTerm = SpaceTimeNetwork.rootMeanSquaredError(
            out.nextInputPrediction!.slice(axis: 2, burn..<(lag - 1)), out.decoderInput!.slice(axis: 2, (burn + 1)..<lag))
        return (horizonTerm, oneStepTerm, nextTerm)
    }

    /// The weighted sum of `lossTerms` (a scalar).
    public func trainingLoss(windows: Tensor, lag: Int, weights: SpaceTimeLossWeights) -> Tensor {
        let t = lossTerms(windows: windows, lag: lag)
        return t.horizon * weights.horizon + t.oneStep * weights.oneStep + t.nextInput * weights.nextInput
    }
}
