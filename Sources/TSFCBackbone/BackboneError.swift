// BackboneError: what can be wrong with a decoder checkpoint or its inputs, each case naming the
// file or key concerned and what to do.

/// A problem building or loading a `CausalDecoder`.
public enum BackboneError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read (`reason` is the system's message).
    case unreadableFile(file: String, reason: String)
    /// The directory has no `config.json`.
    case missingConfiguration(directory: String)
    /// `config.json` is not valid JSON or lacks a required key or has an impossible value.
    case invalidConfiguration(file: String, detail: String)
    /// `config.json` asks for something this decoder does not implement.
    case unsupportedConfiguration(file: String, detail: String)
    /// Neither `model.safetensors` nor `model.safetensors.index.json` is in the directory.
    case missingWeights(directory: String)
    /// The shard index is not the JSON object with a `weight_map` that Hugging Face writes.
    case invalidIndex(file: String, detail: String)
    /// The checkpoint has no tensor for a weight the model needs.
    case missingWeight(key: String, files: [String])
    /// The checkpoint has a tensor the model has no place for.
    case unusedWeight(key: String, file: String)
    /// A tensor has a shape other than the configuration implies.
    case shapeMismatch(key: String, file: String, expected: [Int], found: [Int])
    /// The same weight appears twice (in two shards, or with and without a name prefix).
    case duplicateWeight(key: String, files: [String])
    /// A token id outside the vocabulary.
    case tokenOutOfRange(id: Int, vocab: Int)
    /// A sequence longer than the learned position table.
    case sequenceTooLong(length: Int, maxPositions: Int)

    public var description: String {
        switch self {
        case let .unreadableFile(file, reason):
            return "cannot read \(file) (\(reason)); check the path and its permissions"
        case let .missingConfiguration(directory):
            return "no config.json in \(directory); pass a Hugging Face model directory (config.json + model.safetensors)"
        case let .invalidConfiguration(file, detail):
            return "invalid decoder configuration \(file): \(detail); fix the file or re-export the model"
        case let .unsupportedConfiguration(file, detail):
            return "decoder configuration \(file): unsupported \(detail); use a GPT-2 or LLaMA-family checkpoint without it"
        case let .missingWeights(directory):
            return "no model.safetensors or model.safetensors.index.json in \(directory); "
                + "download the safetensors weights (PyTorch .bin files are not read)"
        case let .invalidIndex(file, detail):
            return "invalid shard index \(file): \(detail); re-download the index or the checkpoint"
        case let .missingWeight(key, files):
            return "weight '\(key)' is missing from \(files.joined(separator: ", ")); "
                + "the checkpoint does not match its config.json"
        case let .unusedWeight(key, file):
            return "weight '\(key)' in \(file) has no place in the model; the checkpoint does not match its config.json"
        case let .shapeMismatch(key, file, expected, found):
            return "weight '\(key)' in \(file) has shape \(found), but config.json implies \(expected)"
        case let .duplicateWeight(key, files):
            return "weight '\(key)' appears more than once (\(files.joined(separator: ", "))); remove the duplicate"
        case let .tokenOutOfRange(id, vocab):
            return "token id \(id) is outside the vocabulary 0..<\(vocab); use the tokenizer that belongs to this model"
        case let .sequenceTooLong(length, maxPositions):
            return "sequence of \(length) positions exceeds the model's \(maxPositions) learned positions; shorten the context"
        }
    }

    /// The same error with an empty file name filled in.
    func withFile(_ file: String) -> BackboneError {
        switch self {
        case let .invalidConfiguration(f, d) where f.isEmpty: return .invalidConfiguration(file: file, detail: d)
        case let .unsupportedConfiguration(f, d) where f.isEmpty: return .unsupportedConfiguration(file: file, detail: d)
        default: return self
        }
    }
}
