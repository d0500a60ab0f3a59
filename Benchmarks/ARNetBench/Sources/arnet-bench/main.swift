// arnet-bench: AR-Net (minibatch Adam, fixed epochs) vs Classic-AR (LAPACK least squares) fit
// time as the model order p grows, on a sparse AR(3) series (φ = [0.2, 0.3, −0.5]), as the
// AR-Net paper's §4.1.2 / Fig. 8. Usage: arnet-bench [n] [epochs] [p …]
import Foundation
import TSFCModels
import TSFCTensor

let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let n = args.first ?? 20_000
let epochs = args.count > 1 ? args[1] : 2
let orders = args.count > 2 ? Array(args.dropFirst(2)) : [10, 100, 1000]

var rng = SeededGenerator(seed: 1)
let phi: [Double] = [0.2, 0.3, -0.5]
var y = [Double](repeating: 0, count: n + 1000)
for t in 3..<y.count { y[t] = Double(rng.nextNormal()) + phi[0] * y[t - 1] + phi[1] * y[t - 2] + phi[2] * y[t - 3] }
let series = y.suffix(n).map { Float($0) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("n = \(n), AR-Net: \(epochs) epochs, batch 256, Adam; Classic-AR: dgels (QR) with intercept")
print("    p   arnet_s   lsq_s   arnet_sTPE   lsq_sTPE")
for p in orders {
    let truth = [0.2, 0.3, -0.5] + [Float](repeating: 0, count: max(p - 3, 0))
    var ls: ClassicAR!
    var net: ARNetwork!
    let tLS = try seconds { ls = try ClassicAR.fit(series: series, lags: p) }
    var options = ARNetFitOptions(epochs: epochs, batchSize: 256, learningRate: 3e-3, seed: 1)
    options.regularizer.sparsity = min(1, 3 / Float(p))
    let tNet = try seconds { net = try ARNetwork.fit(series: series, lags: p, options: options) }
    let eNet = symmetricTotalPercentageError(estimated: net.coefficients()!, truth: Array(truth.prefix(p)))
    let eLS = symmetricTotalPercentageError(estimated: ls.coefficients()!, truth: Array(truth.prefix(p)))
    print(String(format: "%5d  %8.2f  %6.2f   %10.2f   %8.2f", p, tNet, tLS, eNet, eLS))
}
