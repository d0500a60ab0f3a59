// VUS-ROC and VUS-PR (Paparrizos, Boniol, Palpanas, Tsay, Elmore, Franklin; PVLDB 15(11), 2022):
// range-based ROC and PR areas with soft label buffers √(1 − d/ℓ) of half-width ⌊ℓ/2⌋ around every
// anomaly segment, averaged over buffer lengths ℓ = 0 … window. Thresholds are `thresholdCount`
// scores at evenly spaced ranks of the sorted scores; a point is flagged when its score ≥ the threshold.
//
// Two published definitions differ, and both are offered:
// - `.tsbAD` (TSB-AD 1.5 and the `vus` 0.0.6 package, the current reference): only the
//   *predicted* buffer mass enters the label count, existence is counted over merged extended
//   segments, and the PR area uses step heights.
// - `.original2022` (the first VUS code, which the PATE authors' experiments call with
//   window = 2 × zone): the whole buffer mass enters the label count and the PR area uses trapezoids.

import Foundation

/// Which VUS definition to compute.
public enum VUSDefinition: String, Codable, Sendable, CaseIterable {
    case tsbAD = "tsb-ad"
    case original2022 = "original-2022"
}

/// The two VUS volumes.
public struct VUSResult: Codable, Equatable, Sendable {
    public let roc: Double
    public let pr: Double
}

extension AnomalyMetrics {
    /// VUS-ROC and VUS-PR of `scores` against `labels` over buffer lengths 0 … `window`.
    /// NaN without anomalies.
    public static func vus(labels: [Bool], scores: [Float], window: Int = 100, thresholdCount: Int = 250,
                           definition: VUSDefinition = .tsbAD) -> VUSResult {
        precondition(labels.count == scores.count, "VUS: \(labels.count) labels, \(scores.count) scores")
        precondition(window >= 0 && thresholdCount >= 2, "VUS: window \(window), \(thresholdCount) thresholds")
        let n = labels.count
        let events = AnomalyLabels.runs(labels)
        guard !events.isEmpty, n > 0 else { return VUSResult(roc: .nan, pr: .nan) }
        let s = scores.map(Double.init)
        let ascending = s.sorted()
        let thresholds = rankThresholds(ascending: ascending, count: thresholdCount)   // descending
        let T = thresholds.count
        // First threshold index (thresholds descend) at which score v is flagged: v ≥ thr[t] for t ≥ result.
        func firstFlagged(_ v: Double) -> Int {
            var lo = 0, hi = T
            while lo < hi { let mid = (lo + hi) / 2; if v >= thresholds[mid] { hi = mid } else { lo = mid + 1 } }
            return lo
        }
        func count(atLeast t: Double, in sorted: [Double]) -> Double {
            var lo = 0, hi = sorted.count
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < t { lo = mid + 1 } else { hi = mid } }
            return Double(sorted.count - lo)
        }
        let anomalyScores = zip(labels, s).filter { $0.0 }.map { $0.1 }.sorted()
        let P = Double(anomalyScores.count)
        let predicted = thresholds.map { count(atLeast: $0, in: ascending) }
        let hit = thresholds.map { count(atLeast: $0, in: anomalyScores) }
        let flaggedFrom = s.map(firstFlagged)

        // Normal points within ⌊window/2⌋ of an event: the only ones a buffer can reach.
        let half = window / 2
        var inSupport = [Bool](repeating: false, count: n)
        for e in events {
            for i in Swift.max(e.lowerBound - half, 0)..<e.lowerBound { inSupport[i] = true }
            if e.upperBound + 1 < n { for i in (e.upperBound + 1)..<Swift.min(e.upperBound + half + 1, n) { inSupport[i] = true } }
        }
        let support = (0..<n).filter { inSupport[$0] && !labels[$0] }

        var soft = [Double](repeating: 0, count: n)
        var rocs: [Double] = [], prs: [Double] = []
        for w in 0...window {
            let h = w / 2
            for i in support { soft[i] = 0 }
            for e in events where h > 0 {
                let a = e.lowerBound, b = e.upperBound
                if b + 1 < n { for x in (b + 1)..<Swift.min(b + h + 1, n) where !labels[x] { soft[x] += (1 - Double(x - b) / Double(w)).squareRoot() } }
                for x in Swift.max(a - h, 0)..<a where !labels[x] { soft[x] += (1 - Double(a - x) / Double(w)).squareRoot() }
            }
            var totalBuffer = 0.0
            var extraAt = [Double](repeating: 0, count: T + 1)
            for i in support {
                let v = Swift.min(soft[i], 1)
                totalBuffer += v
                extraAt[flaggedFrom[i]] += v
            }
            // Extended segments and their largest scores.
            var segments: [ClosedRange<Int>] = []
            switch definition {
            case .tsbAD:
                var start = Swift.max(events[0].lowerBound - h, 0)
                for k in 0..<(events.count - 1) where events[k].upperBound + h < events[k + 1].lowerBound - h {
                    segments.append(start...(events[k].upperBound + h))
                    start = events[k + 1].lowerBound - h
                }
                segments.append(start...Swift.min(events[events.count - 1].upperBound + h, n - 1))
            case .original2022:
                var extended = labels
                for i in support where Swift.min(soft[i], 1) > 0 { extended[i] = true }
                segments = AnomalyLabels.runs(extended)
            }
            let segmentFirstFlagged = segments.map { seg in firstFlagged(seg.map { s[$0] }.max()!) }
            var existsAt = [Double](repeating: 0, count: T + 1)
            for f in segmentFirstFlagged { existsAt[f] += 1 }

            var extra = 0.0, exists = 0.0
            var tpr = [Double](repeating: 0, count: T), fpr = tpr, precision = tpr
            for t in 0..<T {
                extra += extraAt[t]; exists += existsAt[t]
                let tp = hit[t] + extra
                let positives: Double
                switch definition {
                case .tsbAD: positives = (P + P + extra) / 2
                case .original2022: positives = (P + P + totalBuffer) / 2
                }
                tpr[t] = Swift.min(tp / positives, 1) * exists / Double(segments.count)
                fpr[t] = (predicted[t] - tp) / (Double(n) - positives)
                precision[t] = tp / predicted[t]
            }
            var roc = 0.0, x0 = 0.0, y0 = 0.0
            for t in 0...T {
                let x = t < T ? fpr[t] : 1, y = t < T ? tpr[t] : 1
                roc += (x - x0) * (y + y0) / 2
                x0 = x; y0 = y
            }
            var pr = 0.0, r0 = 0.0, p0 = 1.0
            for t in 0..<T {
                switch definition {
                case .tsbAD: pr += (tpr[t] - r0) * precision[t]
                case .original2022: pr += (tpr[t] - r0) * (precision[t] + p0) / 2
                }
                r0 = tpr[t]; p0 = precision[t]
            }
            rocs.append(roc); prs.append(pr)
        }
        return VUSResult(roc: rocs.reduce(0, +) / Double(rocs.count), pr: prs.reduce(0, +) / Double(prs.count))
    }

    /// `count` thresholds at evenly spaced ranks of the scores, from the largest down
    /// (ranks ⌊k·(n − 1)/(count − 1)⌋ of the descending order, numpy's linspace + astype(int)).
    static func rankThresholds(ascending: [Double], count: Int) -> [Double] {
        let n = ascending.count
        let step = Double(n - 1) / Double(count - 1)
        return (0..<count).map { k in
            let rank = k == count - 1 ? n - 1 : Int(Double(k) * step)
            return ascending[n - 1 - rank]
        }
    }
}
