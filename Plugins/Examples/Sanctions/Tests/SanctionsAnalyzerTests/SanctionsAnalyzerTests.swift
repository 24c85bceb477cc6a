import MarginaliaCLI
import MarginaliaCore
import SanctionsAnalyzer
import Testing

@Suite("Sanctions analyzer")
struct SanctionsAnalyzerTests {
    /// Runs the analyzer through a registry built as `Marginalia.main(analyzers:)` builds it.
    func measures(_ text: String) throws -> [Annotation] {
        let registry = try Marginalia.makeRegistry(analyzers: [SanctionsAnalyzer.self])
        #expect(registry["sanctions"]?.origin == .swift)
        var document = AnnotatedDocument(document: Document(id: "t", text: text), store: AnnotationStore())
        let failures = try Pipeline(analyzers: ["sanctions"], registry: registry).run(&document)
        #expect(failures.isEmpty, "\(failures)")
        return document.store.annotations(in: "sanctions")
    }

    @Test func imposerMeasureAndTarget() throws {
        let found = try measures("Washington imposed new sanctions on Iran.")
        #expect(found.count == 1)
        #expect(found[0].features["imposer"] == .string("United States"))
        #expect(found[0].features["target"] == .string("Iran"))
        #expect(found[0].features["action"] == .string("impose"))
        #expect(found[0].roles["imposer"]?.count == 1)
        #expect(found[0].producer == "sanctions@1.0.0")
    }

    @Test func liftingIsRelief() throws {
        let found = try measures("The EU lifted its arms embargo against Syria.")
        #expect(found.first?.features["action"] == .string("lift"))
        #expect(found.first?.features["target"] == .string("Syria"))
    }

    @Test func descriptorExamplesHold() throws {
        for example in SanctionsAnalyzer.descriptor.examples {
            let found = try measures(example.text)
            #expect(found.count == example.expected.count)
        }
    }

    @Test func nameClashWithABuiltInIsRefused() {
        #expect(throws: MarginaliaError.self) { try Marginalia.makeRegistry(analyzers: [SanctionsAnalyzer.self, SanctionsAnalyzer.self]) }
    }
}
