// Fitting AR-Net on lag windows by minibatch Adam, as the paper's reference does (MSE + λ·R on the
// first layer, λ warmed up), with a one-cycle-like learning rate (linear warm-up, cosine decay);
// the paper recommends the 1cycle policy because AR-Net is sensitive to the learning rate. The
// loop is tsfc's one `Trainer`, set to the reference's choices: Adam without weight decay, a
// warm-up share, one generator reshuffling the windows each epoch, no clipping, no validation.
import TSFCNN
import TSFCTensor
import TSFCTraining

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
    /// A NaN or infinite loss does not stop the fit (it shows in the returned losses). Rethrows
    /// the shared `Trainer`'s errors; with these options (no checkpoint, no validation, non-finite
    /// losses kept) it has none to raise.
    @discardableResult
    public func fit(_ windows: LagWindows, options: ARNetFitOptions) throws -> [Float] {
        precondition(windows.lags == lags && windows.forecasts == forecasts, "ARNetwork.fit: window geometry differs")
        precondition(options.epochs > 0 && options.batchSize > 0, "ARNetwork.fit: epochs and batch size must be positive")
        guard windows.count > 0 else { return [] }
        let none = LagWindows(inputs: [], targets: [], lags: lags, forecasts: forecasts)
        let task = ARNetTrainingTask(network: self, windows: windows, validation: none, regularizer: options.regularizer)
        var sums: [Double] = [], stepsPerEpoch = 1
        _ = try Trainer(options: options.trainerOptions, seed: options.seed).fit(task) { event in
            switch event {
            case let .started(_, steps, _, _, _):
                stepsPerEpoch = steps
            case let .step(_, epoch, loss, _):
                if epoch == sums.count { sums.append(0) }
                sums[epoch] += Double(loss)
            case .validated:
                break
            }
            return .proceed
        }
        return sums.map { Float($0 / Double(stepsPerEpoch)) }
    }

    /// An AR-Net of order `lags` fitted to a series.
    public static func fit(series: [Float], lags: Int, forecasts: Int = 1, hidden: [Int] = [],
                           options: ARNetFitOptions) throws -> ARNetwork {
        var rng = SeededGenerator(seed: options.seed)
        let net = ARNetwork(lags: lags, forecasts: forecasts, hidden: hidden, using: &rng)
        try net.fit(LagWindows(series: series, lags: lags, forecasts: forecasts), options: options)
        return net
    }
}

extension ARNetFitOptions {
    /// The shared trainer's settings for these options.
    var trainerOptions: TrainerOptions {
        var o = TrainerOptions(epochs: epochs, batchSize: batchSize, learningRate: learningRate)
        o.warmup = .fraction(warmupFraction)
        o.optimizer = .adam
        o.order = .successiveShuffles
        o.failsOnNonFiniteLoss = false
        return o
    }
}

/// AR-Net on lag windows as a `TrainingTask`: the forecasts' MSE plus the sparsity regulariser
/// on the first layer's weights; validated on the MSE alone (series fits pass no validation windows).
final class ARNetTrainingTask: TrainingTask {
    let network: ARNetwork
    let windows: LagWindows
    let validation: LagWindows
    let regularizer: SparsityRegularizer

    init(network: ARNetwork, windows: LagWindows, validation: LagWindows, regularizer: SparsityRegularizer) {
        self.network = network
        self.windows = windows
        self.validation = validation
        self.regularizer = regularizer
    }

    var module: Module { network }
    var trainingCount: Int { windows.count }
    var validationCount: Int { validation.count }

    func trainingLoss(indices: [Int], progress: Float) -> Tensor {
        let (x, y) = ARNetTrainingTask.batch(windows, indices)
        let mse = Loss.meanSquaredError(network(x), y)
        guard let reg = regularizer.term(network.firstLayer.weight.value, progress: progress) else { return mse }
        return mse + reg
    }

    func validationLoss(indices: [Int]) -> Float {
        let (x, y) = ARNetTrainingTask.batch(validation, indices)
        return Loss.meanSquaredError(network(x), y).item
    }

    /// Lag inputs `[B, p]` and targets `[B, h]` of the windows at `indices`.
    static func batch(_ windows: LagWindows, _ indices: [Int]) -> (inputs: Tensor, targets: Tensor) {
        let p = windows.lags, h = windows.forecasts
        var x = [Float](), y = [Float]()
        x.reserveCapacity(indices.count * p); y.reserveCapacity(indices.count * h)
        for i in indices {
            x.append(contentsOf: windows.inputs[(i * p)..<((i + 1) * p)])
            y.append(contentsOf: windows.targets[(i * h)..<((i + 1) * h)])
        }
        return (Tensor(shape: [indices.count, p], scalars: x), Tensor(shape: [indices.count, h], scalars: y))
    }
}
