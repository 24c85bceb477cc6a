import MarginaliaCore

/// Markdown inlines of one paragraph or heading, written as plain text and `markup` spans.
struct InlineParser {
    let source: UnsafeBufferPointer<UInt8>
    let definitions: [String: (href: String, title: String?)]

    init(source: UnsafeBufferPointer<UInt8>, definitions: [String: (href: String, title: String?)]) {
        self.source = source
        self.definitions = definitions
    }

    private func isPunctuation(_ byte: UInt8) -> Bool {
        (byte >= 0x21 && byte <= 0x2F) || (byte >= 0x3A && byte <= 0x40) || (byte >= 0x5B && byte <= 0x60) || (byte >= 0x7B && byte <= 0x7E)
    }

    private func isSpace(_ i: Int, _ lo: Int, _ hi: Int) -> Bool {
        guard i >= lo, i < hi else { return true }
        let byte = source[i]
        return byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
    }

    private func isAlnum(_ i: Int, _ lo: Int, _ hi: Int) -> Bool {
        guard i >= lo, i < hi else { return false }
        return UTF8Scanning.isWordScalar(source, i) || source[i] >= 0x80
    }

    /// Parses `lo..<hi` into `out`.
    mutating func parse(_ lo: Int, _ hi: Int, depth: Int, inLink: Bool, out: inout MarkupBuilder) {
        var i = lo
        var runStart = lo
        func flush(_ upTo: Int, _ out: inout MarkupBuilder) {
            if runStart < upTo { out.append(UnsafeBufferPointer(rebasing: source[runStart..<upTo])) }
        }
        while i < hi {
            let byte = source[i]
            switch byte {
            case UInt8(ascii: "\\"):
                flush(i, &out)
                if i + 1 < hi, isPunctuation(source[i + 1]) || source[i + 1] == UInt8(ascii: "\n") {
                    out.append(source[i + 1])
                    i += 2
                } else {
                    out.append(byte)
                    i += 1
                }
                runStart = i
            case UInt8(ascii: "`"):
                flush(i, &out)
                i = codeSpan(i, hi, out: &out)
                runStart = i
            case UInt8(ascii: "<"):
                if let end = autolinkEnd(i, hi) ?? htmlTag(i, hi) {
                    flush(i, &out)
                    if let link = autolinkEnd(i, hi) { _ = autolink(i, link, out: &out) }
                    i = end
                    runStart = i
                } else {
                    i += 1
                }
            case UInt8(ascii: "&"):
                if let (length, replacement) = HTMLEntities.decode(UnsafeBufferPointer(rebasing: source[..<hi]), at: i) {
                    flush(i, &out)
                    out.append(replacement)
                    i += length
                    runStart = i
                } else {
                    i += 1
                }
            case UInt8(ascii: "!") where i + 1 < hi && source[i + 1] == UInt8(ascii: "["):
                if depth < MarkdownLoader.maximumDepth, let link = link(at: i + 1, hi) {
                    flush(i, &out)
                    let start = out.count
                    parse(link.textStart, link.textEnd, depth: depth + 1, inLink: true, out: &out)
                    out.addMarkup("image", from: start, features: ["src": .string(link.href)])
                    i = link.end
                    runStart = i
                } else {
                    i += 1
                }
            case UInt8(ascii: "["):
                if !inLink, depth < MarkdownLoader.maximumDepth, let link = link(at: i, hi) {
                    flush(i, &out)
                    let start = out.count
                    parse(link.textStart, link.textEnd, depth: depth + 1, inLink: true, out: &out)
                    var features: Features = ["href": .string(link.href)]
                    if let title = link.title { features["title"] = .string(title) }
                    out.addMarkup("link", from: start, features: features)
                    i = link.end
                    runStart = i
                } else {
                    i += 1
                }
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                var runEnd = i
                while runEnd < hi, source[runEnd] == byte { runEnd += 1 }
                let length = runEnd - i
                if depth < MarkdownLoader.maximumDepth, byte != UInt8(ascii: "~") || length == 2,
                    let close = closer(for: byte, length: length, from: runEnd, lo: lo, hi: hi, openerAt: i)
                {
                    flush(i, &out)
                    let start = out.count
                    parse(runEnd, close, depth: depth + 1, inLink: inLink, out: &out)
                    let features: Features =
                        byte == UInt8(ascii: "~") ? ["style": "strike"] : ["strong": .bool(length >= 2)]
                    out.addMarkup("emphasis", from: start, features: features)
                    i = close + length
                    runStart = i
                } else {
                    i = runEnd
                }
            default:
                i += 1
            }
        }
        flush(hi, &out)
    }

    // MARK: Code spans

    /// The code span opening with the backtick run at `i`: where its content ends (the closing run) and where the
    /// span ends; nil when no run of the same length closes it.
    private func codeSpanClose(_ i: Int, _ hi: Int) -> (runEnd: Int, close: Int, end: Int)? {
        var runEnd = i
        while runEnd < hi, source[runEnd] == UInt8(ascii: "`") { runEnd += 1 }
        let length = runEnd - i
        var k = runEnd
        while k < hi {
            guard source[k] == UInt8(ascii: "`") else {
                k += 1
                continue
            }
            var closeEnd = k
            while closeEnd < hi, source[closeEnd] == UInt8(ascii: "`") { closeEnd += 1 }
            if closeEnd - k == length { return (runEnd, k, closeEnd) }
            k = closeEnd
        }
        return nil
    }

    /// Index after the backtick run at `i`, skipping the whole code span when it is closed.
    private func skipCodeSpan(_ i: Int, _ hi: Int) -> Int {
        if let span = codeSpanClose(i, hi) { return span.end }
        var runEnd = i
        while runEnd < hi, source[runEnd] == UInt8(ascii: "`") { runEnd += 1 }
        return runEnd
    }

    private func codeSpan(_ i: Int, _ hi: Int, out: inout MarkupBuilder) -> Int {
        guard let (runEnd, close, end) = codeSpanClose(i, hi) else {
            // No closing run: the backticks are literal.
            let runEnd = skipCodeSpan(i, hi)
            out.append(UnsafeBufferPointer(rebasing: source[i..<runEnd]))
            return runEnd
        }
        var from = runEnd
        var to = close
        let allSpace = source[from..<to].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }
        if !allSpace, to - from >= 2, source[from] == UInt8(ascii: " ") || source[from] == UInt8(ascii: "\n"),
            source[to - 1] == UInt8(ascii: " ") || source[to - 1] == UInt8(ascii: "\n")
        {
            from += 1
            to -= 1
        }
        let start = out.count
        out.append(source[from..<to].map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 })
        out.addMarkup("code", from: start)
        return end
    }

    // MARK: Autolinks and raw HTML

    /// The end (after `>`) of an autolink `<scheme:...>` or `<user@host>` at `i`, if one is there.
    private func autolinkEnd(_ i: Int, _ hi: Int) -> Int? {
        autolinkTarget(i, hi).map { $0.end }
    }

    private func autolinkTarget(_ i: Int, _ hi: Int) -> (end: Int, isEmail: Bool)? {
        var k = i + 1
        while k < hi, UTF8Scanning.isASCIILetter(source[k]) || UTF8Scanning.isDigit(source[k])
            || source[k] == UInt8(ascii: "+") || source[k] == UInt8(ascii: ".") || source[k] == UInt8(ascii: "-")
        {
            k += 1
        }
        let schemeLength = k - (i + 1)
        var isEmail = false
        if !(schemeLength >= 2 && schemeLength <= 32 && k < hi && source[k] == UInt8(ascii: ":")) {
            // user@host.tld
            var at = i + 1
            while at < hi, source[at] != UInt8(ascii: "@"), source[at] != UInt8(ascii: ">"), source[at] > 0x20 { at += 1 }
            guard at < hi, source[at] == UInt8(ascii: "@"), at > i + 1 else { return nil }
            isEmail = true
            k = at
        }
        while k < hi, source[k] > 0x20, source[k] != UInt8(ascii: "<"), source[k] != UInt8(ascii: ">") { k += 1 }
        guard k < hi, source[k] == UInt8(ascii: ">") else { return nil }
        return (k + 1, isEmail)
    }

    /// Writes the autolink at `i` (ending at `end`) as its URL with `link` markup.
    private func autolink(_ i: Int, _ end: Int, out: inout MarkupBuilder) -> Int {
        let isEmail = autolinkTarget(i, end)?.isEmail ?? false
        let urlBytes = UnsafeBufferPointer(rebasing: source[(i + 1)..<(end - 1)])
        let url = String(decoding: urlBytes, as: UTF8.self)
        let start = out.count
        out.append(urlBytes)
        out.addMarkup("link", from: start, features: ["href": .string(isEmail ? "mailto:" + url : url), "autolink": true])
        return end
    }

    /// A raw HTML tag or comment: dropped from the text.
    private func htmlTag(_ i: Int, _ hi: Int) -> Int? {
        guard i + 1 < hi else { return nil }
        let next = source[i + 1]
        if next == UInt8(ascii: "!"), i + 3 < hi, source[i + 2] == UInt8(ascii: "-"), source[i + 3] == UInt8(ascii: "-") {
            var k = i + 4
            while k + 2 < hi {
                if source[k] == UInt8(ascii: "-"), source[k + 1] == UInt8(ascii: "-"), source[k + 2] == UInt8(ascii: ">") { return k + 3 }
                k += 1
            }
            return nil
        }
        guard UTF8Scanning.isASCIILetter(next) || (next == UInt8(ascii: "/") && i + 2 < hi && UTF8Scanning.isASCIILetter(source[i + 2])) else {
            return nil
        }
        var k = i + 1
        var quote: UInt8 = 0
        while k < hi {
            let byte = source[k]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return k + 1
            } else if byte == UInt8(ascii: "<") {
                return nil
            }
            k += 1
        }
        return nil
    }

    // MARK: Links

    struct Link {
        var textStart: Int
        var textEnd: Int
        var href: String
        var title: String?
        var end: Int
    }

    /// `[text](dest "title")`, `[text][ref]`, `[text][]` or `[ref]` starting at `i`.
    private func link(at i: Int, _ hi: Int) -> Link? {
        // Find the matching bracket, skipping escapes and code spans.
        var k = i + 1
        var nesting = 0
        while k < hi {
            let byte = source[k]
            if byte == UInt8(ascii: "\\") {
                k += 2
                continue
            }
            if byte == UInt8(ascii: "`") {
                k = skipCodeSpan(k, hi)
                continue
            }
            if byte == UInt8(ascii: "[") { nesting += 1 }
            if byte == UInt8(ascii: "]") {
                if nesting == 0 { break }
                nesting -= 1
            }
            k += 1
        }
        guard k < hi else { return nil }
        let textEnd = k
        var after = k + 1
        if after < hi, source[after] == UInt8(ascii: "(") {
            if let (href, title, end) = inlineDestination(after + 1, hi) {
                return Link(textStart: i + 1, textEnd: textEnd, href: href, title: title, end: end)
            }
        }
        var label = normalizedLabel(i + 1, textEnd)
        if after < hi, source[after] == UInt8(ascii: "[") {
            var close = after + 1
            while close < hi, source[close] != UInt8(ascii: "]"), source[close] != UInt8(ascii: "[") { close += 1 }
            if close < hi, source[close] == UInt8(ascii: "]") {
                if close > after + 1 { label = normalizedLabel(after + 1, close) }
                after = close + 1
            }
        }
        guard let definition = definitions[label] else { return nil }
        return Link(textStart: i + 1, textEnd: textEnd, href: definition.href, title: definition.title, end: after)
    }

    private func normalizedLabel(_ lo: Int, _ hi: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: source[lo..<hi]), as: UTF8.self).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }

    /// `dest "title")` after `(`: the destination, title, and the index after `)`.
    private func inlineDestination(_ start: Int, _ hi: Int) -> (String, String?, Int)? {
        var k = start
        func skipSpace() { while k < hi, source[k] == UInt8(ascii: " ") || source[k] == UInt8(ascii: "\n") || source[k] == UInt8(ascii: "\t") { k += 1 } }
        skipSpace()
        var href = ""
        if k < hi, source[k] == UInt8(ascii: "<") {
            let from = k + 1
            k = from
            while k < hi, source[k] != UInt8(ascii: ">"), source[k] != UInt8(ascii: "\n") { k += 1 }
            guard k < hi, source[k] == UInt8(ascii: ">") else { return nil }
            href = String(decoding: UnsafeBufferPointer(rebasing: source[from..<k]), as: UTF8.self)
            k += 1
        } else {
            let from = k
            var parens = 0
            while k < hi, source[k] > 0x20 {
                if source[k] == UInt8(ascii: "\\"), k + 1 < hi { k += 2; continue }
                if source[k] == UInt8(ascii: "(") { parens += 1 }
                if source[k] == UInt8(ascii: ")") {
                    if parens == 0 { break }
                    parens -= 1
                }
                k += 1
            }
            guard parens == 0 else { return nil }
            href = String(decoding: UnsafeBufferPointer(rebasing: source[from..<k]), as: UTF8.self)
        }
        skipSpace()
        var title: String?
        if k < hi, source[k] == UInt8(ascii: "\"") || source[k] == UInt8(ascii: "'") || source[k] == UInt8(ascii: "(") {
            let open = source[k]
            let close = open == UInt8(ascii: "(") ? UInt8(ascii: ")") : open
            let from = k + 1
            k = from
            while k < hi, source[k] != close { k += source[k] == UInt8(ascii: "\\") ? 2 : 1 }
            guard k < hi else { return nil }
            title = HTMLEntities.decodeAll(String(decoding: UnsafeBufferPointer(rebasing: source[from..<k]), as: UTF8.self))
            k += 1
            skipSpace()
        }
        guard k < hi, source[k] == UInt8(ascii: ")") else { return nil }
        return (HTMLEntities.decodeAll(href), title, k + 1)
    }

    // MARK: Emphasis

    /// The start of a run closing the emphasis opened at `openerAt`, or nil when the opener cannot open or nothing
    /// closes it before `hi`.
    private func closer(for byte: UInt8, length: Int, from start: Int, lo: Int, hi: Int, openerAt: Int) -> Int? {
        // Left-flanking: followed by a non-space; `_` also not preceded by a letter or digit (no intraword `_`).
        guard !isSpace(start, lo, hi) else { return nil }
        if byte == UInt8(ascii: "_"), isAlnum(openerAt - 1, lo, hi) { return nil }
        var k = start
        while k < hi {
            let current = source[k]
            if current == UInt8(ascii: "\\") {
                k += 2
                continue
            }
            if current == UInt8(ascii: "`") {
                // Emphasis cannot close inside a code span.
                k = skipCodeSpan(k, hi)
                continue
            }
            if current == byte {
                var runEnd = k
                while runEnd < hi, source[runEnd] == byte { runEnd += 1 }
                let rightFlanking = !isSpace(k - 1, lo, hi)
                let underscoreOK = byte != UInt8(ascii: "_") || !isAlnum(runEnd, lo, hi)
                if runEnd - k == length, rightFlanking, underscoreOK, k > start { return k }
                k = runEnd
                continue
            }
            k += 1
        }
        return nil
    }
}
