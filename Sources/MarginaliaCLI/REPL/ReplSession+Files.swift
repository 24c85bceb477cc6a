import LineEditing
import MarginaliaCore
import MarginaliaIO

/// Exports and saved sessions, all written atomically.
extension ReplSession {
    static let sessionFormat = "marginalia-session/1"

    /// `export FORMAT PATH`: the current document (every document for jsonl) in any export format. brat writes
    /// PATH.ann and PATH.txt, csv a directory of tables; every file is written atomically.
    func export(_ arguments: [String]) throws {
        guard arguments.count == 2 else { throw usage("export") }
        let (name, path) = (arguments[0], PathExpansion.expandTilde(arguments[1]))
        guard let format = ExportFormat(rawValue: name) else {
            var message = "unknown export format '\(name)' (formats: \(ReplCommandTable.exportFormats.joined(separator: ", ")))"
            if let suggestion = Suggestion.nearest(to: name, among: ReplCommandTable.exportFormats) { message = "unknown export format '\(name)'; did you mean `\(suggestion)`?" }
            throw ReplError(message)
        }
        if format == .jsonl {
            guard !documents.isEmpty else { throw ReplError("no document loaded: `load PATH` first") }
            var bytes: [UInt8] = []
            for document in documents { bytes += MarginaliaJSON.encode(document) + [UInt8(ascii: "\n")] }
            try FileIO.writeAtomically(bytes, to: path)
            output.write("wrote \(path) (\(bytes.count) bytes)\n")
            return
        }
        let document = try currentDocument()
        let files = Exporters.export(document, format: format)
        var written: [String] = []
        switch format {
        case .csv:
            try FileIO.createDirectory(path)
            for file in files {
                let target = path + "/" + FileIO.safeFileName(document.id) + file.suffix
                try FileIO.writeAtomically(file.bytes, to: target)
                written.append(target)
            }
        case .brat:
            let base = path.hasSuffix(".ann") || path.hasSuffix(".txt") ? String(path.dropLast(4)) : path
            for file in files {
                try FileIO.writeAtomically(file.bytes, to: base + file.suffix)
                written.append(base + file.suffix)
            }
        default:
            var bytes = files.flatMap(\.bytes)
            if format == .json || format == .w3c || format == .spacy { bytes.append(UInt8(ascii: "\n")) }
            try FileIO.writeAtomically(bytes, to: path)
            written.append(path)
        }
        let total = files.reduce(0) { $0 + $1.bytes.count }
        output.write("wrote \(written.joined(separator: ", ")) (\(total) bytes)\n")
    }

    func save(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("save") }
        let path = PathExpansion.expandTilde(arguments[0])
        var w = JSONWriter(capacity: documents.reduce(4096) { $0 + $1.document.utf8.count * 3 })
        w.raw("{\"format\":"); w.string(Self.sessionFormat)
        w.raw(",\"current\":")
        if let current { w.string(documents[current].id) } else { w.raw("null") }
        w.raw(",\"settings\":{\"color\":"); w.bool(style.enabled); w.raw("}")
        w.raw(",\"options\":")
        w.value(.object(analyzerOptions.mapValues { .object($0.mapValues { .string($0) }) }))
        w.raw(",\"corrections\":")
        w.value(.object(corrections.mapValues { list in
            .array(list.map { correction in
                .object(["kind": .string(correction.kind.rawValue), "layer": .string(correction.layer), "label": .string(correction.label),
                         "byteStart": .int(correction.span.start), "byteEnd": .int(correction.span.end)])
            })
        }))
        w.raw(",\"documents\":[")
        for (index, document) in documents.enumerated() {
            if index > 0 { w.raw(",\n") }
            MarginaliaJSON.encode(document, into: &w)
        }
        w.raw("]}\n")
        try FileIO.writeAtomically(w.bytes, to: path)
        output.write("saved \(counted(documents.count, "document")) to \(path)\n")
    }

    func open(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("open") }
        let path = PathExpansion.expandTilde(arguments[0])
        let value: JSONValue
        do {
            value = try JSONParser.parse(try FileIO.read(path))
        } catch let error as MarginaliaError {
            throw error.at(path)
        }
        guard value["format"]?.stringValue == Self.sessionFormat else {
            throw ReplError("\(path): not a Marginalia session (expected format \(Self.sessionFormat))")
        }
        var loaded: [AnnotatedDocument] = []
        for (index, item) in (value["documents"]?.arrayValue ?? []).enumerated() {
            loaded.append(try MarginaliaJSON.decode(item, name: "\(path): document \(index + 1)"))
        }
        var restoredCorrections: [String: [Correction]] = [:]
        for (documentID, list) in value["corrections"]?.objectValue ?? [:] {
            restoredCorrections[documentID] = try (list.arrayValue ?? []).map { item in
                guard let kind = item["kind"]?.stringValue.flatMap(Correction.Kind.init(rawValue:)), let layer = item["layer"]?.stringValue,
                    let label = item["label"]?.stringValue, let start = item["byteStart"]?.intValue, let end = item["byteEnd"]?.intValue, start <= end
                else { throw ReplError("\(path): a correction of \(documentID) is malformed") }
                return Correction(kind: kind, layer: layer, span: TextSpan(start, end), label: label)
            }
        }
        var options: [String: [String: String]] = [:]
        for (analyzer, members) in value["options"]?.objectValue ?? [:] {
            options[analyzer] = (members.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        checkpoint()
        documents = loaded
        corrections = restoredCorrections
        analyzerOptions = options
        if let colour = value["settings"]?["color"], case .bool(let enabled) = colour, reader.isInteractive { style.enabled = enabled }
        current = value["current"]?.stringValue.flatMap { id in documents.firstIndex { $0.id == id } } ?? (documents.isEmpty ? nil : 0)
        output.write("opened \(path): \(counted(documents.count, "document"))\n")
    }
}
