// ClassicAR: the least-squares autoregression AR-Net is compared with (paper §4, "Classic-AR"):
// ŷ = b + W·x over p lags, fitted in closed form by LAPACK `dgels` (QR) with an intercept column.
// The same interface as `ARNetwork` (`AutoregressiveModel`); weights are `Parameter`s so the model
// saves and loads like any module.
import TSFCNN
import TSFCTensor

/// A linear AR(p) model with `forecasts` direct outputs, fitted by least squares.
public final class ClassicAR: Module, AutoregressiveModel {
    /// `[n_forecasts, p]`, inputs oldest first (as `ARNetwork.firstLayer.weight`).
    public let weight: Parameter
    /// `[n_forecasts]` intercepts.
    public let bias: Parameter
    public let lags: Int
    public let forecasts: Int

    /// An unfitted (all-zero) model.
    public init(lags: Int, forecasts: Int = 1) {
        precondition(lags > 0 && forecasts > 0, "ClassicAR: lags and forecasts must be positive")
        weight = Parameter(Tensor.zeros([forecasts, lags]))
        bias = Parameter(Tensor.zeros([forecasts]))
        self.lags = lags
        self.forecasts = forecasts
        super.init()
    }

    public var isLinear: Bool { true }
    public var lagWeights: [[Float]] { ARLagOrder.lagFirst(weight.value) }

    /// `[B, p]` → `[B, n_forecasts]`.
    public func predict(_ windows: Tensor) -> Tensor {
        windows.matmul(weight.value, transposeB: true) + bias.value
    }

    /// Fits weights and intercepts to `windows` by least squares (double precision).
    public func fit(_ windows: LagWindows) throws {
        precondition(windows.lags == lags && windows.forecasts == forecasts, "ClassicAR.fit: window geometry differs")
        let m = windows.count, k = lags + 1
        var a = [Double](repeating: 1, count: m * k)     // [m, p + 1], last column = intercept
        for i in 0..<m { for j in 0..<lags { a[i * k + j] = Double(windows.inputs[i * lags + j]) } }
        let b = windows.targets.map(Double.init)          // [m, h]
        let x = try LeastSquares.solve(a: a, b: b, rows: m, columns: k, rightHandSides: forecasts)  // [p + 1, h]
        var w = [Float](repeating: 0, count: forecasts * lags)
        for o in 0..<forecasts { for j in 0..<lags { w[o * lags + j] = Float(x[j * forecasts + o]) } }
        weight.value = Tensor(shape: [forecasts, lags], scalars: w)
        bias.value = Tensor(shape: [forecasts], scalars: (0..<forecasts).map { Float(x[lags * forecasts + $0]) })
    }

    /// An AR(`lags`) model fitted to a series.
    public static func fit(series: [Float], lags: Int, forecasts: Int = 1) throws -> ClassicAR {
        let model = ClassicAR(lags: lags, forecasts: forecasts)
        try model.fit(LagWindows(series: series, lags: lags, forecasts: forecasts))
        return model
    }
}
