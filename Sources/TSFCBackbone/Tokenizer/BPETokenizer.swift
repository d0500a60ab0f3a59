import Foundation

/// A GPT-2 style byte-level BPE tokenizer, compatible with Hugging Face `tokenizers`.
///
/// Encoding: added tokens (e.g. `<|endoftext|>`) are cut out of the text first; the rest is split
/// by `GPT2PreTokenizer`, each piece is turned into UTF-8 bytes spelled with the `ByteLevel`
/// alphabet, and BPE merges are applied by rank. Decoding reverses the byte mapping, so
/// `decode(encode(s)) == s` for every string.
///
/// Load one with `init(tokenizerJSON:)` (a Hugging Face `tokenizer.json`) or
/// `init(vocab:merges:specialTokens:)` (`vocab.json` + `merges.txt`).
public struct BPETokenizer: Sendable {
    let model: BPEModel
    let matcher: AddedTokenMatcher
    /// Added tokens by id.
    let addedByID: [Int: AddedToken]
    /// Added tokens by content.
    let addedByContent: [String: AddedToken]

    /// The tokens matched literally before BPE (special tokens and other added tokens).
    public let addedTokens: [AddedToken]
    /// Whether a space is put in front of text that does not start with one (GPT-2: false).
    public let addPrefixSpace: Bool
    /// Whether text is split by the GPT-2 pre-tokenisation rules before BPE (GPT-2: true).
    public let usesRegex: Bool

    init(model: BPEModel, addedTokens: [AddedToken], addPrefixSpace: Bool, usesRegex: Bool) {
        self.model = model
        self.addedTokens = addedTokens
        self.matcher = AddedTokenMatcher(addedTokens)
        self.addedByID = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.addedByContent = Dictionary(
            addedTokens.map { ($0.content, $0) }, uniquingKeysWith: { first, _ in first })
        self.addPrefixSpace = addPrefixSpace
        self.usesRegex = usesRegex
    }

    /// One more than the largest id (vocabulary or added token): the number of rows an
    /// embedding table for this tokenizer needs.
    public var vocabularySize: Int {
        let largestVocab = model.idToToken.keys.max() ?? -1
        let largestAdded = addedTokens.map(\.id).max() ?? -1
        return max(largestVocab, largestAdded) + 1
    }

    /// The number of merges the model applies.
    public var mergeCount: Int { model.merges.count }

    /// The id of a token, written as in the vocabulary (byte-level spelling, e.g. `Ġthe`) or
    /// as an added token's content; `nil` if there is none.
    public func id(for token: String) -> Int? {
        addedByContent[token]?.id ?? model.vocab[token]
    }

    /// The token for an id (byte-level spelling, or an added token's content); `nil` if unused.
    public func token(for id: Int) -> String? {
        addedByID[id]?.content ?? model.idToToken[id]
    }

    /// Token ids for `text`. No special tokens are added around it.
    public func encode(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        for segment in matcher.segments(scalars) {
            switch segment {
            case .added(let id):
                ids.append(id)
            case .text(let range):
                encodePlainText(scalars[range], into: &ids)
            }
        }
        return ids
    }

    /// The tokens (vocabulary spelling) that `encode(text)` produces, e.g. `["This", "Ġis"]`.
    public func tokens(for text: String) -> [String] {
        encode(text).compactMap { token(for: $0) }
    }

    /// Text for token ids. Bytes that do not form valid UTF-8 become U+FFFD; ids that name no
    /// token are skipped (as Hugging Face `tokenizers` does); special tokens are written out
    /// unless `skipSpecialTokens` is set.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if let added = addedByID[id] {
                if !(skipSpecialTokens && added.special) { bytes.append(contentsOf: added.content.utf8) }
                continue
            }
            guard let token = model.idToToken[id] else { continue }
            if let tokenBytes = ByteLevel.decode(token) {
                bytes.append(contentsOf: tokenBytes)
            } else {
                bytes.append(contentsOf: token.utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func encodePlainText(_ scalars: ArraySlice<Unicode.Scalar>, into ids: inout [Int]) {
        var text = Array(scalars)
        if text.isEmpty { return }
        if addPrefixSpace, text.first != " " { text.insert(" ", at: 0) }
        let pieces = usesRegex ? GPT2PreTokenizer.pieceRanges(text) : [0..<text.count]
        for piece in pieces {
            let word = String(String.UnicodeScalarView(text[piece]))
            ids.append(contentsOf: model.encodeWord(word))
        }
    }
}
