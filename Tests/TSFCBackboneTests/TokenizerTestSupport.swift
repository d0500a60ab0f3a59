import Foundation
import XCTest
@testable import TSFCBackbone

/// Fixture locations and small helpers shared by the tokenizer tests.
enum TokenizerFixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("tokenizer")
    }
    static var tokenizerJSON: URL { directory.appendingPathComponent("tokenizer.json") }
    static var vocab: URL { directory.appendingPathComponent("vocab.json") }
    static var merges: URL { directory.appendingPathComponent("merges.txt") }
    static var golden: URL { directory.appendingPathComponent("golden.json") }

    struct GoldenCase: Decodable {
        var text: String
        var ids: [Int]
        var tokens: [String]
    }

    static func goldenCases() throws -> [GoldenCase] {
        try JSONDecoder().decode([GoldenCase].self, from: Data(contentsOf: golden))
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tsfc-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes `text` to `name` inside `directory`.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
