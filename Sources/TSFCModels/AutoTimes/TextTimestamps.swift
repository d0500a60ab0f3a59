// TextTimestamps: AutoTimes' textual position information (§3.1, reference `preprocess.py`).
// Each segment is described as "This is Time Series from <start> to <end>", tokenised by the
// backbone's own tokenizer and run through the frozen decoder; the last token's final hidden
// state [D] is the segment's position embedding. One vector per data row is precomputed and
// cached on disk as a safetensors file keyed by the data file, backbone, S and frequency.
import Foundation
import TSFCBackbone
import TSFCData
import TSFCNN
import TSFCTensor

/// Errors computing or caching textual timestamp embeddings.
public struct TextTimestampError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Textual timestamp descriptions and their decoder embeddings.
public enum TextTimestamps {
    /// AutoTimes' description of the segment starting at `start`: its last point lies
    /// (S − 1) sampling intervals later. Times are `YYYY-MM-DD HH:MM:SS` (UTC).
    public static func description(start: Int64, segmentLength: Int, frequency: Frequency) -> String {
        let end = SegmentMarks.advance(start, steps: segmentLength - 1, frequency: frequency)
        return "This is Time Series from \(Timestamp.format(start)) to \(Timestamp.format(end))"
    }

    /// The decoder's last-token final hidden state for each text, row-major `[texts.count, D]`.
    /// Texts with the same token count are run together, `batchSize` at a time, without gradients.
    public static func embed(_ texts: [String], decoder: CausalDecoder, tokenizer: BPETokenizer,
                             batchSize: Int = 64) throws -> [Float] {
        precondition(batchSize > 0, "TextTimestamps.embed: batchSize must be positive")
        let d = decoder.width
        var out = [Float](repeating: 0, count: texts.count * d)
        let ids = texts.map { tokenizer.encode($0) }
        if let empty = ids.firstIndex(where: { $0.isEmpty }) {
            throw TextTimestampError(message: "the tokenizer produced no tokens for '\(texts[empty])'")
        }
        let groups = Dictionary(grouping: ids.indices, by: { ids[$0].count })
        let wasTraining = decoder.isTraining
        decoder.eval()
        defer { if wasTraining { decoder.train() } }
        for (length, members) in groups.sorted(by: { $0.key < $1.key }) {
            var i = 0
            while i < members.count {
                let chunk = Array(members[i..<Swift.min(i + batchSize, members.count)])
                let hidden = try withoutGradients {
                    try decoder(tokenIDs: chunk.flatMap { ids[$0] }, shape: [chunk.count, length])  // [b, n, D]
                }
                let last = hidden.slice(axis: 1, (length - 1)..<length).scalars                  // [b, 1, D]
                for (b, row) in chunk.enumerated() {
                    out.replaceSubrange((row * d)..<((row + 1) * d), with: last[(b * d)..<((b + 1) * d)])
                }
                i += batchSize
            }
        }
        return out
    }

    /// The cache file for a data file, backbone, S and frequency: `<folder>/text-<hash>.safetensors`,
    /// the hash (FNV-1a) over the data file's path, size and modification time, the backbone
    /// directory, S and the frequency in seconds.
    public static func cacheURL(folder: URL, dataFile: String, backbone: String, segmentLength: Int,
                                frequency: Frequency) -> URL {
        let attributes = try? FileManager.default.attributesOfItem(atPath: dataFile)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let mtime = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        let key = "\(dataFile)|\(size)|\(mtime)|\(backbone)|\(segmentLength)|\(frequency.seconds)|\(frequency.isMonthly)"
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return folder.appendingPathComponent("text-" + String(repeating: "0", count: 16 - hex.count) + hex + ".safetensors")
    }

    /// The default cache folder: `$TSFC_CACHE_DIR` when set, otherwise `~/.cache/tsfc`.
    public static var defaultCacheFolder: URL {
        if let dir = ProcessInfo.processInfo.environment["TSFC_CACHE_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tsfc")
    }

    /// Whether `directory` holds a tokenizer: `tokenizer.json`, or `vocab.json` + `merges.txt`.
    public static func hasTokenizer(directory: String) -> Bool {
        let fm = FileManager.default, d = URL(fileURLWithPath: directory)
        return fm.fileExists(atPath: d.appendingPathComponent("tokenizer.json").path)
            || (fm.fileExists(atPath: d.appendingPathComponent("vocab.json").path)
                && fm.fileExists(atPath: d.appendingPathComponent("merges.txt").path))
    }

    /// The tokenizer in a backbone directory (`tokenizer.json` preferred).
    public static func loadTokenizer(directory: String) throws -> BPETokenizer {
        let d = URL(fileURLWithPath: directory)
        let json = d.appendingPathComponent("tokenizer.json")
        do {
            if FileManager.default.fileExists(atPath: json.path) { return try BPETokenizer(tokenizerJSON: json) }
            if hasTokenizer(directory: directory) {
                return try BPETokenizer(vocab: d.appendingPathComponent("vocab.json"), merges: d.appendingPathComponent("merges.txt"))
            }
        } catch {
            throw TextTimestampError(message: "\(directory): the tokenizer could not be read: \(error)")
        }
        throw TextTimestampError(message: "\(directory): model.timestamps: text needs tokenizer.json (or vocab.json and merges.txt) beside the backbone")
    }

    /// One embedding per row of `timestamps` (`[T, D]`), read from `cache` when it holds a matrix
    /// of that shape, otherwise computed and written there (atomically). `computed` tells which.
    public static func rowEmbeddings(timestamps: [Int64], segmentLength: Int, frequency: Frequency,
                                     decoder: CausalDecoder, tokenizer: BPETokenizer,
                                     cache: URL) throws -> (values: [Float], width: Int, computed: Bool) {
        let d = decoder.width
        if FileManager.default.fileExists(atPath: cache.path) {
            let stored = try? Safetensors.read(contentsOf: cache)["embeddings"]
            if let stored, stored.shape == [timestamps.count, d] { return (stored.scalars, d, false) }
        }
        let texts = timestamps.map { description(start: $0, segmentLength: segmentLength, frequency: frequency) }
        let values = try embed(texts, decoder: decoder, tokenizer: tokenizer)
        do {
            try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Safetensors.write(["embeddings": Tensor(shape: [timestamps.count, d], scalars: values)], to: cache)
        } catch {
            throw TextTimestampError(message: "could not write the timestamp embedding cache \(cache.path): \(error); set a writable cache folder")
        }
        return (values, d, true)
    }
}

/// Precomputed text-timestamp embeddings of a dataset's rows, plus the decoder and tokenizer that
/// embed timestamps outside it (rollout steps past the data, left padding).
public final class TextRowEmbeddings: @unchecked Sendable {
    /// Row-major `[rowCount, width]`.
    public let values: [Float]
    public let width: Int
    public let segmentLength: Int
    public let frequency: Frequency
    let decoder: CausalDecoder
    let tokenizer: BPETokenizer
    private var extra: [Int64: [Float]] = [:]
    private let lock = NSLock()

    public init(values: [Float], width: Int, segmentLength: Int, frequency: Frequency,
                decoder: CausalDecoder, tokenizer: BPETokenizer) {
        precondition(width > 0 && values.count % width == 0, "TextRowEmbeddings: values are not [T, width]")
        self.values = values
        self.width = width
        self.segmentLength = segmentLength
        self.frequency = frequency
        self.decoder = decoder
        self.tokenizer = tokenizer
    }

    /// Rows held (T).
    public var rowCount: Int { values.count / width }

    /// The embedding of row `row` (timestamp `timestamp`): the stored one inside the data,
    /// otherwise computed once and remembered. Throws `TextTimestampError` when a row outside the
    /// data cannot be embedded (its description tokenises to ids or a length the decoder refuses,
    /// e.g. a tokenizer that does not belong to the backbone).
    public func embedding(row: Int, timestamp: Int64) throws -> [Float] {
        if row >= 0 && row < rowCount { return Array(values[(row * width)..<((row + 1) * width)]) }
        lock.lock(); defer { lock.unlock() }
        if let known = extra[timestamp] { return known }
        let text = TextTimestamps.description(start: timestamp, segmentLength: segmentLength, frequency: frequency)
        // Every data row's description was embedded by `rowEmbeddings`, but another date can
        // tokenise differently (other ids, more tokens), so this can still fail.
        let vector: [Float]
        do {
            vector = try TextTimestamps.embed([text], decoder: decoder, tokenizer: tokenizer)
        } catch {
            throw TextTimestampError(message: "the timestamp of row \(row) outside the data ('\(text)') could not be embedded by the backbone: \(error)")
        }
        extra[timestamp] = vector
        return vector
    }
}
