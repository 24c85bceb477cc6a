/// Anything that annotates a document: a Swift ``Analyzer``, a rule file, or an external process.
///
/// Instances are created per run with their options and may be used from several threads at once.
public protocol DocumentAnalyzing: Sendable {
    /// Annotates one document.
    ///
    /// - Parameters:
    ///   - document: the text and metadata.
    ///   - store: the annotations made so far, including every layer this analyzer requires.
    /// - Returns: new annotations in the layers the analyzer produces. Ids may be empty, or local names that
    ///   roles refer to; the pipeline gives them final ids and sets the producer.
    /// - Throws: any error; the pipeline reports it with the analyzer and document and keeps other results.
    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation]
}

/// A Swift analyzer registered at compile time.
///
/// ```swift
/// struct SanctionsAnalyzer: Analyzer {
///     static let descriptor = AnalyzerDescriptor(
///         name: "sanctions", version: "1.0.0", summary: "Sanctions and who imposes them",
///         requires: ["token"], produces: ["sanctions"])
///     init(options: AnalyzerOptions) throws {}
///     func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] { ... }
/// }
/// ```
public protocol Analyzer: DocumentAnalyzing {
    /// The analyzer's name, version, requirements, products, options and examples.
    static var descriptor: AnalyzerDescriptor { get }
    /// Creates an instance with validated options.
    init(options: AnalyzerOptions) throws
}

/// An analyzer that can hand its annotations to the pipeline as ``AnnotationColumns``, one per layer it makes.
///
/// The pipeline asks for columns on a first run (every run in batch) and stores them as they are, so its rows
/// are never renamed, copied or freed as annotation values; `analyze` must return the same annotations (usually
/// `analyzeColumns(...).flatMap(\.annotations)`), which the pipeline uses when it cannot store columns (a re-run,
/// or a layer already holding annotations).
public protocol ColumnarAnalyzing: DocumentAnalyzing {
    func analyzeColumns(_ document: Document, store: AnnotationStore) throws -> [AnnotationColumns]
}
