// Safetensors round trips, the layout of written files, and dtype decoding against hand-computed bit patterns.
import Foundation
import TSFCTensor
import XCTest
import TSFCTestSupport

final class SafetensorsTests: XCTestCase {
    // MARK: Round trip

    func testRoundTripPreservesShapesValuesAndMetadata() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        var rng = SeededGenerator(seed: 7)
        let special: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                .greatestFiniteMagnitude, -1.5, 0x1p-130, 3.14159265]
        let tensors: [String: Tensor] = [
            "weights": Tensor.randomNormal([3, 4, 5], using: &rng),
            "bias": Tensor.randomUniform([7], low: -2, high: 2, using: &rng),
            "scalar": Tensor(42.5),
            "empty": Tensor(shape: [0], scalars: []),
            "empty.inner": Tensor(shape: [2, 0, 3], scalars: []),
            "special/values": Tensor(shape: [2, 5], scalars: special),
        ]
        let metadata = ["format": "pt", "note": "quotes \" and \\ and unicode ✓ and / slash", "": "empty key"]
        let url = dir.appendingPathComponent("model.safetensors")
        try Safetensors.write(tensors, to: url, metadata: metadata)

        let back = try Safetensors.read(contentsOf: url)
        XCTAssertEqual(Set(back.keys), Set(tensors.keys))
        for (name, tensor) in tensors {
            let read = try XCTUnwrap(back[name])
            XCTAssertEqual(read.shape, tensor.shape, name)
            // Bit-for-bit, so -0, NaN and subnormals count.
            XCTAssertEqual(read.scalars.map(\.bitPattern), tensor.scalars.map(\.bitPattern), name)
        }
        XCTAssertEqual(try Safetensors.readMetadata(contentsOf: url), metadata)

        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.names, tensors.keys.sorted())
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(try file.shape(of: "scalar"), [])
        XCTAssertEqual(try file.dtype(of: "weights"), .float32)
        XCTAssertEqual(try file.tensor(named: "scalar").item, 42.5)
        XCTAssertTrue(file.contains("bias"))
        XCTAssertFalse(file.contains("missing"))
    }

    func testWriteWithoutMetadataAndEmptyFile() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let url = dir.appendingPathComponent("none.safetensors")
        try Safetensors.write([:], to: url, metadata: [:])
        XCTAssertEqual(try Safetensors.read(contentsOf: url).count, 0)
        XCTAssertEqual(try Safetensors.readMetadata(contentsOf: url), [:])
        // An empty header "{}" padded to 8 bytes: 8 + 8 bytes in all.
        XCTAssertEqual(try Data(contentsOf: url).count, 16)

        try Safetensors.write(["x": Tensor([1, 2])], to: url, metadata: [:])
        XCTAssertEqual(try Safetensors.read(contentsOf: url)["x"]?.scalars, [1, 2], "overwrites the old file")
    }

    /// Parses a written file with Foundation alone and checks the layout the format prescribes.
    func testWrittenFileIsReadableByAnIndependentParser() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let tensors: [String: Tensor] = [
            "b": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
            "a": Tensor(shape: [1], scalars: [-7.25]),
            "c": Tensor(0.5),
            "d": Tensor(shape: [0, 4], scalars: []),
        ]
        let url = dir.appendingPathComponent("layout.safetensors")
        try Safetensors.write(tensors, to: url, metadata: ["k": "v"])

        let bytes = try Data(contentsOf: url)
        var n: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &n) { bytes.prefix(8).copyBytes(to: $0) }
        let headerLength = Int(UInt64(littleEndian: n))
        XCTAssertEqual(headerLength % 8, 0, "header padded to a multiple of 8")
        let headerBytes = bytes.subdata(in: 8..<(8 + headerLength))
        let text = try XCTUnwrap(String(data: headerBytes, encoding: .utf8))
        XCTAssertTrue(text.hasPrefix("{"))
        let trimmed = text.trimmingCharacters(in: .init(charactersIn: " "))
        XCTAssertTrue(trimmed.hasSuffix("}"), "only spaces after the JSON object")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: headerBytes) as? [String: Any])
        XCTAssertEqual(json["__metadata__"] as? [String: String], ["k": "v"])

        let data = bytes.subdata(in: (8 + headerLength)..<bytes.count)
        var expectedBegin = 0
        for name in ["a", "b", "c", "d"] {  // sorted names, contiguous offsets
            let entry = try XCTUnwrap(json[name] as? [String: Any], name)
            XCTAssertEqual(entry["dtype"] as? String, "F32")
            XCTAssertEqual(entry["shape"] as? [Int], tensors[name]!.shape)
            let offsets = try XCTUnwrap(entry["data_offsets"] as? [Int])
            XCTAssertEqual(offsets, [expectedBegin, expectedBegin + 4 * tensors[name]!.count], name)
            // Decode the F32 values by hand from the data buffer.
            var values: [Float] = []
            var i = offsets[0]
            while i < offsets[1] {
                let word = data[data.startIndex + i..<data.startIndex + i + 4].enumerated()
                    .reduce(UInt32(0)) { $0 | (UInt32($1.element) << (8 * UInt32($1.offset))) }
                values.append(Float(bitPattern: word))
                i += 4
            }
            XCTAssertEqual(values, tensors[name]!.scalars, name)
            expectedBegin = offsets[1]
        }
        XCTAssertEqual(expectedBegin, data.count, "the data buffer holds exactly the tensors")
    }

    func testWriteLeavesNoTemporaryFilesBehind() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let url = dir.appendingPathComponent("w.safetensors")
        for i in 0..<3 { try Safetensors.write(["t": Tensor(Float(i))], to: url, metadata: [:]) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["w.safetensors"])
        XCTAssertEqual(try Safetensors.read(contentsOf: url)["t"]?.item, 2)
    }

    func testFailedWriteLeavesDestinationAndDirectoryUntouched() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        // The destination is a non-empty directory: the data is written, but the final rename fails.
        let blocker = dir.appendingPathComponent("taken.safetensors")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try Data([1]).write(to: blocker.appendingPathComponent("inside"))
        XCTAssertThrowsError(try Safetensors.write(["t": Tensor([1, 2, 3])], to: blocker, metadata: [:])) { error in
            guard case SafetensorsError.writeFailed(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, blocker.path)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["taken.safetensors"])

        // A missing parent directory fails before anything is created.
        let nowhere = dir.appendingPathComponent("no/such/dir/x.safetensors")
        XCTAssertThrowsError(try Safetensors.write(["t": Tensor(1)], to: nowhere, metadata: [:])) { error in
            guard case SafetensorsError.writeFailed = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains(nowhere.path))
        }
    }

    func testWriterRejectsReservedAndEmptyNames() throws {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let url = dir.appendingPathComponent("bad.safetensors")
        for name in ["__metadata__", ""] {
            XCTAssertThrowsError(try Safetensors.write([name: Tensor(1)], to: url, metadata: [:])) { error in
                XCTAssertEqual(error as? SafetensorsError, .invalidTensorName(file: url.path, tensor: name))
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    // MARK: Decoding of stored dtypes

    /// Reads a one-tensor file holding `data` as `dtype` with the given shape.
    private func readSingle(dtype: String, shape: [Int], data: [UInt8]) throws -> (Tensor, SafetensorsFile) {
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let header = #"{"x":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[0,\#(data.count)]}}"#
        let url = try writeFile(rawSafetensors(header: header, data: data), named: "x.safetensors", in: dir)
        let file = try SafetensorsFile(contentsOf: url)
        return (try file.tensor(named: "x"), file)
    }

    func testFloat16DecodesHandComputedBitPatterns() throws {
        let cases: [(UInt16, Float)] = [
            (0x3C00, 1.0), (0xC000, -2.0), (0x3800, 0.5), (0x7BFF, 65504.0),
            (0x0001, 0x1p-24),                   // smallest subnormal
            (0x03FF, 1023 * 0x1p-24),            // largest subnormal
            (0x8001, -0x1p-24),
            (0x0400, 0x1p-14),                   // smallest normal
            (0x3555, 0.333251953125),            // 1365/4096
            (0x4248, 3.140625),
            (0x0000, 0.0), (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        let (tensor, file) = try readSingle(dtype: "F16", shape: [cases.count], data: littleEndianBytes(cases.map(\.0)))
        XCTAssertEqual(try file.dtype(of: "x"), .float16)
        for (i, (bits, expected)) in cases.enumerated() {
            XCTAssertEqual(tensor.scalars[i].bitPattern, expected.bitPattern, String(bits, radix: 16))
        }
        // Negative zero keeps its sign; NaNs stay NaN.
        let (signed, _) = try readSingle(dtype: "F16", shape: [3], data: littleEndianBytes([UInt16(0x8000), 0x7E00, 0xFD01]))
        XCTAssertEqual(signed.scalars[0].bitPattern, (-Float(0)).bitPattern)
        XCTAssertTrue(signed.scalars[1].isNaN)
        XCTAssertTrue(signed.scalars[2].isNaN)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every one of the 65536 half-precision bit patterns against Swift's own `Float16` widening.
    func testFloat16ExhaustivelyMatchesSwiftFloat16() throws {
        let all = (0...UInt16.max).map { $0 }
        let (tensor, _) = try readSingle(dtype: "F16", shape: [256, 256], data: littleEndianBytes(all))
        XCTAssertEqual(tensor.shape, [256, 256])
        var mismatches = 0
        for (i, bits) in all.enumerated() {
            let reference = Float(Float16(bitPattern: bits))
            let got = tensor.scalars[i]
            if reference.isNaN ? !got.isNaN : got.bitPattern != reference.bitPattern { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
    }
    #endif

    func testBFloat16DecodesHandComputedBitPatterns() throws {
        let cases: [(UInt16, Float)] = [
            (0x3F80, 1.0), (0xC000, -2.0), (0x4049, 3.140625), (0x3F00, 0.5),
            (0x7F7F, 0x1.FEp127),                // largest finite
            (0x0001, 0x1p-133),                  // smallest subnormal
            (0x0080, 0x1p-126),                  // smallest normal
            (0x8000, -0.0), (0x7F80, .infinity), (0xFF80, -.infinity),
        ]
        let (tensor, file) = try readSingle(dtype: "BF16", shape: [2, cases.count / 2], data: littleEndianBytes(cases.map(\.0)))
        XCTAssertEqual(try file.dtype(of: "x"), .bfloat16)
        XCTAssertEqual(tensor.shape, [2, cases.count / 2])
        for (i, (bits, expected)) in cases.enumerated() {
            XCTAssertEqual(tensor.scalars[i].bitPattern, expected.bitPattern, String(bits, radix: 16))
        }
        let (nan, _) = try readSingle(dtype: "BF16", shape: [], data: littleEndianBytes([UInt16(0x7FC0)]))
        XCTAssertTrue(nan.item.isNaN)
    }

    func testFloat8DecodesHandComputedBitPatterns() throws {
        // E4M3 (fn): bias 7, no infinities, S.1111.111 is NaN.
        let e4m3: [(UInt8, Float)] = [
            (0x38, 1.0), (0xB8, -1.0), (0x7E, 448.0), (0x78, 256.0), (0x01, 0x1p-9), (0x07, 7 * 0x1p-9),
            (0x08, 0x1p-6), (0x44, 3.0), (0x00, 0.0), (0x80, -0.0),
        ]
        let (a, fileA) = try readSingle(dtype: "F8_E4M3", shape: [e4m3.count], data: e4m3.map(\.0))
        XCTAssertEqual(try fileA.dtype(of: "x"), .float8E4M3)
        XCTAssertEqual(a.scalars.map(\.bitPattern), e4m3.map(\.1.bitPattern))
        let (nanA, _) = try readSingle(dtype: "F8_E4M3", shape: [2], data: [0x7F, 0xFF])
        XCTAssertTrue(nanA.scalars.allSatisfy(\.isNaN))

        // E5M2: bias 15, IEEE-style infinities and NaNs.
        let e5m2: [(UInt8, Float)] = [
            (0x3C, 1.0), (0xC0, -2.0), (0x7B, 57344.0), (0x01, 0x1p-16), (0x04, 0x1p-14),
            (0x7C, .infinity), (0xFC, -.infinity), (0x80, -0.0),
        ]
        let (b, _) = try readSingle(dtype: "F8_E5M2", shape: [e5m2.count], data: e5m2.map(\.0))
        XCTAssertEqual(b.scalars.map(\.bitPattern), e5m2.map(\.1.bitPattern))
        let (nanB, _) = try readSingle(dtype: "F8_E5M2", shape: [], data: [0x7E])
        XCTAssertTrue(nanB.item.isNaN)
    }

    func testFloat64AndIntegerTensorsConvertToFloat() throws {
        let doubles: [Double] = [1.0, -2.5, 1e300, 0.1, -0.0]
        let (f64, _) = try readSingle(dtype: "F64", shape: [5], data: littleEndianBytes(doubles.map(\.bitPattern)))
        XCTAssertEqual(f64.scalars.map(\.bitPattern), [1.0, -2.5, Float.infinity, Float(0.1), -0.0].map(\.bitPattern))

        let ids: [Int64] = [0, 101, -5, 16_777_217]
        let (i64, file) = try readSingle(dtype: "I64", shape: [2, 2], data: littleEndianBytes(ids))
        XCTAssertEqual(i64.scalars, [0, 101, -5, 16_777_216])  // 2^24 + 1 rounds to even in Float
        let exact = try file.tensorInt64(named: "x")
        XCTAssertEqual(exact.shape, [2, 2])
        XCTAssertEqual(exact.values, ids)

        let (i32, file32) = try readSingle(dtype: "I32", shape: [3], data: littleEndianBytes([Int32(-7), 0, Int32.max]))
        XCTAssertEqual(i32.scalars, [-7, 0, 2_147_483_648])
        XCTAssertEqual(try file32.tensorInt64(named: "x").values, [-7, 0, 2_147_483_647])

        let (u8, _) = try readSingle(dtype: "U8", shape: [3], data: [0, 128, 255])
        XCTAssertEqual(u8.scalars, [0, 128, 255])
        let (i8, _) = try readSingle(dtype: "I8", shape: [2], data: [0xFF, 0x80])
        XCTAssertEqual(i8.scalars, [-1, -128])
        let (flags, fileBool) = try readSingle(dtype: "BOOL", shape: [3], data: [1, 0, 1])
        XCTAssertEqual(flags.scalars, [1, 0, 1])
        XCTAssertEqual(try fileBool.tensorInt64(named: "x").values, [1, 0, 1])

        let (_, fileU64) = try readSingle(dtype: "U64", shape: [1], data: littleEndianBytes([UInt64.max]))
        XCTAssertThrowsError(try fileU64.tensorInt64(named: "x")) { error in
            XCTAssertEqual(error as? SafetensorsError, .integerOutOfRange(file: fileU64.url.path, tensor: "x", value: .max))
        }
    }

    func testIntegerReadOfFloatTensorThrows() throws {
        let (_, file) = try readSingle(dtype: "F32", shape: [1], data: littleEndianBytes([Float(1).bitPattern]))
        XCTAssertThrowsError(try file.tensorInt64(named: "x")) { error in
            XCTAssertEqual(error as? SafetensorsError, .notAnIntegerTensor(file: file.url.path, tensor: "x", dtype: "F32"))
        }
        XCTAssertThrowsError(try file.tensor(named: "y")) { error in
            XCTAssertEqual(error as? SafetensorsError, .tensorNotFound(file: file.url.path, tensor: "y"))
        }
        XCTAssertThrowsError(try file.shape(of: "y"))
    }

    func testUnalignedDataIsReadCorrectly() throws {
        // A 3-byte header puts the data buffer at an odd file offset.
        let dir = try makeTemporaryDirectory("tsfc-safetensors", removedAfter: self)
        let header = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let padded = header + ((8 + header.utf8.count) % 2 == 0 ? " " : "")
        XCTAssertEqual((8 + padded.utf8.count) % 2, 1)
        let url = try writeFile(
            rawSafetensors(header: padded, data: littleEndianBytes([Float(1.5).bitPattern, Float(-3).bitPattern])),
            named: "odd.safetensors", in: dir)
        XCTAssertEqual(try Safetensors.read(contentsOf: url)["x"]?.scalars, [1.5, -3])
    }
}
