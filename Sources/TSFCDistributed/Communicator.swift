// Communicator: the few collective operations tsfc's data-parallel training and sharded batch
// work need, behind one protocol, so the library runs the same code on one process (the
// `SingleProcessCommunicator`) or on every rank of an MPI job (`MPICommunicator`).
import Foundation

/// A group of cooperating processes ("ranks"), numbered `0..<size`. Every collective must be
/// called by every rank in the same order.
public protocol Communicator: AnyObject {
    /// This process' number, `0..<size`.
    var rank: Int { get }
    /// How many processes take part.
    var size: Int { get }
    /// Replaces `values` on every rank by their element-wise sum over all ranks (same count on
    /// every rank).
    func allReduceSum(_ values: inout [Float]) throws
    /// Replaces `values` on every rank by their element-wise sum over all ranks.
    func allReduceSum(_ values: inout [Double]) throws
    /// Every rank's `bytes`, in rank order, on every rank (the lengths may differ).
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Every rank's `bytes`, in rank order, on rank `root` only (nil on the others).
    func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]?
    /// Sends `bytes` (of any length) to rank `destination`, which must `receive(from:)` them.
    func send(_ bytes: [UInt8], to destination: Int) throws
    /// The bytes rank `source` sends with `send(_:to:)`.
    func receive(from source: Int) throws -> [UInt8]
    /// Rank `root`'s `bytes` on every rank (the others' arguments are ignored).
    func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8]
    /// Stops every rank of the job at once with `code` (after a rank failed on its own).
    func abort(code: Int32) -> Never
    /// Ends the job's communication (MPI_Finalize); called once, at exit.
    func finish()
}

extension Communicator {
    /// True on the rank that writes outputs (checkpoints, bundles, metrics, forecasts).
    public var isRoot: Bool { rank == 0 }
    /// True when more than one process takes part.
    public var isDistributed: Bool { size > 1 }
}

/// The communicator of a run on one process: every collective is the identity.
public final class SingleProcessCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ values: inout [Float]) throws {}
    public func allReduceSum(_ values: inout [Double]) throws {}
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? { [bytes] }
    public func send(_ bytes: [UInt8], to destination: Int) throws {
        throw DistributedError("a single process has no rank \(destination) to send to")
    }
    public func receive(from source: Int) throws -> [UInt8] {
        throw DistributedError("a single process has no rank \(source) to receive from")
    }
    public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] { bytes }
    public func abort(code: Int32) -> Never { exit(code) }
    public func finish() {}
}

/// A failed collective or a job that cannot run as launched.
public struct DistributedError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
