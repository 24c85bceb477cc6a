import MarginaliaCore

/// A quotation found in the text: the span between its marks, and how it was marked.
struct Quotation: Sendable, Equatable {
    /// The quoted text, without the marks.
    var inner: TextSpan
    /// The quoted text with its marks.
    var outer: TextSpan
    /// Single marks inside a double-quoted passage.
    var nested: Bool
    /// Continues over a paragraph break (the first paragraph leaves the quotation open, the next reopens it).
    var spansParagraphs: Bool
    /// Words inside, counted by runs of letters or digits.
    var words: Int
    /// Ends in sentence punctuation (the quotation is a sentence or more).
    var endsSentence: Bool
}

/// Pairs quotation marks in one pass over the UTF-8 bytes.
///
/// Double marks: typographic “ ” pair by direction; straight `"` alternate within a paragraph. A quotation left
/// open at a paragraph break continues when the next paragraph opens with a mark (the convention for quoting
/// several paragraphs) and is dropped otherwise, so one stray mark cannot swallow the rest of a document.
/// Single marks ‘ ’ count inside a double-quoted passage (nested), or outside one when ‘ follows a space and
/// the closing ’ is not followed by a letter, which leaves apostrophes ("Iran’s", "’90s") alone.
enum QuoteScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Quotation] {
        var result: [Quotation] = []
        var doubleOpen: Int? = nil  // offset of the opening mark
        var doubleMarkWidth = 0
        var continued = false
        var singleOpen: Int? = nil
        var i = 0
        let n = bytes.count

        func isParagraphBreak(_ at: Int) -> Bool {
            // "\n" followed by optional spaces and another "\n".
            guard bytes[at] == 0x0A else { return false }
            var j = at + 1
            while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
            return j < n && bytes[j] == 0x0A
        }
        func nextParagraphOpensQuote(_ at: Int) -> Bool {
            var j = at
            while j < n, bytes[j] == 0x0A || bytes[j] == 0x20 || bytes[j] == 0x0D || bytes[j] == 0x09 { j += 1 }
            if j < n, bytes[j] == 0x22 { return true }
            return j + 2 < n && bytes[j] == 0xE2 && bytes[j + 1] == 0x80 && bytes[j + 2] == 0x9C
        }
        func close(open: Int, openWidth: Int, at: Int, width: Int, nested: Bool) {
            let inner = TextSpan(open + openWidth, at)
            guard inner.start < inner.end else { return }
            var words = 0
            var inWord = false
            var lastVisible: UInt8 = 0
            for k in inner.start..<inner.end {
                let byte = bytes[k]
                let wordByte = UTF8Scanning.isASCIILetter(byte) || UTF8Scanning.isDigit(byte) || byte >= 0x80
                if wordByte && !inWord { words += 1 }
                inWord = wordByte
                if byte > 0x20 { lastVisible = byte }
            }
            let endsSentence = lastVisible == 0x2E || lastVisible == 0x21 || lastVisible == 0x3F || lastVisible == 0x2C
            result.append(
                Quotation(
                    inner: inner, outer: TextSpan(open, at + width), nested: nested,
                    spansParagraphs: continued && !nested, words: words, endsSentence: endsSentence))
        }
        func isLetter(_ at: Int) -> Bool {
            at < n && (UTF8Scanning.isASCIILetter(bytes[at]) || UTF8Scanning.isDigit(bytes[at]) || bytes[at] >= 0xC3)
        }
        func followsBoundary(_ at: Int) -> Bool {
            guard at > 0 else { return true }
            let before = bytes[at - 1]
            return before == 0x20 || before == 0x0A || before == 0x09 || before == 0x28 || before == 0x5B || before == 0x2D
                || before == 0x9C  // after “
        }

        while i < n {
            // Most bytes are none of the four the loop acts on (line feed, `"`, `'`, the lead byte of “ ” ‘ ’):
            // those are passed over eight at a time.
            while i + 8 <= n, !mayMatter(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)) { i += 8 }
            guard i < n else { break }
            let byte = bytes[i]
            if byte == 0x0A, isParagraphBreak(i) {
                if let open = doubleOpen {
                    if nextParagraphOpensQuote(i) {
                        // The quotation goes on; the reopening mark is skipped below.
                        continued = true
                        var j = i
                        while j < n, bytes[j] == 0x0A || bytes[j] == 0x20 || bytes[j] == 0x0D || bytes[j] == 0x09 { j += 1 }
                        i = j + (bytes[j] == 0x22 ? 1 : 3)
                        _ = open
                        continue
                    }
                    doubleOpen = nil
                    continued = false
                }
                singleOpen = nil
                i += 1
                continue
            }
            // `"`, or two apostrophes standing for one (a typewriter convention some archives keep).
            let straightWidth = byte == 0x22 ? 1 : byte == 0x27 && i + 1 < n && bytes[i + 1] == 0x27 ? 2 : 0
            if straightWidth > 0 {
                if let open = doubleOpen {
                    close(open: open, openWidth: doubleMarkWidth, at: i, width: straightWidth, nested: false)
                    doubleOpen = nil
                    continued = false
                    singleOpen = nil
                } else {
                    doubleOpen = i
                    doubleMarkWidth = straightWidth
                }
                i += straightWidth
                continue
            }
            if byte == 0xE2, i + 2 < n, bytes[i + 1] == 0x80 {
                switch bytes[i + 2] {
                case 0x9C:  // “
                    if doubleOpen == nil {
                        doubleOpen = i
                        doubleMarkWidth = 3
                    }
                case 0x9D:  // ”
                    if let open = doubleOpen {
                        close(open: open, openWidth: doubleMarkWidth, at: i, width: 3, nested: false)
                        doubleOpen = nil
                        continued = false
                        singleOpen = nil
                    } else if i == 0 || bytes[i - 1] == 0x0A, isLetter(i + 3) {
                        // A closing mark that opens a paragraph (a typing slip some sites keep) opens a quotation.
                        doubleOpen = i
                        doubleMarkWidth = 3
                    }
                case 0x98:  // ‘
                    if singleOpen == nil, followsBoundary(i) { singleOpen = i }
                case 0x99:  // ’ closes a quotation only when no letter follows (else it is an apostrophe)
                    if let open = singleOpen, !isLetter(i + 3) {
                        close(open: open, openWidth: 3, at: i, width: 3, nested: doubleOpen != nil)
                        singleOpen = nil
                    }
                default:
                    break
                }
                i += 3
                continue
            }
            i += 1
        }
        return result.sorted { $0.outer.start < $1.outer.start }
    }

    /// True when one of the eight bytes of `word` is a line feed, `"`, `'` or 0xE2. Exact: a byte equal to `b`
    /// is a zero byte of `word ^ b…b`, and `(x - 0x01…01) & ~x & 0x80…80` is nonzero exactly when `x` has one.
    @inline(__always)
    static func mayMatter(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return zeroByte(word ^ (ones &* 0x0A)) | zeroByte(word ^ (ones &* 0x22)) | zeroByte(word ^ (ones &* 0x27))
            | zeroByte(word ^ (ones &* 0xE2)) != 0
    }
}
