// PATE: proximity-aware time-series anomaly evaluation (Ghorbani, Reinders, Tax; KDD 2024,
// arXiv 2405.12096), written from the paper's definitions and checked against the authors'
// golden example.
//
// Every true event [a, b] gets a pre-buffer of up to e points and a post-buffer of up to d points
// (a post-buffer stops before the next event; a pre-buffer starts after the previous post-buffer).
// A predicted point inside a buffer is a partial true positive whose weight falls linearly with
// the distance from the event's middle; the rest of its unit counts as a false positive.
// A pre-buffer counts only when the event itself was hit (early warning of a detected event).
// Inside an event that is hit, missed points are false negatives weighted by their position after
// the first detected run (onset-aware); an event missed entirely counts each point as one FN.
// PATE is the area under the weighted precision–recall curve over thresholds (recall kept
// non-decreasing, trapezoids, starting at recall 0, precision 1), averaged over a grid of
// (e, d) buffer sizes. PATE-F1 is the weighted F1 of binary predictions, averaged the same way.

import Foundation

/// Options of PATE; the defaults are the reference package's.
public struct PATEOptions: Codable, Equatable, Sendable {
    /// Largest pre-buffer (early) size e.
    public var earlyBuffer: Int = 100
    /// Largest post-buffer (delay) size d.
    public var delayBuffer: Int = 100
    /// Whether the buffer grid includes 0 (grid {0, …, e} × {0, …, d} with `splits` + 1 values each).
    public var includeZero: Bool = true
    /// Number of grid steps per buffer.
    public var splits: Int = 1
    /// Thresholds: the distinct scores (those that change the true-positive count), then this many
    /// percentiles of them; nil uses every remaining distinct score.
    public var thresholdCount: Int? = 250

    enum CodingKeys: String, CodingKey {
        case earlyBuffer = "early_buffer", delayBuffer = "delay_buffer", includeZero = "include_zero", splits
        case thresholdCount = "threshold_count"
    }

    public init(earlyBuffer: Int = 100, delayBuffer: Int = 100, includeZero: Bool = true, splits: Int = 1, thresholdCount: Int? = 250) {
        self.earlyBuffer = earlyBuffer; self.delayBuffer = delayBuffer; self.includeZero = includeZero
        self.splits = splits; self.thresholdCount = thresholdCount
    }

    /// The (e, d) pairs PATE averages over.
    var bufferPairs: [(early: Int, delay: Int)] {
        func grid(_ m: Int) -> [Int] {
            let M = Double(m), k = Double(splits)
            if includeZero {
                return (0...splits).map { $0 == splits ? m : Int(Double($0) * (M / k)) }
            }
            if splits == 1 { return [m] }
            let start = M / k, step = (M - start) / (k - 1)
            return (0..<splits).map { $0 == splits - 1 ? m : Int(start + Double($0) * step) }
        }
        return grid(earlyBuffer).flatMap { e in grid(delayBuffer).map { (e, $0) } }
    }
}

extension AnomalyMetrics {
    /// PATE of continuous `scores` (a point is flagged when its score ≥ the threshold). NaN without anomalies.
    public static func pate(labels: [Bool], scores: [Float], options: PATEOptions = PATEOptions()) -> Double {
        precondition(labels.count == scores.count, "PATE: \(labels.count) labels, \(scores.count) scores")
        let s = scores.map(Double.init)
        let thresholds = pateThresholds(labels: labels, scores: s, count: options.thresholdCount)
        guard let curves = pateCurves(labels: labels, scores: s, thresholds: thresholds, options: options) else { return .nan }
        let areas = curves.map { curve -> Double in
            var area = 0.0, r0 = 0.0, p0 = 1.0
            for (p, r) in zip(curve.precision, curve.recall) where r >= r0 {
                area += (r - r0) * (p + p0) / 2
                r0 = r; p0 = p
            }
            return area
        }
        return areas.reduce(0, +) / Double(areas.count)
    }

    /// PATE-F1 of binary `predictions`. NaN without anomalies.
    public static func pateF1(labels: [Bool], predictions: [Bool], options: PATEOptions = PATEOptions()) -> Double {
        precondition(labels.count == predictions.count, "PATE-F1: \(labels.count) labels, \(predictions.count) predictions")
        guard let curves = pateCurves(labels: labels, scores: predictions.map { $0 ? 1 : 0 }, thresholds: [0.5], options: options)
        else { return .nan }
        let f1s = curves.map { PrecisionRecallF1.f1($0.precision[0], $0.recall[0]) }
        return f1s.reduce(0, +) / Double(f1s.count)
    }

    /// Descending thresholds: the distinct scores, without those inside a run where the
    /// true-positive count does not change, then optionally `count` percentiles of them.
    static func pateThresholds(labels: [Bool], scores: [Double], count: Int?) -> [Double] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var values: [Double] = [], truePositives: [Int] = []
        var tp = 0
        for (k, i) in order.enumerated() {
            if labels[i] { tp += 1 }
            if k + 1 == order.count || scores[order[k + 1]] != scores[i] { values.append(scores[i]); truePositives.append(tp) }
        }
        if values.count > 2 {
            var kept: [Double] = [values[0]]
            for i in 1..<(values.count - 1) where truePositives[i] != truePositives[i - 1] || truePositives[i + 1] != truePositives[i] {
                kept.append(values[i])
            }
            kept.append(values[values.count - 1])
            values = kept
        }
        guard let count, count >= 2 else { return values }
        let ascending = Array(values.reversed())
        return (0..<count).map { k in
            let q = k == count - 1 ? 0 : (100 - Double(k) * (100 / Double(count - 1))) / 100
            return EmpiricalQuantile.of(sorted: ascending, q)
        }
    }

    /// Weighted precision and recall at each (descending) threshold, for each (e, d) pair.
    static func pateCurves(labels: [Bool], scores s: [Double], thresholds thr: [Double], options: PATEOptions)
        -> [(precision: [Double], recall: [Double])]? {
        let n = labels.count
        let events = AnomalyLabels.runs(labels)
        guard !events.isEmpty else { return nil }
        let T = thr.count
        // thresholds descend, so the thresholds flagging a point form a suffix [firstFlagged, T)
        func firstFlagged(_ v: Double) -> Int {
            var lo = 0, hi = T
            while lo < hi { let mid = (lo + hi) / 2; if v >= thr[mid] { hi = mid } else { lo = mid + 1 } }
            return lo
        }
        var predictedAt = [Double](repeating: 0, count: T + 1)
        for v in s { predictedAt[firstFlagged(v)] += 1 }
        var predicted = [Double](repeating: 0, count: T)
        var running = 0.0
        for t in 0..<T { running += predictedAt[t]; predicted[t] = running }

        // Event terms: true positives inside events, onset-aware false negatives, detection.
        var truePositives = [Double](repeating: 0, count: T)
        var falseNegatives = [Double](repeating: 0, count: T)
        var eventHitFrom: [Int] = []
        for e in events {
            let values = e.map { s[$0] }
            let L = values.count
            let maxDistance = Double(L * (L - 1)) / 2
            eventHitFrom.append(firstFlagged(values.max()!))
            for t in 0..<T {
                let threshold = thr[t]
                var first = -1
                for r in 0..<L where values[r] >= threshold { first = r; break }
                guard first >= 0 else { falseNegatives[t] += Double(L); continue }
                var gap = L
                for r in (first + 1)..<L where values[r] < threshold { gap = r; break }
                let delta = Double(gap - first)
                var partial = 0.0, hits = 0
                for r in 0..<L {
                    if values[r] >= threshold { hits += 1; continue }
                    if Double(r) <= delta { partial += 1 } else {
                        let distance = (delta + 1) * Double(r) - delta * (delta + 1) / 2
                        partial += maxDistance > 0 ? 1 - distance / maxDistance : 1
                    }
                }
                truePositives[t] += Double(hits)
                falseNegatives[t] += partial
            }
        }

        return options.bufferPairs.map { pair -> (precision: [Double], recall: [Double]) in
            var bufferAt = [Double](repeating: 0, count: T + 1)
            var previousPostEnd = -1
            for (k, e) in events.enumerated() {
                let a = e.lowerBound, b = e.upperBound
                let next = k + 1 < events.count ? events[k + 1].lowerBound : n
                let postEnd = Swift.min(b + pair.delay, next - 1)
                let preStart = Swift.max(0, a - pair.early, previousPostEnd + 1)
                let middle = Double(a + b) / 2
                if preStart <= a - 1 {
                    for x in preStart...(a - 1) {
                        let weight = Double(x - preStart) / (middle - Double(preStart))
                        bufferAt[Swift.max(firstFlagged(s[x]), eventHitFrom[k])] += weight
                    }
                }
                if b + 1 <= postEnd {
                    for x in (b + 1)...postEnd {
                        bufferAt[firstFlagged(s[x])] += (Double(postEnd) - Double(x)) / (Double(postEnd) - middle)
                    }
                }
                previousPostEnd = postEnd
            }
            var precision = [Double](repeating: 0, count: T), recall = precision
            var buffer = 0.0
            for t in 0..<T {
                buffer += bufferAt[t]
                let tp = truePositives[t] + buffer
                precision[t] = predicted[t] > 0 ? tp / predicted[t] : 0
                recall[t] = tp + falseNegatives[t] > 0 ? tp / (tp + falseNegatives[t]) : 0
            }
            return (precision, recall)
        }
    }
}
