public import MarginaliaCore

/// Hyperlinks, direct quotations, and attributions: who (source) said (cue) what (content).
///
/// Quotation marks are paired over the whole text first. Then each sentence is read for reporting cues from a
/// lexicon of predicates (say, tell, warn, believe, find, want, criticise ...), "according to", colons before
/// quotations and agentless passives ("it was stated that"); around each cue the source is the subject (across
/// relative clauses and appositions, or after the verb in "said the minister") and the content is the clause or
/// quotation it introduces. Sources are described with the `entity` layer when it is there.
public struct CitationAnalyzer: Analyzer {
    public static let descriptor = AnalyzerDescriptor(
        name: "citation",
        version: "0.1.0",
        summary: "Links, quotations and attributions (source, cue, content), with the source's entity and kind",
        requires: ["token", "sentence"],
        uses: ["entity"],
        produces: ["citation"],
        options: [
            OptionSpec("scare-words", .int, default: 2, help: "quotations of at most this many words without sentence punctuation are scare quotes"),
            OptionSpec("quotes", .bool, default: true, help: "emit quote annotations"),
            OptionSpec("links", .bool, default: true, help: "emit link annotations from the markup layer"),
            OptionSpec(
                "nested", .bool, default: false,
                help: "also report attributions inside a quotation (by default they are part of the quoted speaker's content)"),
        ],
        examples: [
            AnalyzerExample(
                "The Tasnim outlet, which is linked to the armed forces, has said that Baghdad should not rely on Ankara.",
                expect: [
                    .init(layer: "citation", label: "source", text: "The Tasnim outlet"),
                    .init(layer: "citation", label: "cue", text: "has said"),
                    .init(layer: "citation", label: "content", text: "Baghdad should not rely on Ankara"),
                ]),
            AnalyzerExample(
                "“We will not be dictated to,” the foreign minister said. According to Ankara, the talks failed.",
                expect: [
                    .init(layer: "citation", label: "quote", text: "We will not be dictated to,", features: ["scare": false]),
                    .init(layer: "citation", label: "source", text: "the foreign minister"),
                    .init(layer: "citation", label: "content", text: "We will not be dictated to,"),
                    .init(layer: "citation", label: "cue", text: "According to"),
                    .init(layer: "citation", label: "source", text: "Ankara"),
                    .init(layer: "citation", label: "content", text: "the talks failed"),
                ]),
            AnalyzerExample(
                "The \"reformist\" camp praised the deal. In an article published by Kayhan, it was stated that the deal would fail.",
                expect: [
                    .init(layer: "citation", label: "quote", text: "reformist", features: ["scare": true]),
                    .init(layer: "citation", label: "cue", text: "it was stated"),
                    .init(layer: "citation", label: "source", text: "an article published by Kayhan"),
                    .init(layer: "citation", label: "content", text: "the deal would fail"),
                ]),
        ]
    )

    let scareWords: Int
    let emitQuotes: Bool
    let emitLinks: Bool
    let nested: Bool

    public init(options: AnalyzerOptions) throws {
        scareWords = options.int("scare-words") ?? 2
        emitQuotes = options.bool("quotes") ?? true
        emitLinks = options.bool("links") ?? true
        nested = options.bool("nested") ?? false
    }

    public func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        var finder = CitationFinder(document: document, store: store, lexicon: .builtIn, scareWords: scareWords, nested: nested)
        finder.find()
        let all = finder.annotations()
        // With both kinds kept (the default) the list is returned as it is: a filter copies every annotation.
        if emitQuotes && emitLinks { return all }
        return all.filter { annotation in
            switch annotation.label {
            case "quote": emitQuotes
            case "link": emitLinks
            default: true
            }
        }
    }
}
