import MarginaliaCore
import MarginaliaIO

extension ReplSession {
    /// `gold PATH [LAYER]`: gold documents to compare with, kept by id.
    func loadGold(_ arguments: [String]) throws {
        guard arguments.count == 1 || arguments.count == 2 else { throw usage("gold") }
        let path = PathExpansion.expandTilde(arguments[0])
        let loaded = try AnnotatedFiles.load(path, layer: arguments.count == 2 ? arguments[1] : "entity")
        for document in loaded { golds[document.id] = document }
        let counts = loaded.map { "\($0.id) (\($0.store.layerNames.filter { $0 != "token" && $0 != "sentence" }.map { "\($0) \(loaded[0].store.count(in: $0))" }.joined(separator: ", ")))" }
        output.write("loaded gold for \(counts.joined(separator: "; "))\n")
    }

    /// `diff LAYER [exact|overlap]`: the evaluation table, then every miss (−) and false alarm (+) in context.
    func diff(_ arguments: [String]) throws {
        guard arguments.count == 1 || arguments.count == 2 else { throw usage("diff") }
        let layer = arguments[0]
        let matching = arguments.count == 2 ? Evaluation.Matching(rawValue: arguments[1]) : .exact
        guard let matching else { throw ReplError("`diff` matches exact or overlap, not '\(arguments[1])'") }
        let document = try currentDocument()
        guard let gold = golds[document.id] ?? (golds.count == 1 ? golds.values.first : nil) else {
            throw ReplError("no gold for \(document.id): `gold PATH` first")
        }
        var evaluation = Evaluation()
        try evaluation.add(gold: gold, system: document, layer: layer)
        var text = TextTable.render(evaluation.table())
        let differences = evaluation.differences[matching]!
        text += "\n\(differences.count) differences (\(matching.rawValue) match)\n"
        for difference in differences {
            let mark = difference.kind == .miss ? "−" : "+"
            let line = snippet(document, difference.span, limit: 40)
            text += "\(mark) \(difference.kind.rawValue) \(difference.label) \"\(line)\" in: \(contextLine(document, difference.span))\n"
        }
        output.page(text)
    }

    /// The sentence around `span` with the span in brackets.
    private func contextLine(_ document: AnnotatedDocument, _ span: TextSpan) -> String {
        let sentence = document.store.containing(span, in: "sentence").first?.span ?? TextSpan(max(0, span.start - 40), min(document.document.utf8.count, span.end + 40))
        var start = sentence.start, end = sentence.end
        while start < span.start, !document.document.isScalarBoundary(start) { start += 1 }
        while end > span.end, !document.document.isScalarBoundary(end) { end -= 1 }
        let before = document.document.text(of: TextSpan(start, span.start))
        let inside = document.document.text(of: span)
        let after = document.document.text(of: TextSpan(span.end, end))
        return (before + "[" + inside + "]" + after).replacingNewlines()
    }
}
