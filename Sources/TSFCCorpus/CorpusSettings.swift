// The `corpus:` section: what the pretraining corpus mixes, how long its series are, which real
// files it cuts windows from. Every key has a default, so any subset can be given in YAML.

/// Relative weights of the corpus' sources (non-negative; they need not sum to 1).
public struct CorpusWeights: Codable, Equatable, Sendable {
    public var kernelSynth: Double = 0.30
    public var forecastPFN: Double = 0.25
    public var arma: Double = 0.10
    public var randomWalk: Double = 0.08
    public var intermittent: Double = 0.07
    /// Windows of the real series in `real_paths` (0 when there are none).
    public var real: Double = 0.20

    public init() {}

    enum CodingKeys: String, CodingKey {
        case kernelSynth = "kernel_synth", forecastPFN = "forecast_pfn", arma, randomWalk = "random_walk"
        case intermittent, real
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CorpusWeights()
        kernelSynth = try c.decodeIfPresent(Double.self, forKey: .kernelSynth) ?? d.kernelSynth
        forecastPFN = try c.decodeIfPresent(Double.self, forKey: .forecastPFN) ?? d.forecastPFN
        arma = try c.decodeIfPresent(Double.self, forKey: .arma) ?? d.arma
        randomWalk = try c.decodeIfPresent(Double.self, forKey: .randomWalk) ?? d.randomWalk
        intermittent = try c.decodeIfPresent(Double.self, forKey: .intermittent) ?? d.intermittent
        real = try c.decodeIfPresent(Double.self, forKey: .real) ?? d.real
    }

    /// The weights in `CorpusSource.allCases` order.
    public var values: [Double] { [kernelSynth, forecastPFN, arma, randomWalk, intermittent, real] }
}

/// The sources a corpus series can come from.
public enum CorpusSource: String, CaseIterable, Sendable, Codable {
    case kernelSynth = "kernel_synth", forecastPFN = "forecast_pfn", arma, randomWalk = "random_walk"
    case intermittent, real
}

/// How the pretraining corpus is drawn (the YAML section `corpus:`).
public struct CorpusSettings: Codable, Equatable, Sendable {
    /// Every series is a pure function of (seed, index).
    public var seed: UInt64 = 2024
    /// How often each source is drawn.
    public var weights = CorpusWeights()
    /// Shortest and longest series (steps). Lengths are log-uniform between them, skewed short by
    /// `length_skew` (1: log-uniform; larger: shorter); yearly and quarterly series are capped
    /// at 200 and 400 steps, monthly at 1200.
    public var minLength: Int = 24
    public var maxLength: Int = 2048
    public var lengthSkew: Double = 1.5
    /// Real CSV files (wide: every numeric column is a series) or folders of them, relative to the
    /// project's `Data/` folder or absolute. Never evaluation data (M3) or competition sets.
    public var realPaths: [String] = CorpusSettings.defaultRealPaths
    /// A NAB-style JSON of labelled anomaly windows (`{"folder/file.csv": [[start, end], …]}`,
    /// relative like `real_paths`); rows inside a window are never cut into the corpus. Empty: none.
    public var anomalyWindows: String = "corpus/NAB/labels/combined_windows.json"
    /// Only the first fraction of each real file's rows is used (0.5 keeps the validation and test
    /// rows of the standard splits out: ETT's 12/4/4 months and 70/10/20 elsewhere), except in
    /// files listed in `anomaly_windows`, whose rows outside the windows are all used.
    public var realLeadingFraction: Double = 0.5
    /// The fraction of indices held out for validation.
    public var validationFraction: Double = 0.01
    /// Most kernels composed in one KernelSynth series.
    public var maxKernels: Int = 5

    /// The real files shipped in `Data/` for pretraining (see `Data/README.md`).
    public static let defaultRealPaths = [
        "ETTh1.csv", "ETTh2.csv", "ETTm1.csv", "ETTm2.csv",
        "corpus/weather/weather.csv", "corpus/exchange_rate/exchange_rate.csv", "corpus/illness/national_illness.csv",
        "corpus/NAB/data",
    ]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case seed, weights, minLength = "min_length", maxLength = "max_length", lengthSkew = "length_skew"
        case realPaths = "real_paths", anomalyWindows = "anomaly_windows", realLeadingFraction = "real_leading_fraction"
        case validationFraction = "validation_fraction", maxKernels = "max_kernels"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CorpusSettings()
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        weights = try c.decodeIfPresent(CorpusWeights.self, forKey: .weights) ?? d.weights
        minLength = try c.decodeIfPresent(Int.self, forKey: .minLength) ?? d.minLength
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? d.maxLength
        lengthSkew = try c.decodeIfPresent(Double.self, forKey: .lengthSkew) ?? d.lengthSkew
        realPaths = try c.decodeIfPresent([String].self, forKey: .realPaths) ?? d.realPaths
        anomalyWindows = try c.decodeIfPresent(String.self, forKey: .anomalyWindows) ?? d.anomalyWindows
        realLeadingFraction = try c.decodeIfPresent(Double.self, forKey: .realLeadingFraction) ?? d.realLeadingFraction
        validationFraction = try c.decodeIfPresent(Double.self, forKey: .validationFraction) ?? d.validationFraction
        maxKernels = try c.decodeIfPresent(Int.self, forKey: .maxKernels) ?? d.maxKernels
    }

    /// What is wrong with these settings, as (dotted key below `corpus`, message); empty when valid.
    public func problems() -> [(key: String, message: String)] {
        var out: [(String, String)] = []
        if weights.values.contains(where: { !($0 >= 0) }) { out.append(("weights", "must all be ≥ 0")) }
        if !(weights.values.reduce(0, +) > 0) { out.append(("weights", "need at least one positive weight")) }
        if minLength < 2 { out.append(("min_length", "must be ≥ 2")) }
        if maxLength < minLength { out.append(("max_length", "(\(maxLength)) must be ≥ min_length (\(minLength))")) }
        if !(lengthSkew > 0) { out.append(("length_skew", "must be > 0")) }
        if !(realLeadingFraction > 0 && realLeadingFraction <= 1) { out.append(("real_leading_fraction", "must be in (0, 1]")) }
        if !(validationFraction >= 0 && validationFraction < 1) { out.append(("validation_fraction", "must be in [0, 1)")) }
        if maxKernels < 1 { out.append(("max_kernels", "must be ≥ 1")) }
        for path in realPaths where CorpusSettings.isForbidden(path) {
            out.append(("real_paths", "'\(path)' is evaluation or competition data (M3/M4/Tourism…), which never goes into the corpus"))
        }
        return out
    }

    /// True for paths that name evaluation or competition data (an `M3`/`M4`/`M5`/`tourism`
    /// folder or file), which the corpus refuses.
    public static func isForbidden(_ path: String) -> Bool {
        let parts = path.lowercased().split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.contains { part in
            let stem = part.split(separator: ".").first.map(String.init) ?? String(part)
            return ["m1", "m3", "m4", "m5", "tourism"].contains(stem)
                || ["m3_", "m4_", "m3-", "m4-", "tourism"].contains(where: { stem.hasPrefix($0) })
        }
    }
}
