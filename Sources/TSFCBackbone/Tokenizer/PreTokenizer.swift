// A hand-written scanner equivalent to GPT-2's pre-tokenisation regular expression
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (leftmost-first alternation, greedy runs), working on Unicode scalars.

/// Splits text into the "words" that GPT-2 style BPE encodes independently.
///
/// The rules, tried in order at each position:
/// 1. an English contraction suffix: `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d` (case-sensitive);
/// 2. an optional single space followed by a run of letters (general category L*);
/// 3. the same for numbers (general category N*);
/// 4. the same for anything that is neither whitespace, letter nor number;
/// 5. a run of whitespace that is not followed by a non-whitespace character — so a run of
///    spaces before a word keeps its last space back, to be attached to the word by rule 2–4;
/// 6. any other run of whitespace.
///
/// Whitespace is the Unicode `White_Space` property (what `\s` means in the reference regex
/// engines). The pieces concatenate back to the input exactly.
public enum GPT2PreTokenizer {
    /// The pieces of `text`, in order.
    public static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return pieceRanges(scalars).map { range in
            String(String.UnicodeScalarView(scalars[range]))
        }
    }

    /// The character classes the regex distinguishes.
    enum ScalarClass: Equatable {
        case letter, number, whitespace, other
    }

    static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Half-open scalar ranges of the pieces of `scalars`.
    static func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let count = scalars.count
        let classes = scalars.map(classify)
        var pieces: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = pieceEnd(scalars, classes, from: start)
            pieces.append(start..<end)
            start = end
        }
        return pieces
    }

    /// The end of the piece that begins at `start` (always > `start`).
    private static func pieceEnd(
        _ scalars: [Unicode.Scalar], _ classes: [ScalarClass], from start: Int
    ) -> Int {
        let count = scalars.count
        // Rule 1: contractions.
        if scalars[start] == "'", start + 1 < count {
            let next = scalars[start + 1]
            if next == "s" || next == "t" || next == "m" || next == "d" { return start + 2 }
            if start + 2 < count {
                let pair = (next, scalars[start + 2])
                if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return start + 3 }
            }
        }
        // Rules 2–4: an optional space, then a run of one class. The classes are disjoint, so
        // the class of the first character after the optional space decides the rule.
        let body = scalars[start] == " " ? start + 1 : start
        if body < count, classes[body] != .whitespace {
            let runClass = classes[body]
            var end = body + 1
            while end < count, classes[end] == runClass { end += 1 }
            return end
        }
        // Rules 5–6: whitespace. `start` is whitespace here (a lone trailing space, or a space
        // followed by whitespace, or another whitespace character).
        var end = start + 1
        while end < count, classes[end] == .whitespace { end += 1 }
        if end == count { return end }          // rule 5: nothing follows
        if end - start >= 2 { return end - 1 }  // rule 5: leave the last one for the next word
        return end                              // rule 6: a single whitespace before a word
    }
}
