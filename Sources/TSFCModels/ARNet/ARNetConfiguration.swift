// The `model.arnet:` section: AR-Net (Triebe et al. 2019) hyperparameters, read by the `arnet`
// adapter (and `lags`, on a backbone, by nothing else). Names follow NeuralProphet's AR-Net knobs
// where they exist (`ar_layers`); the regulariser follows the paper (c1 = c2 = 3, λ = c_λ·(1/s − 1)).

/// AR-Net's architecture and sparsity regulariser.
public struct ARNetConfiguration: Codable, Equatable, Sendable {
    /// Lags per token on the shared backbone (each token embeds the `lags` points ending at its
    /// position). Standalone AR-Net reads `model.context_length` lags and ignores this.
    public var lags: Int = 24
    /// Hidden ReLU layer widths between the lags and the outputs (standalone); empty = linear AR.
    public var arLayers: [Int] = []
    /// Expected sparsity s ∈ (0, 1]: share of non-zero lags; 1 turns the regulariser off.
    public var sparsity: Float = 1
    /// c_λ in λ = c_λ·(1/s − 1) (reference v0.1: 0.02).
    public var regularizationScale: Float = 0.02
    /// Regulariser constants c1, c2 (paper: 3, 3).
    public var c1: Float = 3
    public var c2: Float = 3
    /// Share of training over which λ warms up quadratically (reference: 0.5).
    public var warmupFraction: Float = 0.5

    public init() {}

    enum CodingKeys: String, CodingKey {
        case lags, arLayers = "ar_layers", sparsity, regularizationScale = "regularization_scale"
        case c1, c2, warmupFraction = "warmup_fraction"
    }

    /// The regulariser these settings describe.
    public var regularizer: SparsityRegularizer {
        SparsityRegularizer(c1: c1, c2: c2, scale: regularizationScale, sparsity: sparsity, warmupFraction: warmupFraction)
    }

    /// Problems with an `arnet` or `classic-ar` model configuration, each as (dotted key, message).
    public static func problems(_ m: ModelConfiguration) -> [(String, String)] {
        var out: [(String, String)] = []
        let a = m.arnet
        if m.contextLength < 1 { out.append(("model.context_length", "must be ≥ 1 for \(m.adapter)")) }
        if m.adapter == .classicAR && m.backbone.kind != .none {
            out.append(("model.backbone.kind", "is \(m.backbone.kind), but classic-ar is a least-squares fit without a decoder; use none"))
        }
        if a.arLayers.contains(where: { $0 < 1 }) { out.append(("model.arnet.ar_layers", "must all be ≥ 1")) }
        if !(a.sparsity > 0 && a.sparsity <= 1) { out.append(("model.arnet.sparsity", "must be in (0, 1] (1: no regulariser)")) }
        if !(a.regularizationScale >= 0) { out.append(("model.arnet.regularization_scale", "must be ≥ 0")) }
        if !(a.c1 > 0) { out.append(("model.arnet.c1", "must be > 0")) }
        if !(a.c2 > 0) { out.append(("model.arnet.c2", "must be > 0")) }
        if !(0...1).contains(a.warmupFraction) { out.append(("model.arnet.warmup_fraction", "must be in [0, 1]")) }
        if m.adapter == .arnet && m.backbone.kind != .none {
            if a.lags < 1 || a.lags > m.contextLength {
                out.append(("model.arnet.lags", "is \(a.lags), but must be in 1...context_length (\(m.contextLength)) on a backbone"))
            }
            if !a.arLayers.isEmpty {
                out.append(("model.arnet.ar_layers", "hidden layers are for standalone AR-Net (backbone.kind: none); on a backbone the decoder is the hidden network"))
            }
        }
        return out
    }
}
