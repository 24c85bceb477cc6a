/// Sentence boundaries from tokens.
///
/// A sentence ends after `.`, `!`, `?` or an ellipsis followed by a token that can start a sentence (a capital, a
/// digit, an opening quote or bracket), taking closing quotes and brackets along; after an abbreviation that may end
/// a sentence ("U.S.", "Inc.") only when a typical sentence opener follows; and at every blank line. Titles and
/// initials ("Gen.", "J.") never end one, a lower-case word never starts one, and a URL is one token, so its dots
/// never split anything.
public enum SentenceSplitter {
    /// Words that typically open a sentence: after "U.S." they mark a boundary.
    static let openers: Set<String> = [
        "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I", "You", "But", "And",
        "Yet", "So", "In", "On", "At", "As", "For", "If", "When", "While", "However", "Moreover", "A", "An", "There",
        "Such", "What", "Why", "How", "Both", "Neither", "Still", "Meanwhile", "Indeed", "After", "Before", "Since",
        "Although", "Despite", "Not", "No", "Nor", "Then", "Thus", "His", "Her", "Their", "Our", "My",
    ]

    /// The sentence spans of `text`, given its tokens.
    public static func split(_ text: [UInt8], tokens: [Token]) -> [TextSpan] {
        text.withUnsafeBufferPointer { split($0, tokens: tokens) }
    }

    public static func split(_ bytes: UnsafeBufferPointer<UInt8>, tokens: [Token]) -> [TextSpan] {
        var sentences: [TextSpan] = []
        guard !tokens.isEmpty else { return sentences }
        var sentenceStart = 0
        var k = 0
        while k < tokens.count {
            var last = k
            var boundary = false
            let token = tokens[k]
            if isTerminal(bytes, token) {
                // Closing quotes and brackets right after the terminal belong to this sentence.
                while last + 1 < tokens.count, tokens[last + 1].start == tokens[last].end,
                    UTF8Scanning.isClosingPunctuation(bytes, tokens[last + 1].start)
                {
                    last += 1
                }
                if last + 1 < tokens.count {
                    let next = tokens[last + 1]
                    boundary = next.start > tokens[last].end && canStartSentence(bytes, next)
                        && (!isEllipsis(bytes, token) || startsWithCapital(bytes, next))
                } else {
                    boundary = true
                }
            } else if token.kind == .word, Abbreviations.mayEndSentence(bytes, token.start, token.end), last + 1 < tokens.count {
                let next = tokens[last + 1]
                boundary = next.start > token.end && openers.contains(text(bytes, next))
            }
            if !boundary, last + 1 < tokens.count, hasBlankLine(bytes, from: tokens[last].end, to: tokens[last + 1].start) {
                boundary = true
            }
            if boundary || last + 1 == tokens.count {
                sentences.append(TextSpan(tokens[sentenceStart].start, tokens[last].end))
                sentenceStart = last + 1
            }
            k = last + 1
        }
        return sentences
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
    }

    private static func isTerminal(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        guard token.kind == .punct else { return false }
        let first = bytes[token.start]
        if first == UInt8(ascii: ".") || first == UInt8(ascii: "!") || first == UInt8(ascii: "?") { return true }
        return isEllipsis(bytes, token)
    }

    private static func isEllipsis(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        if token.end - token.start >= 2, bytes[token.start] == UInt8(ascii: ".") { return true }
        return token.end - token.start == 3 && bytes[token.start] == 0xE2 && bytes[token.start + 1] == 0x80
            && bytes[token.start + 2] == 0xA6
    }

    private static func canStartSentence(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        let first = bytes[token.start]
        if UTF8Scanning.isLower(first) { return false }
        if UTF8Scanning.isUpper(first) || UTF8Scanning.isDigit(first) { return true }
        if UTF8Scanning.isOpeningPunctuation(bytes, token.start) { return true }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "#") { return true }
        // Non-ASCII letters (Ö, Ž, …) can start sentences; their case is not checked.
        return first >= 0xC3 && token.kind == .word
    }

    private static func startsWithCapital(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        UTF8Scanning.isUpper(bytes[token.start]) || UTF8Scanning.isOpeningPunctuation(bytes, token.start)
    }

    private static func hasBlankLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var newlines = 0
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                newlines += 1
                if newlines == 2 { return true }
            } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") {
                newlines = 0
            }
            i += 1
        }
        return false
    }
}
