// TimeLLMForecaster: Time-LLM (Jin et al., ICLR 2024) as a tsfc ForecastingModel. Instance
// normalisation without affine parameters (the reference's `Normalize(affine=False)`, RevIN:
// biased variance + 1e-5), the TimeLLM model emits the head's H points, de-normalisation; trained
// on the MSE of those H points. Longer horizons are rolled out: the window slides by H, is
// re-normalised and forecast again.
import TSFCBackbone
import TSFCNN
import TSFCTensor

/// A direct multi-step Time-LLM forecaster.
public final class TimeLLMForecaster: Module, ForecastingModel {
    public let configuration: ModelConfiguration
    public let model: TimeLLM

    public init(configuration: ModelConfiguration, model: TimeLLM) {
        precondition(model.settings.contextLength == configuration.contextLength
                     && model.settings.horizon == configuration.horizonLength,
                     "TimeLLMForecaster: the model's L/H do not match the configuration")
        self.configuration = configuration
        self.model = model
        super.init()
    }

    public var contextLength: Int { configuration.contextLength }
    /// The head's horizon H: a training window is L + H points.
    public var targetLength: Int { configuration.horizonLength }
    public var decoderConfiguration: DecoderConfiguration? { (model.backbone as? CausalDecoder)?.configuration }

    /// The next H points after contexts `[B, L]` → `[B, H]` (one model pass; `prototypes`
    /// `[S, D]` as `TimeLLM.currentPrototypes()`, computed here when nil).
    public func predict(_ context: Tensor, prototypes: Tensor? = nil) -> Tensor {
        let b = context.shape[0]
        let (mean, std) = Forecaster.instanceStatistics(context)      // [B, 1] each
        let normalized = (context - mean) / std                         // [B, L]
        return model(normalized, prototypes: prototypes) * std.reshaped([b, 1]) + mean.reshaped([b, 1])  // [B, H]
    }

    /// MSE of the H points after the first L of each window `[B, L + H]`.
    public func loss(windows: Tensor, marks: Tensor?) -> Tensor {
        let l = contextLength, h = targetLength
        let context = windows.slice(axis: 1, 0..<l)                       // [B, L]
        let target = windows.slice(axis: 1, l..<(l + h))                  // [B, H]
        return Loss.meanSquaredError(predict(context), target)
    }

    /// `[B, L]` → `[B, horizon]`: ⌈horizon / H⌉ passes, each on the last L points of the context
    /// followed by the forecasts so far (re-normalised every pass). Both rollout modes do this:
    /// the prompt and the patches change with every window, so there is nothing to cache but the
    /// prototypes, computed once per call.
    public func forecast(context: Tensor, horizon: Int, mode: RolloutMode, marks: Tensor?) -> Tensor {
        precondition(horizon > 0, "TimeLLMForecaster.forecast: horizon must be positive")
        let l = contextLength, h = targetLength
        let steps = (horizon + h - 1) / h
        return withoutGradients {
            let source = model.currentPrototypes()                                  // [S, D], once per call
            var window = context
            var pieces: [Tensor] = []
            for step in 0..<steps {
                let next = predict(window, prototypes: source)                      // [B, H]
                pieces.append(next)
                if step == steps - 1 { break }
                let grown = Tensor.concat([window, next], axis: 1)                  // [B, L + H]
                window = grown.slice(axis: 1, (grown.shape[1] - l)..<grown.shape[1]) // [B, L]
            }
            let all = pieces.count == 1 ? pieces[0] : Tensor.concat(pieces, axis: 1)
            return all.shape[1] == horizon ? all : all.slice(axis: 1, 0..<horizon)  // [B, horizon]
        }
    }
}
