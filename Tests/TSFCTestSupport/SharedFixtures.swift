// The test fixtures that more than one test target reads, kept once (see Fixtures/README.md for
// where each came from), and the checkout's own files (shipped data, the model).
import Foundation

/// Fixture files shared by several test targets.
public enum SharedFixtures {
    /// The fixture folder in this target's resource bundle.
    public static var root: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            preconditionFailure("TSFCTestSupport: the Fixtures resource folder is missing from the bundle")
        }
        return url
    }

    /// A tiny Hugging Face checkpoint folder (`config.json`, `model.safetensors`,
    /// `golden.safetensors`): "tiny-gpt2" or "tiny-llama".
    public static func backbone(_ name: String) -> URL {
        root.appendingPathComponent("backbone").appendingPathComponent(name)
    }

    /// The 600-token byte-level BPE tokenizer folder: `tokenizer.json`, `vocab.json`,
    /// `merges.txt` and `golden.json`.
    public static var tokenizer: URL { root.appendingPathComponent("tokenizer") }

    /// The tokenizer's `tokenizer.json`.
    public static var tokenizerJSON: URL { tokenizer.appendingPathComponent("tokenizer.json") }
}

/// Files of the tsfc checkout the tests run from.
public enum Checkout {
    /// The checkout's root: the nearest folder above this file that holds Package.swift.
    public static var root: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return url
    }

    /// A shipped file in `Data/`, e.g. "ETTh1.csv" or "models/default.tsfc".
    public static func data(_ name: String) -> URL { root.appendingPathComponent("Data").appendingPathComponent(name) }
}
