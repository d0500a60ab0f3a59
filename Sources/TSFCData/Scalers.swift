// Scalers: standard (fit on the training rows only) and per-window instance normalisation
// (RevIN without affine parameters) with its inverse.
import TSFCTensor

/// Per-channel standardisation `(x − mean) / std` with the population std (numpy / sklearn
/// `StandardScaler`); a channel with zero std is scaled by 1.
public struct StandardScaler: Sendable, Equatable, Codable {
    /// Per-channel means.
    public var mean: [Float]
    /// Per-channel standard deviations (1 where the data are constant).
    public var std: [Float]

    /// A scaler with the given per-channel statistics (as many deviations as means).
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count)
        self.mean = mean
        self.std = std
    }

    /// Fits on rows `rows` of `frame` (pass the training split only). NaN cells are skipped.
    public static func fit(_ frame: TimeSeriesFrame, rows: Range<Int>) -> StandardScaler {
        fit(values: frame.values, width: frame.channelCount, rows: rows)
    }

    /// Fits on rows `rows` of row-major `values` [T, width], in Double.
    public static func fit(values: [Float], width: Int, rows: Range<Int>) -> StandardScaler {
        var mean = [Float](), std = [Float]()
        for c in 0..<width {
            var sum = 0.0, n = 0
            for t in rows { let v = values[t * width + c]; if !v.isNaN { sum += Double(v); n += 1 } }
            let m = n > 0 ? sum / Double(n) : 0
            var squares = 0.0
            for t in rows { let v = values[t * width + c]; if !v.isNaN { squares += (Double(v) - m) * (Double(v) - m) } }
            let s = n > 0 ? (squares / Double(n)).squareRoot() : 0
            mean.append(Float(m))
            std.append(s > 0 ? Float(s) : 1)
        }
        return StandardScaler(mean: mean, std: std)
    }

    /// Standardises row-major values [T, C].
    public func transform(_ values: [Float]) -> [Float] {
        let width = mean.count
        return values.enumerated().map { k, v in (v - mean[k % width]) / std[k % width] }
    }

    /// Undoes `transform` on row-major values [T, C].
    public func inverseTransform(_ values: [Float]) -> [Float] {
        let width = mean.count
        return values.enumerated().map { k, v in v * std[k % width] + mean[k % width] }
    }

    /// Standardises one value of channel `column`.
    @inline(__always)
    public func transform(_ value: Float, column: Int) -> Float { (value - mean[column]) / std[column] }

    /// Standardises values of the one channel `column` (e.g. a column's window or history).
    public func transform<Values: Sequence<Float>>(_ values: Values, column: Int) -> [Float] {
        let (m, s) = (mean[column], std[column])
        return values.map { ($0 - m) / s }
    }

    /// Undoes `transform(_:column:)`: puts values of channel `column` back in the data's units.
    public func inverseTransform<Values: Sequence<Float>>(_ values: Values, column: Int) -> [Float] {
        let (m, s) = (mean[column], std[column])
        return values.map { $0 * s + m }
    }

    /// A frame with standardised values.
    public func transform(_ frame: TimeSeriesFrame) -> TimeSeriesFrame {
        var copy = frame
        copy.values = transform(frame.values)
        return copy
    }

    /// Standardises a tensor whose last axis is the C channels ([…, C]).
    public func transform(_ x: Tensor) -> Tensor {
        (x - Tensor(shape: [mean.count], scalars: mean)) / Tensor(shape: [std.count], scalars: std)
    }

    /// Undoes `transform` on a tensor [… , C]; differentiable through the tape.
    public func inverseTransform(_ x: Tensor) -> Tensor {
        x * Tensor(shape: [std.count], scalars: std) + Tensor(shape: [mean.count], scalars: mean)
    }
}

/// Per-window, per-channel statistics from `InstanceNormalization.normalize`.
public struct InstanceStatistics: Sendable {
    /// Means [B, 1, C].
    public var mean: Tensor
    /// Standard deviations √(var + ε) [B, 1, C].
    public var std: Tensor
}

/// RevIN-style instance normalisation: each window [L, C] of a batch [B, L, C] is shifted and
/// scaled by its own per-channel mean and population std; `denormalize` puts forecasts back.
/// The statistics are constants (no gradient flows into them), as in the reference code.
public enum InstanceNormalization {
    /// x [B, L, C] → ((x − mean) / std [B, L, C], statistics).
    public static func normalize(_ x: Tensor, epsilon: Float = 1e-5) -> (Tensor, InstanceStatistics) {
        precondition(x.rank == 3, "instance normalisation takes [B, L, C]")
        let (b, l, c) = (x.shape[0], x.shape[1], x.shape[2])
        let s = x.scalars
        var means = [Float](repeating: 0, count: b * c), stds = [Float](repeating: 0, count: b * c)
        for i in 0..<b {
            for j in 0..<c {
                var sum = 0.0
                for t in 0..<l { sum += Double(s[(i * l + t) * c + j]) }
                let m = sum / Double(Swift.max(l, 1))
                var sq = 0.0
                for t in 0..<l { let d = Double(s[(i * l + t) * c + j]) - m; sq += d * d }
                means[i * c + j] = Float(m)
                stds[i * c + j] = Float((sq / Double(Swift.max(l, 1)) + Double(epsilon)).squareRoot())
            }
        }
        let stats = InstanceStatistics(mean: Tensor(shape: [b, 1, c], scalars: means),
                                       std: Tensor(shape: [b, 1, c], scalars: stds))
        return ((x - stats.mean) / stats.std, stats)  // [B, L, C]
    }

    /// y [B, H, C] → y · std + mean [B, H, C]; differentiable in y.
    public static func denormalize(_ y: Tensor, _ stats: InstanceStatistics) -> Tensor {
        y * stats.std + stats.mean
    }
}
