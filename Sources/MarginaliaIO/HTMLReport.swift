#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarginaliaCore

/// A single self-contained HTML page (no network, no script libraries) to read a document's annotations:
/// the text with highlights per layer (toggled by checkboxes, features on hover), tables of actors, citations
/// and stance, the stance network as an SVG graph with signed edges, and the author-certainty profile.
enum HTMLReport {
    static let palette: [String: String] = [
        "entity": "#cfe3ff", "citation": "#ffe3b3", "stance": "#d8f5d0", "markup": "#eeeeee",
    ]

    static func render(_ annotated: AnnotatedDocument, layers: Set<String>) -> [UInt8] {
        let document = annotated.document
        let shown = layers.sorted().filter { annotated.store.count(in: $0) > 0 }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(document.id)) · Marginalia</title>
            <style>
            body{font:15px/1.55 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2430;background:#fafafa}
            header{background:#1f2d3d;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c5d0dc;font-size:13px}
            main{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:24px;padding:20px 28px}
            section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:14px 18px;margin-bottom:18px}
            h2{font-size:15px;margin:0 0 10px;color:#34495e}
            #text{white-space:pre-wrap;font-family:Georgia,"DejaVu Serif",serif;font-size:16px}
            .a{border-radius:3px;cursor:help}
            .toggles label{margin-right:14px;font-size:13px}.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
            table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #eef1f4;padding:3px 6px;text-align:left;vertical-align:top}th{color:#5b6b7b;font-weight:600}
            .pos{color:#1e7e34}.neg{color:#b02a37}.bar{display:inline-block;height:10px;background:#6c8ebf;border-radius:2px}
            svg text{font-size:11px;fill:#1d2430}
            """
        for (index, layer) in shown.enumerated() {
            let colour = palette[layer] ?? ["#f6d5f0", "#d5f0f6", "#f0f6d5", "#f6e0d5"][index % 4]
            html += "body.on-\(layer) .l-\(layer){background:\(colour)}\n"
            html += "body.on-\(layer) .l-\(layer).u-\(layer){box-shadow:inset 0 -2px 0 rgba(0,0,0,.35)}\n"
        }
        html += "</style></head>\n<body class=\"\(shown.map { "on-" + $0 }.joined(separator: " "))\">\n"
        html += "<header><h1>\(escape(document.id))</h1><p>\(escape(document.source ?? "")) · \(UTF8Scanning.wordCount(document.utf8)) words · "
        html += shown.map { "\(annotated.store.count(in: $0)) \($0)" }.joined(separator: ", ") + "</p></header>\n<main><div>\n"
        html += "<section><h2>Text</h2><div class=\"toggles\">"
        for (index, layer) in shown.enumerated() {
            let colour = palette[layer] ?? ["#f6d5f0", "#d5f0f6", "#f0f6d5", "#f6e0d5"][index % 4]
            html += "<label><input type=\"checkbox\" checked onchange=\"document.body.classList.toggle('on-\(layer)',this.checked)\">"
            html += "<span class=\"swatch\" style=\"background:\(colour)\"></span>\(layer)</label>"
        }
        html += "</div><div id=\"text\">" + highlightedText(annotated, layers: shown) + "</div></section>\n"
        html += "</div><div>\n"
        html += entityTable(annotated) + citationTable(annotated) + stanceSection(annotated)
        html += "</div></main>\n</body></html>\n"
        return Array(html.utf8)
    }

    /// The text cut at every annotation boundary; each piece carries the layers covering it and, on hover, their
    /// labels and features.
    static func highlightedText(_ annotated: AnnotatedDocument, layers: [String]) -> String {
        let document = annotated.document
        let list = layers.flatMap { layer in
            annotated.store.annotations(in: layer).filter { !(layer == "citation" && $0.label == "attribution") && $0.span.length > 0 }
        }
        var boundaries = Set([0, document.utf8.count])
        for annotation in list {
            boundaries.insert(annotation.span.start)
            boundaries.insert(annotation.span.end)
        }
        let cuts = boundaries.sorted()
        // Sweep: annotations sorted by start, active set by end.
        let byStart = list.sorted { $0.span.start < $1.span.start }
        var next = 0
        var active: [Annotation] = []
        var out = ""
        for index in 0..<(cuts.count - 1) {
            let piece = TextSpan(cuts[index], cuts[index + 1])
            active.removeAll { $0.span.end <= piece.start }
            while next < byStart.count, byStart[next].span.start <= piece.start {
                if byStart[next].span.end > piece.start { active.append(byStart[next]) }
                next += 1
            }
            let text = escape(document.text(of: piece))
            if active.isEmpty {
                out += text
                continue
            }
            let classes = Set(active.map { "l-" + $0.layer }).sorted() + Set(active.filter { $0.span.start == piece.start }.map { "u-" + $0.layer }).sorted()
            let title = active.map { annotation in
                let features = annotation.features.map { "\($0.key)=\($0.value.displayText)" }.joined(separator: ", ")
                return "\(annotation.layer)/\(annotation.label)" + (features.isEmpty ? "" : " — " + features)
            }.joined(separator: "\n")
            out += "<span class=\"a \(classes.joined(separator: " "))\" title=\"\(escape(title))\">\(text)</span>"
        }
        return out
    }

    static func entityTable(_ annotated: AnnotatedDocument) -> String {
        let entities = annotated.store.annotations(in: "entity")
        guard !entities.isEmpty else { return "" }
        var groups: [String: (label: String, kind: String, count: Int)] = [:]
        var order: [String] = []
        for entity in entities where ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "WEAPON", "LAW", "EVENT"].contains(entity.label) {
            let name = entity.features["canonical"]?.displayText ?? annotated.document.text(of: entity.span)
            if groups[name] == nil { order.append(name) }
            groups[name, default: (entity.label, entity.features["kind"]?.displayText ?? "", 0)].count += 1
        }
        var html = "<section><h2>Actors</h2><table><tr><th>Actor</th><th>Label</th><th>Kind</th><th>Mentions</th></tr>"
        for name in order.sorted(by: { groups[$0]!.count > groups[$1]!.count }).prefix(40) {
            let group = groups[name]!
            html += "<tr><td>\(escape(name))</td><td>\(escape(group.label))</td><td>\(escape(group.kind))</td><td>\(group.count)</td></tr>"
        }
        return html + "</table></section>\n"
    }

    static func citationTable(_ annotated: AnnotatedDocument) -> String {
        let attributions = annotated.store.annotations(in: "citation").filter { $0.label == "attribution" }
        guard !attributions.isEmpty else { return "" }
        func text(_ a: Annotation, _ role: String) -> String {
            (a.roles[role] ?? []).compactMap { annotated.store[$0] }.map { annotated.document.text(of: $0.span) }.joined(separator: " … ")
        }
        var html = "<section><h2>Who said what</h2><table><tr><th>Source</th><th>Cue</th><th>Content</th></tr>"
        for a in attributions {
            let source = a.features["sourceCanonical"]?.displayText ?? text(a, "source")
            var content = text(a, "content")
            if content.unicodeScalars.count > 140 { content = String(String.UnicodeScalarView(content.unicodeScalars.prefix(140))) + "…" }
            html += "<tr><td>\(escape(source.isEmpty ? "(unnamed)" : source))</td><td>\(escape(text(a, "cue")))</td><td>\(a.features["direct"]?.boolValue == true ? "“" : "")\(escape(content))</td></tr>"
        }
        let links = annotated.store.annotations(in: "citation").filter { $0.label == "link" }
        html += "</table><p>\(attributions.count) attributions, \(links.count) links (\(links.filter { $0.features["unresolved"]?.boolValue == true }.count) unresolved)</p></section>\n"
        return html
    }

    static func stanceSection(_ annotated: AnnotatedDocument) -> String {
        guard annotated.store.count(in: "stance") > 0 else { return "" }
        var summary = StanceSummary()
        summary.add(annotated)
        var html = "<section><h2>Stance network</h2>" + network(summary) + "</section>\n"
        html += "<section><h2>Holder × target</h2><table><tr><th>Holder</th><th>Target</th><th>Support</th><th>Oppose</th><th>Net</th></tr>"
        for holder in summary.holders {
            for target in summary.targets {
                guard let cell = summary.cells[holder]?[target] else { continue }
                html += "<tr><td>\(escape(holder))</td><td>\(escape(target))</td><td>\(cell.support)</td><td>\(cell.oppose)</td>"
                html += "<td class=\"\(cell.net >= 0 ? "pos" : "neg")\">\(cell.net > 0 ? "+" : "")\(cell.net)</td></tr>"
            }
        }
        html += "</table></section>\n<section><h2>Certainty (per 1,000 words)</h2><table><tr><th></th><th>Hedges</th><th>Boosters</th></tr>"
        for scope in ["author", "attributed"] {
            let certainty = summary.certainty[scope] ?? StanceSummary.Certainty()
            let hedges = summary.rate(certainty.hedges), boosters = summary.rate(certainty.boosters)
            html += "<tr><td>\(scope)</td><td><span class=\"bar\" style=\"width:\(Int(hedges * 6))px\"></span> \(format(hedges))</td>"
            html += "<td><span class=\"bar\" style=\"width:\(Int(boosters * 6))px;background:#c98b2e\"></span> \(format(boosters))</td></tr>"
        }
        return html + "</table></section>\n"
    }

    /// Actors on a circle, an arrow per holder → target pair: green for net support, red for net opposition,
    /// thicker for more statements.
    static func network(_ summary: StanceSummary) -> String {
        var nodes: [String] = []
        for holder in summary.holders where !nodes.contains(holder) { nodes.append(holder) }
        for target in summary.targets where !nodes.contains(target) { nodes.append(target) }
        let size = 420.0, centre = size / 2, radius = size / 2 - 70
        var position: [String: (x: Double, y: Double)] = [:]
        for (index, node) in nodes.enumerated() {
            let angle = Double(index) / Double(max(nodes.count, 1)) * 2 * Double.pi - Double.pi / 2
            position[node] = (centre + radius * cosine(angle), centre + radius * sine(angle))
        }
        var svg = "<svg viewBox=\"0 0 \(Int(size)) \(Int(size))\" width=\"100%\" role=\"img\" aria-label=\"stance network\">"
        svg += "<defs><marker id=\"ap\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#1e7e34\"/></marker>"
        svg += "<marker id=\"an\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#b02a37\"/></marker></defs>"
        for holder in summary.holders {
            for target in summary.targets {
                guard let cell = summary.cells[holder]?[target], cell.net != 0, let a = position[holder], let b = position[target], holder != target else { continue }
                // Stop short of the target's circle.
                let dx = b.x - a.x, dy = b.y - a.y, length = max(1, (dx * dx + dy * dy).squareRoot())
                let x2 = b.x - dx / length * 12, y2 = b.y - dy / length * 12
                let colour = cell.net > 0 ? "#1e7e34" : "#b02a37"
                let width = min(6, 1 + Double(abs(cell.net)))
                svg += "<line x1=\"\(format(a.x))\" y1=\"\(format(a.y))\" x2=\"\(format(x2))\" y2=\"\(format(y2))\" stroke=\"\(colour)\" stroke-opacity=\"0.75\" stroke-width=\"\(format(width))\" marker-end=\"url(#\(cell.net > 0 ? "ap" : "an"))\"><title>\(escape(holder)) → \(escape(target)): +\(cell.support)/−\(cell.oppose)</title></line>"
            }
        }
        for node in nodes {
            let p = position[node]!
            svg += "<circle cx=\"\(format(p.x))\" cy=\"\(format(p.y))\" r=\"9\" fill=\"\(node == "author" ? "#7f8c8d" : "#2c5f8a")\"/>"
            let anchor = p.x < centre - 5 ? "end" : (p.x > centre + 5 ? "start" : "middle")
            let dx = anchor == "end" ? -13.0 : (anchor == "start" ? 13.0 : 0), dy = anchor == "middle" ? (p.y < centre ? -14.0 : 22.0) : 4
            svg += "<text x=\"\(format(p.x + dx))\" y=\"\(format(p.y + dy))\" text-anchor=\"\(anchor)\">\(escape(node))</text>"
        }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func sine(_ x: Double) -> Double { sin(x) }
    static func cosine(_ x: Double) -> Double { cos(x) }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
