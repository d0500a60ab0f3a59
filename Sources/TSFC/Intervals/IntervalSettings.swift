// IntervalSettings: which prediction intervals (`--level 80,95`) and quantiles
// (`--quantiles 0.1,0.5,0.9`) a forecast or backtest carries, their Nixtla column names, and how
// many rolling-origin windows conformal calibration reads.

/// The intervals and quantiles to forecast, and the bound on conformal calibration's cost.
public struct IntervalSettings: Sendable, Equatable {
    /// Interval levels in percent, each in (0, 100), ascending (e.g. 80, 95): the central
    /// interval of level L spans the quantiles (1 − L/100)/2 and 1 − (1 − L/100)/2.
    public var levels: [Double]
    /// Extra quantile levels, each in (0, 1), ascending.
    public var quantiles: [Double]
    /// Rolling-origin windows per horizon step that calibrate a conformal interval, K: step h of
    /// a forecast from origin n reads the residuals of the K most recent forecasts whose h-th
    /// point lies inside the history (cutoffs n − h − K + 1 … n − h).
    public var calibrationWindows: Int

    /// The default K: 20 windows give the 95 % interval its finite-sample quantile
    /// (⌈(K + 1)·0.95⌉ ≤ K needs K ≥ 19) and cost K + H − 1 forecasts per origin.
    public static let defaultCalibrationWindows = 20

    /// Checks the levels and quantiles (throws `IntervalError`) and sorts them, dropping repeats.
    public init(levels: [Double] = [], quantiles: [Double] = [],
                calibrationWindows: Int = IntervalSettings.defaultCalibrationWindows) throws {
        for l in levels where !(l > 0 && l < 100) {
            throw IntervalError("interval level \(IntervalSettings.label(l)) is outside (0, 100); give percentages such as 80,95")
        }
        for q in quantiles where !(q > 0 && q < 1) {
            throw IntervalError("quantile \(IntervalSettings.label(q)) is outside (0, 1); give probabilities such as 0.1,0.5,0.9")
        }
        guard calibrationWindows >= 1 else {
            throw IntervalError("the number of calibration windows must be positive, got \(calibrationWindows)")
        }
        self.levels = IntervalSettings.unique(levels)
        self.quantiles = IntervalSettings.unique(quantiles)
        self.calibrationWindows = calibrationWindows
    }

    /// No intervals and no quantiles.
    public static let none = IntervalSettings(checkedLevels: [], quantiles: [], calibrationWindows: defaultCalibrationWindows)

    init(checkedLevels levels: [Double], quantiles: [Double], calibrationWindows: Int) {
        (self.levels, self.quantiles, self.calibrationWindows) = (levels, quantiles, calibrationWindows)
    }

    /// Whether nothing beyond the point forecast is asked for.
    public var isEmpty: Bool { levels.isEmpty && quantiles.isEmpty }

    /// The lower quantile of the central interval of `level` percent: (1 − level/100)/2.
    public static func lowerQuantile(level: Double) -> Double { (1 - level / 100) / 2 }

    /// Every quantile level the forecast needs, ascending without repeats: both ends of each
    /// interval, then the quantiles asked for.
    public var quantileLevels: [Double] {
        IntervalSettings.unique(levels.flatMap { [IntervalSettings.lowerQuantile(level: $0), 1 - IntervalSettings.lowerQuantile(level: $0)] }
                                + quantiles)
    }

    /// The index in `quantileLevels` of `q` (within 1e-9).
    public func index(of q: Double) -> Int? { quantileLevels.firstIndex { abs($0 - q) < 1e-9 } }

    /// The indices in `quantileLevels` of the lower and upper ends of interval `levels[k]`.
    public func bounds(ofLevel k: Int) -> (lower: Int, upper: Int) {
        let lo = IntervalSettings.lowerQuantile(level: levels[k])
        return (index(of: lo)!, index(of: 1 - lo)!)
    }

    /// The extra columns of model `model` in Nixtla's convention, with the quantile level each
    /// shows: `model-lo-80, model-hi-80, model-lo-95, model-hi-95` for the levels ascending,
    /// then `model-q-0.1 …` for the quantiles.
    public func columns(for model: String) -> [(name: String, quantile: Double)] {
        levels.flatMap { l -> [(name: String, quantile: Double)] in
            let lo = IntervalSettings.lowerQuantile(level: l)
            return [("\(model)-lo-\(IntervalSettings.label(l))", lo), ("\(model)-hi-\(IntervalSettings.label(l))", 1 - lo)]
        } + quantiles.map { ("\(model)-q-\(IntervalSettings.label($0))", $0) }
    }

    /// A level as a column names it: 80 → "80", 97.5 → "97.5", 0.1 → "0.1".
    public static func label(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func unique(_ xs: [Double]) -> [Double] {
        var out: [Double] = []
        for x in xs.sorted() where out.last.map({ abs($0 - x) >= 1e-9 }) ?? true { out.append(x) }
        return out
    }
}

/// A request for intervals or quantiles that cannot be met.
public struct IntervalError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
