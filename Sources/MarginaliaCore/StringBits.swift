extension String {
    /// The two machine words of this `String` value, or nil where a string is not two words.
    ///
    /// Equal short strings (up to 15 UTF-8 bytes) hold their text in these words, so they have equal bits; a longer
    /// string's words point to its storage, which copies of it share. A cache keyed by the bits that holds the
    /// string keeps that storage alive, so it cannot be freed and reused for other text: equal bits then mean equal
    /// text, found with a comparison of two words instead of the text, and unequal bits (the same text in two
    /// storages) only miss.
    @inlinable public var identityBits: (UInt64, UInt64)? {
        guard MemoryLayout<String>.size == 16 else { return nil }
        return unsafeBitCast(self, to: (UInt64, UInt64).self)
    }
}
