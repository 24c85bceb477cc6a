/// A document with its annotations and what the loader had to say about it.
public struct AnnotatedDocument: Sendable {
    public var document: Document
    public var store: AnnotationStore
    /// Non-fatal problems found while loading (invalid UTF-8 replaced, a BOM stripped), one line each.
    public var warnings: [String]

    public init(document: Document, store: AnnotationStore = AnnotationStore(), warnings: [String] = []) {
        self.document = document
        self.store = store
        self.warnings = warnings
    }

    /// The document's id.
    public var id: String { document.id }
}
