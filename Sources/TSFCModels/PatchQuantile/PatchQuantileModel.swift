// PatchQuantileModel: a decoder-only forecaster for zero-shot use, in the manner of TimesFM
// (Das et al., "A decoder-only foundation model for time-series forecasting", ICML 2024) and
// Chronos-Bolt (Ansari et al., "Chronos: Learning the Language of Time Series", TMLR 2024):
// each history is standardised on its own, cut into small patches (tokens), embedded by a
// residual MLP, read by the shared causal decoder (LLaMA-style: rotary positions, so any
// context length works) with padded tokens masked out of attention, and the last token's hidden
// state is read out as Q quantiles of each of the next O points (pinball loss). Horizons beyond O
// roll out on the median. The head forecasts departures from the last observed value, so an
// untrained model forecasts "no change" (an inductive bias that matters at CPU-sized training
// budgets). Optionally the median is blended with a Theta forecast.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// The zero-shot patch quantile decoder (`model.adapter: patch-quantile`).
public final class PatchQuantileModel: Module, QuantileForecastingModel {
    public let configuration: ModelConfiguration
    public let settings: PatchQuantileConfiguration
    /// Patch features `[.., 2P + 1]` → token embeddings `[.., D]`.
    public let embedding: ResidualMLP
    /// The shared causal decoder.
    public let backbone: CausalDecoder
    /// Last hidden state `[B, D]` → `[B, O·Q]` standardised quantiles.
    public let head: ResidualMLP

    /// Builds a freshly initialised model (seeded), or the architecture stored in a bundle.
    public init(configuration: ModelConfiguration, seed: UInt64, storedBackbone: DecoderConfiguration? = nil) throws {
        self.configuration = configuration
        settings = configuration.patchQuantile
        var rng = SeededGenerator(seed: seed)
        let b = configuration.backbone
        let decoder = storedBackbone ?? DecoderConfiguration.scratch(
            style: .llama, layers: b.layers, width: b.width, heads: b.heads,
            mlpHidden: b.mlpHidden > 0 ? b.mlpHidden : nil, dropout: b.dropout)
        backbone = try CausalDecoder(configuration: decoder, using: &rng)
        let p = settings.patchLength
        embedding = ResidualMLP(input: 2 * p + 1, hidden: settings.hidden, output: decoder.width, using: &rng)
        head = ResidualMLP(input: decoder.width + (settings.anchor == .theta ? settings.outputLength : 0), hidden: settings.hidden,
                           output: settings.outputLength * settings.quantiles.count, using: &rng)
        super.init()
    }

    public var contextLength: Int { settings.maxContext }
    public var minimumContext: Int { settings.minimumContext }
    public var targetLength: Int { settings.outputLength }
    public var quantileLevels: [Float] { settings.quantiles }
    public var decoderConfiguration: DecoderConfiguration? { backbone.configuration }

    /// Standardised quantiles `[B, O, Q]` of the O points after each history of `batch`.
    func quantiles(_ batch: PatchBatch) -> Tensor {
        let b = batch.features.shape[0]
        let tokens = embedding(batch.features)                                          // [B, N, D]
        let hidden = backbone(embeddings: tokens, attentionMask: batch.attentionMask)    // [B, N, D]
        var last = hidden.slice(axis: 1, (batch.tokens - 1)..<batch.tokens).reshaped([b, backbone.width])  // [B, D]
        if settings.anchor == .theta { last = Tensor.concat([last, batch.anchors], axis: 1) }           // [B, D + O]
        // Departures from the anchor forecast: [B, O, Q] + [B, O, 1].
        return head(last).reshaped([b, settings.outputLength, settings.quantiles.count])
            + batch.anchors.reshaped([b, settings.outputLength, 1])
    }

    /// The patch tokens and anchors of a batch of histories.
    func makeBatch(_ histories: [[Float]], seasonLengths: [Int]?, tokens: Int? = nil) -> PatchBatch {
        PatchBatch(histories: histories, patch: settings.patchLength, tokens: tokens, anchor: settings.anchor,
                   outputLength: settings.outputLength, seasonLengths: seasonLengths, lossScale: settings.lossScale)
    }

    /// The pinball loss of forecasting each target (up to O points, masked where shorter) from
    /// its history, on the history's standardised scale. `tokens` pads the batch to that many
    /// tokens (default: the longest history's).
    public func pinballLoss(histories: [[Float]], targets: [[Float]], seasonLengths: [Int]? = nil, tokens: Int? = nil) -> Tensor {
        let batch = makeBatch(histories, seasonLengths: seasonLengths, tokens: tokens)
        let (values, mask) = batch.standardizedTargets(targets, length: settings.outputLength)
        return Loss.pinball(quantiles(batch), values, mask: mask, levels: settings.quantiles)
    }

    /// The pinball loss as a sum over observed targets and levels and the number of its terms
    /// (data-parallel training adds both over ranks; their ratio is `pinballLoss`).
    public func pinballLossSum(histories: [[Float]], targets: [[Float]], seasonLengths: [Int]? = nil) -> (sum: Tensor, count: Double) {
        let batch = makeBatch(histories, seasonLengths: seasonLengths)
        let (values, mask) = batch.standardizedTargets(targets, length: settings.outputLength)
        return Loss.pinballSum(quantiles(batch), values, mask: mask, levels: settings.quantiles)
    }

    /// The pinball loss of each window on its own (mean over its observed targets and the
    /// levels), without gradients.
    public func pinballLossPerWindow(histories: [[Float]], targets: [[Float]], seasonLengths: [Int]? = nil) -> [Float] {
        withoutGradients {
            let batch = makeBatch(histories, seasonLengths: seasonLengths)
            let (values, mask) = batch.standardizedTargets(targets, length: settings.outputLength)
            let q = quantiles(batch).scalars, y = values.scalars, m = mask.scalars        // [B, O, Q], [B, O], [B, O]
            let o = settings.outputLength, levels = settings.quantiles
            return histories.indices.map { i in
                var total: Float = 0, count: Float = 0
                for k in 0..<o where m[i * o + k] > 0 {
                    for (j, level) in levels.enumerated() {
                        let e = y[i * o + k] - q[(i * o + k) * levels.count + j]
                        total += e >= 0 ? level * e : (level - 1) * e
                    }
                    count += Float(levels.count)
                }
                return total / Swift.max(count, 1) * batch.lossWeights[i]
            }
        }
    }

    /// Windows `[B, W]`: the last O points are the targets, the rest the history.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let (histories, targets) = PatchQuantileModel.split(windows, outputLength: settings.outputLength)
        return pinballLoss(histories: histories, targets: targets)
    }

    static func split(_ windows: Tensor, outputLength: Int) -> ([[Float]], [[Float]]) {
        let b = windows.shape[0], w = windows.shape[1], l = w - outputLength
        precondition(l >= 1, "patch-quantile: windows of \(w) points leave no history before \(outputLength) targets")
        let s = windows.scalars
        return ((0..<b).map { Array(s[($0 * w)..<($0 * w + l)]) }, (0..<b).map { Array(s[($0 * w + l)..<(($0 + 1) * w)]) })
    }

    /// Median forecasts `[B, H]` of standardised or raw contexts `[B, L]` (the model scales each
    /// series itself); `mode` and `marks` are not used.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        let b = context.shape[0], l = context.shape[1], s = context.scalars
        let histories = (0..<b).map { Array(s[($0 * l)..<(($0 + 1) * l)]) }
        let q = forecastQuantiles(histories: histories, horizon: horizon)
        return Tensor(shape: [b, horizon], scalars: q.flatMap { $0[medianIndex] })
    }

    /// Quantiles `[series][level][step]` in data units; `seasonLengths` (one per series, 1 for
    /// none) feed the Theta component when `theta_weight` > 0.
    public func forecastQuantiles(histories: [[Float]], horizon: Int, seasonLengths: [Int]?) -> [[[Float]]] {
        precondition(horizon > 0, "forecast: horizon must be positive")
        let levels = settings.quantiles.count, o = settings.outputLength
        var result = histories.map { _ in [[Float]](repeating: [], count: levels) }
        var extended = histories.map { Array($0.suffix(settings.maxContext)) }
        var produced = 0
        while produced < horizon {
            let step = PatchQuantileModel.batched(extended, patch: settings.patchLength) { chunk in                  // [series][O][Q]
                self.rawQuantiles(chunk.map { extended[$0] }, seasonLengths: seasonLengths.map { s in chunk.map { s[$0] } })
            }
            let take = Swift.min(o, horizon - produced)
            for i in 0..<histories.count {
                for k in 0..<take {
                    var sorted = step[i][k].sorted()                                     // no crossing
                    if produced > 0 { widenToPreviousChunk(&sorted, previous: result[i].map { $0[produced - 1] }) }
                    for j in 0..<levels { result[i][j].append(sorted[j]) }
                }
                extended[i] = Array((extended[i] + result[i][medianIndex].suffix(take)).suffix(settings.maxContext))
            }
            produced += take
        }
        if settings.thetaWeight > 0 {
            for i in 0..<histories.count {
                let theta = ThetaMethod.forecast(histories[i], horizon: horizon, seasonLength: seasonLengths?[i] ?? 1)
                for k in 0..<horizon {
                    let shift = settings.thetaWeight * (theta[k] - result[i][medianIndex][k])
                    for j in 0..<levels { result[i][j][k] += shift }
                }
            }
        }
        return result
    }

    /// A rolled-out chunk forecasts from the median path as if it had happened, so its spread
    /// understates the uncertainty accumulated before it: each quantile is kept at least as far
    /// from the median as at the previous chunk's last step (`previous`, by level). Lower levels
    /// take the smaller of two ascending offsets and upper levels the larger, so the levels stay
    /// ascending.
    func widenToPreviousChunk(_ quantiles: inout [Float], previous: [Float]) {
        let m = medianIndex
        let median = quantiles[m], previousMedian = previous[m]
        for j in quantiles.indices where j != m {
            let offset = quantiles[j] - median, previousOffset = previous[j] - previousMedian
            quantiles[j] = median + (j < m ? Swift.min(offset, previousOffset) : Swift.max(offset, previousOffset))
        }
    }

    /// Quantiles `[series][O][Q]` in data units of histories that fit the context.
    func rawQuantiles(_ histories: [[Float]], seasonLengths: [Int]? = nil) -> [[[Float]]] {
        withoutGradients {
            let batch = makeBatch(histories, seasonLengths: seasonLengths)
            let q = quantiles(batch).scalars                                             // [B, O, Q]
            let o = settings.outputLength, levels = settings.quantiles.count
            return histories.indices.map { i in
                (0..<o).map { k in
                    (0..<levels).map { j in q[(i * o + k) * levels + j] * batch.scale[i] + batch.location[i] }
                }
            }
        }
    }

    /// Runs `body` over the histories' indices in chunks of histories with the same number of
    /// patch tokens (at most `size` each) and returns one result per history, in the original
    /// order. No history is padded, so each forecast depends on its own history only, not on
    /// which others share its batch: a panel split over MPI ranks forecasts every series to the
    /// same bits as one process does.
    static func batched<T>(_ histories: [[Float]], patch: Int = 8, size: Int = 64, _ body: ([Int]) -> [T]) -> [T] {
        let tokens = histories.map { ($0.count + patch - 1) / patch }
        let order = histories.indices.sorted { (tokens[$0], $0) < (tokens[$1], $1) }
        var out = [T?](repeating: nil, count: histories.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && end - start < size && tokens[order[end]] == tokens[order[start]] { end += 1 }
            let chunk = Array(order[start..<end])
            // Filled up to a multiple of 16 histories (repeats of the first), so every matrix
            // product has whole 16-row tiles and no history lands in BLAS's remainder kernels,
            // which sum in another order.
            let filled = chunk + Array(repeating: chunk[0], count: (16 - chunk.count % 16) % 16)
            for (i, value) in zip(chunk, body(filled)) { out[i] = value }
            start = end
        }
        return out.map { $0! }
    }
}

extension ModelFamily {
    /// The zero-shot patch quantile decoder.
    public static let patchQuantile = ModelFamily(
        kind: .patchQuantile,
        paper: "Patch-token quantile decoder for zero-shot forecasting (after TimesFM, Das et al., ICML 2024, and Chronos-Bolt, Ansari et al., 2024)",
        build: { config, context in try PatchQuantileModel(configuration: config, seed: context.seed, storedBackbone: context.storedBackbone) },
        problems: { PatchQuantileConfiguration.problems($0) })
}
