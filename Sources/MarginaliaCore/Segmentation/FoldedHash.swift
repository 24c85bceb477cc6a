/// A token's identity for word lists and tries: a 64-bit hash of its ASCII-case-folded bytes, computed without
/// allocating.
///
/// Analyzers hash each token once and compare hashes, so looking a word up in a list costs no `String`. The
/// bytes are taken eight at a time: upper-case ASCII letters are folded within the word by a few bit operations,
/// and each word costs one multiply. (A byte-at-a-time hash waits on a multiply per byte, and its loop's exit,
/// at a different length for each token, is a branch the processor mostly guesses wrong.)
public enum FoldedHash {
    /// The hash of `text`, folded to lower case.
    public static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of($0, 0, $0.count) }
    }

    /// The hash of `bytes[start..<end]`, folded to lower case.
    @inline(__always)
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        // The letters ``withCase(_:_:_:)`` also reports are unused here, and inlined, their work is dropped.
        withCase(bytes, start, end).hash
    }

    /// ``of(_:_:_:)`` together with which ASCII letters the bytes hold, from the same eight-byte words: bit
    /// ``hasUpper`` for a capital "A"–"Z", bit ``hasLower`` for "a"–"z". A token's shape (all capitals, has a
    /// letter) then costs no second reading of its bytes.
    @inline(__always)
    public static func withCase(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (hash: UInt64, letters: UInt8) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: end - start)
        guard start < end, let base = bytes.baseAddress else { return (finish(hash), 0) }
        precondition(start >= 0 && end <= bytes.count, "hashed range outside the buffer")
        let raw = UnsafeRawPointer(base)
        var i = start
        var upper: UInt64 = 0
        var lower: UInt64 = 0
        while end - i > 8 {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let (up, low) = cases(word)
            upper |= up
            lower |= low
            hash = mix(hash, word | (up >> 2))
            i += 8
        }
        // The last one to eight bytes as a load puts them in a word (little-endian), the bytes after `end`
        // cleared: loaded whole when the buffer goes on that far, as it does for all but a text's last bytes.
        let tail = end - i
        var word: UInt64
        if i + 8 <= bytes.count {
            word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if tail < 8 { word &= (1 << UInt64(8 * tail)) &- 1 }
        } else {
            word = 0
            for offset in 0..<tail { word |= UInt64(base[i + offset]) << UInt64(8 * offset) }
        }
        let (up, low) = cases(word)
        upper |= up
        lower |= low
        let letters = (upper != 0 ? hasUpper : 0) | (lower != 0 ? hasLower : 0)
        return (finish(mix(hash, word | (up >> 2))), letters)
    }

    /// Bits of ``withCase(_:_:_:)``'s `letters`.
    public static let hasUpper: UInt8 = 1
    public static let hasLower: UInt8 = 2

    /// The top bit of each byte of `word` that is an ASCII capital, and of each that is an ASCII small letter.
    @inline(__always)
    static func cases(_ word: UInt64) -> (upper: UInt64, lower: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = word & (ones &* 0x7F)
        let high = ~word & (ones &* 0x80)
        // After adding, a byte's top bit says whether its low seven bits reach the range's first letter or pass
        // its last; no byte carries into the next, since each sum stays below 0x100. A capital folds to lower case
        // by its 0x20 bit: `word | (upper >> 2)`.
        let upper = (low7 &+ ones &* (0x80 - 0x41)) & ~(low7 &+ ones &* (0x80 - 0x5B)) & high
        let lower = (low7 &+ ones &* (0x80 - 0x61)) & ~(low7 &+ ones &* (0x80 - 0x7B)) & high
        return (upper, lower)
    }

    @inline(__always)
    static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return product ^ (product >> 29)
    }

    @inline(__always)
    static func finish(_ hash: UInt64) -> UInt64 {
        let product = (hash ^ (hash >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return product ^ (product >> 32)
    }
}
