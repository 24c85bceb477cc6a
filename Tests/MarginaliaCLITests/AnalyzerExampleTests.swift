import Testing
import MarginaliaCore
@testable import MarginaliaCLI

@Suite("Analyzer descriptor examples")
struct AnalyzerExampleTests {
    static let registrations = BuiltInAnalyzers.registry().all

    /// Every example that an analyzer's help shows must hold when the analyzer runs through the real pipeline.
    @Test(arguments: registrations.map(\.descriptor.name))
    func examplesHold(analyzer: String) throws {
        let registry = BuiltInAnalyzers.registry()
        let descriptor = try #require(registry[analyzer]).descriptor
        #expect(!descriptor.examples.isEmpty, "every built-in analyzer documents at least one example")
        let pipeline = try Pipeline(analyzers: [analyzer], registry: registry)
        for example in descriptor.examples {
            var document = AnnotatedDocument(document: Document(id: "example", text: example.text))
            let failures = pipeline.run(&document)
            #expect(failures.isEmpty, "\(failures)")
            for expected in example.expected {
                let found = document.store.annotations(in: expected.layer).contains { annotation in
                    annotation.label == expected.label && document.document.text(of: annotation.span) == expected.text
                        && expected.features.allSatisfy { annotation.features[$0.key] == $0.value }
                }
                #expect(found, "\(analyzer): expected \(expected.layer)/\(expected.label) \"\(expected.text)\" in \"\(example.text)\"")
            }
        }
    }

    @Test func registryListsBuiltInsWithTheirOrigin() {
        #expect(Self.registrations.allSatisfy { $0.origin == .builtIn })
        #expect(Self.registrations.map(\.descriptor.name).contains("segment"))
    }
}
