public import MarginaliaCore

/// The formats documents are read from; `auto` decides from the file name and then the content.
public enum InputFormat: String, CaseIterable, Sendable {
    case auto, text, markdown, html, json, jsonl

    /// The format a path's extension names, if any.
    public static func fromExtension(of path: String) -> InputFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        case "txt", "text": return .text
        default: return nil
        }
    }

    /// The format suggested by the first bytes, for inputs without a telling name.
    public static func sniff(_ bytes: [UInt8]) -> InputFormat {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        let head = String(decoding: bytes[i..<min(bytes.count, i + 512)], as: UTF8.self)
        if head.hasPrefix("{"), head.contains("\"marginalia/1\"") || head.contains("\"document\"") { return .json }
        let lower = head.lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || (lower.hasPrefix("<") && lower.contains("<body")) { return .html }
        return .text
    }

    /// The format of the media type given in a JSON-lines request.
    public static func fromMediaType(_ mediaType: String?) -> InputFormat {
        switch mediaType?.lowercased() {
        case "text/markdown", "text/x-markdown": return .markdown
        case "text/html", "application/xhtml+xml": return .html
        default: return .text
        }
    }
}

/// Reads documents from files, standard input or bytes, whatever their format.
public enum DocumentLoader {
    /// Loads every document in the file at `path` (a JSON-lines file may hold many).
    /// - Throws: ``MarginaliaError`` naming the file: missing, a directory, unreadable, binary, or malformed.
    public static func load(path: String, format: InputFormat = .auto) throws -> [AnnotatedDocument] {
        let bytes = try FileIO.read(path)
        let chosen = format == .auto ? (InputFormat.fromExtension(of: path) ?? InputFormat.sniff(bytes)) : format
        return try load(bytes: bytes, id: MarginaliaJSON.defaultID(for: path), source: path, format: chosen)
    }

    /// Loads documents from bytes already read.
    public static func load(bytes: [UInt8], id: String, source: String?, format: InputFormat) throws -> [AnnotatedDocument] {
        let name = source ?? id
        let chosen = format == .auto ? InputFormat.sniff(bytes) : format
        switch chosen {
        case .jsonl:
            var documents: [AnnotatedDocument] = []
            var reader = JSONLinesReader(name: name)
            var lineStart = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
                if let document = try reader.document(fromLine: Array(bytes[lineStart..<index])) { documents.append(document) }
                lineStart = index + 1
            }
            if lineStart < bytes.count, let document = try reader.document(fromLine: Array(bytes[lineStart...])) {
                documents.append(document)
            }
            return documents
        case .json:
            let decoded = try TextDecoding.decode(bytes, name: name)
            var document = try MarginaliaJSON.decode(decoded.bytes, name: name)
            document.warnings += decoded.warnings
            if document.document.source == nil { document.document.source = source }
            return [document]
        case .text, .markdown, .html, .auto:
            let decoded = try TextDecoding.decode(bytes, name: name)
            return [convert(decoded.bytes, id: id, source: source, format: chosen, warnings: decoded.warnings)]
        }
    }

    /// As the byte form below, from text already decoded (a JSON line's): plain text is taken as it is rather
    /// than encoded and decoded again.
    static func convert(_ text: String, id: String, source: String?, format: InputFormat, warnings: [String]) -> AnnotatedDocument {
        switch format {
        case .markdown, .html: return convert(Array(text.utf8), id: id, source: source, format: format, warnings: warnings)
        default: return AnnotatedDocument(document: Document(id: id, source: source, mediaType: .plainText, text: text), warnings: warnings)
        }
    }

    /// Turns decoded text into a document with the loader for `format`.
    static func convert(_ bytes: [UInt8], id: String, source: String?, format: InputFormat, warnings: [String]) -> AnnotatedDocument {
        switch format {
        case .markdown: return MarkdownLoader.load(bytes, id: id, source: source, warnings: warnings)
        case .html: return HTMLLoader.load(bytes, id: id, source: source, warnings: warnings)
        default:
            let document = Document(id: id, source: source, mediaType: .plainText, validUTF8: bytes)
            return AnnotatedDocument(document: document, warnings: warnings)
        }
    }
}

/// Turns JSON lines into documents: either requests `{"id", "text", "mediaType"?, "metadata"?}` or whole
/// Marginalia JSON documents. Blank lines are skipped; errors name the source and line number.
public struct JSONLinesReader: Sendable {
    public let name: String
    public private(set) var lineNumber = 0

    /// - Parameter linesRead: lines already read before the next one, so errors name the right line.
    public init(name: String, linesRead: Int = 0) {
        self.name = name
        self.lineNumber = linesRead
    }

    /// The document on the next line, or nil for a blank line.
    public mutating func document(fromLine raw: [UInt8]) throws -> AnnotatedDocument? {
        lineNumber += 1
        var line = raw
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        let location = "\(name):\(lineNumber)"
        let decoded = try TextDecoding.decode(line, name: location)
        let value: JSONValue
        do {
            value = try JSONParser.parse(decoded.bytes)
        } catch let error as MarginaliaError {
            throw MarginaliaError(error.code, error.message, location: location)
        }
        if value["format"] != nil || value["document"] != nil {
            var document = try MarginaliaJSON.decode(value, name: location)
            document.warnings += decoded.warnings
            return document
        }
        guard let text = value["text"]?.stringValue else {
            throw MarginaliaError(.invalidInput, "expected an object with a string 'text'", location: location)
        }
        let id = value["id"]?.stringValue ?? value["id"]?.intValue.map(String.init) ?? "line-\(lineNumber)"
        let format = InputFormat.fromMediaType(value["mediaType"]?.stringValue)
        var document = DocumentLoader.convert(text, id: id, source: nil, format: format, warnings: decoded.warnings)
        for (key, member) in value["metadata"]?.objectValue ?? [:] {
            document.document.metadata[key] = member.stringValue ?? member.featureValue?.displayText
        }
        return document
    }
}
