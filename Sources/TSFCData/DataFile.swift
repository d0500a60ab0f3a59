// DataFile: the one way a time-series file is opened. HDF5 when the path names a dataset or the
// file says so, CSV otherwise; a path that is missing or a directory is a typed error naming it.
import Foundation

/// Opens time-series files: an HDF5 dataset or group (`file.h5:/group/values`) or a CSV file.
public enum DataFile {
    /// The 8 bytes an HDF5 file (without a user block) starts with.
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads `path` into a frame.
    ///
    /// The path is HDF5 when a `:/group/dataset` follows the file's name (without one the
    /// dataset is `/values`), when the file starts with the HDF5 signature, or when its name
    /// ends in `.h5` or `.hdf5`; anything else is CSV. A path that exists as a whole is a file
    /// name even when it contains `:/`.
    ///
    /// A CSV file is read with all of `options`. In an HDF5 file `columns` picks the channels,
    /// `target` moves one channel last and `missingValues` applies; the options about text
    /// (delimiter, layout, time column and date format, id and value columns, timestamp order)
    /// do not, and a `labelColumn` is an error (an HDF5 file's labels are its `labels` dataset).
    ///
    /// - Throws: `DataError.unreadable` naming the file when it does not exist, is a directory
    ///   or cannot be opened; otherwise the reader's `DataError`.
    public static func open(_ path: String, options: CSVOptions = CSVOptions()) throws -> TimeSeriesFrame {
        try open(path, at: try locate(path), options: options)
    }

    /// `open` once `path` is located.
    private static func open(_ path: String, at location: (file: String, object: String?, isHDF5: Bool),
                             options: CSVOptions) throws -> TimeSeriesFrame {
        guard location.isHDF5 else {
            return try CSVSource(url: URL(fileURLWithPath: location.file), options: options).load()
        }
        if let label = options.labelColumn {
            throw DataError.invalidOption("\(path): a label column ('\(label)') belongs to CSV files; an HDF5 file's labels are read from the `labels` dataset beside its values")
        }
        var source = HDF5Source(path: location.file, missingValues: options.missingValues)
        source.file = location.file
        source.object = location.object ?? "/values"
        var frame = try source.load()
        if options.columns != nil || options.target != nil {
            var names = options.columns ?? frame.columns
            if let target = options.target {
                names.removeAll { $0 == target }
                names.append(target)
            }
            frame = try frame.selecting(names)
            frame.target = options.target
        }
        return frame
    }

    /// Reads `path` as a panel of series: a long-layout CSV (`unique_id, ds, y`) gives one frame
    /// per series over its own rows, stamps and frequency (`options.columns` then picks series
    /// ids); anything else the one frame `open` gives.
    public static func openPanel(_ path: String, options: CSVOptions = CSVOptions()) throws -> [TimeSeriesFrame] {
        let location = try locate(path)
        guard !location.isHDF5 else { return [try open(path, at: location, options: options)] }
        return try CSVSource(url: URL(fileURLWithPath: location.file), options: options).loadSeries()
    }

    /// True when `open` reads `path` as HDF5 (see there). A path that does not exist, a
    /// directory or a file that cannot be opened is not HDF5 (`open` says why it cannot be read).
    public static func isHDF5(_ path: String) -> Bool {
        (try? locate(path))?.isHDF5 ?? false
    }

    /// The file `path` names, the HDF5 object after its `:/` (if any), and whether it is HDF5.
    static func locate(_ path: String) throws -> (file: String, object: String?, isHDF5: Bool) {
        var info = stat()
        var (file, object): (String, String?) = (path, nil)
        if stat(path, &info) != 0 { (file, object) = splitHDF5Path(path) }
        guard stat(file, &info) == 0 else {
            throw DataError.unreadable(file: file, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw DataError.unreadable(file: file, reason: "it is a directory") }
        let name = file.lowercased()
        let named = object != nil || name.hasSuffix(".h5") || name.hasSuffix(".hdf5")
        return (file, object, try named || leadingBytes(of: file, count: hdf5Signature.count) == hdf5Signature)
    }
}

/// The first `count` bytes of `file` (fewer when it is shorter), read without Foundation's file
/// handles, which trap on some unreadable paths.
private func leadingBytes(of file: String, count: Int) throws -> [UInt8] {
    let fd = open(file, O_RDONLY)
    guard fd >= 0 else { throw DataError.unreadable(file: file, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: count)
    let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
    guard n >= 0 else { throw DataError.unreadable(file: file, reason: String(cString: strerror(errno))) }
    return Array(bytes.prefix(n))
}
