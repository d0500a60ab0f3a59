// The evaluated model's forecasts of one frame in a backtest, by cutoff and cached (the windows'
// calibration cutoffs overlap): the bundle as it is, or refitted on each cutoff's history.
import TSFCData
import TSFCTensor

/// Forecasts of every column of one frame by the backtest's model, from the rows before a cutoff.
final class ModelForecasts {
    let model: BacktestModel
    let frame: TimeSeriesFrame
    let settings: BacktestSettings
    private var cache: [Int: [[Double]]?] = [:]
    /// `[column][head level][step]` of a quantile model's forecasts, by cutoff (they come with
    /// its point forecasts).
    private var headCache: [Int: [[[Float]]]] = [:]

    init(model: BacktestModel, frame: TimeSeriesFrame, settings: BacktestSettings) {
        (self.model, self.frame, self.settings) = (model, frame, settings)
    }

    /// The fewest rows of history a forecast needs: the model's minimum context, or with a
    /// refit the context plus enough windows of L + H_train rows for a determined least squares.
    var minimumHistory: Int {
        let f = model.forecaster
        return settings.refit ? 2 * f.contextLength + f.targetLength : f.minimumContext
    }

    /// `[column][step]` forecasts from the rows before `cutoff` (`settings.history`); nil where the
    /// history is shorter than the model needs.
    func forecast(cutoff c: Int) throws -> [[Double]]? {
        if let hit = cache[c] { return hit }
        let rows = settings.history(cutoff: c)
        var result: [[Double]]?
        if rows.count < minimumHistory {
            result = nil
        } else if settings.refit {
            result = try model.refitForecast(frame.rows(rows), horizon: settings.horizon)
        } else {
            do {
                let forecast = try model.forecaster.forecast(frame.rows(rows), metadata: model.metadata, horizon: settings.horizon)
                result = forecast.series.map { $0.values.map(Double.init) }
                headCache[c] = forecast.series.map { $0.quantiles.map(\.values) }
            } catch let error as ForecastError {
                guard case .contextTooShort = error.kind else { throw error }
                result = nil
            }
        }
        cache[c] = result
        return result
    }

    /// `[column][head level][step]` from the model's quantile head, from the rows before `cutoff`.
    func headQuantiles(cutoff c: Int) throws -> [[[Float]]] {
        guard model.forecaster is any QuantileForecastingModel, !settings.refit else { return [] }
        _ = try forecast(cutoff: c)
        return headCache[c] ?? []
    }
}

extension BacktestModel {
    /// Forecasts `horizon` points after each column of `history`, from a fresh copy of the model
    /// fitted in closed form on that column alone (standardised by its own statistics): the
    /// `--refit` of a backtest. Only `ClosedFormFitting` models (Classic-AR) refit; any other
    /// model throws a `BacktestError` that says so.
    public func refitForecast(_ history: TimeSeriesFrame, horizon: Int) throws -> [[Double]] {
        let config = forecaster.configuration
        guard forecaster is any ClosedFormFitting, let family = ModelRegistry.family(config.adapter) else {
            throw BacktestError("--refit: the model '\(name)' is a \(config.adapter.rawValue) bundle, which trains by gradient descent "
                                + "and is used as it is; refit works for models fitted in closed form (classic-ar). Drop --refit")
        }
        let l = forecaster.contextLength, t = forecaster.targetLength
        return try (0..<history.channelCount).map { c -> [Double] in
            let values = history.column(c)
            let scaler = StandardScaler.fit(values: values, width: 1, rows: 0..<values.count)
            let (mean, std) = (scaler.mean[0], scaler.std[0])
            let standardized = values.map { ($0 - mean) / std }
            let fresh = try family.build(config, ModelBuildContext(seed: metadata.configuration.seed))
            guard let fitting = fresh as? any ClosedFormFitting else {
                throw BacktestError("--refit: a fresh \(config.adapter.rawValue) model cannot be fitted in closed form")
            }
            try fitting.fitClosedForm(train: SegmentWindows(values: standardized, channels: 1, range: 0..<values.count, length: l + t), limit: 0)
            let context = Tensor(shape: [1, l], scalars: Array(standardized.suffix(l)))      // [1, L]
            let forecast = fresh.forecast(context: context, horizon: horizon, mode: .renormalize, marks: nil).scalars  // [1, H]
            return forecast.map { Double($0 * std + mean) }
        }
    }
}
