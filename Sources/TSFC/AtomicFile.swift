// AtomicFile: write to a temporary name in the destination folder, then rename, so readers never
// see a half-written forecast, config or log.
import Foundation

/// Atomic whole-file writes.
public enum AtomicFile {
    /// Errors writing a file.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `url` atomically (temporary file + rename).
    public static func write(_ data: Data, to url: URL) throws {
        let tmp = temporary(for: url)
        do {
            try data.write(to: tmp)
        } catch {
            throw WriteError(path: url.path, reason: reasonText(error, directory: url.deletingLastPathComponent()))
        }
        try commit(tmp, to: url)
    }

    /// Writes `url` atomically in pieces: `body` appends to a temporary file beside it, which
    /// replaces `url` only when `body` returns (a throw removes it), so a large output need not
    /// be held in memory and is still never seen half written.
    public static func stream(to url: URL, _ body: (FileHandle) throws -> Void) throws {
        let tmp = temporary(for: url)
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil), let handle = try? FileHandle(forWritingTo: tmp) else {
            throw WriteError(path: url.path, reason: reasonText(CocoaError(.fileWriteUnknown), directory: url.deletingLastPathComponent()))
        }
        do {
            try body(handle)
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: tmp)
            throw WriteError(path: url.path, reason: reasonText(error, directory: url.deletingLastPathComponent()))
        }
        try commit(tmp, to: url)
    }

    /// A fresh hidden name beside `url` for its temporary file.
    private static func temporary(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Renames the finished temporary file onto `url` (removing it when that fails).
    private static func commit(_ tmp: URL, to url: URL) throws {
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw WriteError(path: url.path, reason: reason)
        }
    }

    /// Checks that a file could be created at `url` (its folder exists and is writable), so a
    /// command can fail before doing work.
    public static func checkWritable(_ url: URL) throws {
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw WriteError(path: url.path, reason: "the folder \(dir.path) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: dir.path) else {
            throw WriteError(path: url.path, reason: "the folder \(dir.path) is not writable")
        }
        var isDirTarget: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirTarget), isDirTarget.boolValue {
            throw WriteError(path: url.path, reason: "it is a folder")
        }
    }

    static func reasonText(_ error: Error, directory: URL) -> String {
        if !FileManager.default.fileExists(atPath: directory.path) { return "the folder \(directory.path) does not exist" }
        return (error as NSError).localizedDescription
    }
}
