// The `model.dlinear:` section, read by the `dlinear` and `nlinear` model kinds.

/// DLinear's settings (Zeng et al., AAAI 2023; LTSF-Linear's `DLinear.py`).
public struct DLinearConfiguration: Codable, Equatable, Sendable {
    /// Moving-average window of the trend / seasonal decomposition (LTSF-Linear: 25; odd).
    public var movingAverage: Int = 25

    public init() {}

    enum CodingKeys: String, CodingKey { case movingAverage = "moving_average" }

    /// Problems of a `dlinear` / `nlinear` model configuration as `(key, message)` pairs.
    public static func problems(_ m: ModelConfiguration) -> [(String, String)] {
        var out: [(String, String)] = []
        let k = m.dlinear.movingAverage
        if k < 1 || k % 2 == 0 { out.append(("model.dlinear.moving_average", "must be a positive odd number, got \(k)")) }
        return out
    }
}
