import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTensor

/// The hand-written GPT-2 pre-tokenizer against the regular expression it replaces.
final class PreTokenizerTests: XCTestCase {
    /// Expected splits worked out from the regex (and confirmed with Python's `regex` module).
    func testKnownSplits() {
        let cases: [(String, [String])] = [
            ("Hello  world", ["Hello", " ", " world"]),
            ("I'm don't   x ", ["I", "'m", " don", "'t", "  ", " x", " "]),
            ("a\t\tb\n\nc", ["a", "\t", "\t", "b", "\n", "\n", "c"]),
            ("x1.5e3 ünï 📈📈!!", ["x", "1", ".", "5", "e", "3", " ünï", " 📈📈!!"]),
            ("  ", ["  "]),
            ("it'S 'll'd'", ["it", "'", "S", " '", "ll", "'d", "'"]),
            ("\u{00A0}a\u{3000}b", ["\u{00A0}", "a", "\u{3000}", "b"]),
            ("", []),
            ("we're they've you'll", ["we", "'re", " they", "'ve", " you", "'ll"]),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(GPT2PreTokenizer.split(text), expected, "split of \(text.debugDescription)")
        }
    }

    /// Swift's own regex engine, on Unicode scalars, is an independent oracle for the scanner.
    func testAgreesWithSwiftRegexOnRandomText() throws {
        let pattern = try Regex(#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#)
            .matchingSemantics(.unicodeScalar)
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", "é", "ß", "中", "ж", "0", "7", "½", "٣", "'", "s", "t", "r", "e", "v", "l", "m",
            "d", " ", " ", " ", "\t", "\n", "\r", "\u{00A0}", "\u{3000}", ".", "-", "!", "📈", "\u{301}",
            "_", "<", "|", ">",
        ]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<400 {
            let length = Int(generator.next() % 24)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let text = String(scalars)
            let expected = text.unicodeScalars.isEmpty ? [] : oracleSplit(text, pattern)
            let actual = GPT2PreTokenizer.split(text)
            XCTAssertEqual(actual, expected, "split of \(text.debugDescription)")
            XCTAssertEqual(actual.joined(), text)
        }
    }

    private func oracleSplit(_ text: String, _ pattern: Regex<AnyRegexOutput>) -> [String] {
        var pieces: [String] = []
        var position = text.unicodeScalars.startIndex
        let end = text.unicodeScalars.endIndex
        while position < end {
            guard let match = text[position...].prefixMatch(of: pattern) else {
                XCTFail("regex found no match in \(text.debugDescription)")
                return pieces
            }
            pieces.append(String(String.UnicodeScalarView(text.unicodeScalars[match.range])))
            position = match.range.upperBound
        }
        return pieces
    }
}
