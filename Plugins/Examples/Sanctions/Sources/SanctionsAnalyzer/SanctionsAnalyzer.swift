import MarginaliaCore

/// Sanctions measures, the actors imposing them and the actors they target.
///
/// A measure ("sanctions", "an arms embargo", "an asset freeze") becomes a `MEASURE` annotation in the
/// `sanctions` layer; the state or body before an imposing verb ("Washington imposed", "the EU has extended") is
/// its `imposer`, and the actor after "on" or "against" its `target`. Lifting verbs mark relief instead
/// (`features.action` = "lift").
public struct SanctionsAnalyzer: Analyzer {
    public static let descriptor = AnalyzerDescriptor(
        name: "sanctions",
        version: "1.0.0",
        summary: "Sanctions measures with the actors imposing them and those they target",
        requires: ["token", "sentence", "entity"],
        produces: ["sanctions"],
        examples: [
            AnalyzerExample(
                "Washington imposed new sanctions on Iran, and the EU lifted its arms embargo against Syria.",
                expect: [
                    .init(layer: "sanctions", label: "MEASURE", text: "sanctions", features: ["imposer": "United States", "target": "Iran", "action": "impose"]),
                    .init(layer: "sanctions", label: "MEASURE", text: "arms embargo", features: ["imposer": "European Union", "target": "Syria", "action": "lift"]),
                ]),
        ]
    )

    static let measures: [[String]] = [
        ["secondary", "sanctions"], ["arms", "embargo"], ["oil", "embargo"], ["asset", "freeze"], ["travel", "ban"],
        ["export", "controls"], ["sanctions"], ["embargo"],
    ]
    static let imposing: Set<String> = ["impose", "imposed", "imposes", "imposing", "extend", "extended", "extends", "tighten", "tightened", "announced", "expanded", "adopted"]
    static let lifting: Set<String> = ["lift", "lifted", "lifts", "lifting", "eased", "eases", "suspended", "waived", "relaxed"]

    public init(options: AnalyzerOptions) throws {}

    public func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        let table = store.tokenTable(for: document)
        let tokens = table.tokens
        let words = tokens.map { document.text(of: TextSpan($0.start, $0.end)).lowercased() }
        let actors = store.annotations(in: "entity").filter { ["GPE", "ORG", "NORP", "PERSON"].contains($0.label) }
        func actor(at token: Int) -> Annotation? {
            actors.first { $0.span.start <= tokens[token].start && $0.span.end >= tokens[token].end }
        }
        var result: [Annotation] = []
        for sentence in table.sentences {
            var i = sentence.lowerBound
            while i < sentence.upperBound {
                guard let measure = Self.measures.first(where: { terms in
                    i + terms.count <= sentence.upperBound && terms.indices.allSatisfy { words[i + $0] == terms[$0] }
                }) else {
                    i += 1
                    continue
                }
                let last = i + measure.count - 1
                var features: Features = [:]
                var roles: Roles = [:]
                // The verb within four words before the measure, and the actor before the verb.
                var k = i - 1
                while k >= sentence.lowerBound, k >= i - 4 {
                    if Self.imposing.contains(words[k]) || Self.lifting.contains(words[k]) {
                        features["action"] = .string(Self.lifting.contains(words[k]) ? "lift" : "impose")
                        var j = k - 1
                        while j >= sentence.lowerBound, j >= k - 4, actor(at: j) == nil { j -= 1 }
                        if j >= sentence.lowerBound, let imposer = actor(at: j) {
                            roles["imposer"] = [imposer.id]
                            features["imposer"] = imposer.features["canonical"] ?? .string(document.text(of: imposer.span))
                        }
                        break
                    }
                    k -= 1
                }
                if last + 2 < sentence.upperBound, words[last + 1] == "on" || words[last + 1] == "against" {
                    var j = last + 2
                    if words[j] == "the" { j += 1 }
                    if j < sentence.upperBound, let target = actor(at: j) {
                        roles["target"] = [target.id]
                        features["target"] = target.features["canonical"] ?? .string(document.text(of: target.span))
                    }
                }
                result.append(
                    Annotation(
                        id: "", layer: "sanctions", label: "MEASURE", span: TextSpan(tokens[i].start, tokens[last].end),
                        features: features, roles: roles))
                i = last + 1
            }
        }
        return result
    }
}
