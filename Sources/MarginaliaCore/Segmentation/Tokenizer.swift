/// English tokenization over UTF-8 bytes.
///
/// Rules, in the order they are tried at each position:
/// - URLs (`http://`, `https://`, `ftp://`, `www.`) run to the next space or angle bracket, minus trailing
///   sentence punctuation and unbalanced closing brackets: a URL is never split.
/// - Words join letters and digits across inner hyphens (`S-300`, `Iranian-Russian-Chinese`) and inner apostrophes
///   (`O'Brien`); clitics split off (`Iran` `'s`, `do` `n't`); letter-dot sequences stay whole (`U.S.`, `e.g.`);
///   known abbreviations and single-capital initials keep their period (`Gen.`, `Dr.`, `J.`).
/// - Numbers keep decimals, thousands separators and clock times (`3.5`, `1,000`, `10:30`).
/// - Runs of dots are one ellipsis token; `--` is one dash; every other punctuation or symbol scalar is a token.
///
/// Complexity: O(n) in the byte count, no allocation per token beyond the result array.
public enum Tokenizer {
    /// Tokenizes `text`.
    public static func tokenize(_ text: [UInt8]) -> [Token] {
        text.withUnsafeBufferPointer { tokenize($0) }
    }

    /// Tokenizes a buffer of UTF-8 bytes.
    public static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 5)
        var i = 0
        let n = bytes.count
        while i < n {
            let space = UTF8Scanning.spaceWidth(bytes, i)
            if space > 0 {
                i += space
                continue
            }
            if let end = urlEnd(bytes, i) {
                tokens.append(Token(start: i, end: end, kind: .url))
                i = end
                continue
            }
            if let end = negationCliticEnd(bytes, i) ?? cliticEnd(bytes, i, afterWord: tokens.last.map { $0.end == i && $0.kind == .word } ?? false) {
                tokens.append(Token(start: i, end: end, kind: .word))
                i = end
                continue
            }
            if UTF8Scanning.isWordScalar(bytes, i) {
                let (end, kind) = wordEnd(bytes, i)
                tokens.append(Token(start: i, end: end, kind: kind))
                i = end
                continue
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                var end = i + 1
                while end < n, bytes[end] == byte { end += 1 }
                if end - i >= 2 {
                    tokens.append(Token(start: i, end: end, kind: .punct))
                    i = end
                    continue
                }
            }
            let width = min(UTF8Scanning.scalarLength(byte), n - i)
            tokens.append(Token(start: i, end: i + width, kind: isPunctuation(bytes, i) ? .punct : .symbol))
            i += width
        }
        return tokens
    }

    /// Punctuation as opposed to symbols (currency, maths, emoji): ASCII punctuation and the General Punctuation block.
    private static func isPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let byte = bytes[i]
        if byte < 0x80 {
            switch byte {
            case UInt8(ascii: "$"), UInt8(ascii: "+"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: ">"),
                UInt8(ascii: "^"), UInt8(ascii: "|"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: "#"),
                UInt8(ascii: "&"), UInt8(ascii: "@"), UInt8(ascii: "*"), UInt8(ascii: "`"):
                return false
            default:
                return true
            }
        }
        if byte == 0xE2, i + 1 < bytes.count { return bytes[i + 1] == 0x80 }
        if byte == 0xC2, i + 1 < bytes.count { return bytes[i + 1] == 0xAB || bytes[i + 1] == 0xBB || bytes[i + 1] == 0xBF || bytes[i + 1] == 0xA1 }
        return false
    }

    // MARK: - URLs

    private static func urlEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let first = bytes[i] | 0x20
        guard first == UInt8(ascii: "h") || first == UInt8(ascii: "w") || first == UInt8(ascii: "f") else { return nil }
        let prefixLength: Int
        if UTF8Scanning.hasPrefix(bytes, at: i, caseInsensitive: "https://") { prefixLength = 8 }
        else if UTF8Scanning.hasPrefix(bytes, at: i, caseInsensitive: "http://") { prefixLength = 7 }
        else if UTF8Scanning.hasPrefix(bytes, at: i, caseInsensitive: "ftp://") { prefixLength = 6 }
        else if UTF8Scanning.hasPrefix(bytes, at: i, caseInsensitive: "www.") { prefixLength = 4 }
        else { return nil }
        // A word that merely starts with these letters ("whatever") is not a URL; "www." must be followed by a name.
        var end = i + prefixLength
        guard end < bytes.count, UTF8Scanning.isWordScalar(bytes, end) else { return nil }
        if i > 0, UTF8Scanning.isWordScalar(bytes, i - 1) { return nil }
        var parens = 0
        var brackets = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte <= 0x20 || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
                || UTF8Scanning.spaceWidth(bytes, end) > 0
            {
                break
            }
            if byte == 0xE2, UTF8Scanning.isClosingPunctuation(bytes, end) || UTF8Scanning.isOpeningPunctuation(bytes, end) { break }
            if byte == UInt8(ascii: "(") { parens += 1 }
            if byte == UInt8(ascii: ")") { parens -= 1 }
            if byte == UInt8(ascii: "[") { brackets += 1 }
            if byte == UInt8(ascii: "]") { brackets -= 1 }
            end += UTF8Scanning.scalarLength(byte)
        }
        end = min(end, bytes.count)
        // Sentence punctuation and unbalanced closers after a URL belong to the sentence.
        while end > i + prefixLength {
            let last = bytes[end - 1]
            if last == UInt8(ascii: ")"), parens < 0 { parens += 1; end -= 1; continue }
            if last == UInt8(ascii: "]"), brackets < 0 { brackets += 1; end -= 1; continue }
            switch last {
            case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
                UInt8(ascii: "?"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                end -= 1
                continue
            default:
                break
            }
            break
        }
        return end
    }

    // MARK: - Words and numbers

    /// Scans a word or number starting at a word scalar.
    private static func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Token.Kind) {
        let n = bytes.count
        var end = runEnd(bytes, start)
        var allDigits = isDigits(bytes, start, end)
        var segmentStart = start
        // Letter-dot sequences: U.S., e.g., U.N.
        if end - start == 1, UTF8Scanning.isASCIILetter(bytes[start]), end + 1 < n, bytes[end] == UInt8(ascii: "."),
            UTF8Scanning.isASCIILetter(bytes[end + 1]), end + 2 == n || !UTF8Scanning.isWordScalar(bytes, end + 2)
        {
            var cursor = end
            while cursor + 1 < n, bytes[cursor] == UInt8(ascii: "."), UTF8Scanning.isASCIILetter(bytes[cursor + 1]),
                cursor + 2 == n || !UTF8Scanning.isWordScalar(bytes, cursor + 2)
            {
                cursor += 2
            }
            if cursor < n, bytes[cursor] == UInt8(ascii: ".") { cursor += 1 }
            return (cursor, .word)
        }
        while end < n {
            let byte = bytes[end]
            // Inner hyphen: S-300, Iranian-Russian-Chinese, 2019-2020.
            if byte == UInt8(ascii: "-"), end + 1 < n, UTF8Scanning.isWordScalar(bytes, end + 1) {
                segmentStart = end + 1
                end = runEnd(bytes, end + 1)
                allDigits = false
                continue
            }
            // Decimals and thousands: 3.5, 1,000, 10:30.
            if (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":")), allDigits,
                end + 1 < n, UTF8Scanning.isDigit(bytes[end + 1])
            {
                let next = runEnd(bytes, end + 1)
                if isDigits(bytes, end + 1, next) {
                    if byte == UInt8(ascii: ","), next - (end + 1) != 3 { break }
                    segmentStart = end + 1
                    end = next
                    continue
                }
            }
            // Inner apostrophe: keep O'Brien whole, leave clitics ('s, n't) to their own tokens.
            let apostrophe = UTF8Scanning.apostropheWidth(bytes, end)
            if apostrophe > 0, end + apostrophe < n, UTF8Scanning.isWordScalar(bytes, end + apostrophe) {
                if cliticLength(bytes, end + apostrophe) != nil { break }
                if bytes[end - 1] | 0x20 == UInt8(ascii: "n"), end - 1 > segmentStart,
                    isNegationClitic(bytes, end - 1)
                {
                    return (end - 1, .word)
                }
                segmentStart = end + apostrophe
                end = runEnd(bytes, end + apostrophe)
                allDigits = false
                continue
            }
            break
        }
        if allDigits { return (end, .number) }
        // Abbreviations and initials keep their period.
        if end < n, bytes[end] == UInt8(ascii: "."),
            (end - start == 1 && UTF8Scanning.isUpper(bytes[start])) || Abbreviations.contains(bytes, start, end)
        {
            return (end + 1, .word)
        }
        return (end, .word)
    }

    @inline(__always)
    private static func runEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var end = start
        while end < bytes.count, UTF8Scanning.isWordScalar(bytes, end) {
            end += UTF8Scanning.scalarLength(bytes[end])
        }
        return min(end, bytes.count)
    }

    @inline(__always)
    private static func isDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if !UTF8Scanning.isDigit(bytes[i]) { return false }
            i += 1
        }
        return end > start
    }

    // MARK: - Clitics

    /// `'s`, `'re`, `'ll`, `'ve`, `'d`, `'m` after a word: the length of the letters after the apostrophe.
    private static func cliticLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = bytes.count
        func letter(_ k: Int) -> UInt8? { k < n ? bytes[k] | 0x20 : nil }
        func endsAt(_ k: Int) -> Bool { k >= n || !UTF8Scanning.isWordScalar(bytes, k) }
        switch letter(i) {
        case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "m"):
            return endsAt(i + 1) ? 1 : nil
        case UInt8(ascii: "r"):
            return letter(i + 1) == UInt8(ascii: "e") && endsAt(i + 2) ? 2 : nil
        case UInt8(ascii: "l"):
            return letter(i + 1) == UInt8(ascii: "l") && endsAt(i + 2) ? 2 : nil
        case UInt8(ascii: "v"):
            return letter(i + 1) == UInt8(ascii: "e") && endsAt(i + 2) ? 2 : nil
        default:
            return nil
        }
    }

    private static func cliticEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, afterWord: Bool) -> Int? {
        guard afterWord else { return nil }
        let apostrophe = UTF8Scanning.apostropheWidth(bytes, i)
        guard apostrophe > 0, i + apostrophe < bytes.count, let length = cliticLength(bytes, i + apostrophe) else { return nil }
        return i + apostrophe + length
    }

    /// `n't` at `i`, ending a word.
    private static func isNegationClitic(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "n") else { return false }
        let apostrophe = UTF8Scanning.apostropheWidth(bytes, i + 1 < bytes.count ? i + 1 : i)
        guard apostrophe > 0, i + 1 + apostrophe < bytes.count, bytes[i + 1 + apostrophe] | 0x20 == UInt8(ascii: "t") else { return false }
        let after = i + 2 + apostrophe
        return after >= bytes.count || !UTF8Scanning.isWordScalar(bytes, after)
    }

    private static func negationCliticEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i > 0, UTF8Scanning.isWordScalar(bytes, i - 1), isNegationClitic(bytes, i) else { return nil }
        return i + 2 + UTF8Scanning.apostropheWidth(bytes, i + 1)
    }
}
