// Relative data paths in a configuration file resolve against the file's folder.
import Foundation
import TSFCData

extension RunConfiguration {
    /// Makes a relative `data.path` absolute against `folder` (the configuration file's folder)
    /// when the file exists there; otherwise the path is left as written, relative to the
    /// working directory (the shipped `Configs/*.yaml` name `Data/ETTh1.csv` from the checkout's
    /// root). Absolute paths are unchanged; an HDF5 `file.h5:/dataset` keeps its dataset.
    public mutating func resolveDataPath(against folder: URL) {
        let (file, object) = splitHDF5Path(data.path)
        guard !file.isEmpty, !file.hasPrefix("/"), !file.hasPrefix("~") else { return }
        let candidate = folder.appendingPathComponent(file).standardizedFileURL
        guard FileManager.default.fileExists(atPath: candidate.path) else { return }
        data.path = candidate.path + (object.map { ":" + $0 } ?? "")
    }
}
