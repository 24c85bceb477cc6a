public import MarginaliaCore

/// HTML to plain text and `markup` annotations, as a browser's reader view would show it.
///
/// Tags, comments, scripts and styles go; character references are decoded; white space collapses as HTML
/// renders it (except in `<pre>`); block elements become line breaks (a blank line between paragraphs, a newline
/// between list items and table rows, a tab between cells). Kept as markup: `<a href>` as `link`, `<h1>`–`<h6>` as
/// `heading` with `level`, `<blockquote>` as `quote-block`, `<li>` as `list-item`, `<em>`/`<i>`/`<strong>`/`<b>` as
/// `emphasis`, `<code>`/`<pre>` as `code`, `<q>` as `quote`. `<title>` and `<meta name=author|date|description>`
/// fill the metadata. The element stack lives on the heap, so deeply nested input cannot exhaust the stack.
public enum HTMLLoader {
    public static let version = "1.0.0"

    static let paragraphBlocks: Set<String> = [
        "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "nav", "ol",
        "p", "pre", "section", "table", "ul", "caption", "body", "html", "center", "noscript",
    ]
    static let lineBlocks: Set<String> = ["li", "dt", "dd", "tr", "summary", "option"]
    static let skipped: Set<String> = ["script", "style", "template", "svg", "math", "iframe", "object", "canvas", "select"]
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// An element whose span becomes a markup annotation when it closes.
    struct Open {
        var name: String
        var start: Int
        var label: String?
        var features: Features
    }

    /// The stack of open elements, with the positions of each name so that closing a tag that is not open, or
    /// finding the innermost open one, costs O(1) rather than a scan of a deeply nested stack.
    struct OpenElements {
        private var stack: [Open] = []
        private var positions: [String: [Int]] = [:]

        func isOpen(_ name: String) -> Bool { !(positions[name]?.isEmpty ?? true) }
        func lastIndex(of name: String) -> Int? { positions[name]?.last }

        mutating func append(_ element: Open) {
            positions[element.name, default: []].append(stack.count)
            stack.append(element)
        }

        /// Closes the innermost open `name` and everything opened inside it.
        mutating func close(_ name: String, out: inout MarkupBuilder) {
            guard let index = lastIndex(of: name) else { return }
            while stack.count > index { closeTop(out: &out) }
        }

        mutating func closeAll(out: inout MarkupBuilder) {
            while !stack.isEmpty { closeTop(out: &out) }
        }

        private mutating func closeTop(out: inout MarkupBuilder) {
            let open = stack.removeLast()
            positions[open.name]!.removeLast()
            if let label = open.label { out.addMarkup(label, from: open.start, features: open.features) }
        }
    }

    /// Converts HTML bytes (valid UTF-8) into an annotated document.
    public static func load(_ input: [UInt8], id: String, source: String?, warnings: [String] = []) -> AnnotatedDocument {
        var out = MarkupBuilder(producer: "html@\(version)", capacity: input.count / 2)
        var metadata: [String: String] = [:]
        var stack = OpenElements()
        var preDepth = 0
        var headDepth = 0
        input.withUnsafeBufferPointer { bytes in
            let n = bytes.count
            var i = 0
            var textStart = 0
            func flushText(_ upTo: Int) {
                guard textStart < upTo, headDepth == 0 else { return }
                appendText(bytes, textStart, upTo, pre: preDepth > 0, out: &out)
            }
            while i < n {
                guard bytes[i] == UInt8(ascii: "<") else {
                    i += 1
                    continue
                }
                guard let tag = parseTag(bytes, i) else {
                    i += 1
                    continue
                }
                flushText(i)
                i = tag.end
                textStart = i
                guard let name = tag.name else { continue }  // comment, doctype, processing instruction
                if !tag.closing && (skipped.contains(name) || name == "title" || name == "textarea") {
                    // Raw text: everything up to the matching end tag.
                    let close = findEndTag(bytes, from: i, name: name)
                    if name == "title", metadata["title"] == nil {
                        metadata["title"] = collapse(bytes, i, close.contentEnd)
                    } else if name == "textarea" {
                        appendText(bytes, i, close.contentEnd, pre: true, out: &out)
                    }
                    i = close.end
                    textStart = i
                    continue
                }
                if name == "head" { headDepth += tag.closing ? (headDepth > 0 ? -1 : 0) : 1 }
                if name == "body", !tag.closing { headDepth = 0 }
                if name == "meta", !tag.closing {
                    let key = (tag.attributes["name"] ?? tag.attributes["property"] ?? "").lowercased()
                    if let content = tag.attributes["content"] {
                        switch key {
                        case "author", "article:author": metadata["author"] = metadata["author"] ?? content
                        case "date", "article:published_time", "dc.date": metadata["date"] = metadata["date"] ?? content
                        case "description", "og:description": metadata["description"] = metadata["description"] ?? content
                        case "og:title": metadata["title"] = metadata["title"] ?? content
                        default: break
                        }
                    }
                }
                if headDepth > 0 { continue }
                if tag.closing {
                    stack.close(name, out: &out)
                    if name == "pre" { preDepth = max(0, preDepth - 1) }
                    if paragraphBlocks.contains(name) { out.requestBreak(2) } else if lineBlocks.contains(name) { out.requestBreak(1) }
                    continue
                }
                // Opening tag.
                if paragraphBlocks.contains(name) { out.requestBreak(2) } else if lineBlocks.contains(name) { out.requestBreak(1) }
                switch name {
                case "br": out.append(UInt8(ascii: "\n"))
                case "td", "th":
                    if !out.hasPendingBreak, let last = out.lastByte, last != UInt8(ascii: "\n"), last != UInt8(ascii: "\t") {
                        out.append(UInt8(ascii: "\t"))
                    }
                case "img":
                    break
                default: break
                }
                if name == "li" {
                    // An open item closes when the next one opens in the same list.
                    if stack.isOpen("li"), stack.lastIndex(of: "li")! > max(stack.lastIndex(of: "ul") ?? -1, stack.lastIndex(of: "ol") ?? -1) {
                        stack.close("li", out: &out)
                    }
                }
                if name == "pre" { preDepth += 1 }
                if voidElements.contains(name) || tag.selfClosing { continue }
                var label: String?
                var features: Features = [:]
                switch name {
                case "a":
                    if let href = tag.attributes["href"] {
                        label = "link"
                        features["href"] = .string(href)
                        if let title = tag.attributes["title"] { features["title"] = .string(title) }
                    }
                case "h1", "h2", "h3", "h4", "h5", "h6":
                    label = "heading"
                    features["level"] = .int(Int(name.utf8.last! - UInt8(ascii: "0")))
                case "blockquote": label = "quote-block"
                case "li": label = "list-item"
                case "em", "i", "cite": label = "emphasis"; features["strong"] = false
                case "strong", "b": label = "emphasis"; features["strong"] = true
                case "code", "pre": label = "code"
                case "q": label = "quote"
                case "ul", "ol", "p", "div", "span", "table", "section", "article": break
                default: break
                }
                if label != nil || name == "ul" || name == "ol" {
                    stack.append(Open(name: name, start: out.count, label: label, features: features))
                }
            }
            flushText(n)
        }
        stack.closeAll(out: &out)
        return out.finish(id: id, source: source, mediaType: .html, metadata: metadata, warnings: warnings)
    }

    /// Appends text with references decoded and, outside `<pre>`, white space collapsed.
    private static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, pre: Bool, out: inout MarkupBuilder) {
        var i = lo
        var runStart = lo
        while i < hi {
            let byte = bytes[i]
            if byte == UInt8(ascii: "&") {
                if let (length, replacement) = HTMLEntities.decode(UnsafeBufferPointer(rebasing: bytes[..<hi]), at: i) {
                    out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    out.append(replacement)
                    i += length
                    runStart = i
                    continue
                }
            } else if !pre, byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                while i < hi, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0C { i += 1 }
                out.appendCollapsedSpace()
                runStart = i
                continue
            } else if pre, byte == 0x0D {
                out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                i += 1
                runStart = i
                continue
            }
            i += 1
        }
        out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<hi]))
    }

    private static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String {
        var builder = MarkupBuilder(producer: "", capacity: hi - lo)
        appendText(bytes, lo, hi, pre: false, out: &builder)
        var text = builder.bytes
        while let last = text.last, last == UInt8(ascii: " ") { text.removeLast() }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: - Tags

    struct Tag {
        /// Lower-cased element name; nil for comments, doctypes and processing instructions.
        var name: String?
        var closing = false
        var selfClosing = false
        var attributes: [String: String] = [:]
        var end: Int
    }

    /// The tag at `i` (`bytes[i] == "<"`), or nil when the `<` is text.
    static func parseTag(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Tag? {
        let n = bytes.count
        guard i + 1 < n else { return nil }
        let next = bytes[i + 1]
        if next == UInt8(ascii: "!") {
            if i + 3 < n, bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-") {
                var k = i + 4
                while k + 2 < n {
                    if bytes[k] == UInt8(ascii: "-"), bytes[k + 1] == UInt8(ascii: "-"), bytes[k + 2] == UInt8(ascii: ">") { return Tag(end: k + 3) }
                    k += 1
                }
                return Tag(end: n)  // an unclosed comment runs to the end, as in browsers
            }
            var k = i + 2
            while k < n, bytes[k] != UInt8(ascii: ">") { k += 1 }
            return Tag(end: min(k + 1, n))
        }
        if next == UInt8(ascii: "?") {
            var k = i + 2
            while k < n, bytes[k] != UInt8(ascii: ">") { k += 1 }
            return Tag(end: min(k + 1, n))
        }
        var k = i + 1
        var tag = Tag(end: 0)
        if next == UInt8(ascii: "/") {
            tag.closing = true
            k += 1
        }
        guard k < n, UTF8Scanning.isASCIILetter(bytes[k]) else { return nil }
        let nameStart = k
        while k < n, UTF8Scanning.isASCIILetter(bytes[k]) || UTF8Scanning.isDigit(bytes[k]) || bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: ":") { k += 1 }
        tag.name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<k]), as: UTF8.self).lowercased()
        // Attributes.
        while k < n {
            while k < n, isTagSpace(bytes[k]) { k += 1 }
            guard k < n else { break }
            if bytes[k] == UInt8(ascii: ">") {
                tag.end = k + 1
                return tag
            }
            if bytes[k] == UInt8(ascii: "/") {
                tag.selfClosing = true
                k += 1
                continue
            }
            let attributeStart = k
            while k < n, !isTagSpace(bytes[k]), bytes[k] != UInt8(ascii: "="), bytes[k] != UInt8(ascii: ">"), bytes[k] != UInt8(ascii: "/") || k == attributeStart { k += 1 }
            let attribute = String(decoding: UnsafeBufferPointer(rebasing: bytes[attributeStart..<k]), as: UTF8.self).lowercased()
            while k < n, isTagSpace(bytes[k]) { k += 1 }
            var value = ""
            if k < n, bytes[k] == UInt8(ascii: "=") {
                k += 1
                while k < n, isTagSpace(bytes[k]) { k += 1 }
                if k < n, bytes[k] == UInt8(ascii: "\"") || bytes[k] == UInt8(ascii: "'") {
                    let quote = bytes[k]
                    let valueStart = k + 1
                    k = valueStart
                    while k < n, bytes[k] != quote { k += 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<min(k, n)]), as: UTF8.self)
                    k = min(k + 1, n)
                } else {
                    let valueStart = k
                    while k < n, !isTagSpace(bytes[k]), bytes[k] != UInt8(ascii: ">") { k += 1 }
                    value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<k]), as: UTF8.self)
                }
            }
            if tag.attributes[attribute] == nil { tag.attributes[attribute] = HTMLEntities.decodeAll(value) }
        }
        tag.end = n
        return tag
    }

    private static func isTagSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// The end tag `</name>` at or after `from`: where the content stops and where the tag ends.
    private static func findEndTag(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, name: String) -> (contentEnd: Int, end: Int) {
        let nameBytes = Array(name.utf8)
        var k = from
        let n = bytes.count
        while k + 1 < n {
            if bytes[k] == UInt8(ascii: "<"), bytes[k + 1] == UInt8(ascii: "/"), k + 2 + nameBytes.count <= n {
                var matches = true
                for (offset, expected) in nameBytes.enumerated() where bytes[k + 2 + offset] | 0x20 != expected {
                    matches = false
                    break
                }
                let after = k + 2 + nameBytes.count
                if matches, after == n || bytes[after] == UInt8(ascii: ">") || isTagSpace(bytes[after]) {
                    var end = after
                    while end < n, bytes[end] != UInt8(ascii: ">") { end += 1 }
                    return (k, min(end + 1, n))
                }
            }
            k += 1
        }
        return (n, n)
    }
}
