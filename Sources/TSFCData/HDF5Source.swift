// HDF5 files through libhdf5: a 2-D [T, C] dataset or a group of 1-D datasets (one per channel),
// float32/float64/integer, optional timestamps (int64 epoch seconds or ISO strings) and column
// names from a `columns` attribute. libhdf5 is not thread-safe: every call runs under one lock.
import CHDF5
import Foundation
import TSFCDistributed

/// Serialises all libhdf5 use in the process.
enum HDF5Lock {
    private static let lock = NSLock()
    private nonisolated(unsafe) static var silenced = false

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        if !silenced { _ = tsfc_H5_silence_errors(); silenced = true }
        return try body()
    }
}

/// Splits `file.h5:/group/values` into the file and the object path (default `/values`… or the
/// whole file's root when no path is given).
public func splitHDF5Path(_ spec: String) -> (file: String, object: String?) {
    if let range = spec.range(of: ":/", options: .backwards) {
        return (String(spec[..<range.lowerBound]), String(spec[spec.index(after: range.lowerBound)...]))
    }
    return (spec, nil)
}

/// An HDF5 dataset or group read into a frame.
///
/// - A 2-D dataset `[T, C]`: channel names from its `columns` string attribute (else `c0…`);
///   a sibling `timestamps` dataset (int64 epoch seconds or ISO-8601 strings) and `labels`
///   dataset are read when present.
/// - A group: every 1-D numeric dataset in it (by name order, or the order of the group's
///   `columns` attribute) is a channel; its `timestamps` and `labels` members are not.
public struct HDF5Source: DataSource, Sendable {
    /// The file path.
    public var file: String
    /// The dataset or group path inside the file.
    public var object: String
    /// Override of the timestamps dataset path (absolute inside the file).
    public var timestampsPath: String?
    /// What to do with NaN cells.
    public var missingValues: MissingValuePolicy
    /// Read only rank `rank`'s contiguous part of the channels when `size` ranks share them
    /// (the columns split evenly, the first ranks one more): a hyperslab of a 2-D dataset, or
    /// only those datasets of a group. Nil: every channel.
    public var channelShard: (rank: Int, size: Int)?

    /// `path` is `file.h5:/group/values`; without `:/…` the object defaults to `/values`.
    public init(path: String, timestampsPath: String? = nil, missingValues: MissingValuePolicy = .error) {
        let (file, object) = splitHDF5Path(path)
        self.file = file
        self.object = object ?? "/values"
        self.timestampsPath = timestampsPath
        self.missingValues = missingValues
    }

    public func load() throws -> TimeSeriesFrame {
        var frame = try HDF5Lock.run { try loadLocked() }
        try CSVFrameBuilder.applyMissingPolicy(missingValues, to: &frame)
        return frame
    }

    private func loadLocked() throws -> TimeSeriesFrame {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw DataError.unreadable(file: file, reason: "no such file or not readable")
        }
        guard H5Fis_hdf5(file) > 0 else { throw DataError.notHDF5(file: file) }
        let fid = H5Fopen(file, tsfc_H5F_ACC_RDONLY(), tsfc_H5P_DEFAULT())
        guard fid >= 0 else { throw DataError.notHDF5(file: file) }
        defer { H5Fclose(fid) }
        guard HDF5IO.exists(fid, object) else { throw DataError.datasetNotFound(file: file, path: object) }
        let oid = H5Oopen(fid, object, tsfc_H5P_DEFAULT())
        guard oid >= 0 else { throw DataError.datasetNotFound(file: file, path: object) }
        defer { H5Oclose(oid) }

        var columns: [String]
        var values: [Float]
        let parent: String
        switch H5Iget_type(oid) {
        case H5I_DATASET:
            let shape = try HDF5IO.shape(fid, object, file: file)
            guard shape.count == 2 || shape.count == 1 else {
                throw DataError.unsupportedDataset(file: file, path: object,
                                                   reason: "the dataset is \(shape.count)-D (shape \(shape))")
            }
            let width = shape.count == 2 ? shape[1] : 1
            columns = try HDF5IO.readStringAttribute(oid, "columns", file: file, path: object)
                ?? (0..<width).map { "c\($0)" }
            guard columns.count == width else {
                throw DataError.unsupportedDataset(file: file, path: object,
                                                   reason: "the columns attribute names \(columns.count) columns but the dataset has \(width)")
            }
            if let shard = channelShard, shape.count == 2 {
                let part = Sharding.evenRange(count: width, rank: shard.rank, size: shard.size)
                values = try HDF5IO.readColumns(fid, object, columns: part, shape: shape, file: file)
                columns = Array(columns[part])
            } else {
                values = try HDF5IO.readNumeric(fid, object, file: file).0
            }
            parent = HDF5IO.parent(of: object)
        case H5I_GROUP:
            var names = try HDF5IO.members(oid, file: file, path: object).filter { $0 != "timestamps" && $0 != "labels" }
            if let order = try HDF5IO.readStringAttribute(oid, "columns", file: file, path: object) { names = order }
            guard !names.isEmpty else {
                throw DataError.unsupportedDataset(file: file, path: object, reason: "the group has no channel datasets")
            }
            if let shard = channelShard { names = Array(names[Sharding.evenRange(count: names.count, rank: shard.rank, size: shard.size)]) }
            var channels = [[Float]]()
            for name in names {
                let path = HDF5IO.join(object, name)
                guard HDF5IO.exists(fid, path) else { throw DataError.datasetNotFound(file: file, path: path) }
                let (data, dims) = try HDF5IO.readNumeric(fid, path, file: file)
                guard dims.count == 1 else {
                    throw DataError.unsupportedDataset(file: file, path: path,
                                                       reason: "a channel in a group must be 1-D, this one has shape \(dims)")
                }
                if let first = channels.first, first.count != data.count {
                    throw DataError.unsupportedDataset(file: file, path: path,
                                                       reason: "has \(data.count) values but '\(names[0])' has \(first.count)")
                }
                channels.append(data)
            }
            let rows = channels[0].count
            values = [Float](repeating: 0, count: rows * names.count)
            for (c, channel) in channels.enumerated() { for t in 0..<rows { values[t * names.count + c] = channel[t] } }
            columns = names
            parent = object
        default:
            throw DataError.unsupportedDataset(file: file, path: object, reason: "the object is neither a dataset nor a group")
        }
        if columns.isEmpty && channelShard != nil {              // more ranks than channels: nothing here
            return TimeSeriesFrame(timestamps: nil, columns: [], values: [], source: "\(file):\(object)")
        }
        let rows = columns.isEmpty ? 0 : values.count / columns.count
        guard rows > 0 else { throw DataError.unsupportedDataset(file: file, path: object, reason: "the dataset is empty") }

        var timestamps: [Int64]?
        let stampsPath = timestampsPath ?? HDF5IO.join(parent, "timestamps")
        if HDF5IO.exists(fid, stampsPath) {
            let stamps = try HDF5IO.readTimestamps(fid, stampsPath, file: file)
            guard stamps.count == rows else {
                throw DataError.unsupportedDataset(file: file, path: stampsPath,
                                                   reason: "has \(stamps.count) timestamps for \(rows) rows")
            }
            timestamps = stamps
        } else if timestampsPath != nil {
            throw DataError.datasetNotFound(file: file, path: stampsPath)
        }
        var labels: [Float]?
        let labelsPath = HDF5IO.join(parent, "labels")
        if HDF5IO.exists(fid, labelsPath), labelsPath != object {
            let (data, dims) = try HDF5IO.readNumeric(fid, labelsPath, file: file)
            if dims.count == 1, data.count == rows { labels = data }
        }
        var report = MissingValueReport(columns: columns, policy: .keep)
        for (k, v) in values.enumerated() where v.isNaN {
            report.record(column: k % columns.count, location: SourceLocation(file: "\(file):\(object)", line: nil, column: "\(columns[k % columns.count]) row \(k / columns.count)"))
        }
        return TimeSeriesFrame(timestamps: timestamps, columns: columns, values: values, labels: labels,
                               source: "\(file):\(object)", missingValues: report)
    }
}

/// Writes frames to HDF5: a 2-D float32 dataset with a `columns` attribute, and `timestamps`
/// (int64) and `labels` (float32) datasets beside it. The file is written atomically.
public enum HDF5Writer {
    /// Writes `frame` to `path` (`file.h5:/group/values`; without `:/…` the dataset is `/values`).
    /// An existing file is replaced.
    public static func write(_ frame: TimeSeriesFrame, to path: String) throws {
        let (file, objectOrNil) = splitHDF5Path(path)
        let object = objectOrNil ?? "/values"
        let parent = HDF5IO.parent(of: object)
        let temporary = file + ".tmp-\(getpid())"
        try HDF5Lock.run {
            let fid = H5Fcreate(temporary, tsfc_H5F_ACC_TRUNC(), tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT())
            guard fid >= 0 else { throw DataError.unreadable(file: file, reason: "cannot create an HDF5 file there") }
            var closed = false
            defer { if !closed { H5Fclose(fid); unlink(temporary) } }
            try HDF5IO.writeFloat(fid, object, frame.values, dims: [frame.rowCount, frame.channelCount], file: file)
            try HDF5IO.writeStringAttribute(fid, object, "columns", frame.columns, file: file)
            if let stamps = frame.timestamps {
                try HDF5IO.writeInt64(fid, HDF5IO.join(parent, "timestamps"), stamps, file: file)
            }
            if let labels = frame.labels {
                try HDF5IO.writeFloat(fid, HDF5IO.join(parent, "labels"), labels, dims: [labels.count], file: file)
            }
            closed = true
            guard H5Fclose(fid) >= 0 else {
                unlink(temporary)
                throw DataError.hdf5Failure(file: file, path: object, operation: "close")
            }
        }
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            throw DataError.unreadable(file: file, reason: "cannot move the written file into place")
        }
    }
}
