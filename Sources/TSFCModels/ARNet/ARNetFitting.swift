// Fitting AR-Net on lag windows by minibatch Adam, as the paper's reference does (MSE + λ·R on the
// first layer, λ warmed up), with a one-cycle-like learning rate (linear warm-up, cosine decay);
// the paper recommends the 1cycle policy because AR-Net is sensitive to the learning rate.
import TSFCNN
import TSFCOptim
import TSFCTensor

/// How `ARNetwork.fit` trains.
public struct ARNetFitOptions: Sendable {
    public var epochs: Int = 10
    public var batchSize: Int = 128
    /// Peak learning rate of Adam.
    public var learningRate: Float = 1e-2
    /// Share of steps spent warming the learning rate up.
    public var warmupFraction: Float = 0.1
    public var regularizer = SparsityRegularizer()
    public var seed: UInt64 = 0

    public init(epochs: Int = 10, batchSize: Int = 128, learningRate: Float = 1e-2,
                regularizer: SparsityRegularizer = SparsityRegularizer(), seed: UInt64 = 0) {
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate
        self.regularizer = regularizer; self.seed = seed
    }
}

extension ARNetwork {
    /// Trains the network on `windows`; returns the mean training objective of each epoch.
    @discardableResult
    public func fit(_ windows: LagWindows, options: ARNetFitOptions) -> [Float] {
        precondition(windows.lags == lags && windows.forecasts == forecasts, "ARNetwork.fit: window geometry differs")
        precondition(options.epochs > 0 && options.batchSize > 0, "ARNetwork.fit: epochs and batch size must be positive")
        let n = windows.count
        guard n > 0 else { return [] }
        let stepsPerEpoch = (n + options.batchSize - 1) / options.batchSize
        let total = stepsPerEpoch * options.epochs
        let schedule = WarmupCosineSchedule(peak: options.learningRate,
                                            warmupSteps: Int(Float(total) * options.warmupFraction), totalSteps: total)
        let optimizer = Adam(learningRate: options.learningRate)
        let parameters = self.parameters()
        var rng = SeededGenerator(seed: options.seed)
        var order = Array(0..<n)
        var losses: [Float] = []
        var step = 0
        train()
        for _ in 0..<options.epochs {
            order.shuffle(using: &rng)
            var sum: Double = 0
            for s in 0..<stepsPerEpoch {
                let idx = order[(s * options.batchSize)..<Swift.min((s + 1) * options.batchSize, n)]
                var x = [Float](), y = [Float]()
                x.reserveCapacity(idx.count * lags); y.reserveCapacity(idx.count * forecasts)
                for i in idx {
                    x.append(contentsOf: windows.inputs[(i * lags)..<((i + 1) * lags)])
                    y.append(contentsOf: windows.targets[(i * forecasts)..<((i + 1) * forecasts)])
                }
                let xb = Tensor(shape: [idx.count, lags], scalars: x)           // [B, p]
                let yb = Tensor(shape: [idx.count, forecasts], scalars: y)      // [B, h]
                let progress = Float(step) / Float(total)
                let value = TSFCNN.valueAndGradient(for: parameters) {
                    let mse = Loss.meanSquaredError(self(xb), yb)
                    guard let reg = options.regularizer.term(firstLayer.weight.value, progress: progress) else { return mse }
                    return mse + reg
                }.value.item
                optimizer.learningRate = schedule.learningRate(at: step)
                optimizer.step(parameters)
                sum += Double(value)
                step += 1
            }
            losses.append(Float(sum / Double(stepsPerEpoch)))
        }
        eval()
        return losses
    }

    /// An AR-Net of order `lags` fitted to a series.
    public static func fit(series: [Float], lags: Int, forecasts: Int = 1, hidden: [Int] = [],
                           options: ARNetFitOptions) -> ARNetwork {
        var rng = SeededGenerator(seed: options.seed)
        let net = ARNetwork(lags: lags, forecasts: forecasts, hidden: hidden, using: &rng)
        net.fit(LagWindows(series: series, lags: lags, forecasts: forecasts), options: options)
        return net
    }
}
