// Time-LLM Prompt-as-Prefix (§3.1, reference `models/TimeLLM.py` forecast()): a text prefix with
// the dataset description, the task instruction and statistics of the (instance-normalised)
// input — min, max, median (the lower median, as torch.median), trend (upward when the last
// value exceeds the first, i.e. Σ diff > 0) and the top-5 autocorrelation lags.
//
// Deliberate departures from the reference (research notes §6.3):
// - lags come from the linear autocorrelation of the de-meaned series, zero-padded before the
//   FFT, over lags 1..<L (the reference's circular, un-padded autocorrelation always returns
//   lag 0 and mirror pairs k, L − k);
// - numbers are printed with three decimals instead of the full float repr (fewer tokens).
// The template text is the reference's, markers included.

/// Statistics of one input series that the prompt reports.
public struct InputStatistics: Equatable, Sendable {
    public var minimum: Float
    public var maximum: Float
    /// The lower median (torch.median).
    public var median: Float
    /// Whether the last value exceeds the first.
    public var upward: Bool
    /// Lags (≥ 1) with the largest autocorrelation, largest first; ties go to the smaller lag.
    public var lags: [Int]

    /// Statistics of `series` (non-empty) with `lagCount` lags (fewer when the series is short).
    public init(series: [Float], lagCount: Int = 5) {
        precondition(!series.isEmpty, "InputStatistics: empty series")
        let sorted = series.sorted()
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        median = sorted[(sorted.count - 1) / 2]
        upward = series[series.count - 1] - series[0] > 0
        let mean = series.reduce(0.0) { $0 + Double($1) } / Double(series.count)
        let r = FFT.autocorrelation(series.map { Double($0) - mean })
        lags = InputStatistics.topLags(r, count: lagCount)
    }

    /// The `count` lags k ≥ 1 with the largest r[k] (descending; ties to the smaller lag).
    public static func topLags(_ r: [Double], count: Int) -> [Int] {
        guard r.count > 1 else { return [] }
        let ranked = (1..<r.count).sorted { r[$0] != r[$1] ? r[$0] > r[$1] : $0 < $1 }
        return Array(ranked.prefix(count))
    }
}

/// Renders Time-LLM's prompt for one normalised input series.
public struct PromptBuilder: Equatable, Sendable {
    /// The dataset description (the reference's default is its ETT sentence).
    public var description: String
    /// Context points (L) and forecast points (H) the task sentence names.
    public var contextLength: Int
    public var horizon: Int
    /// Lags reported (Time-LLM: 5).
    public var lagCount: Int

    /// The reference's default dataset description.
    public static let ettDescription = "The Electricity Transformer Temperature (ETT) is a crucial indicator in the electric power long-term deployment."

    public init(description: String = PromptBuilder.ettDescription, contextLength: Int, horizon: Int, lagCount: Int = 5) {
        self.description = description
        self.contextLength = contextLength
        self.horizon = horizon
        self.lagCount = lagCount
    }

    /// The prompt for `series` (normalised values, count L).
    public func text(for series: [Float]) -> String {
        text(for: InputStatistics(series: series, lagCount: lagCount))
    }

    /// The prompt reporting `stats`.
    public func text(for stats: InputStatistics) -> String {
        "<|start_prompt|>Dataset description: \(description)"
            + "Task description: forecast the next \(horizon) steps given the previous \(contextLength) steps information; "
            + "Input statistics: min value \(PromptBuilder.format(stats.minimum)), "
            + "max value \(PromptBuilder.format(stats.maximum)), "
            + "median value \(PromptBuilder.format(stats.median)), "
            + "the trend of input is \(stats.upward ? "upward" : "downward"), "
            + "top \(lagCount) lags are : [\(stats.lags.map(String.init).joined(separator: ", "))]<|<end_prompt>|>"
    }

    /// `v` rounded half away from zero to three decimals, e.g. `-1.641`, `0.000` (never `-0.000`).
    public static func format(_ v: Float) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let scaled = (Double(v) * 1000).rounded(.toNearestOrAwayFromZero)
        guard Swift.abs(scaled) < 9e15 else { return "\(v)" }   // beyond Int64: plain repr
        let negative = scaled < 0
        let magnitude = Int64(Swift.abs(scaled))
        let fraction = String(magnitude % 1000)
        return (negative ? "-" : "") + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
