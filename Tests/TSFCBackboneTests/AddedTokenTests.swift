import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// Added-token options, against ids that Hugging Face `tokenizers` 0.23.3 gave for the same
/// tokenizer.json (the fixture plus the four added tokens below).
final class AddedTokenTests: XCTestCase {
    private func tokenizerWithExtraTokens() throws -> BPETokenizer {
        let data = try Data(contentsOf: TokenizerFixtures.tokenizerJSON)
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var added = try XCTUnwrap(json["added_tokens"] as? [[String: Any]])
        func token(_ id: Int, _ content: String, singleWord: Bool = false, lstrip: Bool = false,
                   rstrip: Bool = false, special: Bool = true) -> [String: Any] {
            ["id": id, "content": content, "single_word": singleWord, "lstrip": lstrip,
             "rstrip": rstrip, "normalized": false, "special": special]
        }
        added += [
            token(600, "<mask>", lstrip: true),
            token(601, "<sep>", rstrip: true),
            token(325, "lag", singleWord: true, special: false),  // "lag" is vocabulary id 325
            token(602, "<mask><sep>"),
        ]
        json["added_tokens"] = added
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        let url = directory.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        return try BPETokenizer(tokenizerJSON: url)
    }

    func testStripSingleWordAndLongestMatchAgreeWithHuggingFace() throws {
        let tokenizer = try tokenizerWithExtraTokens()
        let expected: [(String, [Int])] = [
            ("a  <mask> b", [65, 600, 221, 66]),           // lstrip swallows both spaces
            ("a <sep>  b", [65, 221, 601, 66]),            // rstrip swallows both spaces
            ("lag lags a lag_x (lag)", [325, 394, 221, 65, 355, 63, 88, 221, 8, 325, 9]),
            ("x<mask><sep>y", [88, 602, 89]),              // the longest token wins
            ("x <mask><sep>  y", [88, 221, 602, 221, 221, 89]),
            ("\t<mask>", [600]),
            ("é lag2 lagé ,lag", [128, 103, 355, 18, 355, 128, 103, 221, 12, 325]),
        ]
        for (text, ids) in expected {
            XCTAssertEqual(tokenizer.encode(text), ids, "ids of \(text.debugDescription)")
        }
        // Stripped whitespace is gone for good, as in the reference.
        XCTAssertEqual(tokenizer.decode([65, 600, 221, 66]), "a<mask> b")
        XCTAssertEqual(tokenizer.decode([65, 600, 221, 66], skipSpecialTokens: true), "a b")
        // A non-special added token survives skipSpecialTokens.
        XCTAssertEqual(tokenizer.decode([325, 600], skipSpecialTokens: true), "lag")
        XCTAssertEqual(tokenizer.vocabularySize, 603)
    }
}
