import Foundation
import XCTest
@testable import TSFCBackbone
import TSFCTestSupport

/// Bad files give typed errors that name the file and the problem, never a crash.
final class TokenizerErrorTests: XCTestCase {
    private func loadJSON(_ text: String) throws -> BPETokenizer {
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        return try BPETokenizer(tokenizerJSON: writeFile(text, named: "tokenizer.json", in: directory))
    }

    /// The fixture's tokenizer.json as a mutable dictionary.
    private func fixtureJSON() throws -> [String: Any] {
        let data = try Data(contentsOf: TokenizerFixtures.tokenizerJSON)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func loadJSON(_ object: [String: Any]) throws -> BPETokenizer {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try loadJSON(String(decoding: data, as: UTF8.self))
    }

    private func expectError(
        _ expected: (TokenizerError) -> Bool, mentioning words: [String],
        file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
    ) {
        do {
            try body()
            XCTFail("expected a TokenizerError", file: file, line: line)
        } catch let error as TokenizerError {
            XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
            for word in words {
                XCTAssertTrue(error.description.contains(word), "\"\(error)\" lacks \(word)", file: file, line: line)
            }
        } catch {
            XCTFail("expected a TokenizerError, got \(error)", file: file, line: line)
        }
    }

    func testMissingFiles() throws {
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        let missing = directory.appendingPathComponent("nope.json")
        expectError({ if case .unreadableFile = $0 { return true }; return false },
                    mentioning: ["nope.json", "no such file"]) {
            _ = try BPETokenizer(tokenizerJSON: missing)
        }
        expectError({ if case .unreadableFile = $0 { return true }; return false },
                    mentioning: ["missing-merges.txt"]) {
            _ = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: directory.appendingPathComponent("missing-merges.txt"))
        }
        expectError({ if case .unreadableFile = $0 { return true }; return false },
                    mentioning: ["directory"]) {
            _ = try BPETokenizer(tokenizerJSON: directory)
        }
    }

    func testMalformedJSON() throws {
        expectError({ if case .malformedJSON = $0 { return true }; return false },
                    mentioning: ["tokenizer.json", "not valid JSON"]) {
            _ = try self.loadJSON(#"{"model": {"vocab": {"a": 0}, "#)
        }
        expectError({ if case .malformedJSON = $0 { return true }; return false },
                    mentioning: ["an array"]) {
            _ = try self.loadJSON("[1, 2]")
        }
        expectError({ if case .missingField(_, "model") = $0 { return true }; return false },
                    mentioning: ["'model'"]) {
            _ = try self.loadJSON("{}")
        }
    }

    func testBadModelFields() throws {
        var json = try fixtureJSON()
        var model = try XCTUnwrap(json["model"] as? [String: Any])

        var noMerges = model
        noMerges["merges"] = nil
        json["model"] = noMerges
        expectError({ if case .missingField(_, "model.merges") = $0 { return true }; return false },
                    mentioning: ["model.merges"]) { _ = try self.loadJSON(json) }

        var badMerge = model
        var merges = try XCTUnwrap(model["merges"] as? [Any])
        merges[5] = ["r", "e", "x"]
        badMerge["merges"] = merges
        json["model"] = badMerge
        expectError({ if case .malformedMerge(_, "model.merges[5]", _) = $0 { return true }; return false },
                    mentioning: ["model.merges[5]"]) { _ = try self.loadJSON(json) }

        merges[5] = ["Ġ", "zzz"]
        badMerge["merges"] = merges
        json["model"] = badMerge
        expectError({ if case .mergeTokenNotInVocabulary(_, "model.merges[5]", "zzz") = $0 { return true }; return false },
                    mentioning: ["zzz", "vocabulary"]) { _ = try self.loadJSON(json) }

        var badVocab = model
        badVocab["vocab"] = ["a": "zero"]
        json["model"] = badVocab
        expectError({ if case .invalidField(_, "model.vocab.a", _) = $0 { return true }; return false },
                    mentioning: ["model.vocab.a", "integer"]) { _ = try self.loadJSON(json) }

        badVocab["vocab"] = ["a": 0, "b": 0]
        badVocab["merges"] = [Any]()
        json["model"] = badVocab
        expectError({ if case .duplicateID(_, 0, ["a", "b"]) = $0 { return true }; return false },
                    mentioning: ["id 0"]) { _ = try self.loadJSON(json) }

        model["type"] = "WordPiece"
        json["model"] = model
        expectError({ if case .unsupported(_, "model.type", _) = $0 { return true }; return false },
                    mentioning: ["WordPiece"]) { _ = try self.loadJSON(json) }
    }

    func testUnsupportedPipelineParts() throws {
        var json = try fixtureJSON()
        json["pre_tokenizer"] = ["type": "Whitespace"]
        expectError({ if case .unsupported(_, "pre_tokenizer.type", _) = $0 { return true }; return false },
                    mentioning: ["Whitespace"]) { _ = try self.loadJSON(json) }

        json = try fixtureJSON()
        json["normalizer"] = ["type": "NFKC"]
        expectError({ if case .unsupported(_, "normalizer", _) = $0 { return true }; return false },
                    mentioning: ["normalizer"]) { _ = try self.loadJSON(json) }

        json = try fixtureJSON()
        json["post_processor"] = ["type": "TemplateProcessing"]
        expectError({ if case .unsupported(_, "post_processor.type", _) = $0 { return true }; return false },
                    mentioning: ["TemplateProcessing"]) { _ = try self.loadJSON(json) }

        json = try fixtureJSON()
        json["added_tokens"] = [["id": 3, "special": true]]
        expectError({ if case .missingField(_, "added_tokens[0].content") = $0 { return true }; return false },
                    mentioning: ["added_tokens[0].content"]) { _ = try self.loadJSON(json) }

        json = try fixtureJSON()
        var preTokenizer = try XCTUnwrap(json["pre_tokenizer"] as? [String: Any])
        preTokenizer["add_prefix_space"] = "yes"
        json["pre_tokenizer"] = preTokenizer
        expectError({ if case .invalidField(_, "pre_tokenizer.add_prefix_space", _) = $0 { return true }; return false },
                    mentioning: ["true or false"]) { _ = try self.loadJSON(json) }
    }

    func testMalformedMergesFile() throws {
        let directory = try makeTemporaryDirectory("tsfc-tokenizer", removedAfter: self)
        let bad = try writeFile("#version: 0.2\nĠ t\nr e x\n", named: "merges.txt", in: directory)
        expectError({ if case .malformedMerge(_, "line 3", "r e x") = $0 { return true }; return false },
                    mentioning: ["merges.txt", "line 3", "r e x"]) {
            _ = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: bad)
        }
        let unknown = try writeFile("Ġ t\nqq zz\n", named: "merges2.txt", in: directory)
        expectError({ if case .mergeTokenNotInVocabulary(_, "line 2", "qq") = $0 { return true }; return false },
                    mentioning: ["merges2.txt", "line 2", "qq"]) {
            _ = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: unknown)
        }
        let binary = directory.appendingPathComponent("merges3.txt")
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: binary)
        expectError({ if case .unreadableFile = $0 { return true }; return false },
                    mentioning: ["merges3.txt", "UTF-8"]) {
            _ = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: binary)
        }
        let badVocab = try writeFile("[\"a\"]", named: "vocab.json", in: directory)
        expectError({ if case .malformedJSON = $0 { return true }; return false },
                    mentioning: ["vocab.json"]) {
            _ = try BPETokenizer(vocab: badVocab, merges: TokenizerFixtures.merges)
        }
        expectError({ if case .unknownSpecialToken(_, "<|pad|>") = $0 { return true }; return false },
                    mentioning: ["<|pad|>"]) {
            _ = try BPETokenizer(vocab: TokenizerFixtures.vocab, merges: TokenizerFixtures.merges, specialTokens: ["<|pad|>"])
        }
    }
}
