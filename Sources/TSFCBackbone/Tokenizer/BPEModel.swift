import Foundation

/// The BPE model proper: a vocabulary, ranked merges, and the merge loop over one word.
struct BPEModel: Sendable {
    /// What one merge produces and how early it was learned (lower rank merges first).
    struct Merge: Sendable {
        var rank: Int
        var id: Int
    }

    let vocab: [String: Int]
    let idToToken: [Int: String]
    /// Keyed by `pairKey(left, right)` of the two token ids.
    let merges: [UInt64: Merge]
    /// The vocabulary id of each byte's stand-in character, if present.
    let byteIDs: [Int?]
    let unknownID: Int?
    let fuseUnknown: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    let cache = WordCache(capacity: 50_000)

    init(
        vocab: [String: Int], idToToken: [Int: String], merges: [UInt64: Merge],
        unknownID: Int?, fuseUnknown: Bool, byteFallback: Bool, ignoreMerges: Bool
    ) {
        self.vocab = vocab
        self.idToToken = idToToken
        self.merges = merges
        self.byteIDs = ByteLevel.byteToScalar.map { vocab[String($0)] }
        self.unknownID = unknownID
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
    }

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        (UInt64(UInt32(truncatingIfNeeded: left)) << 32) | UInt64(UInt32(truncatingIfNeeded: right))
    }

    /// The ids of one pre-tokenised word (raw text; it is turned into bytes here).
    func encodeWord(_ word: String) -> [Int] {
        if let cached = cache.value(for: word) { return cached }
        let bytes = Array(word.utf8)
        let ids = mergedIDs(bytes)
        cache.store(ids, for: word)
        return ids
    }

    private func mergedIDs(_ bytes: [UInt8]) -> [Int] {
        if ignoreMerges, let whole = vocab[ByteLevel.encode(bytes)] { return [whole] }
        var symbols = initialSymbols(bytes)
        // Repeatedly merge every occurrence of the lowest-ranked adjacent pair.
        while symbols.count >= 2 {
            var best: Merge?
            var bestPair = (0, 0)
            for index in 0..<(symbols.count - 1) {
                let pair = (symbols[index], symbols[index + 1])
                if let merge = merges[Self.pairKey(pair.0, pair.1)], merge.rank < (best?.rank ?? .max) {
                    best = merge
                    bestPair = pair
                }
            }
            guard let merge = best else { break }
            var merged: [Int] = []
            merged.reserveCapacity(symbols.count)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count, symbols[index] == bestPair.0, symbols[index + 1] == bestPair.1 {
                    merged.append(merge.id)
                    index += 2
                } else {
                    merged.append(symbols[index])
                    index += 1
                }
            }
            symbols = merged
        }
        return symbols
    }

    /// One id per byte. A byte whose stand-in is missing from the vocabulary becomes `<0xHH>`
    /// tokens (byte fallback), the unknown token, or is dropped — in that order of preference,
    /// as the Hugging Face BPE model does.
    private func initialSymbols(_ bytes: [UInt8]) -> [Int] {
        var symbols: [Int] = []
        symbols.reserveCapacity(bytes.count)
        var previousWasUnknown = false
        for byte in bytes {
            if let id = byteIDs[Int(byte)] {
                symbols.append(id)
                previousWasUnknown = false
                continue
            }
            if byteFallback {
                let utf8 = Array(String(ByteLevel.byteToScalar[Int(byte)]).utf8)
                let fallback = utf8.compactMap { vocab[String(format: "<0x%02X>", $0)] }
                if fallback.count == utf8.count {
                    symbols.append(contentsOf: fallback)
                    previousWasUnknown = false
                    continue
                }
            }
            if let unknownID {
                if !(fuseUnknown && previousWasUnknown) { symbols.append(unknownID) }
                previousWasUnknown = true
            }
        }
        return symbols
    }
}

/// A bounded, thread-safe memo of word → ids (cleared when full).
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [Int]] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(for word: String) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[word]
    }

    func store(_ ids: [Int], for word: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[word] = ids
    }
}
