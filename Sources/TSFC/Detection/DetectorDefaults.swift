// DetectorDefaults: the detector `tsfc detect` fits when it is given no model and no
// configuration — the scorer chosen by the measurements in BENCHMARKS.md (issue 18), with a
// window from the series' period, rolling normalisation on trending channels and a POT
// threshold for a low false-alarm rate; and the small TriP-LLM-style reconstruction and
// residual detectors when those are asked for.
import TSFCData
import TSFCDetection

/// Built-in detector configurations.
public enum DetectorDefaults {
    /// The scorer `tsfc detect` fits when none is named.
    public static let scorer: ScorerKind = .knn
    /// The window when the series shows no period (the peers' 32).
    public static let window = 32
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

    /// Sets `detection.window` from the period of the fit rows (autocorrelation); returns the period
    /// found, or nil (the window is then `window`).
    @discardableResult
    public static func chooseWindow(_ c: inout RunConfiguration, frame: TimeSeriesFrame, rows: Range<Int>) -> Int? {
        let fit = rows.lowerBound..<(rows.upperBound - Int((Double(rows.count) * c.detection.calibrationFraction).rounded()))
        let period = PeriodEstimate.period(values: frame.values, channels: frame.channelCount, rows: fit)
        let w = period.map { Swift.min(windowRange.upperBound, Swift.max(windowRange.lowerBound, $0)) } ?? window
        c.detection.window = Swift.min(w, Swift.max(2, fit.count / 4))
        return period
    }
}
