import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// The tokenizer fixture files (shared through TSFCTestSupport) and their golden cases.
enum TokenizerFixtures {
    static var directory: URL { SharedFixtures.tokenizer }
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
}
