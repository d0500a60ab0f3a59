// Malformed safetensors files: each must throw the matching typed error naming the file, never crash.
import Foundation
import TSFCTensor
import XCTest
import TSFCTestSupport

final class SafetensorsMalformedTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
    }

    /// Writes `bytes`, opens them, and returns the thrown error (failing when none is thrown).
    private func openError(_ bytes: Data, line: UInt = #line) throws -> (SafetensorsError, String) {
        let url = try writeFile(bytes, named: "bad-\(line).safetensors", in: dir)
        do {
            _ = try SafetensorsFile(contentsOf: url)
        } catch let error as SafetensorsError {
            XCTAssertTrue(error.description.contains(url.path), "description names the file: \(error)", line: line)
            // The convenience readers fail the same way.
            XCTAssertThrowsError(try Safetensors.read(contentsOf: url), line: line) {
                XCTAssertEqual($0 as? SafetensorsError, error, line: line)
            }
            XCTAssertThrowsError(try Safetensors.readMetadata(contentsOf: url), line: line)
            return (error, url.path)
        }
        XCTFail("no error for \(url.lastPathComponent)", line: line)
        throw CancellationError()
    }

    /// A header for one tensor `x`.
    private func single(_ dtype: String = "F32", shape: String = "[2]", offsets: String = "[0,8]") -> String {
        #"{"x":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":\#(offsets)}}"#
    }

    private let eightBytes = [UInt8](repeating: 0, count: 8)

    func testMissingFileAndDirectory() throws {
        let missing = dir.appendingPathComponent("absent.safetensors")
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: missing)) { error in
            guard case SafetensorsError.cannotOpen(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, missing.path)
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: dir)) { error in
            XCTAssertEqual(error as? SafetensorsError, .notARegularFile(file: dir.path))
        }
    }

    func testTruncatedBeforeHeaderLength() throws {
        for size in [0, 1, 7] {
            let (error, path) = try openError(Data(repeating: 0x20, count: size))
            XCTAssertEqual(error, .truncated(file: path, size: size))
        }
    }

    func testHeaderLengthTooLargeOrPastTheEnd() throws {
        var (error, path) = try openError(rawSafetensors(header: "{}", data: [], headerLength: 100_000_001))
        XCTAssertEqual(error, .headerTooLarge(file: path, headerLength: 100_000_001, limit: 100_000_000))
        (error, path) = try openError(rawSafetensors(header: "{}", data: [], headerLength: .max))
        XCTAssertEqual(error, .headerTooLarge(file: path, headerLength: .max, limit: 100_000_000))
        (error, path) = try openError(rawSafetensors(header: "{}", data: [], headerLength: 3))
        XCTAssertEqual(error, .headerExceedsFile(file: path, headerLength: 3, fileSize: 10))
    }

    func testMalformedJSON() throws {
        let headers = [
            "{not json",
            "[1, 2]",
            "",
            "{\"x\": 5}",
            #"{"x":{"shape":[2],"data_offsets":[0,8]}}"#,                 // no dtype
            #"{"x":{"dtype":"F32","data_offsets":[0,8]}}"#,               // no shape
            #"{"x":{"dtype":"F32","shape":[2]}}"#,                        // no offsets
            single(shape: "[2.5]"),
            single(shape: "\"2\""),
            single(offsets: "[0,8,16]"),
            single(offsets: "[0]"),
            single(offsets: "[0,99999999999999999999999]"),
            #"{"__metadata__":{"a":1}}"#,                                 // metadata values must be strings
            #"{"__metadata__":"text"}"#,
        ]
        for header in headers {
            let data = header.contains("[0,8") ? eightBytes : []
            let (error, path) = try openError(rawSafetensors(header: header, data: data))
            guard case .malformedHeader(let file, let detail) = error else {
                XCTFail("\(header): \(error)")
                continue
            }
            XCTAssertEqual(file, path)
            XCTAssertFalse(detail.isEmpty)
        }
        // Bytes that are not UTF-8.
        var bytes = rawSafetensors(header: "{\"\u{1}\":1}", data: [])
        bytes[9] = 0xFF
        let (error, _) = try openError(bytes)
        guard case .malformedHeader = error else { return XCTFail("\(error)") }
    }

    func testUnknownDType() throws {
        let (error, path) = try openError(rawSafetensors(header: single("F7"), data: eightBytes))
        XCTAssertEqual(error, .unknownDType(file: path, tensor: "x", dtype: "F7"))
        XCTAssertTrue(error.description.contains("BF16"), "lists the supported dtypes")
    }

    func testInvalidShapes() throws {
        var (error, path) = try openError(rawSafetensors(header: single(shape: "[-1, -8]"), data: eightBytes))
        XCTAssertEqual(error, .invalidShape(file: path, tensor: "x", shape: [-1, -8]))
        (error, path) = try openError(rawSafetensors(header: single(shape: "[\(Int.max), 2]"), data: eightBytes))
        XCTAssertEqual(error, .invalidShape(file: path, tensor: "x", shape: [Int.max, 2]))
        (error, path) = try openError(rawSafetensors(header: single(shape: "[\(Int.max / 2)]"), data: eightBytes))
        XCTAssertEqual(error, .invalidShape(file: path, tensor: "x", shape: [Int.max / 2]), "bytes overflow")
    }

    func testOffsetsOutOfRange() throws {
        var (error, path) = try openError(rawSafetensors(header: single(offsets: "[0,12]"), data: eightBytes))
        XCTAssertEqual(error, .offsetsOutOfRange(file: path, tensor: "x", begin: 0, end: 12, dataSize: 8))
        (error, path) = try openError(rawSafetensors(header: single(offsets: "[8,0]"), data: eightBytes))
        XCTAssertEqual(error, .offsetsOutOfRange(file: path, tensor: "x", begin: 8, end: 0, dataSize: 8))
        (error, path) = try openError(rawSafetensors(header: single(offsets: "[-4,4]"), data: eightBytes))
        XCTAssertEqual(error, .offsetsOutOfRange(file: path, tensor: "x", begin: -4, end: 4, dataSize: 8))
    }

    func testSizeNotMatchingShapeAndDType() throws {
        var (error, path) = try openError(rawSafetensors(header: single(shape: "[3]"), data: eightBytes))
        XCTAssertEqual(error, .sizeMismatch(file: path, tensor: "x", expectedBytes: 12, actualBytes: 8))
        (error, path) = try openError(rawSafetensors(header: single("F16"), data: eightBytes))
        XCTAssertEqual(error, .sizeMismatch(file: path, tensor: "x", expectedBytes: 4, actualBytes: 8))
    }

    func testOverlapGapsAndTrailingBytes() throws {
        let twelve = [UInt8](repeating: 0, count: 12)
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        var (error, path) = try openError(rawSafetensors(header: overlap, data: twelve))
        XCTAssertEqual(error, .overlappingTensors(file: path, first: "a", second: "b"))

        let same = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        (error, path) = try openError(rawSafetensors(header: same, data: eightBytes))
        XCTAssertEqual(error, .overlappingTensors(file: path, first: "a", second: "b"))

        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        (error, path) = try openError(rawSafetensors(header: gap, data: twelve))
        XCTAssertEqual(error, .uncoveredData(file: path, begin: 4, end: 8))

        let late = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        (error, path) = try openError(rawSafetensors(header: late, data: eightBytes))
        XCTAssertEqual(error, .uncoveredData(file: path, begin: 0, end: 4))

        (error, path) = try openError(rawSafetensors(header: single(shape: "[1]", offsets: "[0,4]"), data: eightBytes))
        XCTAssertEqual(error, .uncoveredData(file: path, begin: 4, end: 8), "trailing bytes")

        (error, path) = try openError(rawSafetensors(header: "{}", data: [1, 2]))
        XCTAssertEqual(error, .uncoveredData(file: path, begin: 0, end: 2), "data without tensors")
    }

    func testDuplicateNameIsRejected() throws {
        // JSON decoders keep one of two equal keys; either way the other range is then uncovered.
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let (error, path) = try openError(rawSafetensors(header: header, data: eightBytes))
        switch error {
        case .malformedHeader, .uncoveredData: XCTAssertTrue(error.description.contains(path))
        default: XCTFail("\(error)")
        }
    }

    /// A real checkpoint cut short at several points always fails cleanly.
    func testTruncatedRealCheckpoint() throws {
        let whole = try Data(contentsOf: SharedFixtures.backbone("tiny-gpt2").appendingPathComponent("model.safetensors"))
        for cut in [4, 8, 100, 2000, 8 + 2624, whole.count / 2, whole.count - 1] {
            let (error, path) = try openError(whole.prefix(cut))
            switch error {
            case .truncated, .headerExceedsFile, .offsetsOutOfRange:
                XCTAssertTrue(error.description.contains(path))
            default:
                XCTFail("cut at \(cut): unexpected \(error)")
            }
        }
        // One byte too many is trailing data.
        let (error, path) = try openError(whole + [0])
        XCTAssertEqual(error, .uncoveredData(file: path, begin: whole.count - 8 - 2624, end: whole.count - 8 - 2624 + 1))
    }
}
