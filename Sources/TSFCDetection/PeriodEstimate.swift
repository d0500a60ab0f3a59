// PeriodEstimate: the dominant period of a series from its autocorrelation — the first local
// maximum after the autocorrelation has first gone below zero, if it reaches `minimumPeak`.
// Each channel is detrended by its least-squares line first (a trend would keep the
// autocorrelation high at every lag). Multichannel: the channels with the largest spread vote
// and the most common period wins (ties: the shorter).

/// Estimates a series' period by autocorrelation.
public enum PeriodEstimate {
    /// The period of rows `rows` of row-major `values` `[T, C]`, or nil when none is clear.
    public static func period(values: [Float], channels c: Int, rows: Range<Int>, maximumLag: Int = 720,
                              minimumPeak: Double = 0.2, votingChannels: Int = 3, maximumRows: Int = 6000) -> Int? {
        let used = rows.lowerBound..<Swift.min(rows.upperBound, rows.lowerBound + maximumRows)
        let n = used.count
        guard n >= 16 else { return nil }
        let lagLimit = Swift.min(maximumLag, n / 3)
        guard lagLimit >= 3 else { return nil }
        var candidates: [(spread: Double, series: [Double])] = []
        for ch in 0..<c {
            var x = used.map { Double(values[$0 * c + ch]) }
            detrend(&x)
            let variance = x.reduce(0) { $0 + $1 * $1 } / Double(n)
            if variance > 0 { candidates.append((variance, x)) }
        }
        candidates.sort { $0.spread > $1.spread }
        var votes: [Int: Int] = [:]
        for (variance, x) in candidates.prefix(votingChannels) {
            if let p = channelPeriod(x, variance: variance, lagLimit: lagLimit, minimumPeak: minimumPeak) { votes[p, default: 0] += 1 }
        }
        return votes.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
    }

    static func detrend(_ x: inout [Double]) {
        let n = Double(x.count)
        var st = 0.0, sx = 0.0, stt = 0.0, stx = 0.0
        for (i, v) in x.enumerated() { let u = Double(i); st += u; sx += v; stt += u * u; stx += u * v }
        let slope = (n * stx - st * sx) / Swift.max(n * stt - st * st, 1e-12)
        let intercept = (sx - slope * st) / n
        for i in x.indices { x[i] -= intercept + slope * Double(i) }
    }

    static func channelPeriod(_ x: [Double], variance: Double, lagLimit: Int, minimumPeak: Double) -> Int? {
        let n = x.count
        func acf(_ lag: Int) -> Double {
            var s = 0.0
            for t in 0..<(n - lag) { s += x[t] * x[t + lag] }
            return s / Double(n) / variance
        }
        var wentNegative = false
        var previous = acf(1), current = acf(2)
        var lag = 2
        while lag < lagLimit {
            let next = acf(lag + 1)
            if current < 0 { wentNegative = true }
            if wentNegative && current >= minimumPeak && current >= previous && current > next { return lag }
            previous = current; current = next; lag += 1
        }
        return nil
    }
}
