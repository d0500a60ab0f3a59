import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// The byte alphabet and the merge loop, on hand-checkable inputs.
final class ByteLevelAndMergeTests: XCTestCase {
    func testByteTableMatchesGPT2() {
        let table = ByteLevel.byteToScalar
        XCTAssertEqual(Set(table.map(\.value)).count, 256)
        // Printable bytes stand for themselves.
        for byte in [0x21, 0x41, 0x7E, 0xA1, 0xAC, 0xAE, 0xFF] {
            XCTAssertEqual(table[byte].value, UInt32(byte))
        }
        // The 68 others take 256, 257, … in byte order.
        XCTAssertEqual(table[0x00].value, 256)
        XCTAssertEqual(table[0x0A].value, 0x10A)   // "\n" → Ċ
        XCTAssertEqual(table[0x20].value, 0x120)   // " " → Ġ
        XCTAssertEqual(table[0x7F].value, 0x121)   // DEL follows the 33 bytes 0x00…0x20
        XCTAssertEqual(table[0xAD].value, 256 + 67) // soft hyphen is the last one
        let remapped = (0..<256).filter { table[$0].value >= 256 }
        XCTAssertEqual(remapped.count, 68)
        XCTAssertEqual(remapped.map { Int(table[$0].value) }, Array(256..<324))
        let everyByte = (0...255).map(UInt8.init)
        XCTAssertEqual(ByteLevel.decode(ByteLevel.encode(everyByte)), everyByte)
        XCTAssertNil(ByteLevel.decode("<|ω|>"))
    }

    /// A tiny vocabulary where the merge order decides the result.
    private func tinyTokenizer(merges: String, in directory: URL) throws -> BPETokenizer {
        let vocab = #"{"a":0,"b":1,"c":2,"ab":3,"bc":4,"abc":5,"aa":6,"aaaa":7,"Ġ":8,"Ġa":9}"#
        return try BPETokenizer(
            vocab: writeFile(vocab, named: "vocab.json", in: directory),
            merges: writeFile(merges, named: "merges.txt", in: directory))
    }

    func testMergesApplyByRankNotByPosition() throws {
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        // "b c" outranks "a b": abc → a + bc, and then only a rule "a bc" could join them.
        let bcFirst = try tinyTokenizer(merges: "#version: 0.2\nb c\na b\n", in: directory)
        XCTAssertEqual(bcFirst.tokens(for: "abc"), ["a", "bc"])
        let abFirst = try tinyTokenizer(merges: "a b\nb c\nab c\n", in: directory)
        XCTAssertEqual(abFirst.tokens(for: "abc"), ["abc"])
        XCTAssertEqual(abFirst.encode("abc"), [5])
        // Repeated pairs merge left to right, then the merged pairs merge again.
        let repeats = try tinyTokenizer(merges: "a a\naa aa\n", in: directory)
        XCTAssertEqual(repeats.tokens(for: "aaaaa"), ["aaaa", "a"])
        XCTAssertEqual(repeats.tokens(for: "aaa"), ["aa", "a"])
        // Words are encoded separately: no merge across the pre-tokenizer's boundaries.
        let spaced = try tinyTokenizer(merges: "Ġ a\na b\n", in: directory)
        XCTAssertEqual(spaced.tokens(for: "ab ab"), ["ab", "Ġa", "b"])
        // Windows line endings in merges.txt are accepted.
        let crlf = try tinyTokenizer(merges: "#version: 0.2\r\na b\r\nb c\r\n", in: directory)
        XCTAssertEqual(crlf.tokens(for: "abc"), ["ab", "c"])
    }

    func testCacheDoesNotChangeResults() throws {
        let tokenizer = try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON)
        let text = "the trend of input is upward, the trend of input is downward"
        let first = tokenizer.encode(text)
        XCTAssertEqual(tokenizer.encode(text), first)
        // The same word in a fresh tokenizer (empty cache) gives the same ids.
        let fresh = try BPETokenizer(tokenizerJSON: TokenizerFixtures.tokenizerJSON)
        XCTAssertEqual(fresh.encode(" trend"), tokenizer.encode(" trend"))
        XCTAssertEqual(first.count, tokenizer.tokens(for: text).count)
    }
}
