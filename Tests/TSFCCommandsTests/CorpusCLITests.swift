// `tsfc corpus`: the long-format file it writes reads back as a panel, the same seed writes the
// same bytes, and a mistyped corpus key is refused with its location.
import Foundation
import TSFCTestSupport
import XCTest

final class CorpusCLITests: XCTestCase {
    func testWritesAReadablePanelDeterministically() throws {
        let work = try makeTemporaryDirectory("tsfc-corpus-cli", removedAfter: self)
        let args = ["corpus", "--count", "12", "--seed", "3", "--set", "corpus.weights.real=0", "--set", "corpus.max_length=300"]
        _ = try CLITests.run(args + ["--output", "a.csv"], in: work)
        _ = try CLITests.run(args + ["--output", "b.csv", "--summary"], in: work)
        let a = try String(contentsOf: work.appendingPathComponent("a.csv"), encoding: .utf8)
        XCTAssertEqual(a, try String(contentsOf: work.appendingPathComponent("b.csv"), encoding: .utf8))
        XCTAssertTrue(a.hasPrefix("unique_id,ds,y\ncorpus-0,"))
        let ids = Set(a.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        XCTAssertEqual(ids.count, 12)
        let (other, _) = try CLITests.run(["corpus", "--count", "12", "--seed", "4", "--set", "corpus.weights.real=0", "--output", "c.csv"], in: work)
        XCTAssertTrue(other.contains("wrote 12 series"))
        XCTAssertNotEqual(a, try String(contentsOf: work.appendingPathComponent("c.csv"), encoding: .utf8))
    }

    func testUnknownCorpusKeyIsRefused() throws {
        let work = try makeTemporaryDirectory("tsfc-corpus-cli", removedAfter: self)
        try "corpus:\n  max_lenght: 10\n".write(to: work.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let tsfc = try ProcessRunner.builtExecutable("tsfc")
        let result = try ProcessRunner.run(tsfc, ["corpus", "--config", "c.yaml", "--count", "1"], in: work)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("max_lenght"), result.stderr)
        XCTAssertTrue(result.stderr.contains("c.yaml:2"), result.stderr)
    }
}
