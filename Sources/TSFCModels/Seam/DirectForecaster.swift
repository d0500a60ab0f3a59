// DirectForecaster: models that map a context to their next H points in one pass (AR-Net,
// Classic-AR, DLinear, NLinear). Their loss and their rollout to any horizon are the same: the
// MSE of those H points, and feeding each forecast chunk back into the window.
import TSFCNN
import TSFCTensor

/// A direct multi-step model: `predict` maps contexts `[B, L]` to the next `targetLength` points.
public protocol DirectForecaster: ForecastingModel {
    /// The `targetLength` points after contexts `[B, L]` → `[B, H]`.
    func predict(_ context: Tensor) -> Tensor
}

extension DirectForecaster {
    /// MSE of the H points after the context of windows `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength
        return Loss.meanSquaredError(predict(windows.slice(axis: 1, 0..<l)), windows.slice(axis: 1, l..<windows.shape[1]))
    }

    /// Forecasts `[B, horizon]` after contexts `[B, L]`, rolling out chunks of H points (no KV
    /// cache, no marks: `mode` and `marks` are not used).
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        withoutGradients { DirectRollout.forecast(context: context, horizon: horizon, chunk: targetLength, predict: predict) }
    }
}

/// Rolls a direct multi-step model out to any horizon.
enum DirectRollout {
    /// Forecasts `[B, H]` from contexts `[B, L]` with a model mapping `[B, L]` → `[B, chunk]`,
    /// feeding each chunk back into the window.
    static func forecast(context: Tensor, horizon: Int, chunk: Int, predict: (Tensor) -> Tensor) -> Tensor {
        precondition(horizon > 0, "forecast: horizon must be positive")
        let l = context.shape[1]
        var window = context
        var pieces: [Tensor] = []
        var produced = 0
        while produced < horizon {
            let next = predict(window)                                          // [B, chunk]
            pieces.append(next)
            produced += chunk
            window = chunk >= l ? next.slice(axis: 1, (chunk - l)..<chunk)
                : Tensor.concat([window.slice(axis: 1, chunk..<l), next], axis: 1)  // [B, L]
        }
        return Tensor.concat(pieces, axis: 1).slice(axis: 1, 0..<horizon)     // [B, H]
    }
}
