import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// `ignore_merges`, `use_regex` and unknown bytes, on a tiny hand-made tokenizer.json; the
/// expected ids are what Hugging Face `tokenizers` 0.23.3 gives for the same file.
final class ModelOptionTests: XCTestCase {
    private func tiny(ignoreMerges: Bool, useRegex: Bool) throws -> BPETokenizer {
        let json = """
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
         "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": \(useRegex)},
         "post_processor": null,
         "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                   "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
                   "ignore_merges": \(ignoreMerges),
                   "vocab": {"a": 0, "b": 1, "c": 2, "Ġ": 3, "bc": 4, "abc": 5, "bĠ": 6, "ab": 7},
                   "merges": [["b", "c"], "b Ġ"]}}
        """
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        return try BPETokenizer(tokenizerJSON: writeFile(json, named: "tokenizer.json", in: directory))
    }

    func testOptionsMatchHuggingFace() throws {
        let texts = ["abc", "ab c", "abcx"]
        let plain = try tiny(ignoreMerges: false, useRegex: true)
        XCTAssertEqual(texts.map(plain.encode), [[0, 4], [0, 1, 3, 2], [0, 4]])
        // ignore_merges: a word that is itself in the vocabulary is one token.
        let whole = try tiny(ignoreMerges: true, useRegex: true)
        XCTAssertEqual(texts.map(whole.encode), [[5], [7, 3, 2], [0, 4]])
        // use_regex false: no pre-tokenisation, so merges may cross the space.
        let noRegex = try tiny(ignoreMerges: false, useRegex: false)
        XCTAssertEqual(texts.map(noRegex.encode), [[0, 4], [0, 6, 2], [0, 4]])
        // "x" is not in the vocabulary and there is no unknown token: it is dropped, so the
        // round trip loses it (the fixture tokenizers cover every byte, so this never happens
        // with them).
        XCTAssertEqual(plain.decode(plain.encode("abcx")), "abc")
    }
}
