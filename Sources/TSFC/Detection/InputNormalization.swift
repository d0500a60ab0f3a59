// InputNormalization: how a detector turns raw values into the input of its scorer, fitted on the
// fit rows only. Each channel is either standardised globally, (x − mean) / scale, or detrended
// first: x minus the median of the `rollingWindow` rows before it (of fewer rows at the very
// start), which removes trends and level changes so that a threshold calibrated on early rows
// stays valid on later ones. When the fit rows have a period p, the level is instead the median
// of the means of the last `levelBlocks` (or more) whole periods, each carried to the row along
// the fit rows' least-squares slope: a period's mean holds no season, so a level shift shorter
// than three periods moves a minority of the means and not the median — the median of raw rows
// moved by half the shift for 4 windows after a 40-row shift on a daily sine — and carrying the
// means along the trend keeps the median from jumping to a more recent mean when the shifted
// means rank first (BENCHMARKS.md, issue 18). The scale is floored so that a channel (nearly)
// constant in training cannot turn a tiny change into a z-score in the hundreds; such channels
// are reported.
import TSFCData
import TSFCDetection

/// Per-channel detrending and scaling of a detector's input.
public struct InputNormalization: Codable, Equatable, Sendable {
    /// Channels whose trailing rolling mean is subtracted first.
    public var detrend: [Bool]
    /// Rows of the trailing mean.
    public var rollingWindow: Int
    /// Centre and (floored) scale applied after detrending.
    public var scaler: StandardScaler
    /// Channels whose training spread was below the floor (their scale is the floor).
    public var flooredChannels: [Int]
    /// Standardised inputs are clipped to ±this (`clip` for the neighbour scorers; unbounded,
    /// `Float.greatestFiniteMagnitude`, for the ridge residual, whose score is the excursion).
    public var clipLimit: Float = InputNormalization.clip
    /// Rows per block of the level estimate: the level is the median of the means of the
    /// `rollingWindow / levelBlock` blocks before a row (1: the median of the rows themselves).
    public var levelBlock: Int = 1
    /// Per channel, the fit rows' least-squares slope (per row) that carries each block's mean to
    /// the row being detrended (0: none).
    public var levelSlope: [Float] = []

    enum CodingKeys: String, CodingKey {
        case detrend, rollingWindow = "rolling_window", scaler, flooredChannels = "floored_channels", clipLimit = "clip"
        case levelBlock = "level_block", levelSlope = "level_slope"
    }

    public init(detrend: [Bool], rollingWindow: Int, scaler: StandardScaler, flooredChannels: [Int],
                clipLimit: Float = InputNormalization.clip, levelBlock: Int = 1) {
        self.detrend = detrend
        self.rollingWindow = rollingWindow
        self.scaler = scaler
        self.flooredChannels = flooredChannels
        self.clipLimit = clipLimit
        self.levelBlock = Swift.max(1, levelBlock)
    }

    /// Bundles written before `clip` was stored clipped at ±`clip`; before `level_block` and
    /// `level_slope`, the median of single rows.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(detrend: try c.decode([Bool].self, forKey: .detrend), rollingWindow: try c.decode(Int.self, forKey: .rollingWindow),
                  scaler: try c.decode(StandardScaler.self, forKey: .scaler),
                  flooredChannels: try c.decode([Int].self, forKey: .flooredChannels),
                  clipLimit: try c.decodeIfPresent(Float.self, forKey: .clipLimit) ?? InputNormalization.clip,
                  levelBlock: try c.decodeIfPresent(Int.self, forKey: .levelBlock) ?? 1)
        levelSlope = try c.decodeIfPresent([Float].self, forKey: .levelSlope) ?? []
    }

    /// Whole periods at least in the level of a seasonal channel.
    public static let levelBlocks = 7

    /// Rows of raw history that make the first scored row's input exact.
    public var historyNeeded: Int { detrend.contains(true) ? rollingWindow : 0 }

    /// Fits on rows `rows` of raw `values` `[T, C]`.
    public static func fit(values: [Float], channels c: Int, rows: Range<Int>, mode: DetectionNormalization,
                           rollingWindow: Int, clip: Float = InputNormalization.clip) -> InputNormalization {
        let detrend = (0..<c).map { ch -> Bool in
            switch mode {
            case .global: return false
            case .rolling: return true
            case .auto: return trends(values, channels: c, channel: ch, rows: rows)
            }
        }
        // Seasonal channels: the level is the median of whole periods' means, at least
        // `levelBlocks` of them, each carried to the row along the fit rows' trend.
        var block = 1, window = rollingWindow
        if detrend.contains(true), let p = PeriodEstimate.period(values: values, channels: c, rows: rows), p >= 2, p * 3 <= rollingWindow {
            block = p
            window = Swift.max(rollingWindow, levelBlocks * p)
        }
        var n = InputNormalization(detrend: detrend, rollingWindow: window,
                                   scaler: StandardScaler(mean: [Float](repeating: 0, count: c), std: [Float](repeating: 1, count: c)),
                                   flooredChannels: [], clipLimit: clip, levelBlock: block)
        if block > 1 {
            n.levelSlope = (0..<c).map { detrend[$0] ? Float(slope(values, channels: c, channel: $0, rows: rows)) : 0 }
        }
        let centred = n.detrended(Array(values[(rows.lowerBound * c)..<(rows.upperBound * c)]), channels: c)
        var scaler = StandardScaler.fit(values: centred, width: c, rows: 0..<rows.count)
        // The floor: a tenth of the median spread of the channels, and 1e-4 of the channel's level.
        let spreads = (0..<c).map { ch -> Float in
            let s = scaler.std[ch]
            return s == 1 && isConstant(centred, channels: c, channel: ch) ? 0 : s
        }
        let positive = spreads.filter { $0 > 0 }.sorted()
        let median = positive.isEmpty ? 1 : positive[positive.count / 2]
        var floored: [Int] = []
        for ch in 0..<c {
            let level = Swift.abs(scaler.mean[ch])
            let floor = Swift.max(0.1 * median, 1e-4 * level, 1e-6)
            if spreads[ch] < floor {
                floored.append(ch)
                scaler.std[ch] = floor
            }
        }
        n.scaler = scaler
        n.flooredChannels = floored
        return n
    }

    static func isConstant(_ x: [Float], channels c: Int, channel ch: Int) -> Bool {
        let rows = x.count / c
        guard rows > 0 else { return true }
        let first = x[ch]
        for t in 0..<rows where x[t * c + ch] != first { return false }
        return true
    }

    /// The least-squares slope per row of a channel over `rows`.
    static func slope(_ values: [Float], channels c: Int, channel ch: Int, rows: Range<Int>) -> Double {
        let n = Double(rows.count)
        var st = 0.0, sx = 0.0, stt = 0.0, stx = 0.0
        for (i, t) in rows.enumerated() {
            let x = Double(values[t * c + ch]), u = Double(i)
            st += u; sx += x; stt += u * u; stx += u * x
        }
        return (n * stx - st * sx) / Swift.max(n * stt - st * st, 1e-12)
    }

    /// Whether a channel's fit rows trend: the least-squares line's rise over the rows exceeds the
    /// residual standard deviation around it.
    static func trends(_ values: [Float], channels c: Int, channel ch: Int, rows: Range<Int>) -> Bool {
        let n = Double(rows.count)
        guard n >= 8 else { return false }
        var st = 0.0, sx = 0.0, stt = 0.0, stx = 0.0
        for (i, t) in rows.enumerated() {
            let x = Double(values[t * c + ch]), u = Double(i)
            st += u; sx += x; stt += u * u; stx += u * x
        }
        let slope = (n * stx - st * sx) / Swift.max(n * stt - st * st, 1e-12)
        let intercept = (sx - slope * st) / n
        var residual = 0.0
        for (i, t) in rows.enumerated() {
            let e = Double(values[t * c + ch]) - intercept - slope * Double(i)
            residual += e * e
        }
        return Swift.abs(slope * n) > (residual / n).squareRoot()
    }

    /// Raw rows `[T, C]` with the detrended channels' trailing medians subtracted (not scaled).
    /// The median (over the previous `rollingWindow` rows, fewer at the start) is robust to spikes
    /// and to level shifts shorter than half the window, which a mean would smear onto later rows.
    public func detrended(_ x: [Float], channels c: Int) -> [Float] {
        guard detrend.contains(true) else { return x }
        if levelBlock > 1 { return blockDetrended(x, channels: c) }
        let rows = x.count / c
        var out = x
        for ch in 0..<c where detrend[ch] {
            var sorted: [Float] = []
            sorted.reserveCapacity(rollingWindow + 1)
            for t in 0..<rows {
                let v = x[t * c + ch]
                if sorted.isEmpty {
                    out[t * c + ch] = 0
                } else {
                    let m = sorted.count
                    let median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2])
                    out[t * c + ch] = v - median
                }
                sorted.insert(v, at: InputNormalization.insertionIndex(sorted, v))
                if sorted.count > rollingWindow {
                    let old = x[(t - rollingWindow) * c + ch]
                    sorted.remove(at: InputNormalization.insertionIndex(sorted, old) - 1)
                }
            }
        }
        return out
    }

    /// `detrended` with the level taken as the median of the means of the `rollingWindow /
    /// levelBlock` whole blocks of `levelBlock` rows before each row (the blocks that exist; before
    /// the first whole block, the mean of the rows before it).
    func blockDetrended(_ x: [Float], channels c: Int) -> [Float] {
        let rows = x.count / c, b = levelBlock, blocks = Swift.max(1, rollingWindow / levelBlock)
        var out = x
        var prefix = [Double](repeating: 0, count: rows + 1)
        var means: [Double] = []
        for ch in 0..<c where detrend[ch] {
            for t in 0..<rows { prefix[t + 1] = prefix[t] + Double(x[t * c + ch]) }
            for t in 0..<rows {
                let level: Double
                if t == 0 {
                    level = Double(x[ch])
                } else if t < b {
                    level = prefix[t] / Double(t)
                } else {
                    means.removeAll(keepingCapacity: true)
                    var end = t
                    let s = levelSlope.isEmpty ? 0 : Double(levelSlope[ch])
                    while end - b >= 0 && means.count < blocks {
                        // The block's mean, carried from its centre to row t along the fit rows' trend.
                        means.append((prefix[end] - prefix[end - b]) / Double(b) + s * (Double(t - end) + Double(b + 1) / 2))
                        end -= b
                    }
                    means.sort()
                    let m = means.count
                    level = m % 2 == 1 ? means[m / 2] : 0.5 * (means[m / 2 - 1] + means[m / 2])
                }
                out[t * c + ch] = Float(Double(x[t * c + ch]) - level)
            }
        }
        return out
    }

    /// The index after the last element ≤ `v` in ascending `a`.
    static func insertionIndex(_ a: [Float], _ v: Float) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let mid = (lo + hi) / 2; if a[mid] <= v { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The neighbour scorers' clip: one channel cannot swamp a window's distance.
    public static let clip: Float = 20

    /// One raw value of channel `column` as scorer input, without detrending (for streams of
    /// detectors whose channels are not detrended).
    public func transform(_ value: Float, column: Int) -> Float {
        Swift.min(clipLimit, Swift.max(-clipLimit, scaler.transform(value, column: column)))
    }

    /// The scorer input of raw rows `[T, C]` (the first rows read only the rows before them).
    public func apply(_ x: [Float], channels c: Int) -> [Float] {
        let d = detrended(x, channels: c)
        let bound = clipLimit
        return d.enumerated().map { k, v in Swift.min(bound, Swift.max(-bound, scaler.transform(v, column: k % c))) }
    }
}
