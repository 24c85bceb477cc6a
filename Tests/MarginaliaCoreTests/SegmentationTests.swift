import Testing
@testable import MarginaliaCore

@Suite("Segmentation")
struct SegmentationTests {
    func tokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Tokenizer.tokenize(bytes).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    func sentences(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return SentenceSplitter.split(bytes, tokens: Tokenizer.tokenize(bytes)).map {
            String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)
        }
    }

    @Test func keepsAbbreviationsHyphensAndNumbersWhole() {
        #expect(tokens("The U.S. sold S-300s.") == ["The", "U.S.", "sold", "S-300s", "."])
        #expect(tokens("Gen. Qassem and Dr. J. Smith") == ["Gen.", "Qassem", "and", "Dr.", "J.", "Smith"])
        #expect(tokens("3.5 percent of $1,000,000 at 10:30") == ["3.5", "percent", "of", "$", "1,000,000", "at", "10:30"])
        #expect(tokens("Iranian-Russian-Chinese drill") == ["Iranian-Russian-Chinese", "drill"])
        #expect(tokens("e.g. this") == ["e.g.", "this"])
    }

    @Test func splitsCliticsAndPunctuation() {
        #expect(tokens("Iran's views don't change") == ["Iran", "'s", "views", "do", "n't", "change"])
        #expect(tokens("Iran’s O'Brien") == ["Iran", "’s", "O'Brien"])
        #expect(tokens("(quote) “new” — wait...") == ["(", "quote", ")", "“", "new", "”", "—", "wait", "..."])
    }

    @Test func neverBreaksAURL() {
        #expect(tokens("See https://www.mei.edu/a.b?x=1&y=(2). Then") == ["See", "https://www.mei.edu/a.b?x=1&y=(2)", ".", "Then"])
        #expect(tokens("(www.example.org/path)") == ["(", "www.example.org/path", ")"])
        #expect(tokens("whatever www") == ["whatever", "www"])
    }

    @Test func handlesNonASCIIAndEmoji() {
        #expect(tokens("Malmö University 👍🏽 café") == ["Malmö", "University", "👍", "🏽", "café"])
        #expect(tokens("a\u{00A0}b") == ["a", "b"])
    }

    @Test func splitsSentencesAtTerminalsAndBlankLines() {
        #expect(sentences("Iran acts. Russia waits! Does China? Yes.") == ["Iran acts.", "Russia waits!", "Does China?", "Yes."])
        #expect(sentences("Heading\n\nBody text here.") == ["Heading", "Body text here."])
        #expect(sentences("A line\ncontinues here.") == ["A line\ncontinues here."])
    }

    @Test func keepsAbbreviationsInitialsAndDecimalsInsideSentences() {
        #expect(sentences("Gen. Smith met Dr. Jones at 3.5 p.m. today. Then left.") == ["Gen. Smith met Dr. Jones at 3.5 p.m. today.", "Then left."])
        #expect(sentences("Mohammad J. Zarif spoke.") == ["Mohammad J. Zarif spoke."])
        #expect(sentences("It opposed U.S. pressure on Iran.") == ["It opposed U.S. pressure on Iran."])
        #expect(sentences("Sanctions came from the U.S. The talks failed.") == ["Sanctions came from the U.S.", "The talks failed."])
        #expect(sentences("e.g. this one. Next") == ["e.g. this one.", "Next"])
    }

    @Test func keepsClosingQuotesAndBracketsWithTheirSentence() {
        #expect(sentences("He said, “It is over.” Then he left.") == ["He said, “It is over.”", "Then he left."])
        #expect(sentences("(This is aside.) Main text.") == ["(This is aside.)", "Main text."])
        #expect(sentences("Wait... and see. Okay") == ["Wait... and see.", "Okay"])
    }

    @Test func emptyAndSpaceOnlyTextsHaveNoSegments() {
        #expect(tokens("").isEmpty)
        #expect(sentences("  \n\t ").isEmpty)
    }

    @Test func segmentAnalyzerProducesBothLayers() throws {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        var document = AnnotatedDocument(document: Document(id: "d", text: "One. Two three."))
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&document).isEmpty)
        #expect(document.store.count(in: "token") == 5)
        #expect(document.store.count(in: "sentence") == 2)
        #expect(document.store.annotations(in: "token").map(\.label) == ["word", "punct", "word", "word", "punct"])
    }
}

/// The pipeline stores the built-in tokens as columns: reading them must give exactly what the same tokens stored
/// as annotations give, and changing them must work as on any layer.
@Suite("Word counts")
struct WordCountTests {
    /// One byte at a time, the definition the eight-at-a-time count must agree with.
    func reference(_ bytes: [UInt8]) -> Int {
        var count = 0
        var inWord = false
        for byte in bytes {
            let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !space, !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    @Test func countsWhitespaceSeparatedWords() {
        #expect(UTF8Scanning.wordCount([]) == 0)
        #expect(UTF8Scanning.wordCount(Array("  \t\r\n ".utf8)) == 0)
        #expect(UTF8Scanning.wordCount(Array("Tehran, said  the\tminister;\r\nand Baku  ! ".utf8)) == 7)
        #expect(UTF8Scanning.wordCount(Array("Malmö’s port, 12 km".utf8)) == 4)
    }

    /// Random texts over the spaces and their neighbouring bytes (0x08, 0x0B, 0x0C, 0x21, 0x1F, 0xA0), where a
    /// word-at-a-time test that let a borrow cross bytes would go wrong, at every length and alignment.
    @Test func agreesWithTheByteByByteCountOnRandomTexts() {
        let alphabet: [UInt8] = [0x20, 0x0A, 0x09, 0x0D, 0x08, 0x0B, 0x0C, 0x21, 0x1F, 0xA0, 0x61, 0x00, 0xFF, 0x2A]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0..<200 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return alphabet[Int(state >> 33) % alphabet.count]
                }
                #expect(UTF8Scanning.wordCount(bytes) == reference(bytes), "\(bytes)")
            }
        }
    }
}

@Suite("Token columns")
struct TokenColumnsTests {
    static let text = "Tehran’s envoy said: “Moscow will help.” Then 3.5 % more... See https://example.org/x. Done"

    func segmented() throws -> AnnotatedDocument {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        var document = AnnotatedDocument(document: Document(id: "d", text: Self.text))
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&document).isEmpty)
        return document
    }

    @Test func queriesAgreeWithTheSameTokensAsAnnotations() throws {
        let columnar = try segmented().store
        let columns = try #require(columnar.tokenColumns(in: "token"))
        let plain = try AnnotationStore(columnar.all)
        #expect(plain.tokenColumns(in: "token") == nil)
        #expect(columnar.annotations(in: "token") == plain.annotations(in: "token"))
        #expect(columnar.count == plain.count)
        #expect(columns.count == plain.count(in: "token"))
        #expect(columnar.annotations(in: "token").first?.id == "segment-1")
        #expect(columnar.tokens() == plain.tokens())
        let length = Self.text.utf8.count
        for start in 0...length {
            for end in [start, min(start + 1, length), min(start + 7, length), length] {
                let span = TextSpan(start, end)
                #expect(columnar.overlapping(span, in: "token") == plain.overlapping(span, in: "token"))
                #expect(columnar.inside(span, in: "token") == plain.inside(span, in: "token"))
                #expect(columnar.containing(span, in: "token") == plain.containing(span, in: "token"))
            }
        }
        for annotation in plain.annotations(in: "token") {
            #expect(columnar[annotation.id] == annotation)
            #expect(columnar.span(of: annotation.id) == annotation.span)
            #expect(columnar.contains(id: annotation.id))
        }
        #expect(columnar["segment-\(columns.count + 100)"] == nil)
        #expect(columnar.span(of: "segment-\(columns.count + 100)") == nil)
    }

    @Test func changesTurnColumnsIntoAnnotations() throws {
        var store = try segmented().store
        let tokenCount = store.count(in: "token")
        var second = try #require(store["segment-2"])
        second.label = "symbol"
        try store.replace(second)
        #expect(store.tokenColumns(in: "token") == nil)
        #expect(store["segment-2"]?.label == "symbol")
        #expect(store.remove(id: "segment-1") != nil)
        #expect(store.count(in: "token") == tokenCount - 1)
        try store.add(Annotation(id: store.makeID(prefix: "segment"), layer: "token", label: "word", span: TextSpan(0, 6)))
        #expect(store.count(in: "token") == tokenCount)
    }

    @Test func fallsBackToAnnotationsWhenTheIdsAreTaken() throws {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        // A loaded document that already uses segment-3 for something else.
        let document = Document(id: "d", text: "One two three four.")
        var annotated = AnnotatedDocument(
            document: document,
            store: try AnnotationStore([Annotation(id: "segment-3", layer: "note", label: "x", span: TextSpan(0, 3), producer: "analyst")]))
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&annotated).isEmpty)
        #expect(annotated.store.tokenColumns(in: "token") == nil)
        #expect(annotated.store.count(in: "token") == 5)
        #expect(annotated.store["segment-3"]?.layer == "note")
        #expect(Set(annotated.store.all.map(\.id)).count == annotated.store.count)
    }
}

@Suite("Token table")
struct TokenTableTests {
    /// `text` as a document and its store after the segmenter.
    func segmented(_ text: String) throws -> (Document, AnnotationStore) {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        let document = Document(id: "d", text: text)
        var annotated = AnnotatedDocument(document: document)
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&annotated).isEmpty)
        return (document, annotated.store)
    }

    @Test func readsTokensHeldAsColumnsAndAsAnnotationsAlike() throws {
        let (document, columnar) = try segmented("Tehran said no. Moscow agreed, “fully”.\n\nA new paragraph here")
        #expect(columnar.tokenColumns(in: "token") != nil)
        let plain = try AnnotationStore(columnar.all)
        #expect(plain.tokenColumns(in: "token") == nil)

        let fromColumns = TokenTable(document: document, store: columnar)
        let fromAnnotations = TokenTable(document: document, store: plain)
        let text = { (entry: TokenTable.Entry) in String(decoding: document.utf8[entry.start..<entry.end], as: UTF8.self) }
        #expect(fromColumns.tokens.map(text) == ["Tehran", "said", "no", ".", "Moscow", "agreed", ",", "“", "fully", "”", ".", "A", "new", "paragraph", "here"])
        #expect(fromColumns.sentences == [0..<4, 4..<11, 11..<15])
        #expect(fromColumns.tokens.map(\.sentence) == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(fromColumns.tokens.map(\.capitalised) == [true, false, false, false, true, false, false, false, false, false, false, true, false, false, false])
        #expect(fromColumns.tokens[0].hash == FoldedHash.of("tehran"))
        #expect(fromColumns.tokens[3].kind == .punct && fromColumns.tokens[0].isWord)
        #expect(fromColumns.firstToken(atOrAfter: 7) == 1)
        #expect(fromAnnotations.sentences == fromColumns.sentences)
        #expect(fromAnnotations.tokens.map(\.start) == fromColumns.tokens.map(\.start))
        #expect(fromAnnotations.tokens.map(\.end) == fromColumns.tokens.map(\.end))
        #expect(fromAnnotations.tokens.map(\.hash) == fromColumns.tokens.map(\.hash))
        #expect(fromAnnotations.tokens.map(\.kind) == fromColumns.tokens.map(\.kind))
        #expect(fromAnnotations.tokens.map(\.sentence) == fromColumns.tokens.map(\.sentence))
        #expect(fromAnnotations.tokens.map(\.letters) == fromColumns.tokens.map(\.letters))
        #expect(fromColumns.tokens.map(\.firstByte) == fromColumns.tokens.map { document.utf8[$0.start] })
    }

    @Test func readsEachTokensLettersWithItsHash() throws {
        let (document, store) = try segmented("NATO and the U.S. said Iran's 3 ÉLYSÉE x")
        let table = store.tokenTable(for: document)
        let text = { (entry: TokenTable.Entry) in String(decoding: document.utf8[entry.start..<entry.end], as: UTF8.self) }
        let upper = FoldedHash.hasUpper, lower = FoldedHash.hasLower
        #expect(table.tokens.map(text) == ["NATO", "and", "the", "U.S.", "said", "Iran", "'s", "3", "ÉLYSÉE", "x"])
        #expect(table.tokens.map(\.letters) == [upper, lower, lower, upper, lower, upper | lower, lower, 0, upper, lower])
        #expect(table.tokens.map(\.isAllCapitals) == [true, false, false, true, false, false, false, false, true, false])
    }

    @Test func numbersTheVocabularyInOrderOfFirstUseAndAnswersPerType() throws {
        // "Iran" and "IRAN" fold to one type; "the" recurs.
        let (document, store) = try segmented("Iran and the EU met. IRAN left the talks, and the EU stayed.")
        let table = store.tokenTable(for: document)
        let words = ["iran", "and", "the", "eu", "met", ".", "left", "talks", ",", "stayed"]
        #expect(table.types == words.map(FoldedHash.of))
        #expect(table.tokens.map(\.type) == [0, 1, 2, 3, 4, 5, 0, 6, 2, 7, 8, 1, 2, 3, 9, 5])
        #expect(table.tokens.map { table.types[Int($0.type)] } == table.tokens.map(\.hash))
        // A lexicon is asked once per type, and every token gets its type's answer.
        var asked: [UInt64] = []
        let positions = table.perToken { hash in
            asked.append(hash)
            return words.firstIndex { FoldedHash.of($0) == hash }
        }
        #expect(asked == table.types)
        #expect(positions == [0, 1, 2, 3, 4, 5, 0, 6, 2, 7, 8, 1, 2, 3, 9, 5])
    }
}

@Suite("Folded hashes")
struct FoldedHashTests {
    /// Which ASCII letters `text` holds, byte by byte: what ``FoldedHash/withCase(_:_:_:)`` reads a word at a time.
    func letters(_ text: String) -> UInt8 {
        (text.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? FoldedHash.hasUpper : 0)
            | (text.utf8.contains { $0 >= 0x61 && $0 <= 0x7A } ? FoldedHash.hasLower : 0)
    }

    @Test func foldCaseAndReportLettersAtEveryLengthAndOffset() {
        let texts = [
            "", "a", "Z", "@[`{", "Iran", "IRAN", "iran", "Shanghai Cooperation Organization", "SHANGHAI COOPERATION ORGANIZATION",
            "2022.10.31", "Élysée", "«Tehran»", "U.S.-led", "abcdefgh", "ABCDEFGH", "abcdefghI", "\u{7F}\u{80}\u{C0}\u{DA}",
        ]
        for text in texts {
            // Inside a longer buffer and at its very end, so that the last word is read both ways.
            for padding in ["", "xyzXYZ!!"] {
                let bytes = Array(text.utf8) + Array(padding.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    let (hash, found) = FoldedHash.withCase(buffer, 0, text.utf8.count)
                    #expect(hash == FoldedHash.of(buffer, 0, text.utf8.count), "hash of \(text)")
                    #expect(hash == FoldedHash.of(text.lowercased()) || text.utf8.contains { $0 >= 0x80 }, "\(text) folds as its lower case")
                    #expect(found == letters(text), "letters of \(text)")
                }
            }
        }
    }
}

@Suite("Packed word map")
struct PackedWordMapTests {
    @Test func readsBackWhatWasStoredThroughGrowthAndTheZeroKey() {
        var map = PackedWordMap(absent: -1)
        #expect(map[FoldedHash.of("iran")] == -1 && map.count == 0)
        // Keys from a multiplicative sequence, so that some share slots and probes run on.
        let keys = (1...5000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        for (value, key) in keys.enumerated() { map[key] = value }
        map[0] = 99
        map[keys[10]] = 1010
        #expect(map.count == keys.count)
        #expect(map[0] == 99)
        #expect(map[keys[10]] == 1010)
        #expect(keys.indices.filter { $0 != 10 }.allSatisfy { map[keys[$0]] == $0 })
        #expect(map[12345] == -1)
        // Many at once, as a document's vocabulary is looked up: the same answers, absent keys and 0 included.
        let asked = [keys[3], 12345, 0, keys[10], keys[4999], keys[3]] + keys
        let answers = asked.withUnsafeBufferPointer { map.values(for: $0) }
        #expect(answers == asked.map { map[$0] })
        #expect(Array(answers.prefix(6)) == [3, -1, 99, 1010, 4999, 3])
    }
}

@Suite("String identity bits")
struct StringIdentityBitsTests {
    @Test func equalForEqualShortStringsAndCopiesOfALongOne() throws {
        let short = try #require("Iran".identityBits)
        let shortAgain = try #require(String("Ir" + "an").identityBits)
        let other = try #require("Iraq".identityBits)
        #expect(short == shortAgain)
        #expect(short != other)
        let long = String(repeating: "Islamic Republic ", count: 2)
        let copy = long
        let longBits = try #require(long.identityBits)
        #expect(longBits == (try #require(copy.identityBits)))
        // The same text in another storage has other bits: a cache keyed by them misses, never confuses.
        let rebuilt = String(decoding: Array(long.utf8), as: UTF8.self)
        #expect(rebuilt == long)
        #expect(longBits != (try #require(rebuilt.identityBits)))
    }
}
