// The pretraining corpus of issue 16: synthetic series (KernelSynth, ForecastPFN-style, ARMA,
// random walks, intermittent counts) on every calendar frequency, mixed with windows of the real
// series shipped in Data/. Series `i` is a pure function of (seed, i), generated on demand.
import Foundation
import TSFCData
import TSFCTensor

/// A deterministic, lazily generated corpus of series for pretraining.
///
/// `series(at:)` is a pure function of `(settings.seed, index)` and `settings`: the same index
/// gives the same series on every run, platform and thread, whatever was drawn before.
public struct PretrainingCorpus: Sendable {
    public let settings: CorpusSettings
    /// The real columns loaded at initialisation.
    public let realPool: RealSeriesPool
    /// Source weights in `CorpusSource.allCases` order (real is 0 without real series).
    public let sourceWeights: [Double]

    /// Checks `settings` and loads the real files once (paths relative to `dataRoot`, the
    /// project's `Data/` folder).
    /// - Throws: `CorpusError` naming the setting or the file.
    public init(settings: CorpusSettings, dataRoot: URL) throws {
        if let problem = settings.problems().first { throw CorpusError.settings(key: problem.key, message: problem.message) }
        self.settings = settings
        let needReal = settings.weights.real > 0 && !settings.realPaths.isEmpty
        realPool = needReal
            ? try RealSeriesPool(paths: settings.realPaths, dataRoot: dataRoot, anomalyWindows: settings.anomalyWindows,
                                 leadingFraction: settings.realLeadingFraction, minLength: settings.minLength)
            : try RealSeriesPool(paths: [], dataRoot: dataRoot, anomalyWindows: "", leadingFraction: 1, minLength: settings.minLength)
        var weights = settings.weights.values
        if realPool.files.isEmpty { weights[weights.count - 1] = 0 }
        guard weights.reduce(0, +) > 0 else {
            throw CorpusError.settings(key: "weights", message: "only weigh real series, but real_paths gave none of at least min_length (\(settings.minLength)) rows")
        }
        sourceWeights = weights
    }

    /// Series `index` (any non-negative integer).
    public func series(at index: Int) -> CorpusSeries {
        var rng = SeededGenerator(seed: CorpusSeeds.mix(settings.seed, UInt64(truncatingIfNeeded: index)))
        let source = CorpusSource.allCases[rng.categorical(sourceWeights)]
        return generate(source, using: &rng)
    }

    /// Whether `index` belongs to the held-out validation slice (about `validation_fraction` of
    /// the indices; fixed by seed and index, so training and validation never share an index).
    public func isValidation(index: Int) -> Bool {
        guard settings.validationFraction > 0 else { return false }
        var rng = SeededGenerator(seed: CorpusSeeds.mix(settings.seed, UInt64(truncatingIfNeeded: index), salt: 0x7661_6c69))
        return rng.uniform() < settings.validationFraction
    }

    /// One series of `source`, drawn from `rng` (`.real` without real series gives a KernelSynth series).
    public func generate(_ source: CorpusSource, using rng: inout SeededGenerator) -> CorpusSeries {
        if source == .real,
           let s = realPool.draw(minLength: settings.minLength, maxLength: settings.maxLength, skew: settings.lengthSkew, using: &rng) {
            return s
        }
        let calendar = CalendarFrequency.draw(using: &rng)
        let n = LengthPrior.draw(minLength: settings.minLength, maxLength: min(settings.maxLength, max(settings.minLength, calendar.maxLength)),
                                 skew: settings.lengthSkew, using: &rng)
        let periods = calendar.periods(fitting: n)
        var values: [Double]
        var season = 1
        switch source {
        case .kernelSynth, .real:
            let (composition, dominant) = KernelSynth.drawComposition(length: n, periods: periods, maxKernels: settings.maxKernels, using: &rng)
            values = ScalePrior.apply(KernelSynth.sample(composition, length: n, using: &rng), using: &rng)
            season = dominant
        case .forecastPFN:
            let p = ForecastPFNGenerator.drawParameters(length: n, periods: periods, using: &rng)
            values = ScalePrior.rescalePositive(ForecastPFNGenerator.generate(p, using: &rng), using: &rng)
            season = p.seasonalities.max(by: { $0.amplitude < $1.amplitude })?.period ?? 1
        case .arma:
            let p = ARMAGenerator.drawParameters(length: n, periods: periods, using: &rng)
            values = ScalePrior.apply(ARMAGenerator.generate(p, length: n, using: &rng), using: &rng)
            season = p.seasonal?.period ?? 1
        case .randomWalk:
            let p = RandomWalkGenerator.drawParameters(using: &rng)
            let walk = RandomWalkGenerator.generate(p, length: n, using: &rng)
            values = p.geometric ? ScalePrior.rescalePositive(walk, using: &rng) : ScalePrior.apply(walk, using: &rng)
        case .intermittent:
            let p = IntermittentGenerator.drawParameters(length: n, periods: periods, using: &rng)
            values = IntermittentGenerator.generate(p, length: n, using: &rng)
            season = p.seasonPeriod ?? 1
        }
        return CorpusSeries(values: values.map { Float($0) }, seasonLength: season, frequency: calendar.frequency,
                            source: source == .real ? CorpusSource.kernelSynth.rawValue : source.rawValue)
    }
}
