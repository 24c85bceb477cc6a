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
