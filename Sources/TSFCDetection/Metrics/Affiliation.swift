// Affiliation precision and recall (Huet, Navarro, Rossi; KDD 2022), for binary predictions.
//
// Point i is the interval [i, i + 1). The time line is cut into one "affiliation zone" per true
// event, at the midpoints between consecutive events. Inside the zone [zl, zr) of event [a, b):
// - precision: for each predicted point x in the zone, the probability that a point X drawn
//   uniformly in the zone lies at least as far from the event as x,
//   (max(a − d − zl, 0) + max(zr − b − d, 0)) / (zr − zl) with d = dist(x, [a, b)) (1 inside);
//   averaged over the predicted mass in the zone, then over the zones that hold predictions;
// - recall: for each event point y, the probability that X lies at least as far from y as the
//   nearest prediction in the zone, (max(y − d − zl, 0) + max(zr − y − d, 0)) / (zr − zl);
//   averaged over the event, then over all events (0 for an event whose zone has no prediction).
// The integrands are piecewise linear, so the integrals are exact: the midpoint rule between
// consecutive kinks.

extension AnomalyMetrics {
    /// Affiliation precision and recall of `predictions` against `labels`. Precision is 0 when
    /// nothing is predicted; both are NaN without anomalies.
    public static func affiliation(labels: [Bool], predictions: [Bool]) -> PrecisionRecallF1 {
        precondition(labels.count == predictions.count, "affiliation: \(labels.count) labels, \(predictions.count) predictions")
        let truth = AnomalyLabels.runs(labels).map { (Double($0.lowerBound), Double($0.upperBound + 1)) }
        guard !truth.isEmpty else { return PrecisionRecallF1(precision: .nan, recall: .nan) }
        let predicted = AnomalyLabels.runs(predictions).map { (Double($0.lowerBound), Double($0.upperBound + 1)) }
        var cuts = [0.0]
        for j in 0..<(truth.count - 1) { cuts.append((truth[j].1 + truth[j + 1].0) / 2) }
        cuts.append(Double(labels.count))

        var precisions: [Double] = [], recalls: [Double] = []
        for (j, event) in truth.enumerated() {
            let (a, b) = event
            let zl = cuts[j], zr = cuts[j + 1], zone = zr - zl
            let inZone = predicted.compactMap { p -> (Double, Double)? in
                let lo = Swift.max(p.0, zl), hi = Swift.min(p.1, zr)
                return hi > lo ? (lo, hi) : nil
            }
            guard !inZone.isEmpty else { recalls.append(0); continue }

            func precisionDensity(_ x: Double) -> Double {
                let d = Swift.max(a - x, 0) + Swift.max(x - b, 0)
                if d == 0 { return 1 }
                return (Swift.max(a - d - zl, 0) + Swift.max(zr - b - d, 0)) / zone
            }
            var mass = 0.0, integral = 0.0
            for (lo, hi) in inZone {
                mass += hi - lo
                integral += integratePiecewiseLinear(lo, hi, kinks: [a, b, a + b - zr, a + b - zl], precisionDensity)
            }
            precisions.append(integral / mass)

            func recallDensity(_ y: Double) -> Double {
                var d = Double.infinity
                for (lo, hi) in inZone { d = Swift.min(d, Swift.max(lo - y, 0) + Swift.max(y - hi, 0)) }
                return (Swift.max(y - d - zl, 0) + Swift.max(zr - y - d, 0)) / zone
            }
            var kinks: [Double] = []
            for (k, (lo, hi)) in inZone.enumerated() {
                kinks += [lo, hi, (lo + zl) / 2, (zr + hi) / 2]
                if k + 1 < inZone.count { kinks.append((hi + inZone[k + 1].0) / 2) }
            }
            recalls.append(integratePiecewiseLinear(a, b, kinks: kinks, recallDensity) / (b - a))
        }
        let precision = precisions.isEmpty ? 0 : precisions.reduce(0, +) / Double(precisions.count)
        return PrecisionRecallF1(precision: precision, recall: recalls.reduce(0, +) / Double(recalls.count))
    }

    /// ∫ f over [lo, hi] for f linear between consecutive `kinks` (jumps allowed at kinks).
    static func integratePiecewiseLinear(_ lo: Double, _ hi: Double, kinks: [Double], _ f: (Double) -> Double) -> Double {
        let points = ([lo, hi] + kinks.filter { $0 > lo && $0 < hi }).sorted()
        var total = 0.0
        for (u, v) in zip(points, points.dropFirst()) where v > u { total += f((u + v) / 2) * (v - u) }
        return total
    }
}
