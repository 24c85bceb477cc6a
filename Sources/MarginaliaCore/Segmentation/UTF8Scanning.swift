/// Byte-level classification of UTF-8 text, shared by the tokenizer, loaders and analyzers.
///
/// Everything here reads bytes; nothing builds `Character`s. Non-ASCII scalars are classified by their encoded
/// bytes, which covers the punctuation and spaces that matter for English prose (typographic quotes, dashes, the
/// ellipsis, no-break spaces) and treats every other letter-like scalar as part of a word.
public enum UTF8Scanning {
    /// The byte length of the scalar that starts with `lead`.
    @inline(__always)
    public static func scalarLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    @inline(__always) public static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
    @inline(__always) public static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    @inline(__always) public static func isUpper(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }
    @inline(__always) public static func isLower(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    /// The width in bytes of the white-space scalar at `i`, or 0 when there is none.
    @inline(__always)
    public static func spaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let byte = bytes[i]
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C: return 1
        case 0xC2: return i + 1 < bytes.count && bytes[i + 1] == 0xA0 ? 2 : 0  // no-break space
        case 0xE2:
            guard i + 2 < bytes.count else { return 0 }
            let b1 = bytes[i + 1], b2 = bytes[i + 2]
            if b1 == 0x80, (b2 >= 0x80 && b2 <= 0x8B) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF { return 3 }
            if b1 == 0x81, b2 == 0x9F || b2 == 0xA0 { return 3 }
            return 0
        case 0xE3: return i + 2 < bytes.count && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 ? 3 : 0
        case 0xEF: return i + 2 < bytes.count && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF ? 3 : 0  // BOM / ZWNBSP
        default: return 0
        }
    }

    /// True when the scalar at `i` belongs inside a word: an ASCII letter or digit, or a non-ASCII scalar that is
    /// not punctuation, a symbol, a space or an emoji.
    @inline(__always)
    public static func isWordScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let byte = bytes[i]
        if byte < 0x80 { return isASCIILetter(byte) || isDigit(byte) }
        if byte < 0xC0 { return false }  // a stray continuation byte
        return !isNonASCIIPunctuationOrSymbol(bytes, i) && spaceWidth(bytes, i) == 0
    }

    /// Non-ASCII scalars that act as punctuation or symbols rather than letters.
    @inline(__always)
    static func isNonASCIIPunctuationOrSymbol(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let byte = bytes[i]
        guard i + 1 < bytes.count else { return true }
        let b1 = bytes[i + 1]
        switch byte {
        case 0xC2: return b1 >= 0xA1 && b1 <= 0xBF && b1 != 0xAA && b1 != 0xB5 && b1 != 0xBA  // ¡…¿ but ª µ º
        case 0xC3: return b1 == 0x97 || b1 == 0xB7  // × ÷
        case 0xE2: return true  // general punctuation, currency, letterlike symbols, arrows, maths, dingbats
        case 0xE3: return b1 == 0x80  // CJK punctuation
        case 0xEF: return b1 == 0xBC || b1 == 0xBD || b1 == 0xBF  // full-width forms and specials
        case 0xF0: return b1 == 0x9F  // emoji and pictographs
        default: return false
        }
    }

    /// The byte length of an apostrophe at `i` (`'` or `’`), or 0.
    @inline(__always)
    public static func apostropheWidth(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        if bytes[i] == UInt8(ascii: "'") { return 1 }
        if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0x99 { return 3 }
        return 0
    }

    /// The Unicode general category of a non-ASCII scalar is out of reach without tables; these are the opening
    /// quotes and brackets a sentence may start with.
    @inline(__always)
    public static func isOpeningPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        switch bytes[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "`"): return true
        case 0xE2: return i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0x9C || bytes[i + 2] == 0x98)
        case 0xC2: return i + 1 < bytes.count && bytes[i + 1] == 0xAB
        default: return false
        }
    }

    /// Closing quotes and brackets that stay with the sentence they end.
    @inline(__always)
    public static func isClosingPunctuation(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        switch bytes[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"): return true
        case 0xE2: return i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0x9D || bytes[i + 2] == 0x99)
        case 0xC2: return i + 1 < bytes.count && bytes[i + 1] == 0xBB
        default: return false
        }
    }

    /// True when bytes at `i` start with `prefix`, ignoring ASCII case.
    @inline(__always)
    public static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, caseInsensitive prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let start = prefix.utf8Start
        for k in 0..<count where (bytes[i + k] | 0x20) != (start[k] | 0x20) {
            return false
        }
        return true
    }

    /// Whitespace-separated words (space, tab, CR, LF), as evaluation harnesses count them.
    ///
    /// Eight bytes at a time: a word starts at each byte that is not a space after one that is, and those are
    /// counted as bits (every document is counted once per batch run).
    public static func wordCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let n = buffer.count
            let ones: UInt64 = 0x0101_0101_0101_0101
            let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            // High bit of each byte of `x` that is zero; exact, as no carry crosses a byte.
            @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { ~(((x & lows) &+ lows) | x) & ~lows }
            var count = 0
            var previousSpace: UInt64 = 0x80  // before the text counts as space
            var i = 0
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let space = zeroBytes(word ^ (ones &* 0x20)) | zeroBytes(word ^ (ones &* 0x0A))
                    | zeroBytes(word ^ (ones &* 0x09)) | zeroBytes(word ^ (ones &* 0x0D))
                let starts = ~space & ~lows & ((space << 8) | previousSpace)
                count += starts.nonzeroBitCount
                previousSpace = space >> 56
                i += 8
            }
            var inWord = previousSpace == 0
            while i < n {
                let byte = base[i]
                let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
                if !space, !inWord { count += 1 }
                inWord = !space
                i += 1
            }
            return count
        }
    }
}
