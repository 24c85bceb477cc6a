import Testing
@testable import MarginaliaCore

@Suite("Annotation store")
struct AnnotationStoreTests {
    func annotation(_ id: String, _ layer: String, _ start: Int, _ end: Int, label: String = "X") -> Annotation {
        Annotation(id: id, layer: layer, label: label, span: TextSpan(start, end))
    }

    @Test func spansOverlapAndContain() {
        #expect(TextSpan(0, 4).overlaps(TextSpan(3, 6)))
        #expect(!TextSpan(0, 4).overlaps(TextSpan(4, 6)))
        #expect(TextSpan(0, 10).contains(TextSpan(2, 5)))
        #expect(!TextSpan(2, 5).contains(TextSpan(0, 10)))
        #expect(TextSpan(3, 3).overlaps(TextSpan(3, 3)))
        #expect(TextSpan(1, 2) < TextSpan(1, 3))
    }

    @Test func addsAndFindsByIDAndLayer() throws {
        var store = AnnotationStore()
        try store.add(contentsOf: [annotation("b", "entity", 5, 9), annotation("a", "entity", 0, 4), annotation("s", "sentence", 0, 20)])
        #expect(store.count == 3)
        #expect(store.layerNames == ["entity", "sentence"])
        #expect(store.annotations(in: "entity").map(\.id) == ["a", "b"])
        #expect(store["b"]?.span == TextSpan(5, 9))
        #expect(store["missing"] == nil)
        #expect(store.count(in: "entity") == 2)
    }

    @Test func rejectsDuplicateAndEmptyIDsWithoutAddingAnything() throws {
        var store = AnnotationStore()
        try store.add(annotation("a", "entity", 0, 4))
        #expect(throws: MarginaliaError.self) { try store.add(contentsOf: [annotation("c", "entity", 1, 2), annotation("a", "entity", 5, 6)]) }
        #expect(throws: MarginaliaError.self) { try store.add(annotation("", "entity", 0, 1)) }
        #expect(store.count == 1)
        #expect(store["c"] == nil)
    }

    @Test func removesAndReplaces() throws {
        var store = try AnnotationStore([annotation("a", "entity", 0, 4), annotation("b", "entity", 5, 9)])
        #expect(store.remove(id: "a")?.id == "a")
        #expect(store.count == 1)
        var changed = store["b"]!
        changed.label = "GPE"
        try store.replace(changed)
        #expect(store["b"]?.label == "GPE")
        changed.layer = "other"
        #expect(throws: MarginaliaError.self) { try store.replace(changed) }
        let removed = store.removeAll { $0.layer == "entity" }
        #expect(removed.map(\.id) == ["b"])
        #expect(store.count == 0)
    }

    @Test func findsAnnotationsByIDAmongEqualStartsAndAfterTheirSpanChanges() throws {
        var store = try AnnotationStore([annotation("a", "entity", 5, 9), annotation("b", "entity", 5, 7), annotation("c", "entity", 5, 12)])
        #expect(["a", "b", "c"].map { store[$0]?.id } == ["a", "b", "c"])
        #expect(["a", "b", "c", "d"].map { store.span(of: $0) } == ["a", "b", "c", "d"].map { store[$0]?.span })
        var moved = store["b"]!
        moved.span = TextSpan(20, 25)
        try store.replace(moved)
        #expect(store["b"]?.span == TextSpan(20, 25))
        #expect(store.overlapping(TextSpan(21, 22), in: "entity").map(\.id) == ["b"])
        #expect(store["a"]?.span == TextSpan(5, 9))
    }

    @Test func makesFreshIDs() throws {
        var store = try AnnotationStore([annotation("entity-1", "entity", 0, 4)])
        #expect(store.makeID(prefix: "entity") == "entity-2")
        #expect(store.makeID(prefix: "entity") == "entity-3")
        #expect(store.makeID(prefix: "analyst") == "analyst-1")
    }

    /// Ids of the `prefix-N` form live in dense tables, others in a dictionary: a random mix of both, added,
    /// removed and looked up, must behave like one dictionary.
    @Test(arguments: [11, 12, 13])
    func idsOfEveryFormBehaveLikeOneMap(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let shapes: [(UInt64) -> String] = [
            { "entity-\($0 % 50 + 1)" }, { "e\($0 % 30)" }, { "x-0\($0 % 5)" }, { "big-\($0 % 3 * 400_000 + 1)" },
            { "-\($0 % 4 + 1)" }, { "a-b-\($0 % 6 + 1)" }, { "n-\($0 % 7)" },
        ]
        var store = AnnotationStore()
        var model: [String: Int] = [:]
        for step in 0..<3000 {
            let id = shapes[Int(random.next() % UInt64(shapes.count))](random.next())
            let start = step % 97
            switch random.next() % 3 {
            case 0:
                let annotation = annotation(id, "layer", start, start + 1)
                if model[id] == nil {
                    try store.add(annotation)
                    model[id] = start
                } else {
                    #expect(throws: MarginaliaError.self) { try store.add(annotation) }
                }
            case 1:
                #expect(store.remove(id: id)?.span.start == model.removeValue(forKey: id))
            default:
                #expect(store[id]?.span.start == model[id])
                #expect(store.contains(id: id) == (model[id] != nil))
                #expect(store.layer(of: id) == (model[id] != nil ? "layer" : nil))
            }
            #expect(store.count == model.count)
        }
        for _ in 0..<20 {
            let fresh = store.makeID(prefix: "entity")
            #expect(model[fresh] == nil)
            model[fresh] = 0
            try store.add(annotation(fresh, "layer", 0, 1))
        }
        #expect(Set(store.makeIDs(prefix: "n", count: 10)).isDisjoint(with: model.keys))
    }

    @Test func idsFromAStemAndANumberReadLikeInterpolation() {
        for number in [0, 7, 9, 10, 99, 100, 12_345, 1_000_000_007, Int(Int32.max)] {
            #expect(AnnotationStore.id(stem: Array("c".utf8), number: number) == "c\(number)")
            #expect(AnnotationStore.id(stem: Array("citation-".utf8), number: number) == "citation-\(number)")
        }
        #expect(AnnotationStore.id(stem: [], number: 42) == "42")
    }

    @Test func wordTablesBehaveLikeDictionaries() {
        var random = SplitMix(seed: 5)
        var map = WordMap<Int>()
        var model: [UInt64: Int] = [:]
        // Small key space, key 0 included, so that inserts, overwrites and removals collide.
        for step in 0..<5000 {
            let key = random.next() % 300
            if random.next() % 4 == 0 {
                map[key] = nil
                model[key] = nil
            } else {
                map[key] = step
                model[key] = step
            }
            let probe = random.next() % 300
            #expect(map[probe] == model[probe])
        }
        for key in UInt64(0)..<300 { #expect(map[key] == model[key]) }
        #expect(map.count == model.count)
        #expect(Set(map.allKeys) == Set(model.keys))
        #expect(map[7, default: -1] == model[7, default: -1])
        let words = WordSet(words: ["Tehran", "said"])
        #expect(words.contains(FoldedHash.of("tehran")))
        #expect(!words.contains(FoldedHash.of("Moscow")))
        #expect(words.union(WordSet(words: ["Moscow"])).count == 3)
    }

    /// The hash of a word is the hash of its ASCII-lowercased bytes, wherever the word lies in a buffer (the last
    /// bytes of a buffer are read one by one, the others eight at a time), and words of up to 40 bytes that
    /// differ in one byte, or only in length, hash apart.
    @Test func foldedHashFoldsASCIICaseOnly() {
        let words = ["Iran", "TEHRAN", "said", "Über", "ÜBER", "a", "", "São Paulo", "Nineteen-Eighty-Four", "x@Y[z]`{~",
            "ABCDEFGH", "abcdefghi", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789!?"]
        for word in words {
            let lower = String(word.unicodeScalars.map { $0.isASCII ? Character(String($0).lowercased()) : Character($0) })
            #expect(FoldedHash.of(word) == FoldedHash.of(lower), "\(word)")
            // The word at the end of a buffer and in the middle of one.
            for (before, after) in [("", ""), ("xy ", ""), ("", " tail of more than eight bytes"), ("q", "z")] {
                let bytes = Array((before + word + after).utf8)
                let start = before.utf8.count
                let hash = bytes.withUnsafeBufferPointer { FoldedHash.of($0, start, start + word.utf8.count) }
                #expect(hash == FoldedHash.of(word), "\(word) in \(before)…\(after)")
            }
        }
        // "Über" folds only its ASCII letters: "über" differs.
        #expect(FoldedHash.of("Über") != FoldedHash.of("über"))
        var seen: [UInt64: String] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-'.".utf8)
        for length in 0...40 {
            for position in 0..<max(length, 1) {
                for replacement in [alphabet[length % alphabet.count], alphabet[(length + 7) % alphabet.count]] {
                    var bytes = Array(repeating: UInt8(ascii: "e"), count: length)
                    if length > 0 { bytes[position] = replacement }
                    let text = String(decoding: bytes, as: UTF8.self)
                    let hash = FoldedHash.of(text)
                    #expect(seen[hash] == nil || seen[hash] == text, "\(text) and \(seen[hash] ?? "")")
                    seen[hash] = text
                }
            }
        }
    }

    @Test func wordSetsBehaveLikeSets() {
        var random = SplitMix(seed: 9)
        // Grown from the smallest table, and presized: both must hold the same members as a Set, key 0 included.
        var grown = WordSet()
        var presized = WordSet(minimumCapacity: 1000)
        var model: Set<UInt64> = []
        for _ in 0..<3000 {
            // Small keys collide in the table's top bits only after the multiply; large ones are like real hashes.
            let key = random.next() % 2 == 0 ? random.next() % 500 : random.next()
            grown.insert(key)
            presized.insert(key)
            model.insert(key)
            let probe = random.next() % 2 == 0 ? random.next() % 500 : random.next()
            #expect(grown.contains(probe) == model.contains(probe))
            #expect(presized.contains(probe) == model.contains(probe))
        }
        #expect(grown.count == model.count && presized.count == model.count)
        #expect(model.allSatisfy { grown.contains($0) && presized.contains($0) })
        #expect(WordSet([0]).contains(0) && !WordSet([1]).contains(0) && WordSet([0, 0]).count == 1)
        let both = WordSet([0, 5]).union(WordSet([5, 6]))
        #expect(both.count == 3 && both.contains(0) && both.contains(6))
    }

    /// Features and roles: every operation agrees with a dictionary, and iteration is always in key order.
    @Test func keyedValuesBehaveLikeDictionaries() {
        var random = SplitMix(seed: 11)
        let names = ["target", "holder", "scope", "polarity", "basis", "a", "ab", "b", "Zeta", "é", ""]
        var features = Features()
        var model: [String: FeatureValue] = [:]
        for step in 0..<3000 {
            let key = names[Int(random.next() % UInt64(names.count))]
            switch random.next() % 5 {
            case 0:
                features[key] = nil
                model[key] = nil
            case 1:
                #expect(features.removeValue(forKey: key) == model.removeValue(forKey: key))
            default:
                features[key] = .int(step)
                model[key] = .int(step)
            }
            let probe = names[Int(random.next() % UInt64(names.count))]
            #expect(features[probe] == model[probe])
            #expect(features.keys == model.keys.sorted())
        }
        #expect(features.count == model.count)
        #expect(features.dictionary == model)
        #expect(Features(model) == features)
        #expect(Features(model).hashValue == features.hashValue)
        #expect(features.map(\.key) == model.keys.sorted())
        #expect(features.values == model.keys.sorted().map { model[$0]! })
        // Literals in any order are equal and iterate sorted; a repeated key keeps the last value.
        let literal: Features = ["scope": "author", "holder": "Iran", "polarity": 1, "scope": "attributed"]
        #expect(literal == ["polarity": 1, "holder": "Iran", "scope": "attributed"])
        #expect(literal.keys == ["holder", "polarity", "scope"])
        #expect(literal != ["holder": "Iran"])
        #expect(literal["missing", default: "none"] == "none")
        #expect(literal.description == #"["holder": string("Iran"), "polarity": int(1), "scope": string("attributed")]"#)
        #expect(Features().description == "[:]")
        #expect(Features(uniqueKeysWithValues: [("b", 2), ("a", 1)]).keys == ["a", "b"])
        // Entries given in order are the same collection as the same keys set one by one.
        let ordered = Features(ordered: [("holder", "Iran"), ("polarity", 1), ("scope", "attributed")])
        #expect(ordered == literal && ordered.hashValue == literal.hashValue && ordered["polarity"] == 1)
        #expect(Roles(ordered: [("cue", ["c1"]), ("target", ["e1", "e2"])]) == ["target": ["e1", "e2"], "cue": ["c1"]])
        // Built key by key, in order or not, with room reserved or not: the same sorted collection.
        var built = Features(minimumCapacity: 4)
        built["scope"] = "attributed"
        built["holder"] = "Iran"
        built["polarity"] = 1
        #expect(built == literal && built.keys == ["holder", "polarity", "scope"])
        var roles: Roles = ["target": ["e1"], "cue": ["c1", "c2"]]
        roles.updateValues { role, ids in ids = ids.map { role + ":" + $0 } }
        #expect(roles == ["cue": ["cue:c1", "cue:c2"], "target": ["target:e1"]])
        #expect(roles.mapValues(\.count) == KeyedValues<Int>(["cue": 2, "target": 1]))
        #expect(roles.isEmpty == false && Roles().isEmpty)
    }

    /// The interval index must agree with a brute-force scan on random layers, nested and overlapping spans included.
    @Test(arguments: [1, 2, 3, 4, 5])
    func spanQueriesMatchBruteForce(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        var annotations: [Annotation] = []
        for index in 0..<400 {
            let start = Int(random.next() % 1000)
            let length = Int(random.next() % (index % 10 == 0 ? 400 : 20))
            annotations.append(annotation("a\(index)", "layer", start, start + length))
        }
        let store = try AnnotationStore(annotations)
        for _ in 0..<200 {
            let start = Int(random.next() % 1100)
            let query = TextSpan(start, start + Int(random.next() % 60))
            let expectedOverlap = Set(annotations.filter { $0.span.overlaps(query) }.map(\.id))
            let expectedInside = Set(annotations.filter { query.contains($0.span) }.map(\.id))
            let expectedContaining = Set(annotations.filter { $0.span.contains(query) }.map(\.id))
            #expect(Set(store.overlapping(query, in: "layer").map(\.id)) == expectedOverlap)
            #expect(Set(store.inside(query, in: "layer").map(\.id)) == expectedInside)
            #expect(Set(store.containing(query, in: "layer").map(\.id)) == expectedContaining)
        }
        #expect(store.overlapping(TextSpan(0, 10), in: "absent").isEmpty)
        // A layer added out of order is held in span order, ties broken by id.
        let expectedOrder = annotations.sorted { ($0.span, $0.id) < ($1.span, $1.id) }.map(\.id)
        #expect(store.annotations(in: "layer").map(\.id) == expectedOrder)
    }

    @Test func tokenTableIsSharedUntilTokensOrSentencesChange() throws {
        let document = Document(id: "d", text: "Iran spoke. Russia agreed.")
        var store = try AnnotationStore([
            annotation("t1", "token", 0, 4, label: "word"), annotation("t2", "token", 5, 10, label: "word"),
            annotation("t3", "token", 10, 11, label: "punct"), annotation("s1", "sentence", 0, 11),
        ])
        let first = store.tokenTable(for: document)
        #expect(first.tokens.map(\.start) == [0, 5, 10])
        #expect(first.sentences == [0..<3])
        // Another layer leaves the table as it was; a copy of the store reads the same table.
        try store.add(annotation("e1", "entity", 0, 4, label: "GPE"))
        let copy = store
        #expect(copy.tokenTable(for: document).tokens.map(\.hash) == first.tokens.map(\.hash))
        // New tokens and sentences are seen at once, by this store only.
        try store.add(contentsOf: [
            annotation("t4", "token", 12, 18, label: "word"), annotation("t5", "token", 19, 25, label: "word"),
            annotation("s2", "sentence", 12, 26),
        ])
        let second = store.tokenTable(for: document)
        #expect(second.tokens.map(\.start) == [0, 5, 10, 12, 19])
        #expect(second.sentences == [0..<3, 3..<5])
        #expect(second.tokens[3].capitalised && second.tokens[3].sentence == 1)
        #expect(copy.tokenTable(for: document).tokens.count == 3)
        store.remove(id: "t5")
        #expect(store.tokenTable(for: document).tokens.count == 4)
        // A different document is never answered from the cache.
        let other = Document(id: "other", text: "Iran spoke. Russia agreed. And more")
        #expect(store.tokenTable(for: other).tokens.map(\.end) == [4, 10, 11, 18])
    }

}

/// A small deterministic generator for reproducible random tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
