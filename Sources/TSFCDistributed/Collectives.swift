// Collectives over Codable values, agreement checks and the series shards of a panel: the
// pieces of distributed work built from the `Communicator` primitives.
import Foundation

extension Communicator {
    /// Every rank's `value`, in rank order, on every rank (binary property lists: exact for
    /// every Float and Double, NaN included).
    public func allGather<T: Codable>(_ value: T) throws -> [T] {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        let bytes = [UInt8](try encoder.encode([value]))
        let decoder = PropertyListDecoder()
        return try allGather(bytes).map { try decoder.decode([T].self, from: Data($0))[0] }
    }

    /// Every rank's `value`, in rank order, on rank `root` only (nil on the others): results
    /// that only the writing rank needs, so no rank holds the whole panel's but rank 0.
    public func gather<T: Codable>(_ value: T, root: Int = 0) throws -> [T]? {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        let bytes = [UInt8](try encoder.encode([value]))
        let decoder = PropertyListDecoder()
        return try gather(bytes, root: root).map { try $0.map { try decoder.decode([T].self, from: Data($0))[0] } }
    }

    /// Rank `root`'s `value` on every rank.
    public func broadcast<T: Codable>(_ value: T, root: Int = 0) throws -> T {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        let bytes = try broadcast(isRoot || rank == root ? [UInt8](try encoder.encode([value])) : [], root: root)
        return try PropertyListDecoder().decode([T].self, from: Data(bytes))[0]
    }

    /// Checks that every rank holds the same `bytes` (a config, a model bundle); throws on every
    /// rank, naming `what` and the ranks that differ from rank 0, when they do not.
    public func agree(on bytes: [UInt8], what: String) throws {
        guard isDistributed else { return }
        let digests = try allGather(Digest.fnv1a(bytes))
        let differing = digests.indices.filter { digests[$0] != digests[0] }
        guard differing.isEmpty else {
            throw DistributedError("the ranks disagree on \(what): rank(s) \(differing.map(String.init).joined(separator: ", ")) "
                                   + "read different contents than rank 0 (run every rank on the same files)")
        }
    }

    /// True on every rank when `ok` was true on every rank (so a failure on one rank can stop all
    /// ranks at the same collective, with no rank left waiting).
    public func allSucceeded(_ ok: Bool) throws -> Bool {
        var flag = [ok ? 0.0 : 1.0]
        try allReduceSum(&flag)
        return flag[0] == 0
    }
}

/// A 64-bit FNV-1a digest (to compare contents across ranks, not for security).
public enum Digest {
    public static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}

/// How the work of a panel or a batch is split over ranks.
public enum Sharding {
    /// Rank `rank`'s contiguous part of `0..<count` items split as evenly as possible (the first
    /// `count % size` ranks get one more).
    public static func evenRange(count: Int, rank: Int, size: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let start = rank * base + Swift.min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }

    /// Rank `rank`'s contiguous part of items with `weights` (e.g. series lengths), balanced by
    /// their sums: an item belongs to the rank in whose share of the total its midpoint falls.
    /// Contiguity keeps the panel's order, so the parts in rank order give back the whole.
    public static func balancedRange(weights: [Int], rank: Int, size: Int) -> Range<Int> {
        let total = weights.reduce(0) { $0 + Swift.max($1, 1) }
        var start = weights.count, end = weights.count, running = 0
        for (i, w) in weights.enumerated() {
            let midpoint = 2 * running + Swift.max(w, 1)           // twice the midpoint
            let owner = Swift.min(size - 1, midpoint * size / (2 * Swift.max(total, 1)))
            if owner == rank && start == weights.count { start = i }
            if owner > rank { end = i; break }
            running += Swift.max(w, 1)
        }
        return start < end ? start..<end : start..<start
    }
}
