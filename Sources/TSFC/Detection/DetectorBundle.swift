// DetectorBundle: a trained anomaly detector in a `.tsfc` model bundle — the scorer's weights as
// tensors, and in the metadata the usual configuration, columns and scaler plus a `detector`
// block with the scorer kind, the channel aggregation and the calibrated threshold.
import Foundation
import TSFCData

/// What a bundle stores about a detector besides the forecaster fields.
public struct DetectorMetadata: Codable, Sendable, Equatable {
    /// `residual` or `reconstruction`.
    public var scorer: ScorerKind
    /// Channel aggregation of the scores.
    public var aggregation: ScoreAggregation
    /// The calibrated alarm threshold (on aggregated scores).
    public var threshold: Float
    /// The rule it was fitted with.
    public var thresholdRule: ThresholdConfiguration
    /// Calibration scores the threshold was fitted on.
    public var calibrationCount: Int
    /// Detrending and the floored scaler (nil in bundles from before it existed: the top-level scaler alone).
    public var normalization: InputNormalization?
    /// Scorer geometry of the closed-form scorers (window length, neighbours, lags).
    public var window: Int?
    public var neighbours: Int?
    /// The training data's last timestamp and step (the stored tail precedes an input that starts one step later).
    public var trainingEnd: Int64?
    public var trainingStep: Int64?

    public init(scorer: ScorerKind, aggregation: ScoreAggregation, threshold: Float, thresholdRule: ThresholdConfiguration,
                calibrationCount: Int) {
        self.scorer = scorer
        self.aggregation = aggregation
        self.threshold = threshold
        self.thresholdRule = thresholdRule
        self.calibrationCount = calibrationCount
    }
}

extension ModelBundle {
    /// Writes a trained detector atomically.
    public static func write(_ detector: TrainedDetector, summary: TrainingSummary, to url: URL) throws {
        var metadata = BundleMetadata(
            configuration: detector.configuration, columns: detector.columns, mean: detector.scaler.mean,
            std: detector.scaler.std, frequencySeconds: nil, trainingSteps: summary.steps,
            trainingSeconds: summary.seconds, bestValidationLoss: summary.bestValidationLoss)
        let parameters: [String: Tensor]
        var extra: [String: Tensor] = [:]
        if !detector.trainingTail.isEmpty {
            extra["detector.training_tail"] = Tensor(shape: [detector.trainingTail.count / detector.columns.count, detector.columns.count],
                                                     scalars: detector.trainingTail)
        }
        let minimum = Tensor(shape: [1], scalars: [1])
        switch detector.scorer {
        case let s as KNNScorer: parameters = s.parameters.merging(s.rowScore == .minimum ? ["detector.row_minimum": minimum] : [:]) { a, _ in a }
        case let s as LOFScorer: parameters = s.parameters.merging(s.rowScore == .minimum ? ["detector.row_minimum": minimum] : [:]) { a, _ in a }
        case let s as RidgeARScorer: parameters = s.parameters
        case let s as EnsembleScorer:
            var p: [String: Tensor] = [:]
            for (m, member) in s.members.enumerated() {
                if let k = member as? KNNScorer {
                    p.merge(k.parameters) { a, _ in a }
                    if k.rowScore == .minimum { p["detector.row_minimum"] = minimum }
                }
                if let r = member as? RidgeARScorer { p.merge(r.parameters) { a, _ in a } }
                if let l = member as? LOFScorer {
                    p.merge(l.parameters) { a, _ in a }
                    p["ensemble.lof_neighbours"] = Tensor(shape: [1], scalars: [Float(l.neighbours)])
                }
                let q = s.normalizers[m]
                p["ensemble.quantiles.\(m)"] = Tensor(shape: [q.channels, RankNormalizer.levels], scalars: q.quantiles)
                if !q.legacy { p["ensemble.ranks_v2"] = Tensor(shape: [1], scalars: [1]) }
            }
            parameters = p
        case let s as ForecastResidualScorer:
            metadata.backbone = s.model.decoderConfiguration
            parameters = s.model.parameterDictionary()
        case let s as ReconstructionScorer:
            metadata.backbone = (s.model.backbone as? CausalDecoder)?.configuration
            var p = s.model.parameterDictionary()
            if s.centresWindows { p["detector.centres_windows"] = Tensor(shape: [1], scalars: [1]) }
            if let scale = s.channelScale { p["detector.channel_scale"] = Tensor(shape: [scale.scales.count], scalars: scale.scales) }
            parameters = p
        default:
            throw DetectionError.invalid("cannot store a \(detector.scorer.kind) scorer in a bundle")
        }
        var info = DetectorMetadata(scorer: detector.scorer.kind, aggregation: detector.aggregation,
                                    threshold: detector.threshold, thresholdRule: detector.thresholdRule,
                                    calibrationCount: detector.calibrationCount)
        info.normalization = detector.normalization
        info.trainingEnd = detector.trainingEnd
        info.trainingStep = detector.trainingStep
        if let s = detector.scorer as? KNNScorer { info.window = s.windowLength; info.neighbours = s.neighbours }
        if let s = detector.scorer as? LOFScorer { info.window = s.windowLength; info.neighbours = s.neighbours }
        if let s = detector.scorer as? EnsembleScorer, let k = s.members.first as? KNNScorer { info.window = k.windowLength; info.neighbours = k.neighbours }
        metadata.detector = info
        try write(parameters: parameters.merging(extra) { a, _ in a }, metadata: metadata, to: url)
    }

    /// Loads a detector bundle (evaluation mode).
    public static func loadDetector(contentsOf url: URL) throws -> TrainedDetector {
        let (metadata, parameters) = try read(contentsOf: url)
        guard let info = metadata.detector else {
            throw ModelBundleError.invalid(path: url.path, reason: "it is a forecasting model, not an anomaly detector; train one with a config whose detection.scorer is residual or reconstruction (e.g. Configs/detect-smd.yaml), or omit --model to fit one on the input")
        }
        let scorer: any AnomalyDetector
        let weights = parameters.filter { !$0.key.hasPrefix("detector.") }
        do {
            switch info.scorer {
            case .residual:
                let model = try ModelFactory.makeModel(metadata.configuration.model, seed: 0, storedBackbone: metadata.backbone)
                try model.load(weights)
                scorer = ForecastResidualScorer(model: model)
            case .reconstruction:
                let model = try DetectorTraining.makeAutoencoder(metadata.configuration, channels: metadata.columns.count,
                                                                 storedBackbone: metadata.backbone)
                try model.load(weights)
                // Bundles from before per-window centring and channel scales hold neither.
                let scale = try parameters["detector.channel_scale"].map { t -> ChannelScoreScale in
                    guard t.scalars.count == metadata.columns.count, t.scalars.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                        throw DetectionError.invalid("detector.channel_scale needs one positive value per column")
                    }
                    return ChannelScoreScale(scales: t.scalars)
                }
                scorer = ReconstructionScorer(model: model, centresWindows: parameters["detector.centres_windows"] != nil,
                                              channelScale: scale)
            case .knn, .lof, .ridge, .ensemble:
                scorer = try closedFormScorer(info, channels: metadata.columns.count, parameters: parameters)
            case .none:
                throw DetectionError.invalid("its detector block names no scorer (none)")
            }
        } catch {
            throw ModelBundleError.invalid(path: url.path, reason: "its detector weights do not fit its configuration: \(error)")
        }
        guard info.threshold.isFinite else { throw ModelBundleError.invalid(path: url.path, reason: "the stored threshold is not finite") }
        let c = metadata.columns.count
        let normalization = info.normalization ?? InputNormalization(
            detrend: [Bool](repeating: false, count: c), rollingWindow: 2,
            scaler: StandardScaler(mean: metadata.mean, std: metadata.std), flooredChannels: [])
        guard normalization.detrend.count == c, normalization.scaler.mean.count == c else {
            throw ModelBundleError.invalid(path: url.path, reason: "its normalisation does not match its \(c) columns")
        }
        return TrainedDetector(scorer: scorer, columns: metadata.columns, normalization: normalization,
                               aggregation: info.aggregation, threshold: info.threshold, thresholdRule: info.thresholdRule,
                               configuration: metadata.configuration, calibrationCount: info.calibrationCount,
                               trainingTail: parameters["detector.training_tail"]?.scalars ?? [],
                               trainingEnd: info.trainingEnd, trainingStep: info.trainingStep)
    }

    /// Rebuilds a kNN, LOF, ridge or ensemble scorer from its stored arrays.
    static func closedFormScorer(_ info: DetectorMetadata, channels c: Int, parameters p: [String: Tensor]) throws -> any AnomalyDetector {
        func tensor(_ name: String) throws -> Tensor {
            guard let t = p[name] else { throw DetectionError.invalid("the tensor \(name) is missing") }
            return t
        }
        func window() throws -> Int {
            guard let w = info.window, w >= 1 else { throw DetectionError.invalid("the detector block has no window length") }
            return w
        }
        /// The checked window starts of stored training rows `[T, C]`.
        func windowStarts(_ rows: Tensor, _ starts: Tensor, prefix: String) throws -> [Int] {
            let w = try window(), t = rows.shape.first ?? 0
            guard rows.shape == [t, c], t >= w, starts.shape.count == 1, !starts.scalars.isEmpty,
                  starts.scalars.allSatisfy({ $0 >= 0 && $0 <= Float(t - w) && $0 == $0.rounded() }) else {
                throw DetectionError.invalid("\(prefix).rows has shape \(rows.shape) and \(prefix).starts \(starts.shape) (or starts outside 0…\(t - w)) for windows of \(w) rows × \(c) channels")
            }
            return starts.scalars.map { Int($0) }
        }
        // Bundles from before the covering minimum hold no flag: centred rows.
        let rowScore: WindowRowScore = p["detector.row_minimum"] != nil ? .minimum : .centre
        func knn() throws -> KNNScorer {
            let w = try window(), k = info.neighbours ?? 5
            guard let rows = p["knn.rows"] else {  // bundles that stored flattened windows
                let r = try tensor("knn.reference")
                guard r.shape.count == 2, r.shape[1] == w * c else { throw DetectionError.invalid("knn.reference has shape \(r.shape)") }
                return KNNScorer(reference: r.scalars, windowLength: w, channels: c, neighbours: k)
            }
            return KNNScorer(rows: rows.scalars, starts: try windowStarts(rows, try tensor("knn.starts"), prefix: "knn"),
                             windowLength: w, channels: c, neighbours: k, rowScore: rowScore)
        }
        func ridge() throws -> RidgeARScorer {
            let b = try tensor("ridge.coefficients"), a = try tensor("ridge.intercepts")
            guard b.shape.count == 2, b.shape[0] == c, a.shape == [c] else { throw DetectionError.invalid("ridge tensors have shapes \(b.shape), \(a.shape)") }
            return RidgeARScorer(lags: b.shape[1], channels: c, coefficients: b.scalars, intercepts: a.scalars)
        }
        func lof(neighbours: Int) throws -> LOFScorer {
            let w = try window(), k = neighbours
            let kd = try tensor("lof.k_distance"), lrd = try tensor("lof.density")
            guard let rows = p["lof.rows"] else {  // bundles that stored flattened windows
                let r = try tensor("lof.reference")
                guard r.shape.count == 2, r.shape[1] == w * c, kd.shape == [r.shape[0]], lrd.shape == [r.shape[0]] else {
                    throw DetectionError.invalid("LOF tensors have shapes \(r.shape), \(kd.shape), \(lrd.shape)")
                }
                return LOFScorer(reference: r.scalars, windowLength: w, channels: c, neighbours: k, kDistance: kd.scalars, density: lrd.scalars)
            }
            let starts = try windowStarts(rows, try tensor("lof.starts"), prefix: "lof")
            guard kd.shape == [starts.count], lrd.shape == [starts.count] else {
                throw DetectionError.invalid("lof.k_distance and lof.density have shapes \(kd.shape), \(lrd.shape) for \(starts.count) windows")
            }
            return LOFScorer(rows: rows.scalars, starts: starts, windowLength: w, channels: c, neighbours: k,
                             kDistance: kd.scalars, density: lrd.scalars, rowScore: rowScore)
        }
        switch info.scorer {
        case .knn: return try knn()
        case .ridge: return try ridge()
        case .lof: return try lof(neighbours: info.neighbours ?? 20)
        default:
            // Ensembles from before LOF joined them hold kNN and ridge only. The detector block's
            // neighbours are the kNN's; the LOF member's are stored beside its arrays.
            var members: [any AnomalyDetector] = [try knn(), try ridge()]
            if let k = p["ensemble.lof_neighbours"] {
                guard k.shape == [1], let n = k.scalars.first, n >= 1, n == n.rounded() else {
                    throw DetectionError.invalid("ensemble.lof_neighbours has shape \(k.shape)")
                }
                members.append(try lof(neighbours: Int(n)))
            }
            let normalizers = try (0..<members.count).map { m -> RankNormalizer in
                let q = try tensor("ensemble.quantiles.\(m)")
                guard q.shape == [c, RankNormalizer.levels] else { throw DetectionError.invalid("ensemble.quantiles.\(m) has shape \(q.shape)") }
                // Bundles from before the current rank floor rank as they did when saved.
                return RankNormalizer(quantiles: q.scalars, channels: c, legacy: p["ensemble.ranks_v2"] == nil)
            }
            return EnsembleScorer(members: members, normalizers: normalizers)
        }
    }
}
