// Issue 19: the parts of a panel that MPI ranks read — byte ranges of a long-layout CSV cut at
// series boundaries, HDF5 column hyperslabs, balanced splits — put back together in rank order
// give exactly the panel one process reads.
import Foundation
import XCTest
@testable import TSFCData
import TSFCDistributed
import TSFCTestSupport

final class PanelShardTests: XCTestCase {
    /// A long-layout file of `count` contiguous series of lengths 3…(3 + 7·count).
    static func longFile(count: Int) -> String {
        var text = "unique_id,ds,y\n"
        for s in 0..<count {
            for t in 0..<(3 + (s * 7) % 40) {
                text += "id\(s),20\(10 + t / 12)-\(String(format: "%02d", t % 12 + 1))-01,\(Double(s * 100 + t) / 4)\n"
            }
        }
        return text
    }

    func assertSamePanel(_ a: [TimeSeriesFrame], _ b: [TimeSeriesFrame], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.columns, y.columns, file: file, line: line)
            XCTAssertEqual(x.values, y.values, file: file, line: line)
            XCTAssertEqual(x.timestamps, y.timestamps, file: file, line: line)
            XCTAssertEqual(x.timestampPrecision, y.timestampPrecision, file: file, line: line)
        }
    }

    func testByteRangesOfALongFileReassembleThePanel() throws {
        let dir = try makeTemporaryDirectory("tsfc-shard-tests", removedAfter: self)
        let path = try writeFile(Self.longFile(count: 37), named: "long.csv", in: dir).path
        let whole = try DataFile.openPanel(path)
        XCTAssertEqual(whole.count, 37)
        for size in 1...6 {
            var parts: [TimeSeriesFrame] = []
            for rank in 0..<size {
                let shard = try DataFile.openPanelShard(path, rank: rank, size: size)
                XCTAssertEqual(shard.readPartially, size > 1, "size \(size)")
                parts += shard.frames
            }
            assertSamePanel(parts, whole)
        }
    }

    func testACutNeverSplitsASeriesAndErrorsNameTheFilesLine() throws {
        let dir = try makeTemporaryDirectory("tsfc-shard-tests", removedAfter: self)
        // One long series then short ones: the cut near the middle falls inside the long series
        // and moves to its end.
        var text = "unique_id,ds,y\n"
        for t in 0..<200 { text += "big,\(2000 + t),\(t)\n" }
        for s in 0..<3 { for t in 0..<5 { text += "small\(s),\(2000 + t),\(t)\n" } }
        let path = try writeFile(text, named: "skewed.csv", in: dir).path
        let first = try DataFile.openPanelShard(path, rank: 0, size: 2).frames
        let second = try DataFile.openPanelShard(path, rank: 1, size: 2).frames
        XCTAssertEqual(first.flatMap(\.columns), ["big"])
        XCTAssertEqual(second.flatMap(\.columns), ["small0", "small1", "small2"])
        // A bad cell in the second rank's range is reported at the file's own line number.
        let bad = text.replacingOccurrences(of: "small1,2002,2", with: "small1,2002,oops")
        let badPath = try writeFile(bad, named: "bad.csv", in: dir).path
        XCTAssertThrowsError(try DataFile.openPanelShard(badPath, rank: 1, size: 2)) { error in
            let line = 1 + 200 + 5 + 3                     // header, big, small0, small1's third row
            XCTAssertTrue("\(error)".contains("bad.csv:\(line),"), "\(error)")
        }
        XCTAssertThrowsError(try DataFile.openPanel(badPath)) { XCTAssertTrue("\($0)".contains("bad.csv:209,"), "\($0)") }
    }

    func testHDF5ColumnHyperslabsReassembleTheFrame() throws {
        let dir = try makeTemporaryDirectory("tsfc-shard-tests", removedAfter: self)
        let rows = 50, names = (0..<7).map { "ch\($0)" }
        let values = (0..<(rows * names.count)).map { Float($0 % 97) / 3 }
        let frame = TimeSeriesFrame(timestamps: (0..<rows).map { Int64($0) * 3600 }, columns: names, values: values)
        let path = dir.appendingPathComponent("wide.h5").path
        try HDF5Writer.write(frame, to: path)
        let whole = try DataFile.open(path)
        for size in [1, 2, 3, 7, 9] {
            var columns: [String] = [], perRank: [[Float]] = []
            for rank in 0..<size {
                let shard = try DataFile.openPanelShard(path, rank: rank, size: size)
                XCTAssertTrue(shard.readPartially)
                for f in shard.frames {
                    columns += f.columns
                    XCTAssertEqual(f.timestamps, whole.timestamps)
                    perRank.append(f.values)
                }
            }
            XCTAssertEqual(columns, names, "size \(size)")
            // Row-major parts side by side give the whole frame's rows.
            var joined: [Float] = []
            for t in 0..<rows {
                for part in perRank { let w = part.count / rows; joined += part[(t * w)..<((t + 1) * w)] }
            }
            XCTAssertEqual(joined, whole.values, "size \(size)")
        }
    }

    func testBalancedSplitsCoverEverySeriesOnceInOrder() {
        let weights = [5, 1, 1, 40, 2, 2, 2, 9, 0, 3, 30, 1]
        for size in 1...8 {
            let parts = (0..<size).map { Sharding.balancedRange(weights: weights, rank: $0, size: size) }
            XCTAssertEqual(parts.flatMap { Array($0) }, Array(weights.indices), "size \(size)")
            // No rank holds more than its fair share plus the largest single series.
            let total = weights.reduce(0) { $0 + max($1, 1) }
            for p in parts { XCTAssertLessThanOrEqual(p.reduce(0) { $0 + max(weights[$1], 1) }, total / size + 40 + 1) }
        }
        XCTAssertEqual((0..<3).map { Sharding.evenRange(count: 7, rank: $0, size: 3) }, [0..<3, 3..<5, 5..<7])
    }
}
