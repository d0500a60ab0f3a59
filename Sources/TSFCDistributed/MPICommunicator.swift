// MPICommunicator: `Communicator` over the MPI C API (Open MPI from Debian), compiled only when
// the build found MPI's headers (Package.swift adds the CMPI target then).
#if canImport(CMPI)
import CMPI
import Foundation

/// The ranks of `MPI_COMM_WORLD`. Create it once per process (it calls `MPI_Init_thread`).
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let comm: MPI_Comm
    private var finished = false

    /// Initialises MPI (funneled threading: only the main thread communicates).
    public init() throws {
        var provided: Int32 = 0
        guard MPI_Init_thread(nil, nil, tsfc_mpi_thread_funneled(), &provided) == tsfc_mpi_success() else {
            throw DistributedError("MPI_Init_thread failed")
        }
        comm = tsfc_mpi_comm_world()
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(comm, &r)
        MPI_Comm_size(comm, &s)
        (rank, size) = (Int(r), Int(s))
    }

    /// MPI counts are 32-bit: long arrays go in chunks.
    private static let chunk = 1 << 28

    private func check(_ code: Int32, _ what: String) throws {
        guard code == tsfc_mpi_success() else { throw DistributedError("\(what) failed on rank \(rank) (MPI error \(code))") }
    }

    public func allReduceSum(_ values: inout [Float]) throws { try allReduceSum(&values, type: tsfc_mpi_float()) }

    public func allReduceSum(_ values: inout [Double]) throws { try allReduceSum(&values, type: tsfc_mpi_double()) }

    /// Sums `values` (of MPI datatype `type`) over the ranks in place, in chunks of 32-bit counts.
    private func allReduceSum<T>(_ values: inout [T], type: MPI_Datatype) throws {
        let n = values.count
        try values.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < n {
                let count = Swift.min(Self.chunk, n - start)
                try check(MPI_Allreduce(tsfc_mpi_in_place(), buffer.baseAddress! + start, Int32(count), type, tsfc_mpi_sum(), comm),
                          "MPI_Allreduce")
                start += count
            }
        }
    }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        guard bytes.count < Int(Int32.max) else { throw DistributedError("allGather: \(bytes.count) bytes exceed MPI's 32-bit count") }
        var mine = Int32(bytes.count)
        var lengths = [Int32](repeating: 0, count: size)
        try check(MPI_Allgather(&mine, 1, tsfc_mpi_int(), &lengths, 1, tsfc_mpi_int(), comm), "MPI_Allgather")
        var (offsets, total) = try Self.displacements(lengths, what: "allGather")
        var all = [UInt8](repeating: 0, count: Swift.max(total, 1))
        var send = bytes.isEmpty ? [0] : bytes
        try check(MPI_Allgatherv(&send, mine, tsfc_mpi_byte(), &all, &lengths, &offsets, tsfc_mpi_byte(), comm), "MPI_Allgatherv")
        return Self.parts(all, lengths: lengths, offsets: offsets)
    }

    /// Where each rank's bytes start in a gathered buffer, and the buffer's length; throws when
    /// the parts add up to more than MPI's 32-bit count (2 GiB per message).
    private static func displacements(_ lengths: [Int32], what: String) throws -> (offsets: [Int32], total: Int) {
        var offsets = [Int32](repeating: 0, count: lengths.count)
        var total = 0
        for (r, length) in lengths.enumerated() {
            guard total + Int(length) < Int(Int32.max) else {
                throw DistributedError("\(what): the parts add up to more than MPI's 2 GiB per message; split the job (fewer series per run)")
            }
            offsets[r] = Int32(total)
            total += Int(length)
        }
        return (offsets, total)
    }

    /// The gathered buffer cut back into each rank's bytes.
    private static func parts(_ all: [UInt8], lengths: [Int32], offsets: [Int32]) -> [[UInt8]] {
        zip(offsets, lengths).map { Array(all[Int($0)..<(Int($0) + Int($1))]) }
    }

    public func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? {
        guard bytes.count < Int(Int32.max) else { throw DistributedError("gather: \(bytes.count) bytes exceed MPI's 32-bit count") }
        var mine = Int32(bytes.count)
        var lengths = [Int32](repeating: 0, count: size)
        try check(MPI_Gather(&mine, 1, tsfc_mpi_int(), &lengths, 1, tsfc_mpi_int(), Int32(root), comm), "MPI_Gather")
        // Only the root's lengths are filled: the others' displacements are all zero and unused.
        var (offsets, total) = try Self.displacements(lengths, what: "gather")
        var all = [UInt8](repeating: 0, count: Swift.max(total, 1))
        var send = bytes.isEmpty ? [0] : bytes
        try check(MPI_Gatherv(&send, mine, tsfc_mpi_byte(), &all, &lengths, &offsets, tsfc_mpi_byte(), Int32(root), comm), "MPI_Gatherv")
        guard rank == root else { return nil }
        return Self.parts(all, lengths: lengths, offsets: offsets)
    }

    /// Messages of tsfc's point-to-point sends (the length, then the bytes in chunks of ≤ 1 GiB).
    private static let tag: Int32 = 19

    public func send(_ bytes: [UInt8], to destination: Int) throws {
        var length = Int64(bytes.count)
        try check(MPI_Send(&length, 8, tsfc_mpi_byte(), Int32(destination), Self.tag, comm), "MPI_Send")
        try bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < bytes.count {
                let count = Swift.min(1 << 30, bytes.count - start)
                try check(MPI_Send(buffer.baseAddress! + start, Int32(count), tsfc_mpi_byte(), Int32(destination), Self.tag, comm), "MPI_Send")
                start += count
            }
        }
    }

    public func receive(from source: Int) throws -> [UInt8] {
        var length: Int64 = 0
        try check(MPI_Recv(&length, 8, tsfc_mpi_byte(), Int32(source), Self.tag, comm, nil), "MPI_Recv")
        var bytes = [UInt8](repeating: 0, count: Int(length))
        try bytes.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let count = Swift.min(1 << 30, buffer.count - start)
                try check(MPI_Recv(buffer.baseAddress! + start, Int32(count), tsfc_mpi_byte(), Int32(source), Self.tag, comm, nil), "MPI_Recv")
                start += count
            }
        }
        return bytes
    }

    public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
        var length = Int64(bytes.count)
        try check(MPI_Bcast(&length, 8, tsfc_mpi_byte(), Int32(root), comm), "MPI_Bcast")
        guard length < Int64(Int32.max) else { throw DistributedError("broadcast: \(length) bytes exceed MPI's 32-bit count") }
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length))
        if out.isEmpty { return [] }
        try check(MPI_Bcast(&out, Int32(length), tsfc_mpi_byte(), Int32(root), comm), "MPI_Bcast")
        return out
    }

    public func abort(code: Int32) -> Never {
        MPI_Abort(comm, code)
        exit(code)
    }

    public func finish() {
        guard !finished else { return }
        finished = true
        MPI_Finalize()
    }
}
#endif
