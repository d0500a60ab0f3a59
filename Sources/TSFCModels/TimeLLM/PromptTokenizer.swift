// Tokenisers Time-LLM's prompt can go through: the backbone's own BPE tokenizer (pretrained
// backbones), or UTF-8 bytes as token ids for a from-scratch backbone, which has no tokenizer of
// its own (its 256-row token table is learned with it).
import TSFCBackbone

/// Text → token ids.
public protocol PromptTokenizer: Sendable {
    /// Token ids of `text`.
    func encode(_ text: String) -> [Int]
    /// One more than the largest id `encode` can return.
    var vocabularySize: Int { get }
}

extension BPETokenizer: PromptTokenizer {}

/// Each UTF-8 byte is one token (ids 0…255).
public struct ByteTokenizer: PromptTokenizer {
    public init() {}
    public var vocabularySize: Int { 256 }
    public func encode(_ text: String) -> [Int] { text.utf8.map { Int($0) } }
}
