// Every suggestion in a message is real: each `--flag` written in a string literal of the
// library or the CLI is an option of some `tsfc` command (the data-reading ones on every command
// that reads data), and each configuration key a message names (`data.split`, `model.timestamps`…)
// is a key the configuration loader accepts.
import Foundation
import TSFC
import TSFCTestSupport
import XCTest

final class SuggestedOptionsTests: XCTestCase {
    /// The string-literal text of every non-comment line of every Swift file under Sources/.
    static func literalTexts() throws -> [(file: String, line: Int, text: String)] {
        let sources = Checkout.root.appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        XCTAssertGreaterThan(files.count, 50, "Sources/ was not found from \(Checkout.root.path)")
        var texts: [(String, Int, String)] = []
        for url in files {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (k, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                // The odd-numbered pieces between double quotes are inside literals.
                let pieces = line.split(separator: "\"", omittingEmptySubsequences: false)
                for (i, piece) in pieces.enumerated() where i % 2 == 1 {
                    texts.append((url.lastPathComponent, k + 1, String(piece)))
                }
            }
        }
        return texts
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
    }

    /// The `--options` of `tsfc <command> --help`.
    func options(of command: String) throws -> Set<String> {
        let (out, _) = try CLITests.run([command, "--help"], in: Checkout.root)
        return Set(Self.matches("--[a-z][a-z0-9-]*", in: out))
    }

    func testEveryFlagInAMessageIsAnOption() throws {
        let commands = ["train", "forecast", "evaluate", "self-check", "inspect", "detect", "inspect-model", "backtest", "corpus"]
        var byCommand: [String: Set<String>] = [:]
        for command in commands { byCommand[command] = try options(of: command) }
        let all = byCommand.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertTrue(all.contains("--horizon") && all.contains("--set"), "\(all.sorted())")
        var checked = 0
        for (file, line, text) in try Self.literalTexts() {
            for flag in Self.matches("(?<![A-Za-z0-9-])--[a-z][a-z0-9-]*", in: text) {
                checked += 1
                XCTAssertTrue(all.contains(flag), "\(file):\(line) suggests \(flag), which no tsfc command takes")
            }
        }
        XCTAssertGreaterThan(checked, 30)
        // The reading options a data error suggests exist on every command that reads data.
        for command in ["forecast", "evaluate", "inspect", "detect", "backtest"] {
            for flag in ["--fill", "--sort", "--dedupe", "--timestamp-column"] {
                XCTAssertTrue(byCommand[command]!.contains(flag), "tsfc \(command) has no \(flag)")
            }
        }
    }

    func testEveryConfigurationKeyInAMessageIsAKey() throws {
        var keys = Set<String>()
        for (file, _, literal) in try Self.literalTexts() {
            // tokenizer.json's own fields (model.vocab, model.merges) are not configuration keys.
            if file.hasPrefix("Tokenizer") { continue }
            // Interpolated Swift expressions (`\\(data.count)`) are code, not text.
            let text = literal.replacingOccurrences(of: "\\\\\\([^)]*\\)", with: "", options: .regularExpression)
            for key in Self.matches("\\b(data|model|training|evaluation|detection)(\\.[a-z_][a-z0-9_]*)+", in: text) {
                // File names (model.tsfc, config.yaml) are not keys.
                if ["tsfc", "yaml", "json", "jsonl", "csv", "safetensors"].contains(where: { key.hasSuffix(".\($0)") }) { continue }
                keys.insert(key)
            }
        }
        XCTAssertTrue(keys.isSuperset(of: ["data.fill", "data.sort", "data.dedupe", "data.split"]), "\(keys.sorted())")
        for key in keys.sorted() {
            do {
                _ = try ConfigurationLoader.load(yaml: "", file: "suggested.yaml", overrides: ["\(key)=0"])
            } catch {
                XCTAssertFalse("\(error)".contains("unknown key"), "a message names '\(key)': \(error)")
            }
        }
        // The check can fail: an unknown key is reported as one.
        XCTAssertThrowsError(try ConfigurationLoader.load(yaml: "", file: "x.yaml", overrides: ["data.no_such_key=0"])) {
            XCTAssertTrue("\($0)".contains("unknown key"), "\($0)")
        }
    }
}
