public import MarginaliaCore

/// The formats annotations are written in, besides Marginalia JSON.
public enum ExportFormat: String, CaseIterable, Sendable {
    case json, jsonl, w3c, brat, spacy, conll, csv, html

    /// Formats that write several files per document (into a directory).
    public var writesSeveralFiles: Bool { self == .brat || self == .csv }

    /// The layers written when none are chosen: everything but tokens and sentences for the formats that show
    /// annotations to people or annotation tools.
    public func defaultLayers(of document: AnnotatedDocument) -> Set<String> {
        let all = Set(document.store.layerNames)
        switch self {
        case .json, .jsonl, .spacy: return all
        case .conll: return ["entity"]
        default: return all.subtracting(["token", "sentence", "markup"])
        }
    }
}

/// One file of an export: a name suffix (".ann", ".entity.csv") and its bytes.
public struct ExportedFile: Sendable, Equatable {
    public var suffix: String
    public var bytes: [UInt8]
    public init(suffix: String, bytes: [UInt8]) {
        self.suffix = suffix
        self.bytes = bytes
    }
}

/// Writers for the formats other tools read. Offsets are converted to Unicode scalars (code points) in one pass
/// per document; every writer builds bytes directly.
public enum Exporters {
    /// The files `format` makes for `document`.
    public static func export(_ document: AnnotatedDocument, format: ExportFormat, layers: Set<String>? = nil) -> [ExportedFile] {
        let chosen = layers ?? format.defaultLayers(of: document)
        switch format {
        case .json: return [ExportedFile(suffix: ".json", bytes: MarginaliaJSON.encode(document, options: .init(layers: layers, pretty: true)))]
        case .jsonl: return [ExportedFile(suffix: ".jsonl", bytes: MarginaliaJSON.encode(document, options: .init(layers: layers)) + [0x0A])]
        case .w3c: return [ExportedFile(suffix: ".jsonld", bytes: W3CExporter.export(document, layers: chosen))]
        case .brat:
            let (ann, txt) = BratExporter.export(document, layers: chosen)
            return [ExportedFile(suffix: ".ann", bytes: ann), ExportedFile(suffix: ".txt", bytes: txt)]
        case .spacy: return [ExportedFile(suffix: ".spacy.json", bytes: SpacyExporter.export(document, layers: chosen))]
        case .conll: return [ExportedFile(suffix: ".conll", bytes: ConllExporter.export(document, layer: chosen.contains("entity") ? "entity" : chosen.sorted().first ?? "entity"))]
        case .csv: return CSVExporter.export(document, layers: chosen)
        case .html: return [ExportedFile(suffix: ".html", bytes: HTMLReport.render(document, layers: chosen))]
        }
    }

    /// The annotations of `layers`, in document order, with a converter to scalar offsets.
    static func annotations(_ document: AnnotatedDocument, layers: Set<String>) -> ([Annotation], ScalarOffsets) {
        let list = layers.sorted().flatMap { document.store.annotations(in: $0) }.sorted { ($0.span.start, -$0.span.end, $0.id) < ($1.span.start, -$1.span.end, $1.id) }
        return (list, ScalarOffsets(document: document.document))
    }
}
