// LOFScorer: the local outlier factor (Breunig et al. 2000) of each standardised sliding window
// among the training windows, in novelty mode (scikit-learn's LocalOutlierFactor(novelty=True),
// pyod's LOF): LOF(q) = mean over q's k nearest training windows o of lrd(o) / lrd(q), with
// lrd(p) = 1 / mean reach-dist(p, o) and reach-dist(p, o) = max(k-distance(o), d(p, o)).
// A window's score goes to its centre row; per channel it is LOF × C × the channel's share of the
// squared distance to the nearest training window (so the `mean` aggregation is the LOF).
import TSFCTensor

/// Scores windows by their local outlier factor among the training windows.
public final class LOFScorer: WindowScorer {
    public let index: NearestNeighbourIndex
    public let windowLength: Int
    public let channels: Int
    public let neighbours: Int
    /// k-distance and local reachability density of each training window.
    public let kDistance: [Float]
    public let density: [Float]

    public init(reference: [Float], windowLength: Int, channels: Int, neighbours: Int, kDistance: [Float], density: [Float]) {
        index = NearestNeighbourIndex(reference: reference, dimension: windowLength * channels)
        self.windowLength = windowLength
        self.channels = channels
        self.neighbours = Swift.max(1, neighbours)
        self.kDistance = kDistance
        self.density = density
    }

    /// Fits on the stride-1 windows of `rows` (thinned to at most `maximumReference`).
    public static func fit(values: [Float], channels: Int, rows: Range<Int>, windowLength: Int, neighbours: Int,
                           maximumReference: Int) throws -> LOFScorer {
        let starts = try KNNScorer.referenceStarts(rows: rows, windowLength: windowLength, maximumReference: maximumReference)
        let reference = SlidingWindows.matrix(values, channels: channels, length: windowLength, starts: starts)
        let index = NearestNeighbourIndex(reference: reference, dimension: windowLength * channels)
        let (nn, dist) = index.search(reference, k: neighbours, excludingSelf: true)
        let k = nn.count / starts.count
        let kDistance = (0..<starts.count).map { dist[$0 * k + k - 1] }
        let density = (0..<starts.count).map { i -> Float in
            var sum: Float = 0
            for j in 0..<k { sum += Swift.max(kDistance[nn[i * k + j]], dist[i * k + j]) }
            return 1 / Swift.max(sum / Float(k), 1e-10)
        }
        return LOFScorer(reference: reference, windowLength: windowLength, channels: channels, neighbours: k,
                         kDistance: kDistance, density: density)
    }

    public var kind: ScorerKind { .lof }
    public var requiredChannels: Int? { channels }
    public var scoredOffset: Int { windowLength - 1 - windowLength / 2 }

    public func channelScores(_ input: ScoringInput) throws -> AnomalyScores {
        guard input.channels == channels else { throw DetectionError.wrongChannels(found: input.channels, expected: channels) }
        return try windowChannelScores(input)
    }

    public func scoreWindows(_ x: [Float], channels c: Int, starts: [Int]) throws -> [Float] {
        let w = windowLength, d = w * c
        let queries = SlidingWindows.matrix(x, channels: c, length: w, starts: starts)
        let (nn, dist) = index.search(queries, k: neighbours)
        let k = nn.count / Swift.max(1, starts.count)
        var out = [Float](repeating: 0, count: starts.count * c)
        for i in 0..<starts.count {
            var reach: Float = 0, ratio: Float = 0
            for j in 0..<k {
                let o = nn[i * k + j]
                reach += Swift.max(kDistance[o], dist[i * k + j])
                ratio += density[o]
            }
            let lrd = 1 / Swift.max(reach / Float(k), 1e-10)
            let lof = ratio / Float(k) / lrd
            let r = nn[i * k]
            var shares = [Float](repeating: 0, count: c), total: Float = 0
            for t in 0..<w {
                for ch in 0..<c {
                    let e = queries[i * d + t * c + ch] - index.reference[r * d + t * c + ch]
                    shares[ch] += e * e
                }
            }
            for ch in 0..<c { total += shares[ch] }
            for ch in 0..<c { out[i * c + ch] = total > 0 ? lof * Float(c) * shares[ch] / total : lof }
        }
        return out
    }

    public var parameters: [String: Tensor] {
        ["lof.reference": Tensor(shape: [index.count, index.dimension], scalars: index.reference),
         "lof.k_distance": Tensor(shape: [kDistance.count], scalars: kDistance),
         "lof.density": Tensor(shape: [density.count], scalars: density)]
    }
}
