// The real series of the corpus: every numeric column of the files in `real_paths`, cut into
// clean segments (no missing cells, no −9999 sentinels, nothing inside a labelled anomaly window,
// only the leading fraction of forecasting files), from which random windows are drawn.
import Foundation
import TSFCData
import TSFCTensor

/// Errors building the corpus; each names the file and what to do.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    /// A real file or folder that cannot be used.
    case realFile(path: String, reason: String)
    /// The anomaly-window file cannot be read.
    case anomalyWindows(path: String, reason: String)
    /// Settings that cannot work (key below `corpus`, message).
    case settings(key: String, message: String)

    public var description: String {
        switch self {
        case .realFile(let path, let reason): return "corpus real_paths: \(path): \(reason)"
        case .anomalyWindows(let path, let reason): return "corpus anomaly_windows: \(path): \(reason)"
        case .settings(let key, let message): return "corpus.\(key) \(message)"
        }
    }
}

/// One real column, cut into usable segments.
public struct RealColumn: Sendable {
    /// `"file:column"`, the file as given in the settings (a folder's files as folder/name).
    public var source: String
    public var frequency: Frequency?
    /// Contiguous clean stretches of the column (each at least the minimum length).
    public var segments: [[Float]]
    /// The calendar periods of the frequency (strongest first).
    public var periods: [Int]
}

/// The real files loaded once, grouped by file.
public struct RealSeriesPool: Sendable {
    /// Per file, its usable columns.
    public private(set) var files: [[RealColumn]] = []

    /// Loads every file of `paths` (folders: their `.csv` files, recursively, sorted).
    public init(paths: [String], dataRoot: URL, anomalyWindows: String, leadingFraction: Double,
                minLength: Int) throws {
        let windows = try RealSeriesPool.loadWindows(anomalyWindows, dataRoot: dataRoot)
        for given in paths {
            let url = RealSeriesPool.resolve(given, dataRoot: dataRoot)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw CorpusError.realFile(path: url.path, reason: "does not exist (paths are relative to \(dataRoot.path) unless absolute)")
            }
            var named: [(name: String, url: URL)] = [(given, url)]
            if isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: url.path)?.allObjects as? [String] ?? [])
                    .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
                if found.isEmpty { throw CorpusError.realFile(path: url.path, reason: "is a folder without .csv files") }
                named = found.map { (given + "/" + $0, url.appendingPathComponent($0)) }
            }
            for (name, fileURL) in named {
                let frame: TimeSeriesFrame
                do {
                    frame = try DataFile.open(fileURL.path, options: CSVOptions(missingValues: .keep, timestampOrder: .allow))
                } catch {
                    throw CorpusError.realFile(path: fileURL.path, reason: "\(error)")
                }
                let excluded = windows.first { fileURL.path.hasSuffix("/" + $0.key) }?.value
                let columns = RealSeriesPool.columns(of: frame, name: name, excluded: excluded,
                                                     leadingFraction: leadingFraction, minLength: minLength)
                if !columns.isEmpty { files.append(columns) }
            }
        }
    }

    /// The usable columns of `frame`: segments free of missing cells, sentinels (≤ −9999) and of
    /// stamps inside `excluded` windows; without windows only the leading fraction of rows.
    static func columns(of frame: TimeSeriesFrame, name: String, excluded: [(Int64, Int64)]?,
                        leadingFraction: Double, minLength: Int) -> [RealColumn] {
        let rows = frame.rowCount
        let limit = excluded == nil ? Int((Double(rows) * leadingFraction).rounded(.down)) : rows
        var usable = [Bool](repeating: true, count: rows)
        if let excluded, let stamps = frame.timestamps {
            for t in 0..<rows where excluded.contains(where: { stamps[t] >= $0.0 && stamps[t] <= $0.1 }) { usable[t] = false }
        }
        let periods = CalendarFrequency.periods(of: frame.frequency)
        var out: [RealColumn] = []
        for c in 0..<frame.channelCount {
            var segments: [[Float]] = []
            var current: [Float] = []
            for t in 0..<limit {
                let v = frame[row: t, column: c]
                if usable[t], v.isFinite, v > -9999 {
                    current.append(v)
                } else {
                    if current.count >= minLength { segments.append(current) }
                    current = []
                }
            }
            if current.count >= minLength { segments.append(current) }
            if !segments.isEmpty {
                out.append(RealColumn(source: "\(name):\(frame.columns[c])", frequency: frame.frequency,
                                      segments: segments, periods: periods))
            }
        }
        return out
    }

    /// `path` itself when absolute, else below `dataRoot`.
    public static func resolve(_ path: String, dataRoot: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : dataRoot.appendingPathComponent(path)
    }

    /// The anomaly windows by file key (`folder/file.csv`), as epoch-second ranges.
    static func loadWindows(_ path: String, dataRoot: URL) throws -> [String: [(Int64, Int64)]] {
        guard !path.isEmpty else { return [:] }
        let url = resolve(path, dataRoot: dataRoot)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
        } catch {
            throw CorpusError.anomalyWindows(path: url.path, reason: "cannot be read as JSON (\(error.localizedDescription))")
        }
        guard let table = object as? [String: [[String]]] else {
            throw CorpusError.anomalyWindows(path: url.path, reason: "must map file names to lists of [start, end] timestamps")
        }
        var out: [String: [(Int64, Int64)]] = [:]
        for (key, list) in table {
            var ranges: [(Int64, Int64)] = []
            for pair in list {
                guard pair.count == 2, let a = Timestamp.parse(pair[0]), let b = Timestamp.parse(pair[1]) else {
                    throw CorpusError.anomalyWindows(path: url.path, reason: "\(key): \(pair) is not a [start, end] pair of timestamps")
                }
                ranges.append((a, b))
            }
            out[key] = ranges
        }
        return out
    }

    /// A random window of a random column: file uniform, column uniform, segment by length, the
    /// window's length from the length prior (capped by the segment), its start uniform.
    func draw(minLength: Int, maxLength: Int, skew: Double, using rng: inout SeededGenerator) -> CorpusSeries? {
        guard !files.isEmpty else { return nil }
        let file = files[rng.integer(0...files.count - 1)]
        let column = file[rng.integer(0...file.count - 1)]
        let segment = column.segments[rng.categorical(column.segments.map { Double($0.count) })]
        let n = LengthPrior.draw(minLength: minLength, maxLength: min(maxLength, segment.count), skew: skew, using: &rng)
        let start = rng.integer(0...segment.count - n)
        let season = column.periods.first { 2 * $0 <= n } ?? 1
        return CorpusSeries(values: Array(segment[start..<start + n]), seasonLength: season,
                            frequency: column.frequency, source: column.source)
    }
}
