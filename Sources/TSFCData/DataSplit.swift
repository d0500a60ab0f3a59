// Train/validation/test splits with the papers' arithmetic (Time-Series-Library
// `Dataset_ETT_hour`, `Dataset_ETT_minute`, `Dataset_Custom`): the validation and test ranges
// start L rows before their first target row, so every target row is forecast from a full
// lookback.

/// How to cut a series into train, validation and test rows.
public enum SplitProtocol: Sendable, Equatable {
    /// ETTh1/ETTh2: 12/4/4 months of hourly rows (8640/2880/2880).
    case ettHourly
    /// ETTm1/ETTm2: the same months in 15-minute rows (34560/11520/11520).
    case ettMinute
    /// The reference `Dataset_Custom` arithmetic: `train = int(T·train)`, `test = int(T·test)`,
    /// validation the rest (70/10/20 for the usual datasets). `val` is recorded, not used.
    case ratios(train: Double, val: Double, test: Double)
    /// Explicit row indices: train `[0, trainEnd)`, validation `[trainEnd, valEnd)`, test `[valEnd, T)`.
    case indices(trainEnd: Int, valEnd: Int)
    /// Explicit dates (epoch seconds): train before `valStart`, validation before `testStart`,
    /// test from `testStart` on.
    case dates(valStart: Int64, testStart: Int64)

    /// The usual 70/10/20.
    public static let standard = SplitProtocol.ratios(train: 0.7, val: 0.1, test: 0.2)
}

/// Row ranges of the three splits, each including the lookback rows in front of its first
/// target (so `validation.lowerBound == trainEnd - lookback`).
public struct DataSplit: Sendable, Equatable {
    /// Rows of the training split (the scaler is fitted on exactly these).
    public var train: Range<Int>
    /// Rows of the validation split, starting `lookback` rows before its first target.
    public var validation: Range<Int>
    /// Rows of the test split, starting `lookback` rows before its first target.
    public var test: Range<Int>
    public var lookback: Int

    public init(train: Range<Int>, validation: Range<Int>, test: Range<Int>, lookback: Int) {
        self.train = train
        self.validation = validation
        self.test = test
        self.lookback = lookback
    }

    /// The reference `border1s`.
    public var border1s: [Int] { [train.lowerBound, validation.lowerBound, test.lowerBound] }
    /// The reference `border2s`.
    public var border2s: [Int] { [train.upperBound, validation.upperBound, test.upperBound] }

    /// Cuts `rowCount` rows by `splitProtocol` for lookback `lookback`. `timestamps` are needed
    /// for `.dates`. Throws `invalidOption` when the rows do not fit the protocol.
    public static func make(_ splitProtocol: SplitProtocol, rowCount: Int, lookback: Int,
                            timestamps: [Int64]? = nil) throws -> DataSplit {
        guard lookback >= 0 else { throw DataError.invalidOption("lookback must be ≥ 0, got \(lookback)") }
        let b1: [Int], b2: [Int]
        switch splitProtocol {
        case .ettHourly, .ettMinute:
            let perHour = splitProtocol == .ettHourly ? 1 : 4
            let month = 30 * 24 * perHour
            b1 = [0, 12 * month - lookback, 12 * month + 4 * month - lookback]
            b2 = [12 * month, 12 * month + 4 * month, 12 * month + 8 * month]
            guard rowCount >= b2[2] else {
                throw DataError.invalidOption("the ETT split needs \(b2[2]) rows (20 months), the data has \(rowCount); use the ratios split (tsfc evaluate --split ratios; in training --set data.split=ratios)")
            }
        case let .ratios(trainShare, _, testShare):
            guard trainShare > 0, testShare > 0, trainShare + testShare < 1 else {
                throw DataError.invalidOption("split ratios must be positive with train + test < 1, got \(trainShare)/\(testShare)")
            }
            let numTrain = Int(Double(rowCount) * trainShare)
            let numTest = Int(Double(rowCount) * testShare)
            let numVali = rowCount - numTrain - numTest
            b1 = [0, numTrain - lookback, rowCount - numTest - lookback]
            b2 = [numTrain, numTrain + numVali, rowCount]
        case let .indices(trainEnd, valEnd):
            guard 0 < trainEnd, trainEnd < valEnd, valEnd < rowCount else {
                throw DataError.invalidOption("split indices must satisfy 0 < trainEnd < valEnd < \(rowCount), got \(trainEnd), \(valEnd)")
            }
            b1 = [0, trainEnd - lookback, valEnd - lookback]
            b2 = [trainEnd, valEnd, rowCount]
        case let .dates(valStart, testStart):
            guard let timestamps, timestamps.count == rowCount else {
                throw DataError.invalidOption("a split by dates needs timestamps")
            }
            let trainEnd = timestamps.firstIndex { $0 >= valStart } ?? rowCount
            let valEnd = timestamps.firstIndex { $0 >= testStart } ?? rowCount
            return try make(.indices(trainEnd: trainEnd, valEnd: valEnd), rowCount: rowCount, lookback: lookback)
        }
        guard b1[1] >= 0, b1[2] >= 0 else {
            throw DataError.invalidOption("lookback \(lookback) is longer than the training split (\(b2[0]) rows); shorten it")
        }
        return DataSplit(train: b1[0]..<b2[0], validation: b1[1]..<b2[1], test: b1[2]..<b2[2], lookback: lookback)
    }
}
