// Forecast error metrics, accumulated in Double over every scored point.

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
}

/// Scores of an evaluation run: per horizon and their average.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public let dataset: String
    public let split: String
    public let rollout: String
    public let horizons: [HorizonScore]
    public var averageMSE: Double { horizons.map(\.mse).reduce(0, +) / Double(Swift.max(horizons.count, 1)) }
    public var averageMAE: Double { horizons.map(\.mae).reduce(0, +) / Double(Swift.max(horizons.count, 1)) }

    enum CodingKeys: String, CodingKey { case dataset, split, rollout, horizons, averageMSE = "average_mse", averageMAE = "average_mae" }

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
    }
}
