// Large wide CSV files parsed on several threads: the file is cut at line starts into one byte
// range per core, each range is scanned by its own builder, and the pieces are joined. Only the
// clean case runs in parallel — any range that needs libcsv (quotes, stray CRs), has a missing
// cell, an error or a timestamp out of order makes the caller read the file sequentially, so
// every report keeps exact line numbers.
import Dispatch
import Foundation

enum ParallelCSVLoader {
    /// Files smaller than this are read on one thread.
    nonisolated(unsafe) static var threshold = 32 << 20
    /// Upper bound on the ranges (threads).
    nonisolated(unsafe) static var maxRanges = 4
    /// A fixed number of ranges regardless of the core count (tests).
    nonisolated(unsafe) static var forcedRanges: Int?

    /// The frame, or nil when the file should be read sequentially.
    static func load(path: String, options: CSVOptions, delimiter: UInt8?) throws -> TimeSeriesFrame? {
        guard options.layout != .long, options.hasHeader,
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size >= threshold else { return nil }
        let ranges = forcedRanges ?? min(maxRanges, ProcessInfo.processInfo.activeProcessorCount)
        guard ranges >= 2, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }

        // The header line: it must be quote-free and end within the first 64 KiB.
        let head = try read(handle, path: path)
        guard let newline = head.firstIndex(of: 10), !head[..<newline].contains(34) else { return nil }
        let headerEnd = newline + 1

        // Cut points: just after the first newline at or after size·k/ranges.
        var cuts = [headerEnd]
        for k in 1..<ranges {
            var offset = max(size * k / ranges, cuts.last!)
            var found: Int?
            while offset < size, found == nil {
                try handle.seek(toOffset: UInt64(offset))
                let window = try read(handle, path: path)
                if window.isEmpty { break }
                if let i = window.firstIndex(of: 10) { found = offset + (i - window.startIndex) + 1 } else { offset += window.count }
            }
            guard let cut = found, cut < size, cut > cuts.last! else { break }
            cuts.append(cut)
        }
        cuts.append(size)
        guard cuts.count >= 3 else { return nil }

        // The header, then every range on its own builder.
        let first = CSVFrameBuilder(path: path, options: options)
        let summary = try CSVScanner.scan(path: path, delimiter: delimiter, sink: first, range: 0..<headerEnd)
        guard first.haveHeader, !first.isLong, !summary.usedLibcsv else { return nil }
        let pieces = cuts.count - 1
        var builders = [first]
        for _ in 1..<pieces {
            let builder = CSVFrameBuilder(path: path, options: options)
            builder.adoptHeader(of: first)
            builders.append(builder)
        }
        let outcomes = UnsafeMutableBufferPointer<Bool>.allocate(capacity: pieces)
        outcomes.initialize(repeating: false)
        defer { outcomes.deallocate() }
        let shared = builders
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            let builder = shared[k]
            guard let result = try? CSVScanner.scan(path: path, delimiter: summary.delimiter, sink: builder,
                                                    range: cuts[k]..<cuts[k + 1]) else { return }
            outcomes[k] = !result.usedLibcsv && builder.failure == nil && builder.orderProblem == nil
                && builder.missing.total == 0
        }
        guard outcomes.allSatisfy({ $0 }) else { return nil }

        // Timestamps must keep increasing across the cuts.
        if first.hasTimestamps {
            for k in 1..<pieces {
                guard let last = builders[..<k].last(where: { !$0.timestamps.isEmpty })?.timestamps.last,
                      let next = builders[k].timestamps.first else { continue }
                if next <= last { return nil }
            }
        }
        let width = first.rowWidth
        var values = [Float]()
        values.reserveCapacity(builders.reduce(0) { $0 + $1.values.count })
        var timestamps = [Int64]()
        var labels = [Float]()
        var integral = [Bool](repeating: true, count: width)
        for builder in builders {
            values.append(contentsOf: builder.values)
            builder.values = []
            if first.hasTimestamps { timestamps.append(contentsOf: builder.timestamps); builder.timestamps = [] }
            if first.hasLabels { labels.append(contentsOf: builder.labels); builder.labels = [] }
            for c in 0..<width where builder.nonIntegralFlags[c] { integral[c] = false }
        }
        guard !values.isEmpty else { return nil }
        var frame = TimeSeriesFrame(timestamps: first.hasTimestamps ? timestamps : nil, columns: first.columnNames,
                                    values: values, labels: first.hasLabels ? labels : nil, target: options.target,
                                    source: path, missingValues: MissingValueReport(columns: first.columnNames, policy: options.missingValues),
                                    integralColumns: integral)
        try CSVFrameBuilder.applyMissingPolicy(options.missingValues, to: &frame)
        return frame
    }

    /// The next 64 KiB of `handle` (fewer at the end); a read error is a `DataError`, not a crash.
    private static func read(_ handle: FileHandle, path: String) throws -> Data {
        do {
            return try handle.read(upToCount: 1 << 16) ?? Data()
        } catch {
            throw DataError.unreadable(file: path, reason: "\(error.localizedDescription)")
        }
    }
}
