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
        if m.contextLengthPoints < 1 { out.append(("model.context_length", "must be set (≥ 1 points) for \(m.adapter)")) }
        if m.horizon < 1 { out.append(("model.horizon", "must be set (≥ 1 points) for \(m.adapter)")) }
        if m.backbone.kind != .none { out.append(("model.backbone.kind", "is \(m.backbone.kind), but \(m.adapter) is a linear model without a decoder; use none")) }
        let k = m.dlinear.movingAverage
        if k < 1 || k % 2 == 0 { out.append(("model.dlinear.moving_average", "must be a positive odd number, got \(k)")) }
        return out
    }
}
