// PanelShard: one rank's part of a panel for sharded forecasting and backtesting. A long-layout
// CSV whose series are stored contiguously is read from a byte range cut at series boundaries,
// so each rank parses only its own rows; every other input is read whole and split by series
// (long layout) or by column (a wide file), in contiguous parts balanced by length.
import Foundation
import TSFCDistributed

/// The series of a panel that one rank of `size` works on.
public struct PanelShard {
    /// The rank's series, in the panel's order (a wide file: one frame of the rank's columns).
    public var frames: [TimeSeriesFrame]
    /// True when the rank parsed only its byte range of the file.
    public var readPartially: Bool
    /// The series ids of `frames`' channels, in order (to check the parts across ranks).
    public var seriesIDs: [String] { frames.flatMap(\.columns) }

    public init(frames: [TimeSeriesFrame], readPartially: Bool) {
        (self.frames, self.readPartially) = (frames, readPartially)
    }
}

extension DataFile {
    /// Rank `rank`'s shard of the panel `openPanel(path, options:)` reads. With `partial`
    /// false (or when the file does not allow it) the whole file is read and split.
    public static func openPanelShard(_ path: String, options: CSVOptions = CSVOptions(), rank: Int, size: Int,
                                      partial: Bool = true) throws -> PanelShard {
        let location = try locate(path)
        if partial, location.isHDF5, options.columns == nil, options.target == nil, options.labelColumn == nil {
            // A hyperslab of this rank's columns (or only its datasets of a group).
            var source = HDF5Source(path: location.file, missingValues: options.missingValues)
            source.object = location.object ?? "/values"
            source.channelShard = (rank, size)
            let frame = try source.load()
            return PanelShard(frames: frame.channelCount > 0 ? [frame] : [], readPartially: true)
        }
        if partial, !location.isHDF5, let frames = try CSVSource(url: URL(fileURLWithPath: location.file), options: options)
            .loadSeriesRange(rank: rank, size: size) {
            return PanelShard(frames: frames, readPartially: true)
        }
        let panel = try openPanel(path, options: options)
        return PanelShard(frames: try split(panel, rank: rank, size: size), readPartially: false)
    }

    /// Rank `rank`'s contiguous part of `panel`: whole series, balanced by row count, or for a
    /// single wide frame, its columns split evenly.
    public static func split(_ panel: [TimeSeriesFrame], rank: Int, size: Int) throws -> [TimeSeriesFrame] {
        if panel.count == 1 {
            let frame = panel[0]
            let part = Sharding.evenRange(count: frame.channelCount, rank: rank, size: size)
            guard !part.isEmpty else { return [] }
            return [try frame.selecting(Array(frame.columns[part]))]
        }
        return Array(panel[Sharding.balancedRange(weights: panel.map(\.rowCount), rank: rank, size: size)])
    }
}

extension CSVSource {
    /// Rank `rank`'s series of a long-layout file whose series are contiguous, parsed from its
    /// byte range only: the file is cut near `size` equal byte offsets, each cut moved to the
    /// next line whose id differs from the line before it. Nil when the file does not allow
    /// it (wide layout, no header, a series selection, quotes in the cut lines): the caller
    /// reads it whole.
    func loadSeriesRange(rank: Int, size: Int) throws -> [TimeSeriesFrame]? {
        guard size > 1, options.hasHeader, options.layout != .wide, options.columns == nil else { return nil }
        let path = url.path
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let fileSize = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return nil }
        let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        guard let newline = head.firstIndex(of: 10), !head[..<newline].contains(34) else { return nil }
        let headerEnd = newline + 1
        let delimiter = try givenDelimiter() ?? CSVScanner.detectDelimiter(head.withUnsafeBytes { UnsafeBufferPointer(start: $0.bindMemory(to: UInt8.self).baseAddress, count: headerEnd) })
        let names = head[..<newline].split(separator: delimiter).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \r\u{FEFF}"))
        }
        guard let idIndex = names.firstIndex(of: options.idColumn) else { return nil }
        let time = try TimeColumnDetection.resolve(path: path, options: options, delimiter: delimiter)
        guard time.column != nil else { return nil }

        // Cut points: the first series boundary at or after size·k/ranks.
        var cuts = [headerEnd]
        for k in 1..<size {
            guard let cut = try seriesBoundary(after: max(fileSize * k / size, cuts.last!), handle: handle, fileSize: fileSize,
                                               delimiter: delimiter, idIndex: idIndex) else { return nil }
            cuts.append(max(cut, cuts.last!))
        }
        cuts.append(fileSize)
        var resolved = options
        resolved.timestampColumn = time.column ?? ""
        resolved.dateFormat = time.format
        let header = CSVFrameBuilder(path: path, options: resolved)
        let summary = try CSVScanner.scan(path: path, delimiter: delimiter, sink: header, range: 0..<headerEnd)
        guard header.haveHeader, header.isLong, !summary.usedLibcsv else { return nil }
        let range = cuts[rank]..<cuts[rank + 1]
        guard !range.isEmpty else { return [] }
        let builder = CSVFrameBuilder(path: path, options: resolved)
        builder.adoptHeader(of: header)
        do {
            _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: builder, range: range)
        } catch {
            // Scan again with the range's true line numbers, so the message names the file's line.
            let numbered = CSVFrameBuilder(path: path, options: resolved)
            numbered.adoptHeader(of: header)
            _ = try CSVScanner.scan(path: path, delimiter: delimiter, sink: numbered, range: range,
                                    firstLine: try Self.lineNumber(at: range.lowerBound, handle: handle))
            throw error
        }
        if builder.series.allSatisfy({ $0.stamps.isEmpty }) { return [] }
        return try builder.finishSeries().map { Self.seriesPrecision($0, column: time.precision) }
    }

    /// The offset of the first line at or after `offset` whose id differs from its previous
    /// line's (`fileSize` when none); nil when a line there is quoted (ids cannot be split naively).
    private func seriesBoundary(after offset: Int, handle: FileHandle, fileSize: Int, delimiter: UInt8, idIndex: Int) throws -> Int? {
        // Back up to the start of the line holding `offset - 1`, so its id is the one before the cut.
        var start = max(offset - 1, 0)
        while start > 0 {
            let from = max(0, start - (1 << 16))
            try handle.seek(toOffset: UInt64(from))
            let block = [UInt8]((try handle.read(upToCount: start - from)) ?? Data())
            if let i = block.lastIndex(of: 10) { start = from + i + 1; break }
            start = from
        }
        try handle.seek(toOffset: UInt64(start))
        var previous: [UInt8]?
        var position = start
        var pending = [UInt8]()
        while position < fileSize || !pending.isEmpty {
            if let nl = pending.firstIndex(of: 10) {
                let line = Array(pending[..<nl])
                if line.contains(34) { return nil }
                let fields = line.split(separator: delimiter, omittingEmptySubsequences: false)
                let id = idIndex < fields.count ? Array(fields[idIndex]) : []
                let lineStart = position - pending.count
                if let previous, previous != id { return lineStart }
                previous = id
                pending.removeSubrange(...nl)
                continue
            }
            guard position < fileSize else { break }
            let chunk = [UInt8]((try handle.read(upToCount: 1 << 16)) ?? Data())
            if chunk.isEmpty { break }
            pending += chunk
            position += chunk.count
        }
        return fileSize
    }

    /// The 1-based line number of the line starting at byte `offset`.
    private static func lineNumber(at offset: Int, handle: FileHandle) throws -> Int {
        try handle.seek(toOffset: 0)
        var line = 1, read = 0
        while read < offset {
            let chunk = (try handle.read(upToCount: min(1 << 20, offset - read))) ?? Data()
            if chunk.isEmpty { break }
            line += chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            read += chunk.count
        }
        return line
    }
}
