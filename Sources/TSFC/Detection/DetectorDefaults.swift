// DetectorDefaults: the detector `tsfc detect` fits when it is given no model and no
// configuration — a small TriP-LLM-style reconstruction detector that trains in seconds to
// minutes on a CPU.

/// Built-in detector configurations.
public enum DetectorDefaults {
    /// The default detector for `scorer` (`reconstruction` or `residual`).
    public static func configuration(scorer: ScorerKind = .reconstruction) -> RunConfiguration {
        var c = RunConfiguration()
        c.seed = 2024
        c.detection.scorer = scorer
        c.detection.aggregation = .mean
        c.detection.threshold = ThresholdConfiguration(method: .quantile, value: 0.99)
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
}
