public import MarginaliaCore

/// Actors of international affairs and the numbers around them, each normalised to a canonical actor.
///
/// One pass over the tokens: the longest gazetteer match at each position (a trie over curated actors,
/// countries, demonyms, capitals and cities), then rules for capitalised names the lists do not know (titles
/// before people, organisation heads and tails, given names, acronyms defined in the text, later mentions of a
/// person by surname), then dates, money, percentages, quantities, ordinals and cardinals. A capital that acts
/// ("Tehran said") stands for its country's government; one that is a place ("in Tehran") stays a city.
public struct EntityAnalyzer: Analyzer {
    public static let descriptor = AnalyzerDescriptor(
        name: "entity",
        version: "0.1.0",
        summary: "People, organisations, states and their governments, places, nationalities, treaties, weapons, dates and numbers, with canonical actors",
        requires: ["token", "sentence"],
        produces: ["entity"],
        options: [
            OptionSpec("gazetteer", .list, default: .list([]), help: "extra gazetteer files (LABEL<TAB>kind<TAB>canonical<TAB>names|...)"),
            OptionSpec("labels", .list, default: .list([]), help: "only these labels (default: all)"),
            OptionSpec("min-confidence", .double, default: 0.0, help: "drop entities below this confidence"),
        ],
        examples: [
            AnalyzerExample(
                "Tehran said Russia and the Iranian foreign minister, Mohammad Javad Zarif, met in Moscow.",
                expect: [
                    .init(layer: "entity", label: "GPE", text: "Tehran", features: ["canonical": "Iran", "kind": "government"]),
                    .init(layer: "entity", label: "NORP", text: "Iranian", features: ["canonical": "Iran"]),
                    .init(layer: "entity", label: "PERSON", text: "Mohammad Javad Zarif"),
                    .init(layer: "entity", label: "GPE", text: "Moscow", features: ["kind": "city"]),
                ]),
            AnalyzerExample(
                "Iran asked to join the Shanghai Cooperation Organization (SCO) in September 2020. The SCO agreed.",
                expect: [
                    .init(layer: "entity", label: "ORG", text: "SCO", features: ["canonical": "Shanghai Cooperation Organization"]),
                    .init(layer: "entity", label: "DATE", text: "September 2020"),
                ]),
            AnalyzerExample(
                "Gen. Hossein Karimi of the Ministry of Energy said output rose 3.1 percent. Karimi expects more.",
                expect: [
                    .init(layer: "entity", label: "PERSON", text: "Hossein Karimi"),
                    .init(layer: "entity", label: "ORG", text: "Ministry of Energy"),
                    .init(layer: "entity", label: "PERCENT", text: "3.1 percent"),
                    .init(layer: "entity", label: "PERSON", text: "Karimi", features: ["canonical": "Hossein Karimi"]),
                ]),
        ]
    )

    let knowledge: KnowledgeBase
    let labels: Set<String>
    let minimumConfidence: Double

    public init(options: AnalyzerOptions) throws {
        var knowledge = KnowledgeBase.builtIn
        for path in options.list("gazetteer") {
            let bytes = try GazetteerFile.read(path)
            let text = String(decoding: bytes, as: UTF8.self)
            if let error = KnowledgeBase.parseErrors(text, source: path).first {
                throw MarginaliaError(.invalidInput, error)
            }
            // User lists come first: they know the analyst's domain best.
            var user = KnowledgeBase()
            user.addCurated(text, source: path, confidence: 0.95)
            knowledge = KnowledgeBase.merged(user, over: knowledge)
        }
        self.knowledge = knowledge
        labels = Set(options.list("labels"))
        minimumConfidence = options.double("min-confidence") ?? 0
    }

    public func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        var finder = EntityFinder(document: document, store: store, knowledge: knowledge)
        var found = finder.find()
        // By default every entity is kept: no pass over them.
        guard !labels.isEmpty || minimumConfidence > 0 else { return found }
        // In place: `filter` would copy every annotation kept.
        found.removeAll { annotation in
            !(labels.isEmpty || labels.contains(annotation.label)) || (annotation.confidence ?? 1) < minimumConfidence
        }
        return found
    }
}

extension KnowledgeBase {
    /// `user` entries take precedence over `base` for names both know.
    static func merged(_ user: KnowledgeBase, over base: KnowledgeBase) -> KnowledgeBase {
        var result = KnowledgeBase()
        result.firstNames = base.firstNames
        result.entries = user.entries + base.entries
        let offset = Int32(user.entries.count)
        // Re-insert every name: user entries keep their indices, base entries shift by `offset`.
        func copy(_ trie: PhraseTrie, shift: Int32) {
            for node in trie.nodes {
                for entry in node.entries { result.trie.insert(node.surface, entry: entry + shift) }
            }
        }
        copy(user.trie, shift: 0)
        copy(base.trie, shift: offset)
        return result
    }
}
