import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// 300 random strings (special tokens, contractions, Unicode, whitespace runs) encoded by
/// Hugging Face `tokenizers` 0.23.3 — see Fixtures/tokenizer-random/README.md.
final class RandomGoldenTests: XCTestCase {
    struct Case: Decodable {
        var text: String
        var ids: [Int]
        var ids_add_prefix_space: [Int]
    }

    private func cases() throws -> [Case] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("tokenizer-random/random_cases.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    func testMatchesHuggingFaceOnRandomStrings() throws {
        let cases = try cases()
        XCTAssertEqual(cases.count, 300)
        let fromJSON = try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON)
        let fromPair = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges)
        for item in cases {
            XCTAssertEqual(fromJSON.encode(item.text), item.ids, "ids of \(item.text.debugDescription)")
            XCTAssertEqual(fromPair.encode(item.text), item.ids, "ids of \(item.text.debugDescription)")
            XCTAssertEqual(fromJSON.decode(item.ids), item.text)
        }
    }

    func testMatchesHuggingFaceWithPrefixSpace() throws {
        let data = try Data(contentsOf: TokenizerFixtures.tokenizerJSON)
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var preTokenizer = try XCTUnwrap(json["pre_tokenizer"] as? [String: Any])
        preTokenizer["add_prefix_space"] = true
        json["pre_tokenizer"] = preTokenizer
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        let url = directory.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let tokenizer = try BPETokenizer(tokenizerJSON: url)
        XCTAssertTrue(tokenizer.addPrefixSpace)
        for item in try cases() {
            XCTAssertEqual(tokenizer.encode(item.text), item.ids_add_prefix_space, "ids of \(item.text.debugDescription)")
        }
    }
}
