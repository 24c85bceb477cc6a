/// The `token` and `sentence` layers of one document as flat arrays, for analyzers that read tokens in context.
///
/// Each token carries its case-folded hash, so word lists are checked without building strings, the index of its
/// sentence, and the index of its word in the document's vocabulary (``types``); each sentence is a range of
/// token indices.
public struct TokenTable: Sendable {
    public struct Entry: Sendable {
        // Offsets and the sentence as 32 bits (token columns hold offsets so too): 32 bytes a token rather than
        // 40, and every analyzer walks this array.
        @usableFromInline let start32: UInt32
        @usableFromInline let end32: UInt32
        public let hash: UInt64
        /// The index of the token's folded hash in ``TokenTable/types``.
        public let type: Int32
        @usableFromInline let sentence32: Int32
        /// What the segmenter took the token for.
        public let kind: Token.Kind
        /// Starts with an ASCII capital.
        public let capitalised: Bool
        /// The token's first byte.
        public let firstByte: UInt8
        /// Which ASCII letters the token holds: ``FoldedHash/hasUpper`` and ``FoldedHash/hasLower`` bits, read
        /// with its hash (so shapes such as "all capitals" need no second pass over the text).
        public let letters: UInt8

        init(start: Int, end: Int, hash: UInt64, kind: Token.Kind, capitalised: Bool, firstByte: UInt8, letters: UInt8, type: Int32, sentence: Int) {
            start32 = UInt32(start)
            end32 = UInt32(end)
            self.hash = hash
            self.type = type
            sentence32 = Int32(sentence)
            self.kind = kind
            self.capitalised = capitalised
            self.firstByte = firstByte
            self.letters = letters
        }

        /// Where the token starts, in UTF-8 bytes of the text.
        @inlinable public var start: Int { Int(start32) }
        /// Where it ends.
        @inlinable public var end: Int { Int(end32) }
        /// The index of its sentence in ``TokenTable/sentences``.
        @inlinable public var sentence: Int { Int(sentence32) }
        /// A `word` token (not a number, punctuation, URL or symbol).
        public var isWord: Bool { kind == .word }
        /// Holds an ASCII letter and no small one ("NATO", "U.S."; not "3", "Iran" or "É").
        public var isAllCapitals: Bool { letters == FoldedHash.hasUpper }
    }

    public private(set) var tokens: [Entry] = []
    /// Token index ranges, one per sentence, in order.
    public private(set) var sentences: [Range<Int>] = []
    /// The document's distinct folded hashes, in order of first use: its vocabulary. A report of two thousand
    /// tokens has some seven hundred, so a lexicon consulted for every token is consulted once per type instead
    /// (see ``perType(_:)``); the lexicons' large tables are where an analyzer waits on memory.
    public private(set) var types: [UInt64] = []

    /// Reads the `token` and `sentence` layers of `store` over `document`'s bytes.
    public init(document: Document, store: AnnotationStore) {
        let sentenceSpans = store.annotations(in: "sentence").map(\.span)
        // The built-in tokens are columns, read in place; a token layer of annotations is read into the same form.
        var starts: [UInt32] = []
        var ends: [UInt32] = []
        var kinds: [Token.Kind] = []
        let columns = store.tokenColumns(in: "token")
        if columns == nil {
            store.forEachToken { start, end, kind in
                starts.append(UInt32(start))
                ends.append(UInt32(end))
                kinds.append(kind)
            }
        }
        let count = columns?.count ?? starts.count
        var sentences: [Range<Int>] = []
        var types: [UInt64] = []
        tokens = document.utf8.withUnsafeBufferPointer { bytes in
            (columns?.starts ?? starts).withUnsafeBufferPointer { starts in
                (columns?.ends ?? ends).withUnsafeBufferPointer { ends in
                    (columns?.kinds ?? kinds).withUnsafeBufferPointer { kinds in
                        Self.entries(
                            bytes: bytes, starts: starts, ends: ends, kinds: kinds, count: count, sentenceSpans: sentenceSpans,
                            sentences: &sentences, types: &types)
                    }
                }
            }
        }
        self.sentences = sentences
        self.types = types
    }

    /// The entries of `count` tokens, with the sentence ranges and the vocabulary, in one pass: each token's
    /// bytes are read once (its hash and letters), and its type is numbered as it is met, through an
    /// open-addressed table at most half full: small (a slot per token or two) and so in cache, unlike the
    /// lexicons it spares.
    private static func entries(
        bytes: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<UInt32>, ends: UnsafeBufferPointer<UInt32>,
        kinds: UnsafeBufferPointer<Token.Kind>, count: Int, sentenceSpans: [TextSpan], sentences: inout [Range<Int>],
        types: inout [UInt64]
    ) -> [Entry] {
        let (size, shift) = HashSlots.sizing(capacity: count)
        let mask = size - 1
        // Per slot, the type stored there plus one; 0 marks an empty slot.
        var slots = [Int32](repeating: 0, count: size)
        // Written before it is read (a type's slot is filled as the type is met): no need to clear it first.
        var distinctHashes = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var distinct = 0
        var sentence = 0
        var rangeStart = 0
        sentences.reserveCapacity(sentenceSpans.count + 1)
        let entries = slots.withUnsafeMutableBufferPointer { slots in
            distinctHashes.withUnsafeMutableBufferPointer { distinctHashes in
                [Entry](unsafeUninitializedCapacity: count) { entries, initialized in
                    for index in 0..<count {
                        let start = Int(starts[index]), end = Int(ends[index])
                        while sentence < sentenceSpans.count, sentenceSpans[sentence].end <= start {
                            sentences.append(rangeStart..<index)
                            rangeStart = index
                            sentence += 1
                        }
                        let (hash, letters) = FoldedHash.withCase(bytes, start, end)
                        var slot = HashSlots.slot(of: hash, shift: shift)
                        var type = 0
                        while true {
                            let stored = Int(slots[slot])
                            if stored == 0 {
                                distinctHashes[distinct] = hash
                                distinct += 1
                                slots[slot] = Int32(distinct)
                                type = distinct - 1
                                break
                            }
                            if distinctHashes[stored - 1] == hash {
                                type = stored - 1
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                        let first = bytes[start]
                        (entries.baseAddress! + index).initialize(
                            to: Entry(
                                start: start, end: end, hash: hash, kind: kinds[index], capitalised: UTF8Scanning.isUpper(first),
                                firstByte: first, letters: letters, type: Int32(type), sentence: sentence))
                    }
                    initialized = count
                }
            }
        }
        sentences.append(rangeStart..<count)
        types = Array(distinctHashes[0..<distinct])
        return entries
    }

    /// `value` of each type's hash, indexed by type: a lexicon's answer for every token is then
    /// `answers[Int(token.type)]`, one lookup per distinct word. (Inlinable, so an analyzer's lookup is
    /// specialised into it rather than called through generics.)
    @inlinable public func perType<Value>(_ value: (UInt64) throws -> Value) rethrows -> [Value] {
        try [Value](unsafeUninitializedCapacity: types.count) { buffer, initialized in
            for (index, hash) in types.enumerated() {
                (buffer.baseAddress! + index).initialize(to: try value(hash))
                initialized = index + 1
            }
        }
    }

    /// `value` of each token's hash, computed once per type (see ``perType(_:)``).
    @inlinable public func perToken<Value>(_ value: (UInt64) throws -> Value) rethrows -> [Value] {
        let byType = try perType(value)
        return byType.withUnsafeBufferPointer { byType in
            tokens.withUnsafeBufferPointer { tokens in
                [Value](unsafeUninitializedCapacity: tokens.count) { buffer, initialized in
                    for index in tokens.indices { (buffer.baseAddress! + index).initialize(to: byType[Int(tokens[index].type)]) }
                    initialized = tokens.count
                }
            }
        }
    }

    /// The index of the first token starting at or after byte `offset`.
    public func firstToken(atOrAfter offset: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].start < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
