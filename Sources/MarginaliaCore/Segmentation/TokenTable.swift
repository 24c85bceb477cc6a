/// The `token` and `sentence` layers of one document as flat arrays, for analyzers that read tokens in context.
///
/// Each token carries its case-folded hash, so word lists are checked without building strings, and the index of
/// its sentence; each sentence is a range of token indices.
public struct TokenTable: Sendable {
    public struct Entry: Sendable {
        public var start: Int
        public var end: Int
        public var hash: UInt64
        /// What the segmenter took the token for.
        public var kind: Token.Kind
        /// A `word` token (not a number, punctuation, URL or symbol).
        public var isWord: Bool { kind == .word }
        /// Starts with an ASCII capital.
        public var capitalised: Bool
        public var sentence: Int
    }

    public private(set) var tokens: [Entry] = []
    /// Token index ranges, one per sentence, in order.
    public private(set) var sentences: [Range<Int>] = []

    /// Reads the `token` and `sentence` layers of `store` over `document`'s bytes.
    public init(document: Document, store: AnnotationStore) {
        let sentenceSpans = store.annotations(in: "sentence").map(\.span)
        document.utf8.withUnsafeBufferPointer { bytes in
            var sentence = 0
            var rangeStart = 0
            tokens.reserveCapacity(store.count(in: "token"))
            store.forEachToken { start, end, kind in
                while sentence < sentenceSpans.count, sentenceSpans[sentence].end <= start {
                    sentences.append(rangeStart..<tokens.count)
                    rangeStart = tokens.count
                    sentence += 1
                }
                tokens.append(
                    Entry(
                        start: start, end: end, hash: FoldedHash.of(bytes, start, end), kind: kind,
                        capitalised: UTF8Scanning.isUpper(bytes[start]), sentence: sentence))
            }
            sentences.append(rangeStart..<tokens.count)
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
