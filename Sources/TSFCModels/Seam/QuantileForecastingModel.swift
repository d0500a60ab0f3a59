// QuantileForecastingModel: models whose forecasts are probabilistic by construction — a quantile
// head trained with the pinball loss predicts several quantiles of every future point. Forecasts
// of such models take their intervals from the head; every other model gets conformal intervals.

/// A forecasting model that predicts quantiles itself and scales each series on its own
/// (it reads raw histories of any length from `minimumContext` up, not standardised windows).
public protocol QuantileForecastingModel: ForecastingModel {
    /// The quantile levels the head predicts, ascending (e.g. 0.1 … 0.9, with 0.5 the median).
    var quantileLevels: [Float] { get }

    /// Quantile forecasts of `horizon` points after each history, batched across series.
    ///
    /// - Parameters:
    ///   - histories: raw values in the data's units, one array per series, each at least
    ///     `minimumContext` long (only the last `contextLength` points are read).
    ///   - horizon: steps to forecast; beyond the head's own output the model rolls out.
    ///   - seasonLengths: each series' season length in steps (1: none), for models with a
    ///     seasonal component; nil: none known.
    /// - Returns: `[series][level][step]`, levels as `quantileLevels`, monotone in the level.
    func forecastQuantiles(histories: [[Float]], horizon: Int, seasonLengths: [Int]?) -> [[[Float]]]
}

extension QuantileForecastingModel {
    /// The index of the median (level 0.5) among `quantileLevels`: the point forecast.
    public var medianIndex: Int { quantileLevels.firstIndex(of: 0.5) ?? quantileLevels.count / 2 }

    /// Quantile forecasts without season lengths (see `forecastQuantiles(histories:horizon:seasonLengths:)`).
    public func forecastQuantiles(histories: [[Float]], horizon: Int) -> [[[Float]]] {
        forecastQuantiles(histories: histories, horizon: horizon, seasonLengths: nil)
    }
}
