// Sharded forecasting: under `mpirun`, every rank forecasts its own series of a panel and the
// parts are gathered in rank order, which is the panel's order, so rank 0 writes exactly what
// one process would. Conformal intervals pool the scaled residuals of every rank's series.
import TSFCData
import TSFCDistributed

extension DataFile {
    /// This rank's shard of the panel at `path`: its byte range of a long-layout CSV whose
    /// series are stored contiguously (checked across ranks: when a series turns up on two
    /// ranks, every rank reads the whole file instead), otherwise its contiguous part of the
    /// whole panel, balanced by length.
    public static func openPanelShard(_ path: String, options: CSVOptions, communicator: Communicator) throws -> PanelShard {
        guard communicator.isDistributed else { return PanelShard(frames: try openPanel(path, options: options), readPartially: false) }
        var shard = try openPanelShard(path, options: options, rank: communicator.rank, size: communicator.size)
        let partial = try communicator.allGather(shard.readPartially ? 1 : 0)
        if partial.contains(1) {
            let ids = try communicator.allGather(shard.seriesIDs).flatMap { $0 }
            if !partial.allSatisfy({ $0 == 1 }) || Set(ids).count != ids.count {
                shard = try openPanelShard(path, options: options, rank: communicator.rank, size: communicator.size, partial: false)
            }
        }
        return shard
    }
}

/// What one rank forecast: its series (in panel order), its notes, and why it had none.
struct ForecastPart: Codable {
    var series: [SeriesForecast]
    var precision: TimestampPrecision?
    var notes: [String]
    var tooShort: String?
}

extension ForecastingModel {
    /// Forecasts this rank's `shard` of a panel (as `DataFile.openPanelShard` gives it) and
    /// returns on rank 0 the result of the whole panel (on the other ranks, their own part): equal to
    /// `forecast(panel:metadata:horizon:intervals:mode:frequency:)` on one process over the
    /// whole panel. With `gathering` false every rank keeps its own series (in panel order,
    /// each with its precision) and rank 0 gets only the whole panel's notes and precision, for
    /// a caller that streams the parts to one file rank by rank.
    public func forecast(shard: [TimeSeriesFrame], metadata: BundleMetadata, horizon: Int, intervals: IntervalSettings,
                         mode: RolloutMode = .renormalize, frequency: Frequency? = nil,
                         communicator: Communicator, gathering: Bool = true) throws -> ForecastResult {
        guard communicator.isDistributed else {
            return try forecast(panel: shard, metadata: metadata, horizon: horizon, intervals: intervals, mode: mode, frequency: frequency)
        }
        let pools = !intervals.isEmpty && !(self is any QuantileForecastingModel)
        var pooled = false, counted = false
        var everyOutcome: [(String, CalibrationOutcome)] = []
        let sharing = ConformalSharing(
            pool: { sets in
                pooled = true
                return try communicator.allGather(sets).flatMap { $0 }
            },
            outcomes: { outcomes in
                counted = true
                let named = try communicator.allGather(outcomes.map { NamedOutcome(id: $0.0, outcome: $0.1) }).flatMap { $0 }
                everyOutcome = named.map { ($0.id, $0.outcome) }
                return everyOutcome
            })
        var part = ForecastPart(series: [], precision: nil, notes: [], tooShort: nil)
        if !shard.isEmpty {
            do {
                let result = try forecast(panel: shard, metadata: metadata, horizon: horizon, intervals: intervals, mode: mode,
                                          frequency: frequency, sharing: sharing)
                // A one-frame shard gives its series without their own precision; a panel's carry theirs.
                part.series = result.series.map { s in var s = s; s.precision = s.precision ?? result.precision; return s }
                part.precision = result.precision
                part.notes = result.notes
            } catch let error as ForecastError {
                guard case .contextTooShort = error.kind else { throw error }
                part.tooShort = error.message
            }
        }
        // Every rank joins the pooling collectives once, whether or not it had series to calibrate.
        if pools && !pooled { _ = try sharing.pool([]) }
        if pools && !counted { _ = try sharing.outcomes([]) }
        // The notes on the whole panel's calibration, made alike on every rank, come once, last (as one process makes them).
        let panelNotes = pools ? ConformalCalibrator.notes(everyOutcome, settings: intervals, horizon: horizon, subject: "") : []
        // Whether any rank forecast anything, on every rank; the parts themselves go to rank 0 only.
        var counts = [Double(part.series.count)]
        try communicator.allReduceSum(&counts)
        var sent = part
        if !gathering { sent.series = [] }
        var parts = try communicator.gather(sent, root: 0) ?? [sent]
        if !gathering { parts[communicator.isRoot ? 0 : parts.count - 1].series = part.series }
        let series = parts.flatMap(\.series)
        guard counts[0] > 0 else {
            let messages = parts.compactMap(\.tooShort)
            throw ForecastError(message: "no series of the panel could be forecast: every series has fewer rows than the model's minimum context of \(minimumContext)\n"
                                + messages.joined(separator: "\n"),
                                kind: .contextTooShort(rows: 0, minimum: minimumContext))
        }
        let own = parts.flatMap { $0.notes + ($0.tooShort.map { ["skipped, too short to forecast: \($0)"] } ?? []) }
        let notes = own.filter { !panelNotes.contains($0) } + panelNotes
        let precisions = parts.compactMap(\.precision)
        let finest = precisions.dropFirst().reduce(precisions.first ?? .second) { TimestampPrecision.finer($0, $1) }
        // One series in all: written in its own precision, as a one-series file is.
        let one = counts[0] == 1 && series.count == 1 ? [SeriesForecast(id: series[0].id, timestamps: series[0].timestamps, values: series[0].values,
                                                       precision: nil, quantiles: series[0].quantiles)] : series
        return ForecastResult(horizon: horizon, series: one, precision: finest, notes: notes)
    }
}
