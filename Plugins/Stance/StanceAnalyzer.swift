public import MarginaliaCore

/// Who supports or opposes whom, and how sure the author and the cited sources are.
///
/// Three passes over each sentence: hedges and boosters from an epistemic lexicon (modal verbs only in their
/// epistemic sense); support and oppose from a predicate lexicon, with the holder the actor before the predicate
/// and the target the actor after it (coordination, passives with "by", negation, and wished-for states such as
/// "want a weak Iran"); how reported events portray their participants ("X was indicted", "X lied", "allegations
/// against X", "X's victory"), with the victims of violence left unevaluated; and, for actors none of these
/// reached, an evaluation from the valence of the words around them. Everything inside an attribution's content is
/// scoped to that attribution.
public struct StanceAnalyzer: Analyzer {
    public static let descriptor = AnalyzerDescriptor(
        name: "stance",
        version: "0.1.0",
        summary: "Support and opposition between actors, the author's evaluations, hedges and boosters, scoped to author or source",
        requires: ["token", "sentence", "entity"],
        uses: ["citation"],
        produces: ["stance"],
        options: [
            OptionSpec("evaluations", .bool, default: true, help: "also evaluate actors from the events reported of them and the valence of nearby words"),
            OptionSpec("window", .int, default: 14, help: "words either side of an actor read for its evaluation"),
            OptionSpec("positive-window", .int, default: 8, help: "of those, how near a positive word must be to count"),
            OptionSpec("threshold", .double, default: 0.3, help: "summed valence an evaluation needs (VADER scale)"),
        ],
        examples: [
            AnalyzerExample(
                "Both Greece and Cyprus want a weak Turkey. Turkey may well lose, but Ankara is clearly aware of it.",
                expect: [
                    .init(layer: "stance", label: "oppose", text: "want a weak Turkey", features: ["holder": "Greece", "target": "Turkey"]),
                    .init(layer: "stance", label: "oppose", text: "want a weak Turkey", features: ["holder": "Cyprus", "target": "Turkey"]),
                    .init(layer: "stance", label: "hedge", text: "may well", features: ["scope": "author"]),
                    .init(layer: "stance", label: "booster", text: "clearly", features: ["scope": "author"]),
                ]),
            AnalyzerExample(
                "Russia has helped Iran and has been hailed by Tehran. Turkey has not supported Russia.",
                expect: [
                    .init(layer: "stance", label: "support", text: "helped Iran", features: ["holder": "Russia", "target": "Iran"]),
                    .init(layer: "stance", label: "support", text: "Russia has helped Iran and has been hailed", features: ["holder": "Iran", "target": "Russia"]),
                    .init(layer: "stance", label: "oppose", text: "supported Russia", features: ["holder": "Turkey", "target": "Russia", "polarity": -1]),
                ]),
        ]
    )

    let evaluations: Bool
    let window: Int
    let positiveWindow: Int
    let threshold: Double

    public init(options: AnalyzerOptions) throws {
        evaluations = options.bool("evaluations") ?? true
        window = options.int("window") ?? 14
        positiveWindow = options.int("positive-window") ?? 8
        threshold = options.double("threshold") ?? 0.3
        guard window >= 0 else { throw MarginaliaError(.invalidInput, "option 'window' of analyzer 'stance' must not be negative") }
        guard positiveWindow >= 0 else { throw MarginaliaError(.invalidInput, "option 'positive-window' of analyzer 'stance' must not be negative") }
    }

    public func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        try analyzeColumns(document, store: store)[0].annotations
    }
}

extension StanceAnalyzer: ColumnarAnalyzing {
    /// The stance layer as columns: about 300 rows per document of news, most with six features and three roles.
    public func analyzeColumns(_ document: Document, store: AnnotationStore) throws -> [AnnotationColumns] {
        var finder = StanceFinder(
            document: document, store: store, lexicon: .builtIn, evaluations: evaluations, window: window, positiveWindow: positiveWindow,
            threshold: threshold)
        finder.find()
        // Moved out rather than copied: a copy would retain every column once more, to release them with the finder.
        var result = AnnotationColumns(layer: "stance")
        swap(&result, &finder.result)
        return [result]
    }
}
