import Testing
@testable import MarginaliaCore

/// A configurable analyzer for pipeline tests: declares layers, emits one annotation per layer, or fails.
struct FakeAnalyzer: DocumentAnalyzing {
    enum Behaviour: Sendable { case annotate, fail, badLayer, splitCharacter, dangleRole, roleToOwn, duplicateLocalID, readRequired }
    var produces: [String]
    var behaviour: Behaviour
    var requires: [String] = []

    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let whole = TextSpan(0, document.utf8.count)
        switch behaviour {
        case .fail: throw Boom()
        case .badLayer: return [Annotation(layer: "undeclared", label: "X", span: whole)]
        case .splitCharacter: return [Annotation(layer: produces[0], label: "X", span: TextSpan(0, 1))]
        case .dangleRole: return [Annotation(layer: produces[0], label: "X", span: whole, roles: ["target": ["nowhere"]])]
        case .roleToOwn:
            return [
                Annotation(id: "t", layer: produces[0], label: "target", span: whole),
                Annotation(id: "r", layer: produces[0], label: "relation", span: whole, roles: ["target": ["t"]]),
            ]
        case .duplicateLocalID:
            return [
                Annotation(id: "t", layer: produces[0], label: "target", span: whole),
                Annotation(id: "t", layer: produces[0], label: "target", span: whole),
            ]
        case .readRequired:
            let seen = requires.map { store.count(in: $0) }.reduce(0, +)
            return [Annotation(layer: produces[0], label: "seen-\(seen)", span: whole)]
        case .annotate:
            return produces.map { Annotation(layer: $0, label: "X", span: whole) }
        }
    }
}

func register(
    _ registry: inout AnalyzerRegistry, _ name: String, requires: Set<String> = [], produces: Set<String>,
    behaviour: FakeAnalyzer.Behaviour = .annotate
) throws {
    let descriptor = AnalyzerDescriptor(name: name, version: "1.0.0", summary: name, requires: requires, produces: produces)
    try registry.register(
        AnalyzerRegistration(descriptor: descriptor, origin: .swift) { _ in
            FakeAnalyzer(produces: produces.sorted(), behaviour: behaviour, requires: requires.sorted())
        })
}

@Suite("Pipeline ordering and running")
struct PipelineTests {
    func chain() throws -> AnalyzerRegistry {
        var registry = AnalyzerRegistry()
        try register(&registry, "tokens", produces: ["token"])
        try register(&registry, "entities", requires: ["token"], produces: ["entity"], behaviour: .readRequired)
        try register(&registry, "quotes", requires: ["token", "markup"], produces: ["citation"])
        try register(&registry, "stance", requires: ["entity", "citation"], produces: ["stance"], behaviour: .readRequired)
        return registry
    }

    @Test func pullsInTransitiveRequirementsInOrder() throws {
        let plan = try Pipeline.plan(["stance"], registry: chain()).map(\.descriptor.name)
        #expect(plan == ["tokens", "entities", "quotes", "stance"])
    }

    @Test func planIsIndependentOfRequestOrder() throws {
        let registry = try chain()
        #expect(try Pipeline.plan(["stance", "tokens"], registry: registry).map(\.descriptor.name)
            == Pipeline.plan(["tokens", "stance"], registry: registry).map(\.descriptor.name))
    }

    @Test func namesTheMissingProducer() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "stance", requires: ["entity"], produces: ["stance"])
        let error = try #require(throws: MarginaliaError.self) { try Pipeline.plan(["stance"], registry: registry) }
        #expect(error.code == .missingProducer)
        #expect(error.message.contains("'stance' requires layer 'entity'"))
    }

    @Test func namesTheCycle() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "a", requires: ["b-layer"], produces: ["a-layer"])
        try register(&registry, "b", requires: ["c-layer"], produces: ["b-layer"])
        try register(&registry, "c", requires: ["a-layer"], produces: ["c-layer"])
        let error = try #require(throws: MarginaliaError.self) { try Pipeline.plan(["a"], registry: registry) }
        #expect(error.code == .dependencyCycle)
        #expect(error.message.contains("a → c → b → a") || error.message.contains("a → b → c → a"))
    }

    @Test func refusesAnAmbiguousProducer() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "ner1", produces: ["entity"])
        try register(&registry, "ner2", produces: ["entity"])
        try register(&registry, "stance", requires: ["entity"], produces: ["stance"])
        let error = try #require(throws: MarginaliaError.self) { try Pipeline.plan(["stance"], registry: registry) }
        #expect(error.code == .ambiguousProducer)
        // Naming one of them resolves it.
        #expect(try Pipeline.plan(["ner2", "stance"], registry: registry).map(\.descriptor.name) == ["ner2", "stance"])
    }

    @Test func unknownAnalyzerSuggestsANearMiss() throws {
        let error = try #require(throws: MarginaliaError.self) { try Pipeline.plan(["stnace"], registry: chain()) }
        #expect(error.code == .unknownAnalyzer)
        #expect(error.message.contains("did you mean 'stance'?"))
    }

    @Test func duplicateNamesAreRefused() throws {
        var registry = try chain()
        #expect(throws: MarginaliaError.self) { try register(&registry, "tokens", produces: ["token"]) }
    }

    @Test func runsAndRecordsProvenance() throws {
        let pipeline = try Pipeline(analyzers: ["stance"], registry: chain())
        var document = AnnotatedDocument(document: Document(id: "d", text: "Iran"))
        let failures = pipeline.run(&document)
        #expect(failures.isEmpty)
        #expect(document.store.annotations(in: "entity").first?.producer == "entities@1.0.0")
        #expect(document.store.annotations(in: "entity").first?.label == "seen-1")
        #expect(document.store.annotations(in: "stance").first?.label == "seen-2")
        #expect(document.store.annotations(in: "stance").first?.id == "stance-1")
    }

    @Test func failingAnalyzerIsReportedAndOthersKept() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "tokens", produces: ["token"])
        try register(&registry, "broken", requires: ["token"], produces: ["entity"], behaviour: .fail)
        try register(&registry, "dependent", requires: ["entity"], produces: ["stance"])
        try register(&registry, "independent", requires: ["token"], produces: ["citation"])
        let pipeline = try Pipeline(analyzers: ["dependent", "independent"], registry: registry)
        var document = AnnotatedDocument(document: Document(id: "doc-7", text: "text"))
        let failures = pipeline.run(&document)
        #expect(failures.map(\.analyzer) == ["broken", "dependent"])
        #expect(failures[0].description == "analyzer 'broken' on document 'doc-7': boom")
        #expect(failures[1].skipped)
        #expect(document.store.count(in: "token") == 1)
        #expect(document.store.count(in: "citation") == 1)
        #expect(document.store.count(in: "stance") == 0)
    }

    @Test(arguments: [FakeAnalyzer.Behaviour.badLayer, .splitCharacter, .dangleRole, .duplicateLocalID])
    func invalidOutputIsRejected(behaviour: FakeAnalyzer.Behaviour) throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "bad", produces: ["entity"], behaviour: behaviour)
        let pipeline = try Pipeline(analyzers: ["bad"], registry: registry)
        var document = AnnotatedDocument(document: Document(id: "d", text: "été"))
        let failures = pipeline.run(&document)
        #expect(failures.count == 1)
        #expect(document.store.count == 0)
    }

    @Test func localRoleIDsAreRewritten() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "rel", produces: ["relation"], behaviour: .roleToOwn)
        var document = AnnotatedDocument(document: Document(id: "d", text: "abc"))
        #expect(try Pipeline(analyzers: ["rel"], registry: registry).run(&document).isEmpty)
        let relation = try #require(document.store.annotations(in: "relation").first { $0.label == "relation" })
        let target = try #require(relation.roles["target"]?.first)
        #expect(document.store[target]?.label == "target")
    }

    @Test func localIDTableAgreesWithADictionary() {
        // Enough ids to fill several table sizes' worth of probe runs, with prefixes as analyzers write them.
        let locals = (0..<3000).map { ["c", "t", "s", "a", "", "long-local-id-past-fifteen-bytes-"][$0 % 6] + "\($0 / 6)" }
        var table = LocalIDTable(capacity: locals.count)
        var model: [String: String] = [:]
        for (index, local) in locals.enumerated() {
            let final = "x-\(index)"
            let inserted = table.insert(local, as: final)
            #expect(inserted == (model[local] == nil))
            if model[local] == nil { model[local] = final }
        }
        for local in locals { #expect(table[local] == model[local]) }
        let again = table.insert(locals[7], as: "again")
        #expect(!again && table[locals[7]] == "x-7")
        for absent in ["c9999", "", "t", "C0", "long-local-id-past-fifteen-bytes-x"] { #expect(table[absent] == model[absent]) }
        // A table sized for fewer ids than it gets grows and still finds every one.
        var small = LocalIDTable(capacity: 1)
        for (index, local) in locals.prefix(40).enumerated() {
            let inserted = small.insert(local, as: "\(index)")
            #expect(inserted)
        }
        #expect(locals.prefix(40).map { small[$0] } == (0..<40).map { "\($0)" })
    }

    @Test func rerunReplacesOnlyItsOwnAnnotations() throws {
        let registry = try chain()
        let pipeline = try Pipeline(analyzers: ["tokens"], registry: registry)
        var document = AnnotatedDocument(document: Document(id: "d", text: "abc"))
        pipeline.run(&document)
        try document.store.add(Annotation(id: "analyst-1", layer: "token", label: "fix", span: TextSpan(0, 1), producer: "analyst"))
        pipeline.run(&document)
        pipeline.run(&document)
        #expect(document.store.count(in: "token") == 2)
        #expect(document.store["analyst-1"]?.label == "fix")
    }

    @Test func failedRerunKeepsEarlierResults() throws {
        var registry = AnalyzerRegistry()
        try register(&registry, "flaky", produces: ["entity"])
        var document = AnnotatedDocument(document: Document(id: "d", text: "abc"))
        try Pipeline(analyzers: ["flaky"], registry: registry).run(&document)
        registry.replace(
            AnalyzerRegistration(
                descriptor: AnalyzerDescriptor(name: "flaky", version: "1.0.1", summary: "", produces: ["entity"]), origin: .swift
            ) { _ in FakeAnalyzer(produces: ["entity"], behaviour: .fail) })
        let failures = try Pipeline(analyzers: ["flaky"], registry: registry).run(&document)
        #expect(failures.count == 1)
        #expect(document.store.count(in: "entity") == 1)
    }

    @Test func cancellationStopsBetweenSteps() throws {
        let pipeline = try Pipeline(analyzers: ["stance"], registry: chain())
        var document = AnnotatedDocument(document: Document(id: "d", text: "abc"))
        var polls = 0
        pipeline.run(&document, shouldCancel: {
            polls += 1
            return polls > 1
        })
        #expect(document.store.layerNames == ["token"])
    }
}

@Suite("Analyzer options")
struct AnalyzerOptionsTests {
    let specs = [
        OptionSpec("labels", .list, default: .list([]), help: "labels"),
        OptionSpec("min-confidence", .double, default: 0.5, help: "threshold"),
        OptionSpec("strict", .bool, default: false, help: "strict"),
        OptionSpec("limit", .int, default: 3, help: "limit"),
    ]

    @Test func parsesTypedValuesAndKeepsDefaults() throws {
        let options = try AnalyzerOptions(parsing: ["labels": "PERSON, ORG", "strict": "yes"], specs: specs, analyzer: "entity")
        #expect(options.list("labels") == ["PERSON", "ORG"])
        #expect(options.bool("strict") == true)
        #expect(options.double("min-confidence") == 0.5)
        #expect(options.int("limit") == 3)
    }

    @Test func rejectsUnknownOptionsAndBadValues() {
        #expect(throws: MarginaliaError.self) { try AnalyzerOptions(parsing: ["colour": "x"], specs: specs, analyzer: "entity") }
        let error = #expect(throws: MarginaliaError.self) { try AnalyzerOptions(parsing: ["limit": "many"], specs: specs, analyzer: "entity") }
        #expect(error?.message == "option 'entity.limit' expects int, got 'many'")
    }
}

@Suite("Suggestions")
struct SuggestionTests {
    @Test func findsNearMissesAndPrefixes() {
        #expect(Suggestion.nearest(to: "citatoins", among: ["citations", "entities"]) == "citations")
        #expect(Suggestion.nearest(to: "ent", among: ["citations", "entities"]) == "entities")
        #expect(Suggestion.nearest(to: "zzzzzz", among: ["citations", "entities"]) == nil)
    }
}

@Suite("Provenance")
struct ProvenanceTests {
    @Test func producerNamesMatchWithoutTheirVersion() {
        let annotation = Annotation(layer: "entity", label: "GPE", span: TextSpan(0, 1), producer: "entity@1.2.0")
        #expect(annotation.isProduced(by: "entity"))
        #expect(!annotation.isProduced(by: "ent"))
        #expect(!annotation.isProduced(by: "entity-extra"))
        #expect(Annotation(layer: "x", label: "y", span: TextSpan(0, 0), producer: "analyst").isProduced(by: "analyst"))
        #expect(annotation.producerName == "entity")
    }
}
