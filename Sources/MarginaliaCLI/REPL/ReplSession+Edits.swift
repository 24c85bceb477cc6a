import MarginaliaCore
import MarginaliaIO

/// Manual corrections: analyst annotations and the changes to analyzers' annotations that survive re-runs.
extension ReplSession {
    static let analyst = "analyst"

    func add(_ arguments: [String]) throws {
        let index = try currentIndex()
        var document = documents[index]
        guard arguments.count >= 2 else { throw usage("add") }
        let label = arguments[0]
        var spans: [TextSpan] = []
        var layer = "entity"
        if arguments.count == 4, let start = Int(arguments[2]), let end = Int(arguments[3]) {
            layer = arguments[1]
            guard start >= 0, start < end else { throw ReplError("START must be at least 0 and below END") }
            let bytes = ScalarOffsets.byteOffsets(utf8: document.document.utf8, scalarOffsets: [start, end])
            guard let byteStart = bytes[start], let byteEnd = bytes[end] else {
                throw ReplError("offsets \(start)..\(end) are outside the text (\(document.document.text.unicodeScalars.count) characters)")
            }
            spans = [TextSpan(byteStart, byteEnd)]
        } else {
            let needle = arguments[1]
            var all = false
            for extra in arguments.dropFirst(2) {
                if extra == "all" { all = true } else { layer = extra }
            }
            let matches = Matching.occurrences(of: Array(needle.utf8), in: document.document.utf8, caseInsensitive: false)
            guard let first = matches.first else { throw ReplError("\"\(needle)\" does not occur in \(document.id)") }
            spans = all ? matches : [first]
            if !all, matches.count > 1 {
                output.write(style.dim("(\(matches.count - 1) more occurrence\(matches.count == 2 ? "" : "s"): add `all` to mark every one)") + "\n")
            }
        }
        checkpoint()
        var added: [Annotation] = []
        for span in spans {
            let id = document.store.makeID(prefix: Self.analyst)
            added.append(Annotation(id: id, layer: layer, label: label, span: span, producer: Self.analyst))
        }
        try document.store.add(contentsOf: added)
        documents[index] = document
        for annotation in added {
            output.write("added \(annotation.id): \(layer)/\(label) \"\(document.document.text(of: annotation.span))\"\n")
        }
    }

    func annotation(_ id: String, in document: AnnotatedDocument) throws -> Annotation {
        if let annotation = document.store[id] { return annotation }
        var message = "no annotation '\(id)' in \(document.id)"
        if id.count > 2, let suggestion = Suggestion.nearest(to: id, among: document.store.all.map(\.id)) {
            message += "; did you mean `\(suggestion)`?"
        }
        throw ReplError(message)
    }

    func remove(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("remove") }
        let index = try currentIndex()
        var document = documents[index]
        let target = try annotation(arguments[0], in: document)
        checkpoint()
        document.store.remove(id: target.id)
        // Roles that named it lose it, so every role still resolves (and the document exports and reloads).
        let dropped = document.store.mendRoles(naming: [target], followingSuccessors: false)
        if target.producer != Self.analyst {
            corrections[document.id, default: []].append(Correction(kind: .removed, layer: target.layer, span: target.span, label: target.label))
        }
        documents[index] = document
        let note = dropped == 0 ? "" : " (\(counted(dropped, "role")) naming it dropped)"
        output.write("removed \(target.id): \(target.layer)/\(target.label) \"\(document.document.text(of: target.span))\"\(note)\n")
    }

    func relabel(_ arguments: [String]) throws {
        guard arguments.count == 2 else { throw usage("relabel") }
        let index = try currentIndex()
        var document = documents[index]
        var target = try annotation(arguments[0], in: document)
        let oldLabel = target.label
        checkpoint()
        if target.producer != Self.analyst {
            // The corrected annotation becomes the analyst's, and the analyzer's version stays suppressed.
            corrections[document.id, default: []].append(Correction(kind: .relabeled, layer: target.layer, span: target.span, label: oldLabel))
            target.features["correctedFrom"] = .string("\(target.producer) \(oldLabel)")
            target.producer = Self.analyst
        }
        target.label = arguments[1]
        try document.store.replace(target)
        documents[index] = document
        output.write("relabeled \(target.id): \(oldLabel) → \(target.label)\n")
    }

    /// Removes what the analyst's corrections suppress from a freshly analysed document.
    func applyCorrections(to document: inout AnnotatedDocument) {
        guard let list = corrections[document.id], !list.isEmpty else { return }
        let suppressed = Set(list.map { SuppressionKey(layer: $0.layer, span: $0.span, label: $0.label) })
        let removed = document.store.removeAll { annotation in
            annotation.producer != Self.analyst
                && suppressed.contains(SuppressionKey(layer: annotation.layer, span: annotation.span, label: annotation.label))
        }
        // The new run's roles that named what stays suppressed lose those targets.
        document.store.mendRoles(naming: removed, followingSuccessors: false)
    }

    private struct SuppressionKey: Hashable {
        var layer: String
        var span: TextSpan
        var label: String
    }
}

/// Byte-level text search.
enum Matching {
    /// Every non-overlapping occurrence of `needle` in `haystack`, optionally ignoring ASCII case.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], caseInsensitive: Bool) -> [TextSpan] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        @inline(__always) func fold(_ byte: UInt8) -> UInt8 {
            caseInsensitive && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        }
        let pattern = needle.map(fold)
        var result: [TextSpan] = []
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if fold(haystack[i]) == pattern[0] {
                var k = 1
                while k < pattern.count, fold(haystack[i + k]) == pattern[k] { k += 1 }
                if k == pattern.count {
                    result.append(TextSpan(i, i + pattern.count))
                    i += pattern.count
                    continue
                }
            }
            i += 1
        }
        return result
    }
}
