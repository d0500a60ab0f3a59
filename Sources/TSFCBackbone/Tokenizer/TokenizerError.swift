import Foundation

/// Why a tokenizer could not be loaded. Each case names the file and what is wrong with it.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read (missing, a directory, no permission…).
    case unreadableFile(path: String, reason: String)
    /// The file is not valid JSON (or not UTF-8).
    case malformedJSON(path: String, reason: String)
    /// A required field is absent. `field` is a dotted path such as `model.vocab`.
    case missingField(path: String, field: String)
    /// A field is present but has the wrong type or an impossible value.
    case invalidField(path: String, field: String, reason: String)
    /// The file asks for a feature this tokenizer does not implement.
    case unsupported(path: String, field: String, value: String)
    /// A merge is not two tokens (a line `a b` of merges.txt, or `"a b"` / `["a", "b"]` in
    /// tokenizer.json). `entry` says where: `line 7` or `model.merges[5]`.
    case malformedMerge(path: String, entry: String, text: String)
    /// A merge refers to (or produces) a token that the vocabulary lacks.
    case mergeTokenNotInVocabulary(path: String, entry: String, token: String)
    /// Two tokens of the vocabulary share one id.
    case duplicateID(path: String, id: Int, tokens: [String])
    /// A requested special token is not in the vocabulary.
    case unknownSpecialToken(path: String, token: String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "tokenizer file '\(path)' could not be read: \(reason). Check the path."
        case let .malformedJSON(path, reason):
            return "tokenizer file '\(path)' is not valid JSON: \(reason). "
                + "Re-export it with Hugging Face tokenizers (tokenizer.save / save_model)."
        case let .missingField(path, field):
            return "tokenizer file '\(path)' has no '\(field)' field. "
                + "Expected a Hugging Face tokenizer.json with a BPE model."
        case let .invalidField(path, field, reason):
            return "tokenizer file '\(path)': field '\(field)' \(reason)."
        case let .unsupported(path, field, value):
            return "tokenizer file '\(path)': '\(field)' = \(value) is not supported; "
                + "only GPT-2 style byte-level BPE tokenizers can be loaded."
        case let .malformedMerge(path, entry, text):
            return "tokenizer file '\(path)', \(entry): a merge must be two tokens separated by "
                + "one space, found \"\(text)\"."
        case let .mergeTokenNotInVocabulary(path, entry, token):
            return "tokenizer file '\(path)', \(entry): token \"\(token)\" is not in the "
                + "vocabulary. The vocabulary and merges must come from the same tokenizer."
        case let .duplicateID(path, id, tokens):
            return "vocabulary '\(path)': id \(id) is used by more than one token "
                + "(\(tokens.map { "\"\($0)\"" }.joined(separator: ", ")))."
        case let .unknownSpecialToken(path, token):
            return "vocabulary '\(path)' has no token \"\(token)\", "
                + "so it cannot be used as a special token."
        }
    }
}
