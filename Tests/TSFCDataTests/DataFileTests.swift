// DataFile.open: one rule for every command — HDF5 by dataset path, signature or name, CSV
// otherwise — and a typed error naming a missing path or a directory.
import Foundation
import XCTest
@testable import TSFCData
import TSFCTestSupport

final class DataFileTests: XCTestCase {
    static let csv = """
        date,a,b,OT
        2020-01-01 00:00,1,10,100
        2020-01-01 01:00,2,20,200
        2020-01-01 02:00,3,30,300

        """

    static let frame = TimeSeriesFrame(timestamps: [1_600_000_000, 1_600_003_600, 1_600_007_200], columns: ["a", "b", "OT"],
                                       values: [1, 10, 100, 2, 20, 200, 3, 30, 300], labels: [0, 1, 0])

    func testCSVIsReadWithEveryOption() throws {
        let url = TestFiles.write(Self.csv)
        let frame = try DataFile.open(url.path)
        XCTAssertEqual(frame, try CSVSource(url: url).load())
        XCTAssertEqual(frame.columns, ["a", "b", "OT"])
        XCTAssertEqual(frame.timestamps?.count, 3)
        XCTAssertFalse(DataFile.isHDF5(url.path))
        let picked = try DataFile.open(url.path, options: CSVOptions(target: "a", columns: ["OT", "a", "b"]))
        XCTAssertEqual(picked.columns, ["OT", "b", "a"])
        XCTAssertEqual(picked.values, [100, 10, 1, 200, 20, 2, 300, 30, 3])
        let labelled = try DataFile.open(url.path, options: CSVOptions(labelColumn: "b"))
        XCTAssertEqual(labelled.columns, ["a", "OT"])
        XCTAssertEqual(labelled.labels, [10, 20, 30])
    }

    func testHDF5IsFoundByDatasetPathSignatureOrName() throws {
        let directory = try makeTemporaryDirectory("tsfc-datafile", removedAfter: self)
        let named = directory.appendingPathComponent("frame.h5").path
        try HDF5Writer.write(Self.frame, to: named)
        let unnamed = directory.appendingPathComponent("frame.bin").path        // only the signature says HDF5
        try HDF5Writer.write(Self.frame, to: unnamed + ":/group/values")
        for (path, source) in [(named, named + ":/values"), (named + ":/values", named + ":/values"),
                               (unnamed + ":/group/values", unnamed + ":/group/values")] {
            XCTAssertTrue(DataFile.isHDF5(path), path)
            let frame = try DataFile.open(path)
            XCTAssertEqual(frame.source, source)
            XCTAssertEqual(frame.columns, Self.frame.columns, path)
            XCTAssertEqual(frame.values, Self.frame.values, path)
            XCTAssertEqual(frame.timestamps, Self.frame.timestamps, path)
            XCTAssertEqual(frame.labels, Self.frame.labels, path)
        }
        XCTAssertTrue(DataFile.isHDF5(unnamed))
        guard case .datasetNotFound(unnamed, "/values")? = expectDataError({ try DataFile.open(unnamed) }) else {
            return XCTFail("the default dataset of a signature-detected file is /values")
        }
        // The options that apply to HDF5: columns, target, missing values.
        let picked = try DataFile.open(named, options: CSVOptions(target: "a", columns: ["OT", "a"]))
        XCTAssertEqual(picked.columns, ["OT", "a"])
        XCTAssertEqual(picked.target, "a")
        XCTAssertEqual(picked.values, [100, 1, 200, 2, 300, 3])
        XCTAssertEqual(try DataFile.open(named, options: CSVOptions(target: "a")).columns, ["b", "OT", "a"])
        guard case .missingColumn(_, "c", ["a", "b", "OT"])? = expectDataError({ try DataFile.open(named, options: CSVOptions(columns: ["c"])) }) else {
            return XCTFail("an unknown column is named")
        }
        guard case .invalidOption(let message)? = expectDataError({ try DataFile.open(named, options: CSVOptions(labelColumn: "b")) }) else {
            return XCTFail("a label column has no meaning in HDF5")
        }
        XCTAssertTrue(message.contains(named) && message.contains("labels"), message)
    }

    func testADatasetPathOnATextFileIsNotHDF5() throws {
        let csv = TestFiles.write(Self.csv).path
        guard case .notHDF5(csv)? = expectDataError({ try DataFile.open(csv + ":/values") }) else {
            return XCTFail("a dataset path asks for HDF5")
        }
        let misnamed = TestFiles.write(Self.csv, name: "data.h5").path
        guard case .notHDF5(misnamed)? = expectDataError({ try DataFile.open(misnamed) }) else {
            return XCTFail("a .h5 name asks for HDF5")
        }
    }

    func testAPathThatExistsAsAWholeIsAFileName() throws {
        let directory = try makeTemporaryDirectory("tsfc-datafile", removedAfter: self)
        let folder = directory.appendingPathComponent("run:")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = try writeFile(Self.csv, named: "data.csv", in: folder).path
        XCTAssertTrue(path.contains(":/"))
        XCTAssertFalse(DataFile.isHDF5(path))
        XCTAssertEqual(try DataFile.open(path).values, Self.frame.values)
    }

    func testADirectoryOrAMissingPathIsAnUnreadableFileNamingIt() throws {
        let directory = try makeTemporaryDirectory("tsfc-datafile", removedAfter: self).path
        for path in [directory, directory + ":/values"] {
            XCTAssertFalse(DataFile.isHDF5(path), path)
            XCTAssertEqual(expectDataError { try DataFile.open(path) }, .unreadable(file: directory, reason: "it is a directory"), path)
        }
        let missing = directory + "/absent.csv"
        for (path, file) in [(missing, missing), (directory + "/absent.h5", directory + "/absent.h5"),
                             (directory + "/absent.h5:/group/values", directory + "/absent.h5")] {
            XCTAssertFalse(DataFile.isHDF5(path), path)
            let error = expectDataError { try DataFile.open(path) }
            XCTAssertEqual(error, .unreadable(file: file, reason: "No such file or directory"), path)
            XCTAssertTrue(error?.description.hasPrefix(file + ": cannot read the file") ?? false, "\(String(describing: error))")
        }
    }
}
