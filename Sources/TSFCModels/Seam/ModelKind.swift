// ModelKind: the model families `model.adapter` can name. The raw values are the YAML strings
// (and the ones stored in model bundles), so they never change once released.
import TSFCNN

/// A model family: which adapter embeds the series, or which standalone model is fitted.
public enum ModelKind: String, ConfigurationChoice {
    /// AutoTimes (Liu et al., NeurIPS 2024): segment tokens, next-segment head.
    case autotimes
    /// Time-LLM (Jin et al., ICLR 2024): reprogrammed patches and Prompt-as-Prefix.
    case timeLLM = "time-llm"
    /// SpaceTime (Zhang et al., ICLR 2023): companion-SSM encoder / closed-loop decoder.
    case spacetime
    /// AR-Net (Triebe et al., 2019): sparse linear AR, standalone or one lag window per token.
    case arnet
    /// Least-squares AR (LAPACK), closed form, no decoder.
    case classicAR = "classic-ar"
    /// DLinear (Zeng et al., AAAI 2023): trend / seasonal decomposition and two linear maps.
    case dlinear
    /// NLinear (Zeng et al., AAAI 2023): one linear map of the context relative to its last point.
    case nlinear
    /// Zero-shot patch-token quantile decoder, pretrained across many series (in the manner of
    /// TimesFM, Das et al., ICML 2024, and Chronos-Bolt, Ansari et al., 2024).
    case patchQuantile = "patch-quantile"

    public static func unknownValueMessage(_ value: String) -> String {
        "is '\(value)'; available adapters: \(allowedValues.joined(separator: ", "))"
    }
}
