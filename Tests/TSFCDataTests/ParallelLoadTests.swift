// The multi-threaded path for large files must give exactly the sequential result, and fall
// back to the sequential reader (exact lines) whenever a range is not clean.
import Foundation
import XCTest
@testable import TSFCData

final class ParallelLoadTests: XCTestCase {
    override func setUp() { ParallelCSVLoader.threshold = 1 << 10; ParallelCSVLoader.forcedRanges = 3 }
    override func tearDown() { ParallelCSVLoader.threshold = 32 << 20; ParallelCSVLoader.forcedRanges = nil }

    func text(rows: Int, edit: (Int, inout String) -> Void = { _, _ in }) -> String {
        var rng = SeededGeneratorForTests(seed: 17)
        var out = "date,a,b,c\n"
        for r in 0..<rows {
            let v = (0..<3).map { _ in Float(Int(rng.next() % 200_001) - 100_000) / 1000 }
            var line = "\(Timestamp.format(1_500_000_000 + Int64(r) * 600)),\(v[0]),\(v[1]),\(v[2])"
            edit(r, &line)
            out += line + "\n"
        }
        return out
    }

    func both(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> (TimeSeriesFrame?, TimeSeriesFrame) {
        let url = TestFiles.write(text)
        let parallel = try ParallelCSVLoader.load(path: url.path, options: options, delimiter: nil)
        ParallelCSVLoader.threshold = Int.max
        defer { ParallelCSVLoader.threshold = 1 << 10 }
        return (parallel, try CSVSource(url: url, options: options).load())
    }

    func testCleanFileMatchesSequential() throws {
        let (parallel, sequential) = try both(text(rows: 20_000))
        let frame = try XCTUnwrap(parallel, "a clean file takes the parallel path")
        XCTAssertTrue(frame == sequential, "the parallel frame differs from the sequential one")
        XCTAssertEqual(frame.rowCount, 20_000)
        // Through the public entry point (which takes the parallel path above the threshold).
        let viaSource = try CSVSource(url: TestFiles.write(text(rows: 20_000))).load()
        XCTAssertTrue(viaSource.values == sequential.values && viaSource.timestamps == sequential.timestamps)
    }

    func testUncleanRangesFallBackToSequential() throws {
        // A quoted cell, a missing cell and a ragged row late in the file.
        let withQuote = text(rows: 20_000) { r, line in
            if r == 15_000 { let parts = line.split(separator: ","); line = "\(parts[0]),\"\(parts[1])\",\(parts[2]),\(parts[3])" }
        }
        let (p1, s1) = try both(withQuote)
        XCTAssertNil(p1)
        XCTAssertEqual(s1.rowCount, 20_000)
        let withMissing = text(rows: 20_000) { r, line in if r == 17_000 { let parts = line.split(separator: ","); line = "\(parts[0]),,\(parts[2]),\(parts[3])" } }
        let (p2, s2) = try both(withMissing, CSVOptions(missingValues: .forwardFill))
        XCTAssertNil(p2)
        XCTAssertEqual(s2.missingValues.total, 1)
        XCTAssertEqual(s2.missingValues.firstLocations.first?.line, 17_002)
        let withError = text(rows: 20_000) { r, line in if r == 18_000 { line += ",9" } }
        guard case let .raggedRow(location, 4, 5) = expectDataError({ try CSVSource(url: TestFiles.write(withError)).load() }) else { return XCTFail() }
        XCTAssertEqual(location.line, 18_002)
    }
}
