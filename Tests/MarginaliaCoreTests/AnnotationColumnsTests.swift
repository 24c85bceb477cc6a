import Testing
@testable import MarginaliaCore

/// Makes its layer as columns: rows with features, roles to rows made later and to annotations outside, equal
/// spans (whose ids must sort as text), and optional confidences. With `plain`, it offers only `analyze`, so the
/// pipeline takes the same rows as annotations.
struct RowMaker: ColumnarAnalyzing {
    enum Fault: Sendable { case none, undeclaredLayer, splitCharacter, unknownOutside, missingRow }
    var fault = Fault.none

    func analyzeColumns(_ document: Document, store: AnnotationStore) throws -> [AnnotationColumns] {
        var columns = AnnotationColumns(layer: fault == .undeclaredLayer ? "elsewhere" : "relation")
        let cue = columns.name("cue"), link = columns.name("link")
        let basis = columns.name("basis"), weight = columns.name("weight"), target = columns.name("target")
        let words = store.annotations(in: "word")
        // (With `splitCharacter`, the cue of "Zürich" ends inside its "ü".)
        // Twelve links over the first word (ids 1-12 share a span: "relation-10" sorts before "relation-2"), each
        // naming a cue appended after it and the word it is about.
        for (index, word) in words.enumerated() {
            let span = index < 12 ? words[0].span : word.span
            let row = columns.append(label: link, span: span, confidence: index % 2 == 0 ? 0.5 : nil)
            columns.feature(basis, .string(index % 3 == 0 ? "predicate" : "valence"))
            columns.feature(weight, .int(index))
            columns.role(cue, row: fault == .missingRow ? 10_000 : row + 1)
            columns.role(target, id: fault == .unknownOutside ? "nowhere" : word.id)
            columns.append(label: cue, span: TextSpan(word.span.start, fault == .splitCharacter ? word.span.start + 2 : word.span.end))
        }
        return [columns]
    }

    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        try analyzeColumns(document, store: store).flatMap(\.annotations)
    }
}

/// The same rows offered as annotations only.
struct PlainRowMaker: DocumentAnalyzing {
    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        try RowMaker().analyze(document, store: store)
    }
}

/// One `word` annotation per space-separated word.
struct WordMaker: DocumentAnalyzing {
    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        var result: [Annotation] = []
        var start = 0
        let bytes = Array(document.utf8)
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: " ") {
            if index > start { result.append(Annotation(layer: "word", label: "w", span: TextSpan(start, index))) }
            start = index + 1
        }
        return result
    }
}

@Suite("Annotation columns")
struct AnnotationColumnsTests {
    static let text = "Ankara backs Baku while Tehran opposes both of them in Zürich and Malmö today again and again"

    func run(_ relation: any DocumentAnalyzing, store: AnnotationStore = AnnotationStore()) throws -> (AnnotatedDocument, [AnalyzerFailure]) {
        var registry = AnalyzerRegistry()
        let words = AnalyzerDescriptor(name: "words", version: "1.0.0", summary: "words", produces: ["word"])
        let relations = AnalyzerDescriptor(name: "relation", version: "2.0.0", summary: "relations", requires: ["word"], produces: ["relation"])
        try registry.register(AnalyzerRegistration(descriptor: words, origin: .swift) { _ in WordMaker() })
        try registry.register(AnalyzerRegistration(descriptor: relations, origin: .swift) { _ in relation })
        var document = AnnotatedDocument(document: Document(id: "d", text: Self.text), store: store)
        let failures = try Pipeline(analyzers: ["relation"], registry: registry).run(&document)
        return (document, failures)
    }

    @Test func theStoreHoldsTheRowsAndAnswersAsForAnnotations() throws {
        let (columnar, failures) = try run(RowMaker())
        #expect(failures.isEmpty)
        let rows = try #require(columnar.store.annotationColumns(in: "relation"))
        #expect(rows.isNumbered && rows.idPrefix == "relation" && rows.producer == "relation@2.0.0")
        let (plain, _) = try run(PlainRowMaker())
        #expect(plain.store.annotationColumns(in: "relation") == nil)
        #expect(columnar.store.annotations(in: "relation") == plain.store.annotations(in: "relation"))
        #expect(columnar.store.all == plain.store.all)
        #expect(columnar.store.count == plain.store.count)
        // Span order with ids as text among equal spans.
        #expect(columnar.store.annotations(in: "relation").prefix(4).map(\.id) == ["relation-1", "relation-11", "relation-13", "relation-15"])
        let first = try #require(columnar.store["relation-1"])
        #expect(first.features == ["basis": "predicate", "weight": .int(0)])
        #expect(first.roles == ["cue": ["relation-2"], "target": ["words-1"]])
        #expect(first.confidence == 0.5 && columnar.store["relation-3"]?.confidence == nil)
        let length = Self.text.utf8.count
        for start in stride(from: 0, through: length, by: 3) {
            for end in [start, min(start + 2, length), min(start + 9, length), length] {
                let span = TextSpan(start, end)
                #expect(columnar.store.overlapping(span, in: "relation") == plain.store.overlapping(span, in: "relation"))
                #expect(columnar.store.inside(span, in: "relation") == plain.store.inside(span, in: "relation"))
                #expect(columnar.store.containing(span, in: "relation") == plain.store.containing(span, in: "relation"))
            }
        }
        for annotation in plain.store.annotations(in: "relation") {
            #expect(columnar.store[annotation.id] == annotation)
            #expect(columnar.store.span(of: annotation.id) == annotation.span)
        }
        #expect(columnar.store["relation-\(rows.count + 1)"] == nil)
        #expect(columnar.store["relation-01"] == nil && columnar.store.span(of: "relation-0") == nil)
    }

    @Test func changesTurnRowsIntoAnnotations() throws {
        var store = try run(RowMaker()).0.store
        let count = store.count(in: "relation")
        var link = try #require(store["relation-1"])
        link.label = "doubt"
        try store.replace(link)
        #expect(store.annotationColumns(in: "relation") == nil)
        #expect(store["relation-1"]?.label == "doubt" && store["relation-1"]?.roles["cue"] == ["relation-2"])
        #expect(store.remove(id: "relation-2") != nil)
        #expect(store.count(in: "relation") == count - 1)
        try store.add(Annotation(id: store.makeID(prefix: "relation"), layer: "relation", label: "cue", span: TextSpan(0, 6)))
        #expect(store.count(in: "relation") == count)
    }

    /// A second run of the analyzer on the same document (the REPL's `run` again) replaces its rows with the same
    /// annotations under fresh ids, through the annotation path.
    @Test func aReRunReplacesTheRows() throws {
        var registry = AnalyzerRegistry()
        let words = AnalyzerDescriptor(name: "words", version: "1.0.0", summary: "words", produces: ["word"])
        let relations = AnalyzerDescriptor(name: "relation", version: "2.0.0", summary: "relations", requires: ["word"], produces: ["relation"])
        try registry.register(AnalyzerRegistration(descriptor: words, origin: .swift) { _ in WordMaker() })
        try registry.register(AnalyzerRegistration(descriptor: relations, origin: .swift) { _ in RowMaker() })
        let pipeline = try Pipeline(analyzers: ["relation"], registry: registry)
        var document = AnnotatedDocument(document: Document(id: "d", text: Self.text))
        #expect(pipeline.run(&document).isEmpty)
        let first = document.store.annotations(in: "relation")
        #expect(pipeline.run(&document).isEmpty)
        let second = document.store.annotations(in: "relation")
        #expect(document.store.annotationColumns(in: "relation") == nil)
        #expect(second.count == first.count && document.store.count(in: "word") == 17)
        #expect(Set(second.map(\.id)).isDisjoint(with: first.map(\.id)))
        let shape = { (list: [Annotation]) in list.map { "\($0.label) \($0.span) \($0.features) \($0.confidence ?? -1)" }.sorted() }
        #expect(shape(second) == shape(first))
        // Roles follow the new ids: each link's cue is a cue of the second run.
        for link in second where link.label == "link" {
            #expect(second.contains { $0.id == link.roles["cue"]![0] && $0.label == "cue" })
        }
    }

    @Test func aLayerHoldingAnnotationsOrTakenIdsGetsAnnotations() throws {
        let analyst = Annotation(id: "relation-5", layer: "relation", label: "note", span: TextSpan(0, 6), producer: "analyst")
        let (annotated, failures) = try run(RowMaker(), store: try AnnotationStore([analyst]))
        #expect(failures.isEmpty)
        #expect(annotated.store.annotationColumns(in: "relation") == nil)
        #expect(annotated.store["relation-5"] == analyst)
        let made = annotated.store.annotations(in: "relation").filter { $0.producer == "relation@2.0.0" }
        #expect(made.count == 2 * 17)
        // Roles were renamed with the ids: every cue role names a cue.
        for link in made where link.label == "link" {
            #expect(annotated.store[link.roles["cue"]![0]]?.label == "cue")
        }
    }

    @Test(arguments: [
        (RowMaker.Fault.undeclaredLayer, "layer 'elsewhere'"), (.splitCharacter, "splits a character"),
        (.unknownOutside, "unknown annotation 'nowhere'"), (.missingRow, "never made"),
    ])
    func rowsThatBreakTheModelAreRefusedWhole(fault: RowMaker.Fault, message: String) throws {
        let (annotated, failures) = try run(RowMaker(fault: fault))
        #expect(failures.count == 1)
        #expect(failures.first?.message.contains(message) == true)
        #expect(annotated.store.count(in: "relation") == 0 && annotated.store.count(in: "word") == 17)
    }

    @Test func rowsReadBackAsTheyWereMade() {
        var columns = AnnotationColumns(layer: "stance")
        let oppose = columns.name("oppose"), cue = columns.name("cue")
        #expect(columns.name("oppose") == oppose && columns.string(cue) == "cue" && columns.nameCount == 2)
        #expect(columns.index(of: cue) == 1 && columns.name(at: 1) == cue)
        let holder = columns.name("holder"), polarity = columns.name("polarity"), targetKey = columns.name("target")
        let target = columns.outside("entity-3"), other = columns.outside("entity-4")
        columns.reserveCapacity(rows: 4, featuresPerRow: 2)
        columns.append(label: oppose, span: TextSpan(4, 9), confidence: 0.7)
        columns.feature(holder, "author")
        columns.feature(polarity, .int(-1))
        columns.role(cue, row: 1)
        columns.role(targetKey, outside: target)
        columns.addTarget(outside: other)
        columns.append(label: cue, span: TextSpan(4, 6))
        #expect(columns.count == 2 && !columns.isNumbered)
        let made = columns.annotations
        #expect(made[0].id == "#row-0" && made[1].id == "#row-1")
        #expect(made[0].roles == ["cue": ["#row-1"], "target": ["entity-3", "entity-4"]])
        #expect(made[0].features == ["holder": "author", "polarity": .int(-1)] && made[0].confidence == 0.7)
        #expect(made[1].features.isEmpty && made[1].roles.isEmpty && made[1].confidence == nil && made[1].label == "cue")
        #expect(columns.target(at: 0) == .row(1) && columns.target(at: 2) == .id("entity-4"))
    }
}

@Suite("Running analyzers again")
struct RerunTests {
    func registry() throws -> AnalyzerRegistry {
        var registry = AnalyzerRegistry()
        let words = AnalyzerDescriptor(name: "words", version: "1.0.0", summary: "words", produces: ["word"])
        let relations = AnalyzerDescriptor(name: "relation", version: "2.0.0", summary: "relations", requires: ["word"], produces: ["relation"])
        try registry.register(AnalyzerRegistration(descriptor: words, origin: .swift) { _ in WordMaker() })
        try registry.register(AnalyzerRegistration(descriptor: relations, origin: .swift) { _ in RowMaker() })
        return registry
    }

    func analysed() throws -> AnnotatedDocument {
        var document = AnnotatedDocument(document: Document(id: "d", text: AnnotationColumnsTests.text))
        #expect(try Pipeline(analyzers: ["relation"], registry: registry()).run(&document).isEmpty)
        return document
    }

    /// Asking for an analyzer again does not run again what it requires when that has run: the layers it reads
    /// keep their ids, so nothing that names them goes stale.
    @Test func aRequirementThatHasRunIsKept() throws {
        var document = try analysed()
        let words = document.store.annotations(in: "word")
        var ran: [String] = []
        #expect(try Pipeline(analyzers: ["relation"], registry: registry()).run(&document, timing: { name, _ in ran.append(name) }).isEmpty)
        #expect(ran == ["relation"])
        #expect(document.store.annotations(in: "word") == words)
    }

    /// Running a requirement again by name gives its annotations new ids; the roles that named the old ones follow
    /// them to the annotations now at the same place, so every role resolves.
    @Test func rolesFollowAnAnalyzerThatRanAgain() throws {
        var document = try analysed()
        #expect(try Pipeline(analyzers: ["words"], registry: registry()).run(&document).isEmpty)
        let words = document.store.annotations(in: "word")
        #expect(words.first?.id == "words-18")
        for link in document.store.annotations(in: "relation") where link.label == "link" {
            let target = try #require(document.store[link.roles["target"]![0]])
            #expect(target.layer == "word" && target.id.hasPrefix("words-") && Int(target.id.dropFirst(6))! > 17)
        }
    }

    /// What running an analyzer again leaves out of date: the analyzers that have run and read what it makes.
    @Test func dependentsAreThoseThatHaveRunAndRead() throws {
        let document = try analysed()
        let registry = try registry()
        #expect(Pipeline.dependents(of: ["words"], registry: registry, in: document.store) == ["relation"])
        #expect(Pipeline.dependents(of: ["relation"], registry: registry, in: document.store).isEmpty)
        #expect(Pipeline.dependents(of: ["words"], registry: registry, in: AnnotationStore()).isEmpty)
    }

    @Test func mendingDropsTargetsWithoutSuccessorsAndFollowsThoseWithOne() throws {
        let place = Annotation(id: "p1", layer: "place", label: "GPE", span: TextSpan(0, 4), producer: "places@1.0.0")
        let twin = Annotation(id: "p2", layer: "place", label: "GPE", span: TextSpan(0, 4), producer: "places@1.0.0")
        let other = Annotation(id: "p3", layer: "place", label: "GPE", span: TextSpan(5, 9), producer: "places@1.0.0")
        let claim = Annotation(
            id: "c1", layer: "claim", label: "about", span: TextSpan(0, 9), roles: ["about": ["p1", "p3"], "by": ["p3"]], producer: "analyst")
        var store = try AnnotationStore([place, twin, other, claim])
        store.remove(id: "p1")
        store.remove(id: "p3")
        var dropping = store
        #expect(dropping.mendRoles(naming: [place, other], followingSuccessors: false) == 3)
        #expect(dropping["c1"]?.roles == [:])
        #expect(store.mendRoles(naming: [place, other]) == 2)
        #expect(store["c1"]?.roles == ["about": ["p2"]])
    }
}

/// Random rows from a seed: spans anywhere in an ASCII text (many equal), labels and keys from short pools,
/// features and roles on a random subset of rows, role targets any row (earlier or later) or a place outside.
struct RandomRows: ColumnarAnalyzing {
    let seed: UInt64

    func analyzeColumns(_ document: Document, store: AnnotationStore) throws -> [AnnotationColumns] {
        var random = SplitMix(seed: seed)
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        var columns = AnnotationColumns(layer: "claim")
        let labels = ["a", "b\"q", "c", "long label beyond fifteen bytes"].map { columns.name($0) }
        let featureKeys = ["alpha", "beta", "gamma", "zeta"].map { columns.name($0) }
        let roleKeys = ["about", "by", "cue"].map { columns.name($0) }
        let places = store.annotations(in: "place").map { columns.outside($0.id) }
        let length = document.utf8.count
        let rows = 300
        for _ in 0..<rows {
            let start = pick(length / 10) * 10 % length
            let end = min(length, start + pick(3) * 7)
            columns.append(label: labels[pick(labels.count)], span: TextSpan(start, end), confidence: pick(3) == 0 ? nil : Double(pick(20)) / 20)
            for key in featureKeys where pick(2) == 0 {
                let values: [FeatureValue] = [.int(pick(5) - 2), .string(["x", "y\n", "a name longer than fifteen"][pick(3)]), .bool(pick(2) == 0), .double(0.25)]
                columns.feature(key, values[pick(values.count)])
            }
            for key in roleKeys where pick(3) == 0 {
                if pick(2) == 0 { columns.role(key, row: pick(rows)) } else { columns.role(key, outside: places[pick(places.count)]) }
                for _ in 0..<pick(3) {
                    if pick(2) == 0 { columns.addTarget(row: pick(rows)) } else { columns.addTarget(outside: places[pick(places.count)]) }
                }
            }
        }
        return [columns]
    }

    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        try analyzeColumns(document, store: store).flatMap(\.annotations)
    }
}

@Suite("Annotation columns against annotations, random rows")
struct RandomColumnsTests {
    struct Plain: DocumentAnalyzing {
        let rows: RandomRows
        func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] { try rows.analyze(document, store: store) }
    }

    func run(_ analyzer: any DocumentAnalyzing) throws -> AnnotationStore {
        var registry = AnalyzerRegistry()
        let claims = AnalyzerDescriptor(name: "claims", version: "1.0.0", summary: "claims", produces: ["claim"])
        try registry.register(AnalyzerRegistration(descriptor: claims, origin: .swift) { _ in analyzer })
        let text = String(repeating: "Baku and Tehran argue over a corridor. ", count: 12)
        let places = (0..<5).map { Annotation(id: "p\($0)", layer: "place", label: "GPE", span: TextSpan($0 * 9, $0 * 9 + 4), producer: "analyst") }
        var document = AnnotatedDocument(document: Document(id: "d", text: text), store: try AnnotationStore(places))
        #expect(try Pipeline(analyzers: ["claims"], registry: registry).run(&document).isEmpty)
        return document.store
    }

    /// The same random rows stored as columns and as annotations answer every query alike.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func columnsAnswerAsAnnotationsDo(seed: UInt64) throws {
        let columnar = try run(RandomRows(seed: seed))
        let plain = try run(Plain(rows: RandomRows(seed: seed)))
        #expect(columnar.annotationColumns(in: "claim") != nil && plain.annotationColumns(in: "claim") == nil)
        #expect(columnar.all == plain.all)
        var random = SplitMix(seed: seed &+ 100)
        let length = 39 * 12
        for _ in 0..<400 {
            let start = Int(random.next() % UInt64(length + 1))
            let span = TextSpan(start, min(length, start + Int(random.next() % 40)))
            #expect(columnar.overlapping(span, in: "claim") == plain.overlapping(span, in: "claim"))
            #expect(columnar.inside(span, in: "claim") == plain.inside(span, in: "claim"))
            #expect(columnar.containing(span, in: "claim") == plain.containing(span, in: "claim"))
        }
        for annotation in plain.all {
            #expect(columnar[annotation.id] == annotation)
            #expect(columnar.span(of: annotation.id) == annotation.span)
            for targets in annotation.roles.values { for id in targets { #expect(plain.contains(id: id)) } }
        }
    }
}
