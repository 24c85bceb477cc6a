/// The built-in segmentation: `token` and `sentence` layers for every other analyzer to build on.
public struct SegmentAnalyzer: Analyzer {
    public static let descriptor = AnalyzerDescriptor(
        name: "segment",
        version: "1.0.0",
        summary: "English tokens and sentences (abbreviations, initials, decimals, URLs, quotes kept whole)",
        requires: [],
        produces: ["token", "sentence"],
        options: [],
        examples: [
            AnalyzerExample(
                "The U.S. sold S-300 systems. Gen. Smith said so.",
                expect: [
                    .init(layer: "token", label: "word", text: "U.S."),
                    .init(layer: "token", label: "word", text: "S-300"),
                    .init(layer: "sentence", label: "sentence", text: "The U.S. sold S-300 systems."),
                    .init(layer: "sentence", label: "sentence", text: "Gen. Smith said so."),
                ]),
            AnalyzerExample(
                "Prices rose 3.5 percent... See https://example.org/a.b?c=1. Done.",
                expect: [
                    .init(layer: "token", label: "number", text: "3.5"),
                    .init(layer: "token", label: "url", text: "https://example.org/a.b?c=1"),
                    .init(layer: "sentence", label: "sentence", text: "See https://example.org/a.b?c=1."),
                ]),
        ]
    )

    public init(options: AnalyzerOptions) throws {}

    public func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        let (tokens, others) = segment(document)
        return tokens.map { Annotation(layer: "token", label: $0.kind.rawValue, span: $0.span) } + others
    }
}

extension SegmentAnalyzer: TokenColumnProducing {
    func segment(_ document: Document) -> (tokens: [Token], others: [Annotation]) {
        let (tokens, sentences) = document.utf8.withUnsafeBufferPointer { bytes in
            let tokens = Tokenizer.tokenize(bytes)
            return (tokens, SentenceSplitter.split(bytes, tokens: tokens))
        }
        return (tokens, sentences.map { Annotation(layer: "sentence", label: "sentence", span: $0) })
    }
}

/// An analyzer whose tokens the pipeline may store as ``TokenColumns``: `segment` returns what `analyze` would,
/// with the `token` annotations as plain tokens, in the same order (tokens first).
protocol TokenColumnProducing: DocumentAnalyzing {
    func segment(_ document: Document) -> (tokens: [Token], others: [Annotation])
}
