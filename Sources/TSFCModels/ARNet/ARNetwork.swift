// ARNetwork: AR-Net (Triebe, Laptev, Rajagopal 2019, arXiv 1911.12436, §3.3) — p lags mapped to
// n_forecasts outputs by one Linear layer (the AR coefficients), optionally through ReLU hidden
// layers (the paper's Fig. 1b). Inputs run oldest → newest, as the reference's x_0…x_{p−1}; lag
// coefficients are reported lag 1 (the newest input) first.
import TSFCNN
import TSFCTensor

/// A linear (or deep) autoregressive model: `lags` past values → `forecasts` next values.
public protocol AutoregressiveModel: AnyObject {
    /// Model order p (inputs per window).
    var lags: Int { get }
    /// Outputs per window (direct multi-step).
    var forecasts: Int { get }
    /// Lag weights of the first layer, one row per output (or hidden unit), lag 1 first: `[rows][p]`.
    var lagWeights: [[Float]] { get }
    /// Whether `lagWeights` rows are the outputs' AR coefficients (no hidden layers).
    var isLinear: Bool { get }
    /// Forecasts `[B, forecasts]` from lag windows `[B, p]` (oldest first).
    func predict(_ windows: Tensor) -> Tensor
}

extension AutoregressiveModel {
    /// The AR coefficients of output step `step` (lag 1 first), when the model is linear.
    public func coefficients(step: Int = 0) -> [Float]? { isLinear ? lagWeights[step] : nil }
}

/// AR-Net: Linear(p → n_forecasts), or Linear(p → h₁), ReLU, …, Linear(h_k → n_forecasts).
public final class ARNetwork: Module, AutoregressiveModel {
    /// The layers in order; `layers[0]` reads the lags and carries the sparsity regulariser.
    public let layers: [Linear]
    public let lags: Int
    public let forecasts: Int

    /// A seeded network with torch's Linear initialisation.
    /// - Precondition: `lags`, `forecasts` and every hidden width are positive.
    public init(lags: Int, forecasts: Int, hidden: [Int] = [], using rng: inout SeededGenerator) {
        precondition(lags > 0 && forecasts > 0 && hidden.allSatisfy { $0 > 0 }, "ARNetwork: sizes must be positive")
        let widths = [lags] + hidden + [forecasts]
        layers = (0..<(widths.count - 1)).map { Linear(widths[$0], widths[$0 + 1], using: &rng) }
        self.lags = lags
        self.forecasts = forecasts
        super.init()
    }

    /// The first layer, whose weights `[h₁ or n_forecasts, p]` are the lag weights.
    public var firstLayer: Linear { layers[0] }
    public var isLinear: Bool { layers.count == 1 }

    /// `[B, p]` lag windows (oldest first) → `[B, n_forecasts]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = x
        for (i, layer) in layers.enumerated() {
            h = layer(h)                                  // [B, width_{i+1}]
            if i < layers.count - 1 { h = h.relu() }
        }
        return h
    }

    public func predict(_ windows: Tensor) -> Tensor { self(windows) }

    public var lagWeights: [[Float]] { ARLagOrder.lagFirst(firstLayer.weight.value) }

    /// The output bias `[n_forecasts]` of a linear network (the AR intercept).
    public var intercept: [Float]? { isLinear ? firstLayer.bias?.value.scalars : nil }
}

/// Converts between input order (oldest first) and lag order (lag 1 first).
public enum ARLagOrder {
    /// Rows of a `[rows, p]` weight matrix with the columns reversed: lag 1 first.
    public static func lagFirst(_ weight: Tensor) -> [[Float]] {
        let rows = weight.shape[0], p = weight.shape[1], s = weight.scalars
        return (0..<rows).map { r in (0..<p).map { s[r * p + p - 1 - $0] } }
    }
}
