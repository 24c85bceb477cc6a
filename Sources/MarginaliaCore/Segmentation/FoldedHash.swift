/// FNV-1a over ASCII-case-folded bytes: a token's identity for word lists and tries, computed without allocating.
///
/// Analyzers hash each token once and compare hashes, so looking a word up in a list costs no `String`.
public enum FoldedHash {
    /// The hash of `text`, folded to lower case.
    public static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of($0, 0, $0.count) }
    }

    /// The hash of `bytes[start..<end]`, folded to lower case.
    @inline(__always)
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            var byte = bytes[i]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
            i += 1
        }
        return hash
    }
}
