import Foundation
import XCTest
@testable import TSFCBackbone

/// The tokenizer against ids and tokens produced by Hugging Face `tokenizers` (golden.json).
final class BPETokenizerGoldenTests: XCTestCase {
    func testTokenizerJSONReproducesGoldenIDsAndTokens() throws {
        try checkGolden(BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON))
    }

    func testVocabAndMergesReproduceGoldenIDsAndTokens() throws {
        try checkGolden(BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges))
    }

    private func checkGolden(_ tokenizer: BPETokenizer, file: StaticString = #filePath, line: UInt = #line) throws {
        let cases = try TokenizerFixtures.goldenCases()
        XCTAssertEqual(cases.count, 6, file: file, line: line)
        for golden in cases {
            XCTAssertEqual(tokenizer.encode(golden.text), golden.ids, "ids of \(golden.text.debugDescription)", file: file, line: line)
            XCTAssertEqual(tokenizer.tokens(for: golden.text), golden.tokens, "tokens of \(golden.text.debugDescription)", file: file, line: line)
            XCTAssertEqual(tokenizer.decode(golden.ids), golden.text, file: file, line: line)
            for (id, token) in zip(golden.ids, golden.tokens) {
                XCTAssertEqual(tokenizer.id(for: token), id, file: file, line: line)
                XCTAssertEqual(tokenizer.token(for: id), token, file: file, line: line)
            }
        }
    }

    func testBothLoadersAgreeOnVocabularyAndMerges() throws {
        let fromJSON = try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON)
        let fromPair = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges)
        XCTAssertEqual(fromJSON.vocabularySize, 600)
        XCTAssertEqual(fromPair.vocabularySize, 600)
        XCTAssertEqual(fromJSON.mergeCount, 343)
        XCTAssertEqual(fromPair.mergeCount, 343)
        for id in 0..<600 {
            XCTAssertEqual(fromJSON.token(for: id), fromPair.token(for: id))
        }
        XCTAssertFalse(fromJSON.addPrefixSpace)
        XCTAssertTrue(fromJSON.usesRegex)
    }

    func testRoundTripOfGoldenAndExtraStrings() throws {
        let tokenizers = [
            try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON),
            try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges),
        ]
        var strings = try TokenizerFixtures.goldenCases().map(\.text)
        strings += [
            "", " ", "   ", "\t", "\n", "\r\n", " \n \t  x  ", "trailing spaces   ",
            "Ünïcödé Ελληνικά русский 中文字符 日本語 한국어 العربية",
            "emoji 📈📉🔥 family 👨‍👩‍👧 flag 🇫🇷 skin 👍🏽",
            "combining e\u{301} vs é, zero width\u{200B}joiner, nbsp\u{00A0}here, ideographic\u{3000}space",
            "I'm sure they'll say it's what we'd've done, don't you think? 'S 'RE",
            "numbers 1234567890 ½ Ⅻ ٣ 1.5e-3 -42",
            "tabs\t\tand\n\n\nnewlines \t\n mixed",
            "control \u{0} \u{1} \u{7F} bytes",
            "2016-07-01 00:00:00<|endoftext|>next document",
        ]
        for tokenizer in tokenizers {
            for text in strings {
                let ids = tokenizer.encode(text)
                XCTAssertEqual(tokenizer.decode(ids), text, "round trip of \(text.debugDescription)")
                XCTAssertTrue(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.vocabularySize })
                // Every byte of the text is covered: no id vanished.
                XCTAssertEqual(ids.count, tokenizer.tokens(for: text).count)
            }
        }
    }

    func testSpecialTokenIsMatchedLiterallyAndCanBeSkipped() throws {
        for tokenizer in [
            try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON),
            try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges),
        ] {
            let eot = try XCTUnwrap(tokenizer.id(for: "<|endoftext|>"))
            XCTAssertEqual(eot, 0)
            XCTAssertEqual(tokenizer.encode("<|endoftext|>"), [eot])
            let left = "the trend", right = " of input"
            XCTAssertEqual(
                tokenizer.encode(left + "<|endoftext|>" + right),
                tokenizer.encode(left) + [eot] + tokenizer.encode(right))
            let ids = tokenizer.encode("a<|endoftext|><|endoftext|>b")
            XCTAssertEqual(ids.filter { $0 == eot }.count, 2)
            XCTAssertEqual(tokenizer.decode(ids), "a<|endoftext|><|endoftext|>b")
            XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), "ab")
            // An incomplete marker goes through BPE as ordinary text.
            XCTAssertFalse(tokenizer.encode("<|endoftext|").contains(eot))
        }
        // The vocab+merges loader may also be told to treat no token as special.
        let plain = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges, specialTokens: [])
        XCTAssertFalse(plain.encode("<|endoftext|>").contains(0))
        XCTAssertEqual(plain.decode(plain.encode("<|endoftext|>")), "<|endoftext|>")
    }

    func testDecodeSkipsUnknownIDsAndReplacesBrokenUTF8() throws {
        let tokenizer = try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON)
        let ids = tokenizer.encode("ab")
        XCTAssertEqual(tokenizer.decode([-1] + ids + [600, 10_000]), "ab")
        // "Ã" is the byte 0xC3 alone: a truncated two-byte sequence.
        let lead = try XCTUnwrap(tokenizer.id(for: "Ã"))
        XCTAssertEqual(tokenizer.decode([lead]), "\u{FFFD}")
    }
}
