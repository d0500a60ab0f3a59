// Forecast error metrics, accumulated in Double over every scored point.
import TSFCData

/// Running sums for mean squared and mean absolute error.
public struct ErrorAccumulator: Sendable, Equatable {
    public private(set) var squaredError: Double = 0
    public private(set) var absoluteError: Double = 0
    public private(set) var count: Int = 0

    public init() {}

    /// Adds the errors of `prediction` against `target` (same length).
    public mutating func add(prediction: ArraySlice<Float>, target: ArraySlice<Float>) {
        precondition(prediction.count == target.count, "ErrorAccumulator: \(prediction.count) predictions, \(target.count) targets")
        for (p, t) in zip(prediction, target) {
            let d = Double(p) - Double(t)
            squaredError += d * d
            absoluteError += Swift.abs(d)
        }
        count += prediction.count
    }

    /// Mean squared error (NaN before any point).
    public var mse: Double { count > 0 ? squaredError / Double(count) : .nan }
    /// Mean absolute error (NaN before any point).
    public var mae: Double { count > 0 ? absoluteError / Double(count) : .nan }
}

/// Scores at one horizon.
public struct HorizonScore: Codable, Sendable, Equatable {
    public let horizon: Int
    public let mse: Double
    public let mae: Double
    /// Number of (window, channel) forecasts scored.
    public let windows: Int
    /// Mean of |y − ŷ| / scale, the scale being each channel's in-sample mean absolute seasonal
    /// difference over the training rows (nil when not computed or every scale is zero).
    public var mase: Double? = nil
    /// Mean of 200·|y − ŷ| / (|y| + |ŷ|) in the data's units (the M3 definition; 0 where y = ŷ = 0).
    public var smape: Double? = nil
}

/// What the scaled metrics of an evaluation need: each channel's standardisation (to return to
/// the data's units for sMAPE) and its MASE scale from the training rows.
public struct MetricScaling: Sendable, Equatable {
    public let scaler: StandardScaler
    /// Per channel, in standardised units; nil where the training rows are constant or too few.
    public let maseScales: [Double?]

    public init(scaler: StandardScaler, maseScales: [Double?]) {
        (self.scaler, self.maseScales) = (scaler, maseScales)
    }

    /// The scales of standardised `[T, C]` `values` from rows `train` with season `seasonLength`
    /// (`ForecastMetrics.maseScale`: one season back when the rows hold more than a season, else one row).
    public static func fit(standardized values: [Float], channels: Int, train: Range<Int>, seasonLength: Int,
                           scaler: StandardScaler) -> MetricScaling {
        let scales = (0..<channels).map { c -> Double? in
            let history = train.map { Double(values[$0 * channels + c]) }
            return ForecastMetrics.maseScale(history, seasonLength: seasonLength).flatMap { $0 > 0 ? $0 : nil }
        }
        return MetricScaling(scaler: scaler, maseScales: scales)
    }
}

/// Running sums for MASE and sMAPE.
struct ScaledErrorAccumulator {
    var mase = 0.0, maseCount = 0, smape = 0.0, smapeCount = 0

    /// Adds channel `c`'s standardised forecasts against their targets.
    mutating func add(prediction: ArraySlice<Float>, target: ArraySlice<Float>, channel c: Int, scaling: MetricScaling) {
        let mean = Double(scaling.scaler.mean[c]), std = Double(scaling.scaler.std[c])
        for (p, t) in zip(prediction, target) {
            let e = abs(Double(p) - Double(t))
            if let scale = scaling.maseScales[c] { mase += e / scale; maseCount += 1 }
            let y = Double(t) * std + mean, f = Double(p) * std + mean
            smape += abs(y) + abs(f) == 0 ? 0 : 200 * abs(y - f) / (abs(y) + abs(f))
            smapeCount += 1
        }
    }

    var meanMASE: Double? { maseCount > 0 ? mase / Double(maseCount) : nil }
    var meanSMAPE: Double? { smapeCount > 0 ? smape / Double(smapeCount) : nil }
}

/// Scores of an evaluation run: per horizon and their average.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public let dataset: String
    public let split: String
    public let rollout: String
    public let horizons: [HorizonScore]
    public var averageMSE: Double { horizons.map(\.mse).reduce(0, +) / Double(Swift.max(horizons.count, 1)) }
    public var averageMAE: Double { horizons.map(\.mae).reduce(0, +) / Double(Swift.max(horizons.count, 1)) }
    /// The mean MASE over the horizons (nil unless every horizon has one).
    public var averageMASE: Double? { Self.average(horizons.map(\.mase)) }
    /// The mean sMAPE over the horizons (nil unless every horizon has one).
    public var averageSMAPE: Double? { Self.average(horizons.map(\.smape)) }

    static func average(_ xs: [Double?]) -> Double? {
        let present = xs.compactMap { $0 }
        return present.isEmpty || present.count < xs.count ? nil : present.reduce(0, +) / Double(present.count)
    }

    enum CodingKeys: String, CodingKey {
        case dataset, split, rollout, horizons, averageMSE = "average_mse", averageMAE = "average_mae"
        case averageMASE = "average_mase", averageSMAPE = "average_smape"
    }

    public init(dataset: String, split: String, rollout: String, horizons: [HorizonScore]) {
        self.dataset = dataset; self.split = split; self.rollout = rollout; self.horizons = horizons
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(String.self, forKey: .dataset)
        split = try c.decode(String.self, forKey: .split)
        rollout = try c.decode(String.self, forKey: .rollout)
        horizons = try c.decode([HorizonScore].self, forKey: .horizons)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(split, forKey: .split)
        try c.encode(rollout, forKey: .rollout)
        try c.encode(horizons, forKey: .horizons)
        try c.encode(averageMSE, forKey: .averageMSE)
        try c.encode(averageMAE, forKey: .averageMAE)
        try c.encodeIfPresent(averageMASE, forKey: .averageMASE)
        try c.encodeIfPresent(averageSMAPE, forKey: .averageSMAPE)
    }
}
