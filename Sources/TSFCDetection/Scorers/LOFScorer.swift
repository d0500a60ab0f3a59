// LOFScorer: the local outlier factor (Breunig et al. 2000) of each standardised sliding window
// among the training windows, in novelty mode (scikit-learn's LocalOutlierFactor(novelty=True),
// pyod's LOF): LOF(q) = mean over q's k nearest training windows o of lrd(o) / lrd(q), with
// lrd(p) = 1 / mean reach-dist(p, o) and reach-dist(p, o) = max(k-distance(o), d(p, o)).
// A window's score goes to its centre row; per channel it is LOF × C × the channel's share of the
// squared distance to the nearest training window (so the `mean` aggregation is the LOF).
// Neighbours come from the exact `SlidingWindowIndex`, for the training windows too.
import TSFCTensor

/// Scores windows by their local outlier factor among the training windows.
public final class LOFScorer: WindowScorer {
    public let index: SlidingWindowIndex
    public let windowLength: Int
    public let channels: Int
    public let neighbours: Int
    /// k-distance and local reachability density of each training window.
    public let kDistance: [Float]
    public let density: [Float]
    /// The centred window's score or the minimum over the covering windows.
    public let rowScore: WindowRowScore

    /// - Parameters:
    ///   - rows: standardised training rows `[T, C]`; `starts`: the reference windows' first rows.
    ///   - rowScore: which window scores give a row its score.
    public init(rows: [Float], starts: [Int], windowLength: Int, channels: Int, neighbours: Int, kDistance: [Float], density: [Float],
                rowScore: WindowRowScore = .centre) {
        index = SlidingWindowIndex(rows: rows, channels: channels, windowLength: windowLength, starts: starts)
        self.windowLength = windowLength
        self.channels = channels
        self.neighbours = Swift.max(1, neighbours)
        self.kDistance = kDistance
        self.density = density
        self.rowScore = rowScore
    }

    /// The same fitted scorer with another row score.
    public func withRowScore(_ rowScore: WindowRowScore) -> LOFScorer {
        LOFScorer(rows: index.rows, starts: index.starts, windowLength: windowLength, channels: channels, neighbours: neighbours,
                  kDistance: kDistance, density: density, rowScore: rowScore)
    }

    /// From flattened reference windows `[N, W·C]` (bundles written before the rows were stored).
    public convenience init(reference: [Float], windowLength: Int, channels: Int, neighbours: Int, kDistance: [Float], density: [Float]) {
        let n = reference.count / Swift.max(1, windowLength * channels)
        self.init(rows: reference, starts: (0..<n).map { $0 * windowLength }, windowLength: windowLength, channels: channels,
                  neighbours: neighbours, kDistance: kDistance, density: density)
    }

    /// Fits on the stride-1 windows of `rows` (thinned to at most `maximumReference`).
    public static func fit(values: [Float], channels: Int, rows: Range<Int>, windowLength: Int, neighbours: Int,
                           maximumReference: Int) throws -> LOFScorer {
        let starts = try KNNScorer.referenceStarts(rows: rows, windowLength: windowLength, maximumReference: maximumReference)
            .map { $0 - rows.lowerBound }
        let fitRows = Array(values[(rows.lowerBound * channels)..<(rows.upperBound * channels)])
        let index = SlidingWindowIndex(rows: fitRows, channels: channels, windowLength: windowLength, starts: starts)
        // Every window from the first reference start to the last (one recurrence), then each
        // reference window's neighbours without itself.
        let span = Array(starts[0]...starts[starts.count - 1])
        let kk = Swift.min(neighbours + 1, starts.count)
        let (all, allDist) = index.search(fitRows, queryStarts: span, k: kk)
        let k = kk - 1
        var nn = [Int](), dist = [Float]()
        nn.reserveCapacity(starts.count * k); dist.reserveCapacity(starts.count * k)
        for (i, s) in starts.enumerated() {
            let row = (s - starts[0]) * kk
            let own = (0..<kk).first { all[row + $0] == i } ?? (kk - 1)
            for j in 0..<kk where j != own { nn.append(all[row + j]); dist.append(allDist[row + j]) }
        }
        let kDistance = (0..<starts.count).map { dist[$0 * k + k - 1] }
        let density = (0..<starts.count).map { i -> Float in
            var sum: Float = 0
            for j in 0..<k { sum += Swift.max(kDistance[nn[i * k + j]], dist[i * k + j]) }
            return 1 / Swift.max(sum / Float(k), 1e-10)
        }
        return LOFScorer(rows: fitRows, starts: starts, windowLength: windowLength, channels: channels, neighbours: k,
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
        scoreWindows(x, channels: c, starts: starts, knn: nil).lof
    }

    /// Whether `knn` reads the same reference windows the same way with at most as many
    /// neighbours, so that one search serves both (`scoreWindows(_:channels:starts:knn:)`).
    public func sharesSearch(with knn: KNNScorer) -> Bool {
        knn.windowLength == windowLength && knn.channels == channels && knn.rowScore == rowScore
            && knn.neighbours <= neighbours && knn.index.starts == index.starts && knn.index.rows == index.rows
    }

    /// LOF window scores and, from the same neighbour search, `knn`'s window scores (its k-th
    /// neighbour is among this scorer's k nearest; `sharesSearch(with:)` must hold).
    func scoreWindows(_ x: [Float], channels c: Int, starts: [Int], knn: KNNScorer?) -> (lof: [Float], knn: [Float]?) {
        let w = windowLength
        let (nn, dist) = index.search(x, queryStarts: starts, k: neighbours)
        let k = nn.count / Swift.max(1, starts.count)
        let knnScores = knn.map { m in m.scores(x, channels: c, starts: starts) { nn[$0 * k + Swift.min(m.neighbours, k) - 1] } }
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
            let r = index.starts[nn[i * k]]
            var shares = [Float](repeating: 0, count: c), total: Float = 0
            for t in 0..<w {
                for ch in 0..<c {
                    let e = x[(starts[i] + t) * c + ch] - index.rows[(r + t) * c + ch]
                    shares[ch] += e * e
                }
            }
            for ch in 0..<c { total += shares[ch] }
            for ch in 0..<c { out[i * c + ch] = total > 0 ? lof * Float(c) * shares[ch] / total : lof }
        }
        return (out, knnScores)
    }

    /// Row scores of this LOF and of `knn` from one neighbour search per window.
    public func channelScores(_ input: ScoringInput, with knn: KNNScorer) throws -> (lof: AnomalyScores, knn: AnomalyScores) {
        guard input.channels == channels else { throw DetectionError.wrongChannels(found: input.channels, expected: channels) }
        let both = try windowRowScores(input) { x, c, starts in
            let (l, k) = scoreWindows(x, channels: c, starts: starts, knn: knn)
            return [l, k ?? []]
        }
        return (both[0], both.count > 1 ? both[1] : both[0])
    }

    public var parameters: [String: Tensor] {
        ["lof.rows": Tensor(shape: [index.rows.count / channels, channels], scalars: index.rows),
         "lof.starts": Tensor(shape: [index.count], scalars: index.starts.map(Float.init)),
         "lof.k_distance": Tensor(shape: [kDistance.count], scalars: kDistance),
         "lof.density": Tensor(shape: [density.count], scalars: density)]
    }
}
