import MarginaliaCore
@testable import MarginaliaIO

/// The markup annotations of a loaded document as (label, text) pairs, in span order.
func markup(_ document: AnnotatedDocument) -> [(String, String)] {
    document.store.annotations(in: "markup").map { ($0.label, document.document.text(of: $0.span)) }
}

func markdown(_ text: String) -> AnnotatedDocument {
    MarkdownLoader.load(Array(text.utf8), id: "t", source: nil)
}

func html(_ text: String) -> AnnotatedDocument {
    HTMLLoader.load(Array(text.utf8), id: "t", source: nil)
}

/// Slices `text` by Unicode-scalar offsets, as Python does.
func scalarSlice(_ text: String, _ start: Int, _ end: Int) -> String {
    let scalars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[start..<end])
    return String(result)
}
