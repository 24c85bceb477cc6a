public import MarginaliaCore

/// Reads brat standoff (`.ann` beside its `.txt`) into annotations, so gold data can sit next to system output.
///
/// `T` lines become annotations (label = type; a discontinuous span covers its fragments and keeps them in
/// `features.fragments`), `E` lines annotations over their trigger with the arguments as roles, `R` lines
/// annotations over both arguments, `A` lines features, `#` notes `features.note`. The layer is `layer`, or what
/// an `A … Layer` line says (as Marginalia's own brat export writes).
public enum BratImporter {
    public static func load(annPath: String, layer: String = "entity") throws -> AnnotatedDocument {
        let base = annPath.hasSuffix(".ann") ? String(annPath.dropLast(4)) : annPath
        let text = try TextDecoding.decode(try FileIO.read(base + ".txt"), name: base + ".txt")
        let ann = try TextDecoding.decode(try FileIO.read(annPath), name: annPath)
        let document = Document(
            id: MarginaliaJSON.defaultID(for: annPath), source: annPath, mediaType: .plainText, validUTF8: text.bytes)
        let annotations = try parse(String(decoding: ann.bytes, as: UTF8.self), document: document, layer: layer, name: annPath)
        return AnnotatedDocument(document: document, store: try AnnotationStore(annotations), warnings: text.warnings + ann.warnings)
    }

    /// Parses `.ann` text against `document`; errors name `name` and the line.
    public static func parse(_ ann: String, document: Document, layer: String, name: String) throws -> [Annotation] {
        struct Pending { var line: Int; var fields: [Substring] }
        var spans: [(id: String, label: String, fragments: [(Int, Int)], line: Int)] = []
        var others: [Pending] = []
        var features: [String: Features] = [:]
        var layers: [String: String] = [:]
        var sharing: [(t: String, id: String, layer: String, label: String)] = []
        var scalarOffsets: [Int] = []
        for (index, raw) in ann.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard !line.isEmpty else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            func fail(_ message: String) -> MarginaliaError { MarginaliaError(.invalidInput, message, location: name, line: index + 1) }
            switch line.first {
            case "T":
                guard fields.count >= 2 else { throw fail("a T line needs an id, a type with offsets, and the text") }
                let parts = fields[1].split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { throw fail("a T line needs a type and offsets") }
                var fragments: [(Int, Int)] = []
                for fragment in parts[1].split(separator: ";") {
                    let numbers = fragment.split(separator: " ").compactMap { Int($0) }
                    guard numbers.count == 2, numbers[0] <= numbers[1] else { throw fail("bad offsets '\(fragment)'") }
                    fragments.append((numbers[0], numbers[1]))
                    scalarOffsets += numbers
                }
                spans.append((String(fields[0]), String(parts[0]), fragments, index + 1))
            case "A", "M":
                guard fields.count >= 2 else { throw fail("an A line needs an id and 'Name Target [Value]'") }
                let parts = fields[1].split(separator: " ")
                guard parts.count >= 2 else { throw fail("an A line needs 'Name Target [Value]'") }
                let value: FeatureValue = parts.count > 2 ? .string(parts[2...].joined(separator: " ")) : .bool(true)
                if parts[0] == "Layer", case .string(let named) = value { layers[String(parts[1])] = named } else { features[String(parts[1]), default: [:]][String(parts[0])] = value }
            case "#":
                guard fields.count >= 3 else { continue }
                let parts = fields[1].split(separator: " ")
                guard parts.count == 2 else { continue }
                let note = fields[2]
                // "also LAYER/LABEL (ID)": another annotation on the same span, as Marginalia's export writes it.
                if note.hasPrefix("also "), let slash = note.firstIndex(of: "/"), let open = note.lastIndex(of: "("), note.hasSuffix(")") {
                    let layerName = String(note[note.index(note.startIndex, offsetBy: 5)..<slash])
                    let label = String(note[note.index(after: slash)..<open]).trimmingSpaces()
                    let id = String(note[note.index(after: open)..<note.index(before: note.endIndex)])
                    sharing.append((String(parts[1]), id, layerName, label))
                } else if let existing = features[String(parts[1])]?["note"]?.stringValue {
                    features[String(parts[1]), default: [:]]["note"] = .string(existing + "; " + note)
                } else {
                    features[String(parts[1]), default: [:]]["note"] = .string(String(note))
                }
            case "E", "R":
                others.append(Pending(line: index + 1, fields: fields))
            default:
                continue  // N (normalisation) and * (equivalence) lines carry nothing the model keeps here.
            }
        }
        let toBytes = ScalarOffsets.byteOffsets(utf8: document.utf8, scalarOffsets: scalarOffsets)
        var result: [Annotation] = []
        var spanOf: [String: TextSpan] = [:]
        for span in spans {
            guard let first = span.fragments.first, let last = span.fragments.last, let start = toBytes[first.0], let end = toBytes[last.1] else {
                throw MarginaliaError(.invalidInput, "offsets outside the text", location: name, line: span.line)
            }
            var featureSet = features[span.id] ?? [:]
            if span.fragments.count > 1 {
                featureSet["fragments"] = .list(span.fragments.map { .list([.int($0.0), .int($0.1)]) })
            }
            spanOf[span.id] = TextSpan(start, end)
            result.append(
                Annotation(
                    id: span.id, layer: layers[span.id] ?? layer, label: span.label, span: TextSpan(start, end), features: featureSet,
                    producer: "brat"))
        }
        for shared in sharing {
            guard let span = spanOf[shared.t], !spanOf.keys.contains(shared.id) else { continue }
            spanOf[shared.id] = span
            result.append(Annotation(id: shared.id, layer: shared.layer, label: shared.label, span: span, producer: "brat"))
        }
        for pending in others {
            func fail(_ message: String) -> MarginaliaError { MarginaliaError(.invalidInput, message, location: name, line: pending.line) }
            guard pending.fields.count >= 2 else { throw fail("an \(pending.fields[0].prefix(1)) line needs an id and arguments") }
            let id = String(pending.fields[0])
            let parts = pending.fields[1].split(separator: " ")
            var roles: Roles = [:]
            var label = ""
            var span: TextSpan?
            for (position, part) in parts.enumerated() {
                let pair = part.split(separator: ":", maxSplits: 1)
                if id.hasPrefix("R"), position == 0 {
                    label = String(part)
                    continue
                }
                guard pair.count == 2 else { throw fail("expected Role:Id, found '\(part)'") }
                let target = String(pair[1])
                guard let targetSpan = spanOf[target] ?? result.first(where: { $0.id == target })?.span else {
                    throw fail("'\(target)' is not defined")
                }
                if id.hasPrefix("E"), position == 0 {
                    label = String(pair[0])
                    span = targetSpan
                    roles["trigger"] = [target]
                } else {
                    roles[String(pair[0]).lowercased(), default: []].append(target)
                    if id.hasPrefix("R") {
                        span = span.map { TextSpan(min($0.start, targetSpan.start), max($0.end, targetSpan.end)) } ?? targetSpan
                    }
                }
            }
            guard let span else { throw fail("no trigger or arguments") }
            let layerName = roles["trigger"].flatMap { layers[$0[0]] } ?? layer
            result.append(Annotation(id: id, layer: layerName, label: label, span: span, features: features[id] ?? [:], roles: roles, producer: "brat"))
        }
        return result
    }
}

/// Reads CoNLL-2003-style columns (token first, tag last; IOB1 or IOB2; `-DOCSTART-` between documents) as the
/// evaluation harness builds its texts: tokens joined by single spaces, sentences by newlines. Each document
/// gets `token`, `sentence` and `entity` (or `layer`) annotations.
public enum ConllImporter {
    public static func load(path: String, layer: String = "entity") throws -> [AnnotatedDocument] {
        let decoded = try TextDecoding.decode(try FileIO.read(path), name: path)
        return try parse(String(decoding: decoded.bytes, as: UTF8.self), name: path, layer: layer)
    }

    public static func parse(_ text: String, name: String, layer: String = "entity") throws -> [AnnotatedDocument] {
        var documents: [AnnotatedDocument] = []
        var sentences: [[(word: String, tag: String)]] = []
        var current: [(word: String, tag: String)] = []
        func flushDocument() throws {
            if !current.isEmpty { sentences.append(current) }
            current = []
            guard !sentences.isEmpty else { return }
            documents.append(try build(sentences, id: "\(MarginaliaJSON.defaultID(for: name))-\(documents.count + 1)", source: name, layer: layer))
            sentences = []
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty {
                if !current.isEmpty { sentences.append(current) }
                current = []
                continue
            }
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if columns[0] == "-DOCSTART-" {
                try flushDocument()
                continue
            }
            guard columns.count >= 2 else {
                throw MarginaliaError(.invalidInput, "expected a token and a tag", location: name, line: index + 1)
            }
            current.append((String(columns[0]), String(columns[columns.count - 1])))
        }
        try flushDocument()
        return documents
    }

    static func build(_ sentences: [[(word: String, tag: String)]], id: String, source: String, layer: String) throws -> AnnotatedDocument {
        var text: [UInt8] = []
        var annotations: [Annotation] = []
        var counter = 0
        func next(_ prefix: String) -> String {
            counter += 1
            return "\(prefix)-\(counter)"
        }
        for (sentenceIndex, sentence) in sentences.enumerated() {
            if sentenceIndex > 0 { text.append(0x0A) }
            let sentenceStart = text.count
            var open: (start: Int, end: Int, type: String)? = nil
            func close() {
                if let entity = open { annotations.append(Annotation(id: next("gold"), layer: layer, label: entity.type, span: TextSpan(entity.start, entity.end), producer: "conll")) }
                open = nil
            }
            for (tokenIndex, token) in sentence.enumerated() {
                if tokenIndex > 0 { text.append(0x20) }
                let start = text.count
                text += Array(token.word.utf8)
                annotations.append(Annotation(id: next("token"), layer: "token", label: "word", span: TextSpan(start, text.count), producer: "conll"))
                let tag = token.tag
                if tag == "O" || tag.count < 3 {
                    close()
                    continue
                }
                let prefix = tag.prefix(2)
                let type = String(tag.dropFirst(2))
                // IOB1 starts an entity with I- too; B- (or a change of type) always starts a new one.
                if prefix == "B-" || open == nil || open!.type != type {
                    close()
                    open = (start, text.count, type)
                } else {
                    open!.end = text.count
                }
            }
            close()
            annotations.append(Annotation(id: next("sentence"), layer: "sentence", label: "sentence", span: TextSpan(sentenceStart, text.count), producer: "conll"))
        }
        let document = Document(id: id, source: source, mediaType: .plainText, validUTF8: text)
        return AnnotatedDocument(document: document, store: try AnnotationStore(annotations))
    }
}

/// Loads annotated documents for comparison: brat (`.ann`), CoNLL columns (`.conll`, `.iob`, `.testa`, `.testb`,
/// `.train`), or Marginalia JSON / JSON lines.
public enum AnnotatedFiles {
    public static func load(_ path: String, layer: String) throws -> [AnnotatedDocument] {
        let lower = path.lowercased()
        if lower.hasSuffix(".ann") { return [try BratImporter.load(annPath: path, layer: layer)] }
        if [".conll", ".iob", ".iob2", ".testa", ".testb", ".train"].contains(where: { lower.hasSuffix($0) }) {
            return try ConllImporter.load(path: path, layer: layer)
        }
        return try DocumentLoader.load(path: path)
    }
}
