// Evaluator: the papers' protocol on a standardised split — every test window at stride 1, one
// rollout to the longest horizon per (channel, context), each horizon scored on its first H
// points wherever the truth is available (identical to per-horizon test sets; no dropped batch).
import TSFCTensor

/// Scores a forecaster on rows `range` of a standardised `[T, C]` matrix.
public struct Evaluator {
    public let horizons: [Int]
    public let mode: RolloutMode
    public let batchSize: Int
    /// When set, each horizon also gets MASE and sMAPE (`HorizonScore.mase`, `.smape`).
    public let scaling: MetricScaling?

    /// The season length a quantile model's seasonal component reads (from the data's frequency).
    public let seasonLength: Int

    public init(horizons: [Int], mode: RolloutMode, batchSize: Int = 256, scaling: MetricScaling? = nil, seasonLength: Int = 1) {
        self.scaling = scaling
        self.seasonLength = seasonLength
        precondition(!horizons.isEmpty && horizons.allSatisfy { $0 > 0 }, "Evaluator: horizons must be positive")
        self.horizons = horizons.sorted()
        self.mode = mode
        self.batchSize = batchSize
    }

    /// A quantile model forecasts raw histories as `tsfc forecast` does (it scales each series
    /// itself, and its seasonal component reads the data's season): contexts `[B, L]` are taken
    /// back to the data's units, forecast, and the point forecasts standardised again → `[B, H]`.
    static func rawForecast(_ model: any QuantileForecastingModel, _ x: Tensor, channels: [Int], horizon: Int,
                            scaler: StandardScaler, seasonLength: Int) -> [Float] {
        let b = x.shape[0], l = x.shape[1], s = x.scalars
        let histories = (0..<b).map { i in (0..<l).map { s[i * l + $0] * scaler.std[channels[i]] + scaler.mean[channels[i]] } }
        let median = model.medianIndex
        let q = model.forecastQuantiles(histories: histories, horizon: horizon,
                                        seasonLengths: [Int](repeating: seasonLength, count: b))
        return (0..<b).flatMap { i in q[i][median].map { ($0 - scaler.mean[channels[i]]) / scaler.std[channels[i]] } }
    }

    /// Number of test windows per channel for horizon `h` on `rows` rows with context `l`.
    public static func windowCount(rows: Int, context l: Int, horizon h: Int) -> Int { Swift.max(0, rows - l - h + 1) }

    /// MSE and MAE per horizon; `progress(done, total)` is called after each batch. `marks`
    /// (rows of the same matrix) give the tokens' position marks when the model uses timestamps;
    /// text-timestamp marks of rows past the data can throw `TextTimestampError`.
    public func evaluate(_ model: any ForecastingModel, values: [Float], channels: Int, range: Range<Int>,
                         marks: SegmentMarks? = nil,
                         progress: (Int, Int) -> Void = { _, _ in }) throws -> [HorizonScore] {
        let l = model.contextLength, maxH = horizons.last!, minH = horizons.first!
        let contexts = SegmentWindows(values: values, channels: channels, range: range, length: l + minH)
        var accumulators = [ErrorAccumulator](repeating: ErrorAccumulator(), count: horizons.count)
        var windows = [Int](repeating: 0, count: horizons.count)
        var scaled = [ScaledErrorAccumulator](repeating: ScaledErrorAccumulator(), count: horizons.count)
        model.eval()
        var done = 0
        while done < contexts.count {
            let indices = Array(done..<Swift.min(done + batchSize, contexts.count))
            let x = contexts.batch(indices, prefix: l)                                      // [B, L]
            let xMarks = model.usesMarks ? try contexts.marks(indices, tokens: model.markTokens(horizon: maxH), from: marks) : nil
            let forecast: [Float]                                                           // [B, maxH]
            if let head = model as? any QuantileForecastingModel, let scaler = scaling?.scaler {
                forecast = Evaluator.rawForecast(head, x, channels: indices.map { contexts.location(of: $0).0 }, horizon: maxH,
                                                 scaler: scaler, seasonLength: seasonLength)
            } else {
                forecast = model.forecast(context: x, horizon: maxH, mode: mode, marks: xMarks).scalars
            }
            for (b, i) in indices.enumerated() {
                let (c, s) = contexts.location(of: i)
                let available = range.upperBound - (s + l)
                let truth = (0..<Swift.min(maxH, available)).map { values[(s + l + $0) * channels + c] }
                for (k, h) in horizons.enumerated() where h <= available {
                    accumulators[k].add(prediction: forecast[(b * maxH)..<(b * maxH + h)], target: truth[0..<h])
                    if let scaling { scaled[k].add(prediction: forecast[(b * maxH)..<(b * maxH + h)], target: truth[0..<h], channel: c, scaling: scaling) }
                    windows[k] += 1
                }
            }
            done += indices.count
            progress(done, contexts.count)
        }
        return horizons.enumerated().map { k, h in
            HorizonScore(horizon: h, mse: accumulators[k].mse, mae: accumulators[k].mae, windows: windows[k],
                         mase: scaled[k].meanMASE, smape: scaled[k].meanSMAPE)
        }
    }
}
