public import MarginaliaCore

/// Markdown (CommonMark blocks and inlines, plus GitHub's `~~strike~~`) to plain text and `markup` annotations.
///
/// Blocks (ATX and setext headings, paragraphs, block quotes, bullet and ordered lists, fenced and indented code,
/// thematic breaks, link reference definitions, YAML front matter) become text separated by blank lines; list
/// items by single newlines. Inlines (emphasis, code spans, inline, reference and auto links, images, backslash
/// escapes, character references, raw HTML tags) lose their syntax and keep their text. Links keep `href` (and
/// `title`), headings `level`, emphasis `strong`. Nesting deeper than ``maximumDepth`` is kept as literal text,
/// so hostile input cannot exhaust the stack.
public enum MarkdownLoader {
    public static let version = "1.0.0"
    static let maximumDepth = 64

    /// Converts Markdown bytes (valid UTF-8) into an annotated document.
    public static func load(
        _ input: [UInt8], id: String, source: String?, warnings: [String] = []
    ) -> AnnotatedDocument {
        var lines = splitLines(input)
        var metadata: [String: String] = [:]
        stripFrontMatter(&lines, input: input, into: &metadata)
        var parser = Parser(input: input)
        parser.collectDefinitions(&lines)
        parser.blocks(lines[...], depth: 0, paragraphBreak: 2)
        if metadata["title"] == nil, let title = parser.firstHeading { metadata["title"] = title }
        return parser.out.finish(id: id, source: source, mediaType: .markdown, metadata: metadata, warnings: warnings)
    }

    /// A line as a range of the input, without its line ending.
    struct Line {
        var start: Int
        var end: Int
    }

    static func splitLines(_ input: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        for (index, byte) in input.enumerated() where byte == UInt8(ascii: "\n") {
            var end = index
            if end > start, input[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(Line(start: start, end: end))
            start = index + 1
        }
        if start < input.count {
            var end = input.count
            if input[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(Line(start: start, end: end))
        }
        return lines
    }

    /// `---` / `key: value` lines / `---` at the very start: metadata, not text.
    static func stripFrontMatter(_ lines: inout [Line], input: [UInt8], into metadata: inout [String: String]) {
        func text(_ line: Line) -> String { String(decoding: input[line.start..<line.end], as: UTF8.self) }
        guard let first = lines.first, text(first) == "---" else { return }
        guard let close = lines.dropFirst().firstIndex(where: { text($0) == "---" || text($0) == "..." }), close > 1 else { return }
        var found: [String: String] = [:]
        for line in lines[1..<close] {
            let content = text(line)
            guard let colon = content.firstIndex(of: ":") else { return }
            let key = content[..<colon].trimmingSpaces()
            guard !key.isEmpty, !key.contains(" ") else { return }
            var value = content[content.index(after: colon)...].trimmingSpaces()
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            found[key] = value
        }
        metadata.merge(found) { _, new in new }
        lines.removeSubrange(0...close)
    }

    // MARK: - Parser

    struct Parser {
        let input: [UInt8]
        var out: MarkupBuilder
        var definitions: [String: (href: String, title: String?)] = [:]
        var firstHeading: String?

        init(input: [UInt8]) {
            self.input = input
            out = MarkupBuilder(producer: "markdown@\(MarkdownLoader.version)", capacity: input.count)
        }

        // MARK: Line classification

        func indent(_ line: Line) -> Int {
            var column = 0
            var i = line.start
            while i < line.end {
                if input[i] == UInt8(ascii: " ") { column += 1 } else if input[i] == UInt8(ascii: "\t") { column += 4 - column % 4 } else { break }
                i += 1
            }
            return column
        }

        func firstNonSpace(_ line: Line) -> Int {
            var i = line.start
            while i < line.end, input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") { i += 1 }
            return i
        }

        func isBlank(_ line: Line) -> Bool { firstNonSpace(line) == line.end }

        /// `###` heading: level and the content range.
        func atxHeading(_ line: Line) -> (Int, Int, Int)? {
            guard indent(line) < 4 else { return nil }
            var i = firstNonSpace(line)
            var level = 0
            while i < line.end, input[i] == UInt8(ascii: "#"), level < 7 { level += 1; i += 1 }
            guard level >= 1, level <= 6, i == line.end || input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") else { return nil }
            while i < line.end, input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") { i += 1 }
            var end = line.end
            while end > i, input[end - 1] == UInt8(ascii: " ") || input[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            var closing = end
            while closing > i, input[closing - 1] == UInt8(ascii: "#") { closing -= 1 }
            if closing < end, closing == i || input[closing - 1] == UInt8(ascii: " ") || input[closing - 1] == UInt8(ascii: "\t") { end = closing }
            return (level, i, end)
        }

        func isThematicBreak(_ line: Line) -> Bool {
            guard indent(line) < 4 else { return false }
            var marker: UInt8 = 0
            var count = 0
            for i in firstNonSpace(line)..<line.end {
                let byte = input[i]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { continue }
                guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_") else { return false }
                if marker == 0 { marker = byte } else if marker != byte { return false }
                count += 1
            }
            return count >= 3
        }

        /// ``` or ~~~: the fence byte and its length.
        func fence(_ line: Line) -> (UInt8, Int)? {
            guard indent(line) < 4 else { return nil }
            let i = firstNonSpace(line)
            guard i < line.end, input[i] == UInt8(ascii: "`") || input[i] == UInt8(ascii: "~") else { return nil }
            var k = i
            while k < line.end, input[k] == input[i] { k += 1 }
            guard k - i >= 3 else { return nil }
            if input[i] == UInt8(ascii: "`"), input[k..<line.end].contains(UInt8(ascii: "`")) { return nil }
            return (input[i], k - i)
        }

        func isQuote(_ line: Line) -> Bool {
            indent(line) < 4 && firstNonSpace(line) < line.end && input[firstNonSpace(line)] == UInt8(ascii: ">")
        }

        /// A list marker: whether ordered, and the column where the item's content starts.
        func listMarker(_ line: Line) -> (ordered: Bool, contentColumn: Int, contentStart: Int)? {
            guard indent(line) < 4 else { return nil }
            let start = firstNonSpace(line)
            var i = start
            guard i < line.end else { return nil }
            var ordered = false
            if input[i] == UInt8(ascii: "-") || input[i] == UInt8(ascii: "*") || input[i] == UInt8(ascii: "+") {
                i += 1
            } else {
                while i < line.end, UTF8Scanning.isDigit(input[i]), i - start < 9 { i += 1 }
                guard i > start, i < line.end, input[i] == UInt8(ascii: ".") || input[i] == UInt8(ascii: ")") else { return nil }
                ordered = true
                i += 1
            }
            if i == line.end { return (ordered, indent(line) + (i - start) + 1, i) }
            guard input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") else { return nil }
            var content = i
            while content < line.end, input[content] == UInt8(ascii: " "), content - i < 4 { content += 1 }
            return (ordered, indent(line) + (content - start), content)
        }

        func setextLevel(_ line: Line) -> Int? {
            guard indent(line) < 4 else { return nil }
            let i = firstNonSpace(line)
            guard i < line.end, input[i] == UInt8(ascii: "=") || input[i] == UInt8(ascii: "-") else { return nil }
            var k = i
            while k < line.end, input[k] == input[i] { k += 1 }
            while k < line.end, input[k] == UInt8(ascii: " ") || input[k] == UInt8(ascii: "\t") { k += 1 }
            guard k == line.end else { return nil }
            return input[i] == UInt8(ascii: "=") ? 1 : 2
        }

        /// True when `line` starts a block that ends a running paragraph.
        func interruptsParagraph(_ line: Line) -> Bool {
            if atxHeading(line) != nil || isThematicBreak(line) || fence(line) != nil || isQuote(line) { return true }
            if let marker = listMarker(line), firstNonSpace(line) < line.end {
                // An ordered item interrupts only when it starts at 1; an empty item never does.
                let start = firstNonSpace(line)
                return (!marker.ordered || input[start] == UInt8(ascii: "1")) && marker.contentStart < line.end
            }
            return false
        }

        // MARK: Reference definitions

        /// Removes `[label]: destination "title"` lines outside code, remembering them for reference links.
        mutating func collectDefinitions(_ lines: inout [Line]) {
            var kept: [Line] = []
            kept.reserveCapacity(lines.count)
            var inFence: (UInt8, Int)?
            var definitionAllowed = true
            for line in lines {
                if let open = inFence {
                    if let close = fence(line), close.0 == open.0, close.1 >= open.1 { inFence = nil }
                    kept.append(line)
                    continue
                }
                if let opened = fence(line) {
                    inFence = opened
                    kept.append(line)
                    continue
                }
                // A definition cannot interrupt a paragraph: it must follow a blank line or another definition.
                if definitionAllowed, let (label, href, title) = definition(line) {
                    if definitions[label] == nil { definitions[label] = (href, title) }
                    continue
                }
                definitionAllowed = isBlank(line)
                kept.append(line)
            }
            lines = kept
        }

        func definition(_ line: Line) -> (String, String, String?)? {
            guard indent(line) < 4 else { return nil }
            var i = firstNonSpace(line)
            guard i < line.end, input[i] == UInt8(ascii: "[") else { return nil }
            let labelStart = i + 1
            while i < line.end, input[i] != UInt8(ascii: "]") { i += 1 }
            guard i + 1 < line.end, input[i + 1] == UInt8(ascii: ":"), i > labelStart else { return nil }
            let label = normalizeLabel(input[labelStart..<i])
            i += 2
            while i < line.end, input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") { i += 1 }
            guard i < line.end else { return nil }
            var hrefStart = i
            var hrefEnd: Int
            if input[i] == UInt8(ascii: "<") {
                hrefStart = i + 1
                hrefEnd = hrefStart
                while hrefEnd < line.end, input[hrefEnd] != UInt8(ascii: ">") { hrefEnd += 1 }
                guard hrefEnd < line.end else { return nil }
                i = hrefEnd + 1
            } else {
                while i < line.end, input[i] != UInt8(ascii: " "), input[i] != UInt8(ascii: "\t") { i += 1 }
                hrefEnd = i
            }
            while i < line.end, input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") { i += 1 }
            var title: String?
            if i < line.end {
                let open = input[i]
                let close = open == UInt8(ascii: "(") ? UInt8(ascii: ")") : open
                guard open == UInt8(ascii: "\"") || open == UInt8(ascii: "'") || open == UInt8(ascii: "(") else { return nil }
                var k = line.end
                while k > i + 1, input[k - 1] == UInt8(ascii: " ") { k -= 1 }
                guard k > i + 1, input[k - 1] == close else { return nil }
                title = HTMLEntities.decodeAll(String(decoding: input[(i + 1)..<(k - 1)], as: UTF8.self))
            }
            let href = HTMLEntities.decodeAll(String(decoding: input[hrefStart..<hrefEnd], as: UTF8.self))
            return (label, href, title)
        }

        func normalizeLabel(_ bytes: some Collection<UInt8>) -> String {
            String(decoding: bytes, as: UTF8.self).lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
        }

        // MARK: Blocks

        mutating func blocks(_ lines: ArraySlice<Line>, depth: Int, paragraphBreak: Int) {
            var i = lines.startIndex
            var previousWasListItem = false
            while i < lines.endIndex {
                let line = lines[i]
                if isBlank(line) {
                    i += 1
                    continue
                }
                if listMarker(line) == nil || depth >= MarkdownLoader.maximumDepth { previousWasListItem = false }
                if let opened = fence(line) {
                    var k = i + 1
                    while k < lines.endIndex {
                        if let close = fence(lines[k]), close.0 == opened.0, close.1 >= opened.1 { break }
                        k += 1
                    }
                    out.requestBreak(paragraphBreak)
                    let start = out.count
                    let contentIndent = indent(line)
                    for (n, codeLine) in lines[(i + 1)..<k].enumerated() {
                        if n > 0 { out.append(UInt8(ascii: "\n")) }
                        var from = codeLine.start
                        var removed = 0
                        while from < codeLine.end, input[from] == UInt8(ascii: " "), removed < contentIndent { from += 1; removed += 1 }
                        out.append(input[from..<codeLine.end])
                    }
                    out.addMarkup("code", from: start, features: ["block": true])
                    i = min(k + 1, lines.endIndex)
                    continue
                }
                if let (level, from, to) = atxHeading(line) {
                    heading(level: level, ranges: [(from, to)], paragraphBreak: paragraphBreak)
                    i += 1
                    continue
                }
                if isThematicBreak(line) {
                    out.requestBreak(paragraphBreak)
                    i += 1
                    continue
                }
                if isQuote(line), depth < MarkdownLoader.maximumDepth {
                    var inner: [Line] = []
                    var k = i
                    while k < lines.endIndex {
                        let candidate = lines[k]
                        if isQuote(candidate) {
                            var from = firstNonSpace(candidate) + 1
                            if from < candidate.end, input[from] == UInt8(ascii: " ") { from += 1 }
                            inner.append(Line(start: from, end: candidate.end))
                        } else if !isBlank(candidate), !inner.isEmpty, !isBlank(inner[inner.count - 1]), !interruptsParagraph(candidate) {
                            inner.append(candidate)  // lazy continuation
                        } else {
                            break
                        }
                        k += 1
                    }
                    out.requestBreak(paragraphBreak)
                    let start = out.count
                    blocks(inner[...], depth: depth + 1, paragraphBreak: 2)
                    out.addMarkup("quote-block", from: start)
                    i = k
                    continue
                }
                if let marker = listMarker(line), depth < MarkdownLoader.maximumDepth {
                    var inner: [Line] = [Line(start: marker.contentStart, end: line.end)]
                    var k = i + 1
                    var sawBlank = false
                    while k < lines.endIndex {
                        let candidate = lines[k]
                        if isBlank(candidate) {
                            sawBlank = true
                            inner.append(candidate)
                            k += 1
                            continue
                        }
                        if indent(candidate) >= marker.contentColumn {
                            inner.append(dropIndent(candidate, marker.contentColumn))
                        } else if !sawBlank, !interruptsParagraph(candidate), listMarker(candidate) == nil {
                            inner.append(candidate)  // lazy continuation
                        } else {
                            break
                        }
                        sawBlank = false
                        k += 1
                    }
                    while let last = inner.last, isBlank(last) { inner.removeLast() }
                    // A list is set off from what precedes it like any block; its items by single newlines.
                    out.requestBreak(previousWasListItem ? 1 : paragraphBreak)
                    let start = out.count
                    blocks(inner[...], depth: depth + 1, paragraphBreak: 1)
                    out.addMarkup("list-item", from: start, features: ["ordered": .bool(marker.ordered)])
                    out.requestBreak(1)
                    i = k
                    if i < lines.endIndex, listMarker(lines[i]) == nil { out.requestBreak(paragraphBreak) }
                    previousWasListItem = true
                    continue
                }
                if indent(line) >= 4 {
                    var k = i
                    var codeLines: [Line] = []
                    while k < lines.endIndex, isBlank(lines[k]) || indent(lines[k]) >= 4 {
                        codeLines.append(dropIndent(lines[k], 4))
                        k += 1
                    }
                    while let last = codeLines.last, isBlank(last) { codeLines.removeLast() }
                    out.requestBreak(paragraphBreak)
                    let start = out.count
                    for (n, codeLine) in codeLines.enumerated() {
                        if n > 0 { out.append(UInt8(ascii: "\n")) }
                        out.append(input[codeLine.start..<codeLine.end])
                    }
                    out.addMarkup("code", from: start, features: ["block": true])
                    i = k
                    continue
                }
                // Paragraph, possibly a setext heading.
                var ranges: [(Int, Int)] = []
                var k = i
                var setext: Int?
                while k < lines.endIndex {
                    let candidate = lines[k]
                    if isBlank(candidate) { break }
                    if k > i {
                        if let level = setextLevel(candidate) {
                            setext = level
                            k += 1
                            break
                        }
                        if interruptsParagraph(candidate) { break }
                    }
                    ranges.append((firstNonSpace(candidate), candidate.end))
                    k += 1
                }
                if let level = setext {
                    heading(level: level, ranges: ranges, paragraphBreak: paragraphBreak)
                } else {
                    out.requestBreak(paragraphBreak)
                    inlineParagraph(ranges)
                }
                i = k
            }
        }

        func dropIndent(_ line: Line, _ columns: Int) -> Line {
            var i = line.start
            var column = 0
            while i < line.end, column < columns {
                if input[i] == UInt8(ascii: " ") { column += 1 } else if input[i] == UInt8(ascii: "\t") { column += 4 - column % 4 } else { break }
                i += 1
            }
            return Line(start: i, end: line.end)
        }

        mutating func heading(level: Int, ranges: [(Int, Int)], paragraphBreak: Int) {
            out.requestBreak(max(2, paragraphBreak))
            let start = out.count
            inlineParagraph(ranges)
            out.addMarkup("heading", from: start, features: ["level": .int(level)])
            if firstHeading == nil, out.count > start {
                firstHeading = String(decoding: out.bytes[start..<out.count], as: UTF8.self)
            }
            out.requestBreak(2)
        }

        /// Joins a paragraph's lines with newlines (trailing spaces and hard-break backslashes removed) and parses
        /// its inlines.
        mutating func inlineParagraph(_ ranges: [(Int, Int)]) {
            var content: [UInt8] = []
            for (n, (from, to)) in ranges.enumerated() {
                if n > 0 { content.append(UInt8(ascii: "\n")) }
                var end = to
                while end > from, input[end - 1] == UInt8(ascii: " ") || input[end - 1] == UInt8(ascii: "\t") { end -= 1 }
                if n < ranges.count - 1, end > from, input[end - 1] == UInt8(ascii: "\\") { end -= 1 }
                content.append(contentsOf: input[from..<end])
            }
            content.withUnsafeBufferPointer { buffer in
                var inline = InlineParser(source: buffer, definitions: definitions)
                inline.parse(0, buffer.count, depth: 0, inLink: false, out: &out)
            }
        }
    }
}
