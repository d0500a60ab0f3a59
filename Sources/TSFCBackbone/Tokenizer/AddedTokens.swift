// Added tokens (such as GPT-2's `<|endoftext|>`) are cut out of the raw text before
// pre-tokenisation and BPE, and map straight to their ids.

/// A token that is matched literally in the input instead of going through BPE, as listed
/// under `added_tokens` in a Hugging Face `tokenizer.json`.
public struct AddedToken: Sendable, Equatable {
    /// The exact text that stands for the token.
    public var content: String
    /// Its id.
    public var id: Int
    /// Whether it is a special (control) token; `decode(_:skipSpecialTokens: true)` drops those.
    public var special: Bool
    /// Whether a match also swallows the whitespace on its left.
    public var lstrip: Bool
    /// Whether a match also swallows the whitespace on its right.
    public var rstrip: Bool
    /// Whether it only matches as a whole word (no letter, digit or `_` touching either side).
    public var singleWord: Bool

    /// Creates an added token.
    public init(
        content: String, id: Int, special: Bool = true,
        lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false
    ) {
        self.content = content
        self.id = id
        self.special = special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}

/// Finds added tokens in text: at each position the longest token that matches wins.
struct AddedTokenMatcher: Sendable {
    /// A piece of the input: plain text (a scalar range) or one added token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case added(id: Int)
    }

    private struct Pattern: Sendable {
        var scalars: [Unicode.Scalar]
        var token: AddedToken
    }

    /// Patterns grouped by first scalar, longest first.
    private let patternsByFirst: [UInt32: [Pattern]]

    init(_ tokens: [AddedToken]) {
        var grouped: [UInt32: [Pattern]] = [:]
        for token in tokens {
            let scalars = Array(token.content.unicodeScalars)
            guard let first = scalars.first else { continue }
            grouped[first.value, default: []].append(Pattern(scalars: scalars, token: token))
        }
        patternsByFirst = grouped.mapValues { group in
            group.sorted { $0.scalars.count > $1.scalars.count }
        }
    }

    var isEmpty: Bool { patternsByFirst.isEmpty }

    /// Splits `scalars` into text and added-token segments, in order; text segments are never
    /// empty.
    func segments(_ scalars: [Unicode.Scalar]) -> [Segment] {
        guard !isEmpty else { return scalars.isEmpty ? [] : [.text(0..<scalars.count)] }
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < scalars.count {
            guard let (pattern, end) = match(scalars, at: position) else {
                position += 1
                continue
            }
            var cutStart = position
            if pattern.token.lstrip {
                while cutStart > textStart, scalars[cutStart - 1].properties.isWhitespace { cutStart -= 1 }
            }
            var cutEnd = end
            if pattern.token.rstrip {
                while cutEnd < scalars.count, scalars[cutEnd].properties.isWhitespace { cutEnd += 1 }
            }
            if cutStart > textStart { segments.append(.text(textStart..<cutStart)) }
            segments.append(.added(id: pattern.token.id))
            textStart = cutEnd
            position = cutEnd
        }
        if textStart < scalars.count { segments.append(.text(textStart..<scalars.count)) }
        return segments
    }

    /// The longest pattern matching at `position`, with the end of the match.
    private func match(_ scalars: [Unicode.Scalar], at position: Int) -> (Pattern, Int)? {
        guard let candidates = patternsByFirst[scalars[position].value] else { return nil }
        for pattern in candidates {
            let end = position + pattern.scalars.count
            guard end <= scalars.count, scalars[position..<end].elementsEqual(pattern.scalars)
            else { continue }
            if pattern.token.singleWord {
                if position > 0, Self.isWordScalar(scalars[position - 1]) { continue }
                if end < scalars.count, Self.isWordScalar(scalars[end]) { continue }
            }
            return (pattern, end)
        }
        return nil
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
