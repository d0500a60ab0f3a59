// HDF5: round trip through the writer, and files made here with raw libhdf5 calls (float64,
// int32, a group of 1-D channels, string timestamps, a 3-D dataset).
import CHDF5
import Foundation
import XCTest
@testable import TSFCData
import TSFCTestSupport

/// Minimal raw libhdf5 writing, independent of the library's writer.
enum RawHDF5 {
    static func create(_ path: String, _ body: (hid_t) -> Void) {
        _ = tsfc_H5_silence_errors()
        let fid = H5Fcreate(path, tsfc_H5F_ACC_TRUNC(), tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT())
        precondition(fid >= 0)
        body(fid)
        H5Fclose(fid)
    }

    static func group(_ fid: hid_t, _ name: String) {
        H5Gclose(H5Gcreate2(fid, name, tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT()))
    }

    static func dataset<T>(_ fid: hid_t, _ name: String, _ data: [T], dims: [Int], fileType: hid_t, memType: hid_t) {
        var hdims = dims.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &hdims, nil)
        let did = H5Dcreate2(fid, name, fileType, space, tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT(), tsfc_H5P_DEFAULT())
        precondition(did >= 0)
        _ = data.withUnsafeBytes { H5Dwrite(did, memType, tsfc_H5S_ALL(), tsfc_H5S_ALL(), tsfc_H5P_DEFAULT(), $0.baseAddress) }
        H5Dclose(did); H5Sclose(space)
    }

    /// Fixed-length (16-byte) strings.
    static func strings(_ fid: hid_t, _ name: String, _ values: [String]) {
        var bytes = [UInt8](repeating: 0, count: 16 * values.count)
        for (k, s) in values.enumerated() { for (j, b) in s.utf8.prefix(16).enumerated() { bytes[k * 16 + j] = b } }
        let type = H5Tcopy(tsfc_H5T_C_S1())
        H5Tset_size(type, 16)
        dataset(fid, name, bytes, dims: [values.count], fileType: type, memType: type)
        H5Tclose(type)
    }
}

final class HDF5SourceTests: XCTestCase {
    func testWriterRoundTrip() throws {
        let values: [Float] = (0..<30).map { Float($0) * 0.5 - 3 }
        let frame = TimeSeriesFrame(timestamps: (0..<10).map { 1_600_000_000 + Int64($0) * 900 }, columns: ["a", "b", "OT"],
                                    values: values, labels: (0..<10).map { Float($0 % 2) })
        let path = try makeTemporaryDirectory("tsfc-data-tests", removedAfter: self).appendingPathComponent("frame.h5").path
        try HDF5Writer.write(frame, to: path + ":/group/sub/values")
        let back = try HDF5Source(path: path + ":/group/sub/values").load()
        XCTAssertEqual(back.columns, frame.columns)
        XCTAssertEqual(back.values, frame.values)
        XCTAssertEqual(back.timestamps, frame.timestamps)
        XCTAssertEqual(back.labels, frame.labels)
        XCTAssertEqual(back.frequency, Frequency(seconds: 900))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
        // Default dataset path.
        try HDF5Writer.write(frame, to: path)
        XCTAssertEqual(try HDF5Source(path: path).load().values, values)
        XCTAssertTrue(DataFile.isHDF5(path))
    }

    func testRawFloat64AndIntegerAndGroupLayouts() throws {
        let path = try makeTemporaryDirectory("tsfc-data-tests", removedAfter: self).appendingPathComponent("raw.h5").path
        let doubles: [Double] = [1.25, 2.5, 3.75, 4, 5, 6]  // [3, 2]
        RawHDF5.create(path) { fid in
            RawHDF5.dataset(fid, "/matrix", doubles, dims: [3, 2], fileType: tsfc_H5T_IEEE_F64LE(), memType: tsfc_H5T_NATIVE_DOUBLE())
            RawHDF5.group(fid, "/channels")
            RawHDF5.dataset(fid, "/channels/x", [Int32(1), 2, 3, 4], dims: [4], fileType: tsfc_H5T_STD_I32LE(), memType: tsfc_H5T_NATIVE_INT32())
            RawHDF5.dataset(fid, "/channels/w", [Float(9), 8, 7, 6], dims: [4], fileType: tsfc_H5T_IEEE_F32LE(), memType: tsfc_H5T_NATIVE_FLOAT())
            RawHDF5.strings(fid, "/channels/timestamps", ["2020-01-01 00:00", "2020-01-01 01:00", "2020-01-01 02:00", "2020-01-01 03:00"])
            RawHDF5.dataset(fid, "/cube", [Float](repeating: 0, count: 8), dims: [2, 2, 2], fileType: tsfc_H5T_IEEE_F32LE(), memType: tsfc_H5T_NATIVE_FLOAT())
            RawHDF5.group(fid, "/mixed")
            RawHDF5.dataset(fid, "/mixed/a", [Float(1), 2], dims: [2], fileType: tsfc_H5T_IEEE_F32LE(), memType: tsfc_H5T_NATIVE_FLOAT())
            RawHDF5.dataset(fid, "/mixed/b", [Float(1), 2, 3], dims: [3], fileType: tsfc_H5T_IEEE_F32LE(), memType: tsfc_H5T_NATIVE_FLOAT())
        }
        let matrix = try HDF5Source(path: path + ":/matrix").load()
        XCTAssertEqual(matrix.columns, ["c0", "c1"])
        XCTAssertEqual(matrix.values, doubles.map(Float.init))
        XCTAssertNil(matrix.timestamps)

        let group = try HDF5Source(path: path + ":/channels").load()
        XCTAssertEqual(group.columns, ["w", "x"])  // name order; timestamps are not a channel
        XCTAssertEqual(group.values, [9, 1, 8, 2, 7, 3, 6, 4])
        XCTAssertEqual(group.timestamps, (0..<4).map { 1_577_836_800 + Int64($0) * 3600 })

        guard case let .unsupportedDataset(_, cubePath, reason) = expectDataError({ try HDF5Source(path: path + ":/cube").load() }) else { return XCTFail() }
        XCTAssertEqual(cubePath, "/cube")
        XCTAssertTrue(reason.contains("3-D"), reason)
        guard case let .unsupportedDataset(_, mixedPath, _) = expectDataError({ try HDF5Source(path: path + ":/mixed").load() }) else { return XCTFail() }
        XCTAssertEqual(mixedPath, "/mixed/b")
        guard case let .datasetNotFound(file, missing) = expectDataError({ try HDF5Source(path: path + ":/nope/values").load() }) else { return XCTFail() }
        XCTAssertEqual(file, path)
        XCTAssertEqual(missing, "/nope/values")
    }

    func testNotHDF5AndMissingFile() {
        let csv = TestFiles.malformed("ragged_row.csv").path
        guard case let .notHDF5(file) = expectDataError({ try HDF5Source(path: csv + ":/values").load() }) else { return XCTFail() }
        XCTAssertEqual(file, csv)
        XCTAssertTrue(DataError.notHDF5(file: csv).description.contains(csv))
        guard case .unreadable = expectDataError({ try HDF5Source(path: "/nonexistent/x.h5:/values").load() }) else { return XCTFail() }
    }

    func testConcurrentReadsAreSerialised() throws {
        let frame = TimeSeriesFrame(timestamps: nil, columns: ["a"], values: (0..<1000).map(Float.init))
        let path = try makeTemporaryDirectory("tsfc-data-tests", removedAfter: self).appendingPathComponent("c.h5").path
        try HDF5Writer.write(frame, to: path)
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 16)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 16) { k in
            results[k] = (try? HDF5Source(path: path).load().values) == frame.values
        }
        XCTAssertTrue(results.allSatisfy { $0 })
    }
}
