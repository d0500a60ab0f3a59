import Foundation

// Reading Hugging Face tokenizer files: `tokenizer.json`, or `vocab.json` + `merges.txt`.

extension BPETokenizer {
    /// Loads a Hugging Face `tokenizer.json` holding a byte-level BPE model (GPT-2 style).
    ///
    /// Reads `model` (`vocab`, `merges` as `"a b"` strings or `["a", "b"]` pairs, `unk_token`,
    /// `fuse_unk`, `byte_fallback`, `ignore_merges`), `pre_tokenizer` (must be `ByteLevel`;
    /// `add_prefix_space`, `use_regex`) and `added_tokens`. Anything that would change the ids
    /// and that this tokenizer does not support (a normalizer, a template post-processor, truncation, dropout,
    /// subword prefixes/suffixes) is rejected rather than silently ignored.
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(tokenizerJSON url: URL) throws {
        let path = url.path
        let root = try JSONReader.object(in: TokenizerFiles.read(url), path: path)

        guard let model = try root.object("model") else {
            throw TokenizerError.missingField(path: path, field: "model")
        }
        if let type = try model.string("type"), type != "BPE" {
            throw TokenizerError.unsupported(path: path, field: "model.type", value: "\"\(type)\"")
        }
        if let dropout = try model.number("dropout"), dropout != 0 {
            throw TokenizerError.unsupported(path: path, field: "model.dropout", value: "\(dropout)")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try model.string(field), !value.isEmpty {
                throw TokenizerError.unsupported(path: path, field: "model.\(field)", value: "\"\(value)\"")
            }
        }
        guard let vocabObject = try model.object("vocab") else {
            throw TokenizerError.missingField(path: path, field: "model.vocab")
        }
        let (vocab, idToToken) = try TokenizerFiles.vocabulary(vocabObject, path: path)
        guard let mergeEntries = try model.array("merges") else {
            throw TokenizerError.missingField(path: path, field: "model.merges")
        }
        var mergePairs: [(entry: String, left: String, right: String)] = []
        for (index, entry) in mergeEntries.enumerated() {
            let location = "model.merges[\(index)]"
            if let text = entry as? String {
                guard let pair = TokenizerFiles.splitMerge(text) else {
                    throw TokenizerError.malformedMerge(path: path, entry: location, text: text)
                }
                mergePairs.append((location, pair.0, pair.1))
            } else if let parts = entry as? [Any], parts.count == 2,
                      let left = parts[0] as? String, let right = parts[1] as? String {
                mergePairs.append((location, left, right))
            } else {
                throw TokenizerError.malformedMerge(path: path, entry: location, text: "\(entry)")
            }
        }
        let merges = try TokenizerFiles.rankedMerges(mergePairs, vocab: vocab, path: path)

        var unknownID: Int?
        if let unknown = try model.string("unk_token") {
            guard let id = vocab[unknown] else {
                throw TokenizerError.invalidField(
                    path: path, field: "model.unk_token",
                    reason: "names \"\(unknown)\", which is not in model.vocab")
            }
            unknownID = id
        }

        if let normalizer = root.dictionary["normalizer"], !(normalizer is NSNull) {
            throw TokenizerError.unsupported(
                path: path, field: "normalizer", value: JSONReader.typeName(normalizer))
        }
        for field in ["truncation", "padding"] {
            if let value = root.dictionary[field], !(value is NSNull) {
                throw TokenizerError.unsupported(path: path, field: field, value: "an object")
            }
        }
        guard let preTokenizer = try root.object("pre_tokenizer") else {
            throw TokenizerError.missingField(path: path, field: "pre_tokenizer")
        }
        let preType = try preTokenizer.string("type") ?? "(none)"
        guard preType == "ByteLevel" else {
            throw TokenizerError.unsupported(path: path, field: "pre_tokenizer.type", value: "\"\(preType)\"")
        }
        for field in ["decoder", "post_processor"] {
            if let component = try root.object(field) {
                let type = try component.string("type") ?? "(none)"
                if type != "ByteLevel" {
                    throw TokenizerError.unsupported(path: path, field: "\(field).type", value: "\"\(type)\"")
                }
            }
        }

        var addedTokens: [AddedToken] = []
        for (index, entry) in (try root.array("added_tokens") ?? []).enumerated() {
            let field = "added_tokens[\(index)]"
            guard let dictionary = entry as? [String: Any] else {
                throw TokenizerError.invalidField(path: path, field: field, reason: "is not an object")
            }
            let token = JSONReader.Object(dictionary: dictionary, path: path, prefix: field + ".")
            guard let id = try token.int("id") else {
                throw TokenizerError.missingField(path: path, field: field + ".id")
            }
            guard id >= 0 else {
                throw TokenizerError.invalidField(path: path, field: field + ".id", reason: "is negative")
            }
            guard let content = try token.string("content"), !content.isEmpty else {
                throw TokenizerError.missingField(path: path, field: field + ".content")
            }
            // Like Hugging Face tokenizers, a token already in the vocabulary keeps its
            // vocabulary id.
            addedTokens.append(AddedToken(
                content: content, id: vocab[content] ?? id,
                special: try token.bool("special") ?? false,
                lstrip: try token.bool("lstrip") ?? false,
                rstrip: try token.bool("rstrip") ?? false,
                singleWord: try token.bool("single_word") ?? false))
        }

        self.init(
            model: BPEModel(
                vocab: vocab, idToToken: idToToken, merges: merges, unknownID: unknownID,
                fuseUnknown: try model.bool("fuse_unk") ?? false,
                byteFallback: try model.bool("byte_fallback") ?? false,
                ignoreMerges: try model.bool("ignore_merges") ?? false),
            addedTokens: addedTokens,
            addPrefixSpace: try preTokenizer.bool("add_prefix_space") ?? true,
            usesRegex: try preTokenizer.bool("use_regex") ?? true)
    }

    /// Loads the GPT-2 file pair `vocab.json` (token → id) and `merges.txt` (one merge
    /// `left right` per line, ranked by order; an optional first line `#version: …`).
    ///
    /// These files carry no pre-tokenizer settings, so GPT-2's are used (no prefix space, the
    /// GPT-2 split rules).
    /// - Parameter specialTokens: tokens matched literally and never split; `nil` means
    ///   `<|endoftext|>` when the vocabulary has it. Each listed token must be in the vocabulary.
    /// - Throws: `TokenizerError` naming the file and the problem.
    public init(vocab vocabURL: URL, merges mergesURL: URL, specialTokens: [String]? = nil) throws {
        let vocabPath = vocabURL.path
        let root = try JSONReader.object(in: TokenizerFiles.read(vocabURL), path: vocabPath)
        let (vocab, idToToken) = try TokenizerFiles.vocabulary(root, path: vocabPath)

        let mergesPath = mergesURL.path
        guard let text = String(data: try TokenizerFiles.read(mergesURL), encoding: .utf8) else {
            throw TokenizerError.unreadableFile(path: mergesPath, reason: "it is not UTF-8 text")
        }
        var mergePairs: [(entry: String, left: String, right: String)] = []
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(String.UnicodeScalarView(rawLine))
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            if line.isEmpty || line.hasPrefix("#version") { continue }
            guard let pair = TokenizerFiles.splitMerge(line) else {
                throw TokenizerError.malformedMerge(path: mergesPath, entry: "line \(index + 1)", text: line)
            }
            mergePairs.append(("line \(index + 1)", pair.0, pair.1))
        }
        let merges = try TokenizerFiles.rankedMerges(mergePairs, vocab: vocab, path: mergesPath)

        var added: [AddedToken] = []
        for token in specialTokens ?? ["<|endoftext|>"] {
            if let id = vocab[token] {
                added.append(AddedToken(content: token, id: id, special: true))
            } else if specialTokens != nil {
                throw TokenizerError.unknownSpecialToken(path: vocabPath, token: token)
            }
        }
        self.init(
            model: BPEModel(
                vocab: vocab, idToToken: idToToken, merges: merges, unknownID: nil,
                fuseUnknown: false, byteFallback: false, ignoreMerges: false),
            addedTokens: added, addPrefixSpace: false, usesRegex: true)
    }
}

/// Shared pieces of the two loaders.
enum TokenizerFiles {
    static func read(_ url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw TokenizerError.unreadableFile(path: url.path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw TokenizerError.unreadableFile(path: url.path, reason: "it is a directory")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Token → id and id → token from a JSON object of non-negative integer ids.
    static func vocabulary(
        _ object: JSONReader.Object, path: String
    ) throws -> ([String: Int], [Int: String]) {
        var vocab: [String: Int] = [:]
        var idToToken: [Int: String] = [:]
        vocab.reserveCapacity(object.dictionary.count)
        idToToken.reserveCapacity(object.dictionary.count)
        for token in object.dictionary.keys.sorted() {
            guard let id = try object.int(token), id >= 0 else {
                throw TokenizerError.invalidField(
                    path: path, field: object.prefix + token, reason: "must be a non-negative integer id")
            }
            if let other = idToToken[id] {
                throw TokenizerError.duplicateID(path: path, id: id, tokens: [other, token])
            }
            vocab[token] = id
            idToToken[id] = token
        }
        if vocab.isEmpty {
            throw TokenizerError.invalidField(path: path, field: object.prefix.isEmpty ? "(root)" : String(object.prefix.dropLast()), reason: "is an empty vocabulary")
        }
        return (vocab, idToToken)
    }

    /// `"left right"` → `(left, right)`: exactly one space, both sides non-empty.
    static func splitMerge(_ text: String) -> (String, String)? {
        let parts = text.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(String.UnicodeScalarView(parts[0])), String(String.UnicodeScalarView(parts[1])))
    }

    /// Merges keyed by the pair's ids; rank = position in the list.
    static func rankedMerges(
        _ pairs: [(entry: String, left: String, right: String)], vocab: [String: Int], path: String
    ) throws -> [UInt64: BPEModel.Merge] {
        var merges: [UInt64: BPEModel.Merge] = [:]
        merges.reserveCapacity(pairs.count)
        for (rank, pair) in pairs.enumerated() {
            guard let left = vocab[pair.left] else {
                throw TokenizerError.mergeTokenNotInVocabulary(path: path, entry: pair.entry, token: pair.left)
            }
            guard let right = vocab[pair.right] else {
                throw TokenizerError.mergeTokenNotInVocabulary(path: path, entry: pair.entry, token: pair.right)
            }
            guard let result = vocab[pair.left + pair.right] else {
                throw TokenizerError.mergeTokenNotInVocabulary(
                    path: path, entry: pair.entry, token: pair.left + pair.right)
            }
            merges[BPEModel.pairKey(left, right)] = BPEModel.Merge(rank: rank, id: result)
        }
        return merges
    }
}

/// Typed access to `JSONSerialization` output, with errors that name the field.
enum JSONReader {
    struct Object {
        let dictionary: [String: Any]
        let path: String
        /// Dotted path of this object, with a trailing dot (empty at the root).
        let prefix: String

        /// The value, or `nil` when absent or `null`.
        private func value(_ key: String) -> Any? {
            guard let value = dictionary[key], !(value is NSNull) else { return nil }
            return value
        }

        private func wrongType(_ key: String, _ expected: String) -> TokenizerError {
            .invalidField(path: path, field: prefix + key, reason: "must be \(expected)")
        }

        func string(_ key: String) throws -> String? {
            guard let value = value(key) else { return nil }
            guard let string = value as? String else { throw wrongType(key, "a string") }
            return string
        }

        func bool(_ key: String) throws -> Bool? {
            guard let value = value(key) else { return nil }
            guard let number = value as? NSNumber, JSONReader.isBoolean(number) else {
                throw wrongType(key, "true or false")
            }
            return number.boolValue
        }

        func int(_ key: String) throws -> Int? {
            guard let value = value(key) else { return nil }
            guard let number = value as? NSNumber, !JSONReader.isBoolean(number),
                  let int = Int(exactly: number.doubleValue), Double(int) == number.doubleValue
            else { throw wrongType(key, "an integer") }
            return number.intValue
        }

        func number(_ key: String) throws -> Double? {
            guard let value = value(key) else { return nil }
            guard let number = value as? NSNumber, !JSONReader.isBoolean(number) else {
                throw wrongType(key, "a number")
            }
            return number.doubleValue
        }

        func object(_ key: String) throws -> Object? {
            guard let value = value(key) else { return nil }
            guard let dictionary = value as? [String: Any] else { throw wrongType(key, "an object") }
            return Object(dictionary: dictionary, path: path, prefix: prefix + key + ".")
        }

        func array(_ key: String) throws -> [Any]? {
            guard let value = value(key) else { return nil }
            guard let array = value as? [Any] else { throw wrongType(key, "an array") }
            return array
        }
    }

    /// Parses `data` as a JSON object.
    static func object(in data: Data, path: String) throws -> Object {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                ?? error.localizedDescription
            throw TokenizerError.malformedJSON(path: path, reason: reason)
        }
        guard let dictionary = parsed as? [String: Any] else {
            throw TokenizerError.malformedJSON(
                path: path, reason: "the top level is \(typeName(parsed)), not an object")
        }
        return Object(dictionary: dictionary, path: path, prefix: "")
    }

    /// Whether an `NSNumber` from `JSONSerialization` came from `true`/`false`.
    static func isBoolean(_ number: NSNumber) -> Bool {
        #if canImport(Darwin)
        return CFGetTypeID(number) == CFBooleanGetTypeID()
        #else
        return number === NSNumber(value: true) || number === NSNumber(value: false)
            || String(cString: number.objCType) == "c" || String(cString: number.objCType) == "B"
        #endif
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case is NSNumber: return "a number"
        default: return "null"
        }
    }
}
