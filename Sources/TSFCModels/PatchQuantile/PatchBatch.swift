// PatchBatch: histories of any lengths as one batch of patch tokens — each series standardised
// by the mean and deviation of its own observed points, left-padded to a whole number of tokens
// and to the batch's longest series, with masks that keep the padding out of every real token.
import TSFCTensor

/// Patch-token inputs of a batch of histories.
struct PatchBatch {
    /// Token features `[B, N, 2P + 1]`: the P standardised values (0 where padded), the P
    /// observed flags, and where the value 0 lies on the standardised scale (÷ 10, clamped to
    /// ±1), which tells the model about positivity and intermittency that standardising hides.
    let features: Tensor
    /// Additive attention mask `[B, 1, 1, N]`: 0 on tokens with an observed point, −1e9 on
    /// tokens that are all padding.
    let attentionMask: Tensor
    /// Per-series location μ and scale σ (data units).
    let location: [Float]
    let scale: [Float]
    /// The anchor forecast of the next O points of each history on its standardised scale
    /// `[B, O]`: the Theta method's forecast (`.theta`) or the last observed value (`.last`). The
    /// head reads it and forecasts departures from it, so an untrained head forecasts the anchor.
    let anchors: Tensor
    /// Each history's loss weight `[B]` (see `PatchQuantileLossScale`): 1, or its deviation ÷
    /// its in-sample (seasonal) naive mean absolute error, so the pinball loss is in MASE's units.
    let lossWeights: [Float]
    /// Tokens per series N.
    let tokens: Int

    /// The largest loss weight (a nearly noiseless trend would otherwise rule a batch).
    static let maximumWeight: Float = 100

    /// σ ÷ the mean absolute (seasonal, when the history is longer than a season) difference of
    /// `history`: the factor that turns an error in units of σ into MASE's units; 1 when the
    /// history has no such difference (fewer than 2 points, or constant).
    static func maseWeight(_ history: [Float], sigma: Float, season: Int) -> Float {
        let m = season > 1 && history.count > season ? season : 1
        guard history.count > m else { return 1 }
        var total: Double = 0
        for t in m..<history.count { total += Double(Swift.abs(history[t] - history[t - m])) }
        let scale = Float(total / Double(history.count - m))
        guard scale > 0 else { return 1 }
        return Swift.min(sigma / scale, maximumWeight)
    }

    /// Standardised values are clamped to ±`clamp` so an outlier cannot blow up a batch.
    static let clamp: Float = 50
    static let maskedScore: Float = -1e9

    /// The standardisation of a history: its mean and its (population) deviation, floored so a
    /// constant series keeps a positive scale.
    static func statistics(_ history: [Float]) -> (location: Float, scale: Float) {
        guard !history.isEmpty else { return (0, 1) }
        var mean: Double = 0
        for v in history { mean += Double(v) }
        mean /= Double(history.count)
        var square: Double = 0
        for v in history { square += (Double(v) - mean) * (Double(v) - mean) }
        let std = (square / Double(history.count)).squareRoot()
        let floor = Swift.max(1e-3 * Swift.abs(mean), 1e-6)
        return (Float(mean), Float(Swift.max(std, floor)))
    }

    /// Builds the batch; `tokens` (default: enough for the longest history) may be larger to
    /// pad further (every history must fit: `count ≤ tokens · P`).
    init(histories: [[Float]], patch: Int, tokens: Int? = nil, anchor: PatchQuantileAnchor = .last,
         outputLength: Int = 1, seasonLengths: [Int]? = nil, lossScale: PatchQuantileLossScale = .standard) {
        let longest = histories.map(\.count).max() ?? 0
        let n = Swift.max(tokens ?? (longest + patch - 1) / patch, 1)
        precondition(longest <= n * patch, "PatchBatch: a history of \(longest) points does not fit \(n) tokens of \(patch)")
        let b = histories.count, width = 2 * patch + 1
        var features = [Float](repeating: 0, count: b * n * width)
        var mask = [Float](repeating: PatchBatch.maskedScore, count: b * n)
        var location: [Float] = [], scale: [Float] = [], anchors: [Float] = [], weights: [Float] = []
        for (i, history) in histories.enumerated() {
            let (mu, sigma) = PatchBatch.statistics(history)
            location.append(mu)
            scale.append(sigma)
            let zero = Swift.min(Swift.max(-mu / sigma / 10, -1), 1)
            weights.append(lossScale == .mase ? PatchBatch.maseWeight(history, sigma: sigma, season: seasonLengths?[i] ?? 1) : 1)
            let path: [Float]
            switch anchor {
            case .last: path = [Float](repeating: history.last ?? mu, count: outputLength)
            case .theta: path = ThetaMethod.forecast(history, horizon: outputLength, seasonLength: seasonLengths?[i] ?? 1)
            }
            anchors += path.map { Swift.min(Swift.max(($0 - mu) / sigma, -PatchBatch.clamp), PatchBatch.clamp) }
            let pad = n * patch - history.count                   // points of left padding
            for t in 0..<n {
                let base = (i * n + t) * width
                features[base + 2 * patch] = zero
                for j in 0..<patch {
                    let position = t * patch + j - pad
                    guard position >= 0 else { continue }
                    let v = (history[position] - mu) / sigma
                    features[base + j] = Swift.min(Swift.max(v, -PatchBatch.clamp), PatchBatch.clamp)
                    features[base + patch + j] = 1
                    mask[i * n + t] = 0
                }
            }
        }
        self.features = Tensor(shape: [b, n, width], scalars: features)
        self.attentionMask = Tensor(shape: [b, 1, 1, n], scalars: mask)
        self.anchors = Tensor(shape: [b, outputLength], scalars: anchors)
        self.lossWeights = weights
        self.location = location
        self.scale = scale
        self.tokens = n
    }

    /// Targets `[B, O]` standardised like their histories, and their mask `[B, O]`: each
    /// history's loss weight where the target is observed, 0 where it is missing (targets
    /// shorter than O are padded at the end).
    func standardizedTargets(_ targets: [[Float]], length: Int) -> (values: Tensor, mask: Tensor) {
        var values = [Float](repeating: 0, count: targets.count * length)
        var mask = [Float](repeating: 0, count: targets.count * length)
        for (i, target) in targets.enumerated() {
            for (k, y) in target.prefix(length).enumerated() {
                let v = (y - location[i]) / scale[i]
                values[i * length + k] = Swift.min(Swift.max(v, -PatchBatch.clamp), PatchBatch.clamp)
                mask[i * length + k] = lossWeights[i]
            }
        }
        return (Tensor(shape: [targets.count, length], scalars: values), Tensor(shape: [targets.count, length], scalars: mask))
    }
}
