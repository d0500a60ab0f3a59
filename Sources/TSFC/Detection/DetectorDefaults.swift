// DetectorDefaults: the detector `tsfc detect` fits when it is given no model and no
// configuration — the scorer and window chosen by the measurements in BENCHMARKS.md (issue 18),
// rolling normalisation on trending channels and a POT threshold for a low false-alarm rate; and the small TriP-LLM-style reconstruction and
// residual detectors when those are asked for.
import TSFCData
import TSFCDetection

/// Built-in detector configurations.
public enum DetectorDefaults {
    /// The scorer `tsfc detect` fits when none is named: the rank ensemble of kNN, ridge and LOF,
    /// the best mean VUS-PR, PATE and AUC-PR over the seven benchmark lines (BENCHMARKS.md, issue 18).
    public static let scorer: ScorerKind = .ensemble
    /// The window (the peers' 32).
    public static let window = 32
    /// Whether the window follows the period found by autocorrelation. Measured, it does not pay:
    /// windows of one period scored lower than 32 rows on SMD, SMD-cat, ASD, NAB and UCR (mean
    /// VUS-PR over the seven benchmark lines .460 against .506 for the ensemble, .355 against
    /// .463 for kNN), so the period is reported but the window stays at `window`.
    public static let windowFromPeriod = false
    /// Windows taken from a period are kept within these rows.
    public static let windowRange = 8...256

    /// The default detector for `scorer`.
    public static func configuration(scorer: ScorerKind = DetectorDefaults.scorer) -> RunConfiguration {
        var c = RunConfiguration()
        c.seed = 2024
        c.detection.scorer = scorer
        c.detection.aggregation = .mean
        c.detection.threshold = ThresholdConfiguration(method: .quantile, value: 0.99)
        if scorer.isClosedForm {
            c.detection.window = window
            c.detection.normalization = .auto
            c.detection.threshold = ThresholdConfiguration(method: .pot, value: 0.002)
            c.detection.calibrationFraction = 0.3
            return c
        }
        c.detection.calibrationFraction = 0.2
        c.detection.window = 32
        c.detection.patchLength = 4
        c.detection.dropout = 0.1
        // Residual scorer: a small AutoTimes forecaster, 96-point context in 16-point segments.
        c.model.segmentLength = 16
        c.model.contextSegments = 6
        c.model.embeddingHidden = 64
        c.model.embeddingDropout = 0.1
        c.model.backbone.kind = .scratch
        c.model.backbone.layers = 2
        c.model.backbone.width = 64
        c.model.backbone.heads = 4
        c.model.backbone.dropout = 0.1
        c.training.epochs = 5
        c.training.batchSize = 64
        c.training.learningRate = 1e-3
        c.training.weightDecay = 0.01
        c.training.warmupSteps = 50
        c.training.patience = 3
        c.training.maxTrainWindows = 20000
        c.training.maxValidationWindows = 2000
        return c
    }

    /// Estimates the period of the fit rows (autocorrelation) and returns it, or nil; sets
    /// `detection.window` from it when `windowFromPeriod`, else to `window`.
    @discardableResult
    public static func chooseWindow(_ c: inout RunConfiguration, frame: TimeSeriesFrame, rows: Range<Int>) -> Int? {
        let fit = rows.lowerBound..<(rows.upperBound - Int((Double(rows.count) * c.detection.calibrationFraction).rounded()))
        let period = PeriodEstimate.period(values: frame.values, channels: frame.channelCount, rows: fit)
        let fromPeriod = windowFromPeriod ? period.map { Swift.min(windowRange.upperBound, Swift.max(windowRange.lowerBound, $0)) } : nil
        let w = fromPeriod ?? window
        c.detection.window = Swift.min(w, Swift.max(2, fit.count / 4))
        return period
    }
}
