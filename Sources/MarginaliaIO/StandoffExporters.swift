import MarginaliaCore

/// W3C Web Annotation Data Model: one `AnnotationCollection` per document, each annotation with a
/// `TextPositionSelector` (code points) and a `TextQuoteSelector` (exact, prefix, suffix), its label and features
/// as bodies, and the analyzer as creator.
enum W3CExporter {
    static func export(_ annotated: AnnotatedDocument, layers: Set<String>) -> [UInt8] {
        let document = annotated.document
        let (list, offsets) = Exporters.annotations(annotated, layers: layers)
        let source = "urn:marginalia:document:" + percentEncoded(document.id)
        var w = JSONWriter(capacity: list.count * 600 + 512)
        w.raw("{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"id\":"); w.string(source + "/annotations")
        w.raw(",\"type\":\"AnnotationCollection\",\"label\":"); w.string("Marginalia annotations of \(document.id)")
        w.raw(",\"total\":"); w.int(list.count)
        w.raw(",\"generator\":{\"id\":\"urn:marginalia:software\",\"type\":\"Software\",\"name\":\"Marginalia\"}")
        w.raw(",\"first\":{\"id\":"); w.string(source + "/annotations/page1")
        w.raw(",\"type\":\"AnnotationPage\",\"startIndex\":0,\"items\":[")
        for (index, annotation) in list.enumerated() {
            if index > 0 { w.raw(",") }
            let start = offsets.scalarOffset(ofByte: annotation.span.start)
            let end = offsets.scalarOffset(ofByte: annotation.span.end)
            w.raw("{\"id\":"); w.string(source + "#" + percentEncoded(annotation.id))
            w.raw(",\"type\":\"Annotation\",\"motivation\":"); w.string(annotation.layer == "citation" ? "linking" : "tagging")
            w.raw(",\"creator\":{\"id\":"); w.string("urn:marginalia:analyzer:" + percentEncoded(annotation.producer))
            w.raw(",\"type\":\"Software\",\"name\":"); w.string(annotation.producer); w.raw("}")
            w.raw(",\"body\":[{\"type\":\"TextualBody\",\"purpose\":\"tagging\",\"value\":"); w.string(annotation.label)
            w.raw("},{\"type\":\"TextualBody\",\"purpose\":\"classifying\",\"value\":"); w.string(annotation.layer); w.raw("}")
            for (key, value) in annotation.features {
                w.raw(",{\"type\":\"TextualBody\",\"purpose\":\"describing\",\"value\":"); w.string("\(key)=\(value.displayText)"); w.raw("}")
            }
            for (role, targets) in annotation.roles {
                for target in targets {
                    w.raw(",{\"type\":\"SpecificResource\",\"purpose\":\"linking\",\"source\":"); w.string(source + "#" + percentEncoded(target))
                    w.raw(",\"value\":"); w.string(role); w.raw("}")
                }
            }
            w.raw("],\"target\":{\"source\":"); w.string(source)
            w.raw(",\"selector\":[{\"type\":\"TextPositionSelector\",\"start\":"); w.int(start); w.raw(",\"end\":"); w.int(end)
            w.raw("},{\"type\":\"TextQuoteSelector\",\"exact\":"); w.string(document.text(of: annotation.span))
            w.raw(",\"prefix\":"); w.string(context(document, before: annotation.span.start))
            w.raw(",\"suffix\":"); w.string(context(document, after: annotation.span.end))
            w.raw("}]}")
            if let confidence = annotation.confidence { w.raw(",\"confidence\":"); w.double(confidence) }
            w.raw("}")
        }
        w.raw("]}}")
        return w.bytes
    }

    /// Up to 32 characters of context, cut on character boundaries.
    static func context(_ document: Document, before offset: Int) -> String {
        var start = max(0, offset - 32)
        while start < offset, !document.isScalarBoundary(start) { start += 1 }
        return document.text(of: TextSpan(start, offset))
    }

    static func context(_ document: Document, after offset: Int) -> String {
        var end = min(document.utf8.count, offset + 32)
        while end > offset, !document.isScalarBoundary(end) { end -= 1 }
        return document.text(of: TextSpan(offset, end))
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if UTF8Scanning.isASCIILetter(byte) || UTF8Scanning.isDigit(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E || byte == 0x40 {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }
}

/// brat standoff: `T` lines for spans, `E` lines for annotations with roles (attribution: cue, source, content;
/// stance: holder, target, cue), `A` lines for simple features and `#` notes for the rest. Annotations sharing
/// a span share its `T` line (brat tools expect one text-bound annotation per span), the others' labels noted.
enum BratExporter {
    static func export(_ annotated: AnnotatedDocument, layers: Set<String>) -> (ann: [UInt8], txt: [UInt8]) {
        let document = annotated.document
        let (list, offsets) = Exporters.annotations(annotated, layers: layers)
        var lines: [String] = []
        var tByID: [String: String] = [:]
        var tBySpan: [TextSpan: String] = [:]
        var attributeCount = 0
        var noteCount = 0
        var eventCount = 0
        // Roles may point outside the chosen layers (a stance's target entity): those get T lines too.
        var needed = list
        var seen = Set(list.map(\.id))
        for annotation in list {
            for targets in annotation.roles.values {
                for id in targets where !seen.contains(id) {
                    if let target = annotated.store[id] {
                        needed.append(target)
                        seen.insert(id)
                    }
                }
            }
        }
        func typeName(_ label: String) -> String {
            String(String.UnicodeScalarView(label.unicodeScalars.map { $0 == " " || $0 == "\t" || $0 == ":" ? "_" : $0 }))
        }
        func oneLine(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
        }
        for annotation in needed {
            if let existing = tBySpan[annotation.span] {
                tByID[annotation.id] = existing
                noteCount += 1
                lines.append("#\(noteCount)\tAnnotatorNotes \(existing)\talso \(annotation.layer)/\(annotation.label) (\(annotation.id))")
                continue
            }
            let t = "T\(tBySpan.count + 1)"
            tBySpan[annotation.span] = t
            tByID[annotation.id] = t
            let start = offsets.scalarOffset(ofByte: annotation.span.start)
            let end = offsets.scalarOffset(ofByte: annotation.span.end)
            lines.append("\(t)\t\(typeName(annotation.label)) \(start) \(end)\t\(oneLine(document.text(of: annotation.span)))")
            attributeCount += 1
            lines.append("A\(attributeCount)\tLayer \(t) \(typeName(annotation.layer))")
            var notes: [String] = ["id=\(annotation.id)", "producer=\(annotation.producer)"]
            for (key, value) in annotation.features {
                switch value {
                case .bool(true):
                    attributeCount += 1
                    lines.append("A\(attributeCount)\t\(typeName(key)) \(t)")
                case .string(let text) where !text.isEmpty && !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }):
                    attributeCount += 1
                    lines.append("A\(attributeCount)\t\(typeName(key)) \(t) \(text)")
                case .int(let number):
                    attributeCount += 1
                    lines.append("A\(attributeCount)\t\(typeName(key)) \(t) \(number)")
                default:
                    notes.append("\(key)=\(oneLine(value.displayText))")
                }
            }
            noteCount += 1
            lines.append("#\(noteCount)\tAnnotatorNotes \(t)\t\(notes.joined(separator: "; "))")
        }
        for annotation in list where !annotation.roles.isEmpty {
            guard let trigger = tByID[annotation.id] else { continue }
            var arguments: [String] = []
            for (role, targets) in annotation.roles {
                for id in targets {
                    if let t = tByID[id], t != trigger { arguments.append("\(typeName(role).capitalizedFirst):\(t)") }
                }
            }
            eventCount += 1
            lines.append("E\(eventCount)\t\(typeName(annotation.label)):\(trigger)" + arguments.map { " " + $0 }.joined())
        }
        return (Array((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8), document.utf8)
    }
}

extension String {
    /// The string with its first letter in upper case ("source" → "Source"), as brat role names are written.
    var capitalizedFirst: String {
        guard let first = unicodeScalars.first else { return self }
        return String(first).uppercased() + String(String.UnicodeScalarView(unicodeScalars.dropFirst()))
    }
}

/// spaCy's `Doc.to_json` layout, which `Doc.from_json` reads: tokens, sentences, entities (overlaps resolved
/// longest first) and every other layer as a span group. Offsets are characters (code points).
enum SpacyExporter {
    static func export(_ annotated: AnnotatedDocument, layers: Set<String>) -> [UInt8] {
        let document = annotated.document
        let tokens = annotated.store.annotations(in: "token")
        let sentences = annotated.store.annotations(in: "sentence")
        let spanLayers = layers.subtracting(["token", "sentence"]).sorted()
        let offsets = ScalarOffsets(document: document)
        func start(_ a: Annotation) -> Int { offsets.scalarOffset(ofByte: a.span.start) }
        func end(_ a: Annotation) -> Int { offsets.scalarOffset(ofByte: a.span.end) }
        var w = JSONWriter(capacity: document.utf8.count * 2 + (tokens.count + sentences.count) * 80)
        w.raw("{\"text\":"); document.utf8.withUnsafeBufferPointer { w.string($0) }
        // spaCy keeps every character in a token or in the single space after one: other whitespace (line
        // breaks, runs of spaces) becomes whitespace tokens, as its tokenizer makes them.
        var pieces: [(start: Int, end: Int)] = []
        var position = 0
        let bytes = document.utf8
        for token in tokens {
            if token.span.start > position { pieces.append((position, token.span.start)) }
            pieces.append((token.span.start, token.span.end))
            position = token.span.end
            if position < bytes.count, bytes[position] == 0x20 { position += 1 }
        }
        if position < bytes.count { pieces.append((position, bytes.count)) }
        let pieceOffsets = ScalarOffsets(utf8: bytes)
        w.raw(",\"tokens\":[")
        for (index, piece) in pieces.enumerated() {
            if index > 0 { w.raw(",") }
            w.raw("{\"id\":"); w.int(index); w.raw(",\"start\":"); w.int(pieceOffsets.scalarOffset(ofByte: piece.start))
            w.raw(",\"end\":"); w.int(pieceOffsets.scalarOffset(ofByte: piece.end)); w.raw("}")
        }
        w.raw("],\"sents\":[")
        for (index, sentence) in sentences.enumerated() {
            if index > 0 { w.raw(",") }
            w.raw("{\"start\":"); w.int(start(sentence)); w.raw(",\"end\":"); w.int(end(sentence)); w.raw("}")
        }
        // Entities must not overlap and must fall on token boundaries: longest first, then document order.
        let tokenStarts = Set(tokens.map(\.span.start)), tokenEnds = Set(tokens.map(\.span.end))
        func onTokens(_ a: Annotation) -> Bool { tokens.isEmpty || (tokenStarts.contains(a.span.start) && tokenEnds.contains(a.span.end)) }
        var chosen: [Annotation] = []
        if layers.contains("entity") {
            for entity in annotated.store.annotations(in: "entity").sorted(by: { $0.span.length > $1.span.length }) where onTokens(entity) {
                if !chosen.contains(where: { $0.span.overlaps(entity.span) }) { chosen.append(entity) }
            }
        }
        w.raw("],\"ents\":[")
        for (index, entity) in chosen.sorted(by: { $0.span < $1.span }).enumerated() {
            if index > 0 { w.raw(",") }
            w.raw("{\"start\":"); w.int(start(entity)); w.raw(",\"end\":"); w.int(end(entity)); w.raw(",\"label\":"); w.string(entity.label); w.raw("}")
        }
        w.raw("],\"spans\":{")
        var firstGroup = true
        for layer in spanLayers {
            let spans = annotated.store.annotations(in: layer).filter(onTokens)
            guard !spans.isEmpty else { continue }
            if !firstGroup { w.raw(",") }
            firstGroup = false
            w.string(layer); w.raw(":[")
            for (index, span) in spans.enumerated() {
                if index > 0 { w.raw(",") }
                w.raw("{\"start\":"); w.int(start(span)); w.raw(",\"end\":"); w.int(end(span)); w.raw(",\"label\":"); w.string(span.label); w.raw(",\"kb_id\":"); w.string(span.id); w.raw("}")
            }
            w.raw("]")
        }
        w.raw("}}")
        return w.bytes
    }
}

/// CoNLL-2003 style columns: one token per line with its IOB2 tag, a blank line between sentences, and a
/// `-DOCSTART-` line first. Nested entities keep the outermost.
enum ConllExporter {
    static func export(_ annotated: AnnotatedDocument, layer: String) -> [UInt8] {
        let document = annotated.document
        let tokens = annotated.store.annotations(in: "token")
        let sentences = annotated.store.annotations(in: "sentence")
        var outer: [Annotation] = []
        for entity in annotated.store.annotations(in: layer).sorted(by: { ($0.span.start, -$0.span.end) < ($1.span.start, -$1.span.end) }) {
            if let last = outer.last, last.span.end > entity.span.start { continue }
            outer.append(entity)
        }
        var out = "-DOCSTART- -X- -X- O\n\n"
        var entityIndex = 0
        var sentenceIndex = 0
        var previous: Annotation? = nil
        for token in tokens {
            while sentenceIndex < sentences.count, sentences[sentenceIndex].span.end <= token.span.start {
                sentenceIndex += 1
                if !out.hasSuffix("\n\n") { out += "\n" }
            }
            while entityIndex < outer.count, outer[entityIndex].span.end <= token.span.start { entityIndex += 1 }
            var tag = "O"
            if entityIndex < outer.count, outer[entityIndex].span.start <= token.span.start, outer[entityIndex].span.end >= token.span.end {
                let entity = outer[entityIndex]
                tag = (previous?.id == entity.id ? "I-" : "B-") + entity.label
                previous = entity
            } else {
                previous = nil
            }
            var word = document.text(of: token.span)
            word = String(String.UnicodeScalarView(word.unicodeScalars.map { $0 == " " || $0 == "\t" ? "_" : $0 }))
            out += "\(word)\t\(tag)\n"
        }
        if !out.hasSuffix("\n\n") { out += "\n" }
        return Array(out.utf8)
    }
}

/// One CSV table per layer (id, label, start, end, text, then a column per feature), and for citations and
/// stance the who-said-what and holder × target tables. RFC 4180 quoting.
enum CSVExporter {
    static func export(_ annotated: AnnotatedDocument, layers: Set<String>) -> [ExportedFile] {
        var files: [ExportedFile] = []
        let document = annotated.document
        let offsets = ScalarOffsets(document: document)
        for layer in layers.sorted() {
            let list = annotated.store.annotations(in: layer)
            guard !list.isEmpty else { continue }
            let featureNames = Array(Set(list.flatMap(\.features.keys))).sorted()
            let roleNames = Array(Set(list.flatMap(\.roles.keys))).sorted()
            var rows = [["id", "label", "start", "end", "text"] + featureNames + roleNames.map { "role:" + $0 } + ["producer", "confidence"]]
            for a in list {
                rows.append(
                    [a.id, a.label, String(offsets.scalarOffset(ofByte: a.span.start)), String(offsets.scalarOffset(ofByte: a.span.end)), document.text(of: a.span)]
                        + featureNames.map { a.features[$0]?.displayText ?? "" }
                        + roleNames.map { (a.roles[$0] ?? []).joined(separator: " ") }
                        + [a.producer, a.confidence.map { String($0) } ?? ""])
            }
            files.append(ExportedFile(suffix: ".\(layer).csv", bytes: table(rows)))
        }
        if layers.contains("citation") {
            var rows = [["source", "sourceCanonical", "sourceKind", "cue", "content", "direct"]]
            for attribution in annotated.store.annotations(in: "citation") where attribution.label == "attribution" {
                func text(_ role: String) -> String { (attribution.roles[role] ?? []).compactMap { annotated.store[$0] }.map { document.text(of: $0.span) }.joined(separator: " … ") }
                rows.append([
                    text("source"), attribution.features["sourceCanonical"]?.displayText ?? "", attribution.features["sourceKind"]?.displayText ?? "",
                    text("cue"), text("content"), attribution.features["direct"]?.displayText ?? "",
                ])
            }
            files.append(ExportedFile(suffix: ".who-said-what.csv", bytes: table(rows)))
        }
        if layers.contains("stance") {
            var summary = StanceSummary()
            summary.add(annotated)
            var rows = [["holder", "target", "support", "oppose", "net"]]
            for holder in summary.holders {
                for target in summary.targets {
                    if let cell = summary.cells[holder]?[target] { rows.append([holder, target, String(cell.support), String(cell.oppose), String(cell.net)]) }
                }
            }
            files.append(ExportedFile(suffix: ".stance-matrix.csv", bytes: table(rows)))
        }
        return files
    }

    static func table(_ rows: [[String]]) -> [UInt8] {
        var out: [UInt8] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(0x2C) }
                if cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                    out.append(0x22)
                    for byte in cell.utf8 {
                        if byte == 0x22 { out.append(0x22) }
                        out.append(byte)
                    }
                    out.append(0x22)
                } else {
                    out.append(contentsOf: cell.utf8)
                }
            }
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }
}

