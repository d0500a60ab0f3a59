// Options for reading CSV files.

/// How a CSV lays out its series.
public enum CSVLayout: String, Sendable, CaseIterable, Codable {
    /// Decide from the header: `unique_id` + `ds` + `y` means long, anything else wide.
    case auto
    /// One column per channel, one row per time step (ETT, weather…).
    case wide
    /// One row per (series, time step): `unique_id, ds, y` plus extra numeric columns (Nixtla).
    case long
}

/// What to do with missing cells (empty, `NaN`, `NA`, `N/A`, `null`).
public enum MissingValuePolicy: String, Sendable, CaseIterable, Codable {
    /// Fail with the count and the first places (the default for training).
    case error
    /// Carry the last value forward; leading gaps take the first value that follows.
    case forwardFill = "forward-fill"
    /// Linear interpolation between neighbours in row order; edges take the nearest value.
    case interpolate
    /// Drop every row with a missing cell.
    case drop
    /// Replace them with 0.
    case zero
    /// Keep them as NaN (for inspection only; models must not see NaN).
    case keep
}

/// What to do with timestamps that repeat or go backwards.
public enum TimestampOrderPolicy: String, Sendable, CaseIterable, Codable {
    /// Fail at the first repeated or earlier timestamp (the default).
    case error
    /// Sort rows by time (stably) and keep the first row of each timestamp.
    case sortAndDeduplicate = "sort"
    /// Keep rows as they are (for inspection).
    case allow
}

/// How to read a CSV file into a `TimeSeriesFrame`.
public struct CSVOptions: Sendable, Equatable {
    /// Field delimiter (`,`, `;` or tab); nil detects it from the header line.
    public var delimiter: Character?
    /// The timestamp column; nil looks for one (a name in `timestampNames`, any case; else the
    /// one non-numeric column holding dates; else a first column of increasing years, compact
    /// dates or an unnamed index); the empty string means the file has none.
    public var timestampColumn: String?
    /// How the time column is written; nil detects it from the cells (integers are never read
    /// as epoch numbers unless this says so; ambiguous day/month dates are an error).
    public var dateFormat: TimestampFormat?
    /// Wide or long layout.
    public var layout: CSVLayout
    /// The target channel: kept and moved to the last column (the reference code's convention).
    public var target: String?
    /// The channels to keep, in this order (wide: column names; long: `unique_id` values);
    /// nil keeps every numeric column.
    public var columns: [String]?
    /// A column of anomaly labels to read into `TimeSeriesFrame.labels` instead of a channel.
    public var labelColumn: String?
    /// Long layout: the series-id, and value column names.
    public var idColumn: String
    public var valueColumn: String
    /// Missing cells.
    public var missingValues: MissingValuePolicy
    /// Repeated or unsorted timestamps: `.error` follows `sort` and `dedupe`; `.sortAndDeduplicate`
    /// sorts and keeps the first row of each timestamp; `.allow` keeps rows as they are.
    public var timestampOrder: TimestampOrderPolicy
    /// Sort rows by time (stably) instead of refusing rows out of order (`--sort`).
    public var sort: Bool = false
    /// Which row of a repeated timestamp to keep (`--dedupe`); `.error` refuses the file.
    public var dedupe: DuplicatePolicy = .error
    /// Whether the first line names the columns (`--no-header` sets false: every line is data and
    /// the columns are named `c0`, `c1`, …; the layout is wide).
    public var hasHeader = true

    /// The column names of a file without a header line whose rows have `count` fields.
    public static func headerlessNames(count: Int) -> [String] { (0..<count).map { "c\($0)" } }

    /// Whether rows are sorted by time, with `timestampOrder` taken into account.
    var sortsRows: Bool { sort || timestampOrder == .sortAndDeduplicate }
    /// The duplicate policy, with `timestampOrder` taken into account.
    var duplicatePolicy: DuplicatePolicy { timestampOrder == .sortAndDeduplicate ? .first : dedupe }

    public init(delimiter: Character? = nil, timestampColumn: String? = nil, layout: CSVLayout = .auto,
                target: String? = nil, columns: [String]? = nil, labelColumn: String? = nil,
                idColumn: String = "unique_id", valueColumn: String = "y",
                missingValues: MissingValuePolicy = .error, timestampOrder: TimestampOrderPolicy = .error,
                dateFormat: TimestampFormat? = nil) {
        self.dateFormat = dateFormat
        self.delimiter = delimiter
        self.timestampColumn = timestampColumn
        self.layout = layout
        self.target = target
        self.columns = columns
        self.labelColumn = labelColumn
        self.idColumn = idColumn
        self.valueColumn = valueColumn
        self.missingValues = missingValues
        self.timestampOrder = timestampOrder
    }

    /// Names recognised as the timestamp column when none is given, in order of preference
    /// (compared in lower case).
    public static let timestampNames = ["ds", "date", "datetime", "timestamp", "time", "date_time", "period",
                                        "month", "quarter", "week", "year"]
}
