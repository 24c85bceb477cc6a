import MarginaliaCore
import MarginaliaIO

/// Views of the current document: the text highlighted, tables of annotations, and the analyzers' summaries.
extension ReplSession {
    /// Layers hidden from `show` and `find` unless asked for: they cover every word.
    static let backgroundLayers: Set<String> = ["token", "sentence"]

    func currentDocument() throws -> AnnotatedDocument { documents[try currentIndex()] }

    func requireLayer(_ layer: String, in document: AnnotatedDocument, producedBy analyzer: String? = nil) throws {
        guard document.store.count(in: layer) == 0 else { return }
        var message = "no '\(layer)' annotations in \(document.id)"
        if let analyzer = analyzer ?? registry.producers(of: layer).first?.descriptor.name {
            message += ": `run \(analyzer)` first"
        } else if let suggestion = Suggestion.nearest(to: layer, among: document.store.layerNames) {
            message += "; did you mean `\(suggestion)`?"
        } else if !document.store.layerNames.isEmpty {
            message += " (layers: \(document.store.layerNames.joined(separator: ", ")))"
        }
        throw ReplError(message)
    }

    /// A span's text on one line, shortened to `limit` characters.
    func snippet(_ document: AnnotatedDocument, _ span: TextSpan, limit: Int = 60) -> String {
        var text = document.document.text(of: span).replacingNewlines()
        if text.unicodeScalars.count > limit {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text.unicodeScalars.prefix(limit - 1))
            text = String(view) + "…"
        }
        return text
    }

    /// `text` with the given annotations highlighted; overlapping ones give way to the earlier, longer one.
    func highlighted(_ document: AnnotatedDocument, in range: TextSpan, annotations: [Annotation]) -> String {
        let sorted = annotations.sorted { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end > $1.span.end }
        var text = ""
        var position = range.start
        for annotation in sorted where annotation.span.start >= position && annotation.span.end <= range.end && !annotation.span.isEmpty {
            text += document.document.text(of: TextSpan(position, annotation.span.start))
            text += style.highlight(document.document.text(of: annotation.span), label: annotation.label)
            position = annotation.span.end
        }
        text += document.document.text(of: TextSpan(position, range.end))
        return text
    }

    func show(_ arguments: [String]) throws {
        guard arguments.count <= 2 else { throw usage("show") }
        let document = try currentDocument()
        var selected: [Annotation]
        if let layer = arguments.first {
            try requireLayer(layer, in: document)
            selected = document.store.annotations(in: layer)
            if arguments.count == 2 {
                let label = arguments[1]
                selected = selected.filter { $0.label == label }
                if selected.isEmpty {
                    let labels = Set(document.store.annotations(in: layer).map(\.label)).sorted()
                    var message = "no '\(label)' annotations in layer '\(layer)'"
                    if let suggestion = Suggestion.nearest(to: label, among: labels) { message += "; did you mean `\(suggestion)`?" }
                    throw ReplError(message)
                }
            }
        } else {
            selected = document.store.all.filter { !Self.backgroundLayers.contains($0.layer) }
        }
        let whole = TextSpan(0, document.document.utf8.count)
        output.page(highlighted(document, in: whole, annotations: selected) + "\n")
    }

    func list(_ arguments: [String]) throws {
        guard let layer = arguments.first else { throw usage("list") }
        let document = try currentDocument()
        try requireLayer(layer, in: document)
        var label: String?
        var filters: [(String, String)] = []
        var index = 1
        if index < arguments.count, arguments[index] != "where" {
            label = arguments[index]
            index += 1
        }
        if index < arguments.count {
            guard arguments[index] == "where" else { throw usage("list") }
            index += 1
            while index < arguments.count {
                if arguments[index] == "and" {
                    index += 1
                    continue
                }
                let condition = arguments[index]
                guard let equals = condition.firstIndex(of: "="), equals != condition.startIndex else {
                    throw ReplError("a condition looks like FEATURE=VALUE, not '\(condition)'")
                }
                filters.append((String(condition[..<equals]), String(condition[condition.index(after: equals)...])))
                index += 1
            }
            if filters.isEmpty { throw usage("list") }
        }
        let rows = document.store.annotations(in: layer).filter { annotation in
            (label == nil || annotation.label == label)
                && filters.allSatisfy { key, value in
                    switch key {
                    case "label": return annotation.label == value
                    case "producer": return annotation.producerName == value || annotation.producer == value
                    default: return annotation.features[key]?.displayText == value
                    }
                }
        }
        guard !rows.isEmpty else {
            output.write("no matching annotations\n")
            return
        }
        let offsets = ScalarOffsets(document: document.document)
        var table = [["ID", "LABEL", "SPAN", "TEXT", "FEATURES"]]
        for annotation in rows {
            let features = annotation.features.map { "\($0.key)=\($0.value.displayText)" }
            let roles = annotation.roles.map { "\($0.key)→\($0.value.joined(separator: ","))" }
            table.append([
                annotation.id, annotation.label,
                "\(offsets.scalarOffset(ofByte: annotation.span.start))-\(offsets.scalarOffset(ofByte: annotation.span.end))",
                snippet(document, annotation.span, limit: 50), (features + roles).joined(separator: " "),
            ])
        }
        output.page(TextTable.render(table) + "\(counted(rows.count, "annotation"))\n")
    }

    /// The sentence spans of a document: its `sentence` layer, or a segmentation made on the spot.
    func sentenceSpans(_ document: AnnotatedDocument) -> [TextSpan] {
        let layer = document.store.annotations(in: "sentence")
        if !layer.isEmpty { return layer.map(\.span) }
        return SentenceSplitter.split(document.document.utf8, tokens: Tokenizer.tokenize(document.document.utf8))
    }

    func context(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("context") }
        let document = try currentDocument()
        let target = try annotation(arguments[0], in: document)
        let sentences = sentenceSpans(document)
        let covering = sentences.filter { $0.overlaps(target.span) || ($0.start <= target.span.start && target.span.end <= $0.end) }
        let range = covering.isEmpty ? target.span : TextSpan(covering.first!.start, max(covering.last!.end, target.span.end))
        output.write(highlighted(document, in: range, annotations: [target]) + "\n")
    }

    func find(_ arguments: [String]) throws {
        guard !arguments.isEmpty else { throw usage("find") }
        let document = try currentDocument()
        let pattern = arguments.joined(separator: " ")
        var matches: [TextSpan] = []
        if pattern.count >= 2, pattern.hasPrefix("/"), pattern.hasSuffix("/") {
            let source = String(pattern.dropFirst().dropLast())
            let regex: Regex<AnyRegexOutput>
            do {
                regex = try Regex(source)
            } catch {
                throw ReplError("invalid regular expression /\(source)/: \(error)")
            }
            let text = document.document.text
            for match in text.matches(of: regex) where !match.range.isEmpty {
                let start = text.utf8.distance(from: text.startIndex, to: match.range.lowerBound)
                let end = text.utf8.distance(from: text.startIndex, to: match.range.upperBound)
                matches.append(TextSpan(start, end))
            }
        } else {
            matches = Matching.occurrences(of: Array(pattern.utf8), in: document.document.utf8, caseInsensitive: true)
        }
        guard !matches.isEmpty else {
            output.write("no matches for \(pattern)\n")
            return
        }
        let offsets = ScalarOffsets(utf8: document.document.utf8)
        var text = ""
        for match in matches.prefix(500) {
            let before = Self.clampedStart(document.document.utf8, match.start - 30)
            let after = Self.clampedEnd(document.document.utf8, match.end + 30)
            let line = snippet(document, TextSpan(before, match.start), limit: 40) + style.highlight(document.document.text(of: match), label: "")
                + snippet(document, TextSpan(match.end, after), limit: 40)
            let over = document.store.layerNames.filter { !Self.backgroundLayers.contains($0) }
                .flatMap { document.store.overlapping(match, in: $0) }
                .map { "\($0.id) \($0.layer)/\($0.label)" }
            text += "\(offsets.scalarOffset(ofByte: match.start))  …\(line)…" + (over.isEmpty ? "" : "  [\(over.joined(separator: "; "))]") + "\n"
        }
        if matches.count > 500 { text += "(\(matches.count - 500) more)\n" }
        text += "\(matches.count) match\(matches.count == 1 ? "" : "es")\n"
        output.page(text)
    }

    static func clampedStart(_ bytes: [UInt8], _ offset: Int) -> Int {
        var offset = max(0, offset)
        while offset > 0, offset < bytes.count, UTF8.isContinuation(bytes[offset]) { offset -= 1 }
        return offset
    }

    static func clampedEnd(_ bytes: [UInt8], _ offset: Int) -> Int {
        var offset = min(bytes.count, offset)
        while offset < bytes.count, UTF8.isContinuation(bytes[offset]) { offset += 1 }
        return offset
    }

    // MARK: - Analyzer views

    func entities(_ arguments: [String]) throws {
        try expectNoArguments(arguments, "entities")
        let document = try currentDocument()
        try requireLayer("entity", in: document)
        struct Group {
            var labels: Set<String> = []
            var count = 0
            var forms: [String: Int] = [:]
            var kinds: [String: Int] = [:]
            /// The kind most mentions have ("state" for Iran even if one mention is "nationality").
            var kind: String? { kinds.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key }
        }
        var groups: [String: Group] = [:]
        for annotation in document.store.annotations(in: "entity") {
            let surface = document.document.text(of: annotation.span).replacingNewlines()
            let key = annotation.features["canonical"]?.stringValue ?? surface
            groups[key, default: Group()].labels.insert(annotation.label)
            groups[key]!.count += 1
            groups[key]!.forms[surface, default: 0] += 1
            if let kind = annotation.features["kind"]?.stringValue { groups[key]!.kinds[kind, default: 0] += 1 }
        }
        let ordered = groups.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
        var rows = [["ACTOR", "LABEL", "KIND", "MENTIONS", "FORMS"]]
        for (name, group) in ordered {
            let forms = group.forms.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            rows.append([name, group.labels.sorted().joined(separator: ","), group.kind ?? "-", "\(group.count)", forms.joined(separator: ", ")])
        }
        output.page(TextTable.render(rows))
    }

    func citations(_ arguments: [String]) throws {
        try expectNoArguments(arguments, "citations")
        let document = try currentDocument()
        try requireLayer("citation", in: document)
        let citations = document.store.annotations(in: "citation")
        func roleText(_ annotation: Annotation, _ role: String, limit: Int) -> String {
            guard let ids = annotation.roles[role] else { return "-" }
            return ids.compactMap { document.store[$0] }.map { snippet(document, $0.span, limit: limit) }.joined(separator: " … ")
        }
        let attributions = citations.filter { $0.label == "attribution" }
        var bySource: [(String, [Annotation])] = []
        for attribution in attributions {
            let source = attribution.features["sourceCanonical"]?.stringValue ?? roleText(attribution, "source", limit: 40)
            if let index = bySource.firstIndex(where: { $0.0 == source }) {
                bySource[index].1.append(attribution)
            } else {
                bySource.append((source, [attribution]))
            }
        }
        var rows = [["SOURCE", "CUE", "CONTENT", "DIRECT"]]
        for (source, group) in bySource {
            for (index, attribution) in group.enumerated() {
                rows.append([index == 0 ? source : "", roleText(attribution, "cue", limit: 25), roleText(attribution, "content", limit: 70),
                             attribution.features["direct"]?.boolValue == true ? "yes" : "no"])
            }
        }
        let quotes = citations.filter { $0.label == "quote" }.count
        let links = citations.filter { $0.label == "link" }.count
        output.page(TextTable.render(rows) + "\(counted(attributions.count, "attribution")), \(counted(quotes, "quotation")), \(counted(links, "link"))\n")
    }

    /// `stance [all] [corpus]`: the holder × target matrix and the certainty profile of the current document, or of
    /// every loaded document with `corpus`; `all` counts evaluations from word valence in the matrix too.
    func stance(_ arguments: [String]) throws {
        let unknown = arguments.filter { $0 != "all" && $0 != "corpus" }
        guard unknown.isEmpty else {
            throw ReplError("stance: unknown argument '\(unknown[0])' (expected 'all' or 'corpus')")
        }
        var summary = StanceSummary(includeEvaluations: arguments.contains("all"))
        if arguments.contains("corpus") {
            guard !documents.isEmpty else { throw ReplError("no documents loaded") }
            for document in documents { summary.add(document) }
        } else {
            let document = try currentDocument()
            try requireLayer("stance", in: document)
            summary.add(document)
        }
        var text = ""
        if summary.holders.isEmpty {
            text += "no support or oppose annotations\n"
        } else {
            var rows = [["HOLDER \\ TARGET"] + summary.targets]
            for holder in summary.holders {
                var row = [holder]
                for target in summary.targets {
                    guard let cell = summary.cells[holder]?[target] else {
                        row.append("·")
                        continue
                    }
                    row.append("+\(cell.support)/-\(cell.oppose) (\(cell.net > 0 ? "+" : "")\(cell.net))")
                }
                rows.append(row)
            }
            text += TextTable.render(rows)
        }
        if summary.omittedEvaluations > 0 {
            text += "\(summary.omittedEvaluations) evaluations from word valence or reported events not counted ('stance all' counts them)\n"
        }
        var profile = [["", "HEDGES /1000w", "BOOSTERS /1000w"]]
        for scope in ["author", "attributed"] {
            let certainty = summary.certainty[scope] ?? StanceSummary.Certainty()
            profile.append([scope, format3(summary.rate(certainty.hedges)), format3(summary.rate(certainty.boosters))])
        }
        text += "\n" + TextTable.render(profile)
        output.page(text)
    }
}

extension String {
    /// The text with line breaks shown as spaces, for one-line table cells.
    func replacingNewlines() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
    }
}
