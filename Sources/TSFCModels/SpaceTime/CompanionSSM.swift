// SpaceTime's SSM layers (Zhang et al., ICLR 2023; reference `model/ssm/companion.py` and
// `model/ssm/closed_loop/companion.py`): an open-loop companion SSM with multi-head kernels and a
// skip D, and the closed-loop companion SSM of the decoder, which also predicts its own next input.
import TSFCNN
import TSFCTensor

/// Initial values of the companion vectors: N(0, 1/d) (the reference draws N(0, 1); with
/// b, c ~ N(0, 1) the first tap cᵀb alone has variance d, which saturates a 128-channel model).
func companionInit(_ kernels: Int, _ d: Int, using rng: inout SeededGenerator) -> Tensor {
    Tensor.randomNormal([kernels, d], standardDeviation: 1 / Float(d).squareRoot(), using: &rng)
}

/// How the companion vectors are normalised before use.
public enum SpaceTimeNormalization: String, ConfigurationChoice {
    /// a / max(1, ‖a‖₁), and the closed loop A + b kᵀ scaled as a whole by
    /// 1 / max(1, min(‖M‖₁, ‖M‖∞)) (`Companion.closedLoopScale`): every rollout stays bounded,
    /// and the pure shift and stable AR companions are representable exactly.
    case bounded
    /// The reference code's (`norm_order: 1`): a / ‖a‖₁ always; in the closed loop
    /// A + b̂ k̂ᵀ with b̂, k̂ L1-normalised, read out by ĉ, while the lag state uses the raw b; the
    /// open-loop paths use b̂, ĉ and k̂. k starts random (N(0, 1/d)), not at zero.
    case reference

    /// The normalised last column of A.
    func column(_ a: Tensor) -> Tensor {
        self == .reference ? Companion.unitRows(a) : Companion.normalizedColumn(a)
    }
}

/// An open-loop companion SSM: y = K ∗ u + D ⊙ u per channel, K_j = cᵀA^j b, A = S + a e_dᵀ.
/// Kernel k serves channels k·g ..< (k+1)·g (g = channels / kernels heads).
public final class CompanionSSM: Module {
    /// Last column of A, `[K, d]` (L1-normalised to ≤ 1 before use).
    public let a: Parameter
    /// Input vector b `[K, d]`.
    public let b: Parameter
    /// Output vector c `[K, d]`.
    public let c: Parameter
    /// Skip D `[C]` (ones initially, an identity path; the reference draws N(0, 1)).
    public let skip: Parameter?
    /// Channels C.
    public let channels: Int
    /// Chunk length P of the convolution (`Companion.chunkedConvolution`).
    public let chunk: Int
    /// How a is normalised.
    public let normalization: SpaceTimeNormalization

    /// - Parameters: channels C, kernels K (C must be a multiple of K), state size d ≥ 2, chunk P.
    public init(channels: Int, kernels: Int, stateSize d: Int, skip: Bool = true, chunk: Int = 64,
                normalization: SpaceTimeNormalization = .bounded, using rng: inout SeededGenerator) {
        precondition(kernels > 0 && channels % kernels == 0 && d >= 2,
                     "CompanionSSM: channels \(channels) must be a multiple of kernels \(kernels); d = \(d) ≥ 2")
        self.channels = channels
        self.chunk = chunk
        self.normalization = normalization
        a = Parameter(companionInit(kernels, d, using: &rng))
        b = Parameter(companionInit(kernels, d, using: &rng))
        c = Parameter(companionInit(kernels, d, using: &rng))
        self.skip = skip ? Parameter(Tensor.ones([channels])) : nil
        super.init()
    }

    /// The kernels `[K, L]` for sequences of length L.
    public func kernel(length: Int) -> Tensor {
        Companion.kernel(column: normalization.column(a.value), b: b.value, c: c.value, length: length)
    }

    /// `[B, C, L]` → `[B, C, L]`.
    public func callAsFunction(_ u: Tensor) -> Tensor {
        let y = Companion.chunkedConvolution(u, column: normalization.column(a.value), b: b.value,
                                             readouts: [c.value], chunk: chunk)[0]        // [B, C, L]
        guard let skip else { return y }
        return y + u * skip.value.reshaped([1, channels, 1])
    }
}

/// The decoder's closed-loop companion SSM (one kernel per channel). Its state after the lag,
/// x = Σ_s A^{L−1−s} b u_s, is rolled forward with the feedback u_{t+1} ≈ kᵀx_t, i.e. by
/// M̃ = σ(A + b kᵀ) (σ ≤ 1 bounds the rollout, see `Companion.closedLoopScale`), and read out as
/// y_h = cᵀM̃^h x. With `bounded` normalisation k starts at 0, so the rollout starts as the
/// open-loop companion dynamics; `reference` uses the reference code's normalised b̂, ĉ, k̂ instead.
/// Output y_t predicts the series' next point; kᵀx_t predicts the layer's next input.
public final class ClosedLoopSSM: Module {
    public let a: Parameter
    public let b: Parameter
    public let c: Parameter
    /// Feedback k `[C, d]`: the next-input predictor.
    public let k: Parameter
    public let channels: Int
    /// Chunk length P of the open-loop convolutions.
    public let chunk: Int
    /// How a, b, c and k are normalised (and whether the loop is bounded).
    public let normalization: SpaceTimeNormalization

    public init(channels: Int, stateSize d: Int, chunk: Int = 64, normalization: SpaceTimeNormalization = .bounded,
                using rng: inout SeededGenerator) {
        precondition(channels > 0 && d >= 2, "ClosedLoopSSM: channels \(channels) > 0, d \(d) ≥ 2")
        self.channels = channels
        self.chunk = chunk
        self.normalization = normalization
        a = Parameter(companionInit(channels, d, using: &rng))
        b = Parameter(companionInit(channels, d, using: &rng))
        c = Parameter(companionInit(channels, d, using: &rng))
        // k̂ = k / ‖k‖₁ is not differentiable at k = 0, so the reference normalisation starts k random.
        k = Parameter(normalization == .reference ? companionInit(channels, d, using: &rng) : Tensor.zeros([channels, d]))
        super.init()
    }

    /// Closed-loop outputs `[B, C, H]` for inputs `[B, C, L]`, and (when `openLoop`) the
    /// open-loop outputs `[B, C, L]` and next-input predictions `[B, C, L]` over the lag
    /// (position t predicts position t + 1).
    public func callAsFunction(_ u: Tensor, horizon: Int, openLoop: Bool) -> (closed: Tensor, open: Tensor?, nextInput: Tensor?) {
        let l = u.shape[2]
        let an = normalization.column(a.value)                                      // [C, d]
        let states = Companion.krylov(column: an, b: b.value, length: l)            // [C, L, d]
        let x = Companion.finalState(u, krylov: states)                             // [C, B, d]
        let reference = normalization == .reference
        let bn = reference ? Companion.unitRows(b.value) : b.value                  // [C, d]
        let cn = reference ? Companion.unitRows(c.value) : c.value
        let kn = reference ? Companion.unitRows(k.value) : k.value
        let maps = Companion.closedLoopOutputMaps(column: an, b: bn, c: cn, k: kn, horizon: horizon,
                                                  scaled: !reference)                // [C, H, d]
        let closed = x.matmul(maps, transposeB: true).permuted([1, 0, 2])           // [B, C, H]
        guard openLoop else { return (closed, nil, nil) }
        let outputs = Companion.chunkedConvolution(u, column: an, b: bn, readouts: [cn, kn], chunk: chunk)
        return (closed, outputs[0], outputs[1])                                     // [B, C, L] each
    }
}

/// SpaceTime's fixed preprocessing SSM (reference `ssm/preprocess/residual.py`): causal
/// differencing kernels of orders 0…3 (rows of Pascal's triangle with alternating signs) and
/// moving-average residuals u_t − mean(u_{t−w+1…t}); not trained.
public final class PreprocessingSSM: Module {
    /// The fixed kernels `[V, P]` (V = 4 + windows, P = longest kernel).
    public let kernels: Tensor
    /// Moving-average windows of the residual views.
    public let windows: [Int]

    public init(windows: [Int]) {
        precondition(windows.allSatisfy { $0 >= 1 }, "PreprocessingSSM: windows must be ≥ 1")
        self.windows = windows
        var rows: [[Float]] = [[1], [1, -1], [1, -2, 1], [1, -3, 3, -1]]
        for w in windows {
            var row = [Float](repeating: -1 / Float(w), count: w)
            row[0] += 1
            rows.append(row)
        }
        let p = rows.map(\.count).max() ?? 1
        kernels = Tensor(shape: [rows.count, p], scalars: rows.flatMap { $0 + [Float](repeating: 0, count: p - $0.count) })
        super.init()
    }

    /// Number of views V.
    public var views: Int { kernels.shape[0] }

    /// The V views of univariate series `[B, L]` → `[B, V, L]` (zeros before the series start),
    /// as sums of delayed copies: O(P·L) per view for kernels of P taps.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let b = x.shape[0], l = x.shape[1], taps = kernels.shape[1]
        let delayed = (0..<Swift.min(taps, l)).map { j in                              // P × [B, L]: x_{t−j}
            j == 0 ? x : x.slice(axis: 1, 0..<(l - j)).padded(axis: 1, before: j, after: 0)
        }
        let rows = (0..<views).map { v -> Tensor in
            var y = Tensor.zeros([b, l])
            for (j, shifted) in delayed.enumerated() where kernels[v, j] != 0 { y = y + shifted * kernels[v, j] }
            return y.reshaped([b, 1, l])
        }
        return Tensor.concat(rows, axis: 1)                                          // [B, V, L]
    }
}

/// SpaceTime's channel MLP with its own skip: x + Linear(Dropout(GELU(x))) over channels.
public final class ResidualChannelMLP: Module {
    public let linear: Linear
    public let dropout: Dropout

    public init(channels: Int, dropout rate: Float, using rng: inout SeededGenerator) {
        linear = Linear(channels, channels, using: &rng)
        dropout = Dropout(rate: rate, seed: rng.next())
        super.init()
    }

    /// `[B, C, L]` → `[B, C, L]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let t = x.permuted([0, 2, 1])                                               // [B, L, C]
        return x + linear(dropout(t.gelu())).permuted([0, 2, 1])                     // [B, C, L]
    }
}
