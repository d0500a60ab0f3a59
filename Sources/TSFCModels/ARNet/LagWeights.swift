// Reading learned lag coefficients out of autoregressive models (AR-Net's point is that they
// are interpretable), and the hook for models fitted in closed form instead of by the Trainer.
import Foundation

/// The lag weights of a model's first (lag-reading) layer, lag 1 first.
public struct LagWeightTable: Codable, Equatable, Sendable {
    /// What a row is: `step` (output step h: the AR coefficients of ŷ_{t+h}), `hidden unit`
    /// (first layer of a deep AR-Net) or `embedding` (token-embedding dimension on a backbone).
    public let rowKind: String
    /// `[rows][lags]`: weight of lag k (k = 1 is the newest point) at index k − 1.
    public let rows: [[Float]]
    /// Per-row intercepts, where rows are output steps.
    public let intercepts: [Float]?

    public init(rowKind: String, rows: [[Float]], intercepts: [Float]?) {
        self.rowKind = rowKind; self.rows = rows; self.intercepts = intercepts
    }

    /// Lags per row.
    public var lags: Int { rows.first?.count ?? 0 }

    /// The `count` lags (1-based) of `row` with the largest |weight|, largest first (ties: lower lag first).
    public func largest(row: Int, count: Int) -> [(lag: Int, weight: Float)] {
        let r = rows[row]
        return r.indices.sorted { abs(r[$0]) != abs(r[$1]) ? abs(r[$0]) > abs(r[$1]) : $0 < $1 }
            .prefix(count).map { ($0 + 1, r[$0]) }
    }

    enum CodingKeys: String, CodingKey { case rowKind = "row_kind", rows, intercepts }
}

/// A model whose lag weights can be read.
public protocol LagWeightReporting {
    var lagWeightTable: LagWeightTable { get }
}

/// A model fitted in closed form on its training windows (least squares) rather than by gradient
/// descent: the `Trainer` calls `fitClosedForm` for a `ForecastingTask` made with `closedForm`.
public protocol ClosedFormFitting: ForecastingModel {
    /// Fits on training windows `[count, contextLength + targetLength]` (at most `limit` windows,
    /// evenly spaced, when `limit` > 0).
    func fitClosedForm(train: SegmentWindows, limit: Int) throws
}
