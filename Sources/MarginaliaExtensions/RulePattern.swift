import MarginaliaCore

/// A token pattern of a rule file, compiled from its one-line syntax (see `Docs/writing-analyzers.md`):
///
/// | element | matches |
/// |---|---|
/// | `word` | that word, any case |
/// | `'Word'` | that word, this case |
/// | `sanction*` | a word starting with "sanction", any case |
/// | `*` | any one token |
/// | `(a\|b\|c*)` | one of these words |
/// | `[ORG\|GPE]`, `[entity:ORG]`, `[citation:*]` | an annotation starting here (layer `entity` unless named); its tokens |
/// | `{cap}` `{upper}` `{lower}` `{num}` `{punct}` `{word}` | a token of that shape |
/// | `...` | up to five tokens, as few as possible |
/// | element`?` | the element, or nothing |
/// | `<` … `>` | the part of the match that becomes the annotation (default: all of it) |
struct RulePattern: Sendable, Equatable {
    enum Word: Sendable, Equatable {
        case folded(UInt64)
        case exact(String)
        case prefix(String)
        case any
    }

    enum Shape: String, Sendable, Equatable {
        case cap, upper, lower, num, punct, word
    }

    enum Element: Sendable, Equatable {
        case words([Word])
        case annotation(layer: String, labels: Set<String>)
        case shape(Shape)
        case gap(Int)
        case captureStart
        case captureEnd
    }

    struct Step: Sendable, Equatable {
        var element: Element
        var optional: Bool
    }

    var steps: [Step]

    /// Layers the pattern reads besides tokens.
    var layers: Set<String> {
        Set(steps.compactMap { if case .annotation(let layer, _) = $0.element { layer } else { nil } })
    }

    /// Compiles `source`; errors give the 1-based column of the offending element.
    init(_ source: String) throws(RulePatternError) {
        var steps: [Step] = []
        let scalars = Array(source.unicodeScalars)
        var i = 0
        var captures = 0
        func column() -> Int { i + 1 }
        while i < scalars.count {
            if scalars[i] == " " || scalars[i] == "\t" {
                i += 1
                continue
            }
            let start = i
            var element: Element
            switch scalars[i] {
            case "(":
                guard let close = scalars[i...].firstIndex(of: ")") else { throw RulePatternError(column: column(), "'(' without ')'") }
                let inside = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                let options = inside.split(separator: "|").map { String($0).trimmingSpaces() }
                guard !options.isEmpty, !options.contains(where: \.isEmpty) else {
                    throw RulePatternError(column: column(), "empty alternative in '(\(inside))'")
                }
                element = .words(options.map(Self.word))
                i = close + 1
            case "[":
                guard let close = scalars[i...].firstIndex(of: "]") else { throw RulePatternError(column: column(), "'[' without ']'") }
                let inside = String(String.UnicodeScalarView(scalars[(i + 1)..<close])).trimmingSpaces()
                var layer = "entity"
                var labels = inside
                if let colon = inside.firstIndex(of: ":") {
                    layer = String(inside[..<colon]).trimmingSpaces()
                    labels = String(inside[inside.index(after: colon)...]).trimmingSpaces()
                }
                guard !layer.isEmpty, !labels.isEmpty else { throw RulePatternError(column: column(), "'[\(inside)]' needs a label, like [ORG] or [entity:ORG|GPE]") }
                let set = Set(labels.split(separator: "|").map { String($0).trimmingSpaces() })
                element = .annotation(layer: layer, labels: set.contains("*") ? [] : set)
                i = close + 1
            case "{":
                guard let close = scalars[i...].firstIndex(of: "}") else { throw RulePatternError(column: column(), "'{' without '}'") }
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                guard let shape = Shape(rawValue: name) else {
                    throw RulePatternError(column: column(), "unknown shape '{\(name)}' (cap, upper, lower, num, punct, word)")
                }
                element = .shape(shape)
                i = close + 1
            case "<":
                captures += 1
                guard captures == 1 else { throw RulePatternError(column: column(), "only one '<' ... '>' capture per pattern") }
                element = .captureStart
                i += 1
            case ">":
                guard captures == 1, steps.contains(where: { $0.element == .captureStart }) else {
                    throw RulePatternError(column: column(), "'>' without '<'")
                }
                element = .captureEnd
                i += 1
            case "'":
                guard let close = scalars[(i + 1)...].firstIndex(of: "'") else { throw RulePatternError(column: column(), "unterminated quote") }
                let text = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                guard !text.isEmpty else { throw RulePatternError(column: column(), "empty quoted word") }
                element = .words([.exact(text)])
                i = close + 1
            default:
                var end = i
                while end < scalars.count, scalars[end] != " ", scalars[end] != "\t", scalars[end] != "?" || end == i { end += 1 }
                let text = String(String.UnicodeScalarView(scalars[i..<end]))
                if text == "..." {
                    element = .gap(5)
                } else if text.contains(where: { "()[]{}<>".contains($0) }) {
                    throw RulePatternError(column: column(), "unexpected '\(text)': brackets open elements, they cannot sit inside a word")
                } else {
                    element = .words([Self.word(text)])
                }
                i = end
            }
            var optional = false
            if i < scalars.count, scalars[i] == "?" {
                if case .captureStart = element { throw RulePatternError(column: start + 1, "'<' cannot be optional") }
                optional = true
                i += 1
            }
            steps.append(Step(element: element, optional: optional))
        }
        if captures == 1, !steps.contains(where: { $0.element == .captureEnd }) { throw RulePatternError(column: scalars.count, "'<' without '>'") }
        guard steps.contains(where: { if case .words = $0.element { true } else if case .annotation = $0.element { true } else if case .shape = $0.element { true } else { false } })
        else { throw RulePatternError(column: 1, "a pattern needs at least one word, annotation or shape") }
        self.steps = steps
    }

    private static func word(_ text: String) -> Word {
        if text == "*" { return .any }
        if text.hasSuffix("*"), text.count > 1 { return .prefix(String(text.dropLast()).lowercased()) }
        return .folded(FoldedHash.of(text))
    }
}

/// A pattern syntax error at a column of the pattern's text.
struct RulePatternError: Error, Equatable {
    var column: Int
    var message: String
    init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }
}

/// Matches compiled patterns against one document's tokens.
struct RuleMatcher {
    let document: Document
    let store: AnnotationStore
    let table: TokenTable
    /// Per layer read by patterns: annotations by their first token.
    var starting: [String: [Int: [(label: String, last: Int)]]] = [:]

    init(document: Document, store: AnnotationStore, layers: Set<String>) {
        self.document = document
        self.store = store
        table = store.tokenTable(for: document)
        for layer in layers {
            var byToken: [Int: [(label: String, last: Int)]] = [:]
            for annotation in store.annotations(in: layer) {
                let first = table.firstToken(atOrAfter: annotation.span.start)
                guard first < table.tokens.count, table.tokens[first].start == annotation.span.start else { continue }
                var last = first
                while last + 1 < table.tokens.count, table.tokens[last + 1].end <= annotation.span.end { last += 1 }
                byToken[first, default: []].append((annotation.label, last))
            }
            starting[layer] = byToken
        }
    }

    /// Leftmost-longest, non-overlapping matches in each sentence: the captured token range of each.
    func matches(_ pattern: RulePattern) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for sentence in table.sentences {
            var position = sentence.lowerBound
            while position < sentence.upperBound {
                var best: (end: Int, capture: ClosedRange<Int>?)? = nil
                match(pattern.steps, 0, position, origin: position, end: sentence.upperBound, captureStart: nil, captureEnd: nil) { end, capture in
                    if best == nil || end > best!.end { best = (end, capture) }
                }
                if let best, best.end > position {
                    if let capture = best.capture { result.append(capture) }
                    position = best.end
                } else {
                    position += 1
                }
            }
        }
        return result
    }

    /// Backtracking over optional elements and gaps; `found` gets every way the steps match from `position`.
    private func match(
        _ steps: [RulePattern.Step], _ index: Int, _ position: Int, origin: Int, end: Int, captureStart: Int?, captureEnd: Int?,
        found: (Int, ClosedRange<Int>?) -> Void
    ) {
        if index == steps.count {
            let first = captureStart ?? origin
            let last = (captureEnd ?? position) - 1
            found(position, first <= last ? first...last : nil)
            return
        }
        let step = steps[index]
        if step.optional { match(steps, index + 1, position, origin: origin, end: end, captureStart: captureStart, captureEnd: captureEnd, found: found) }
        switch step.element {
        case .captureStart:
            match(steps, index + 1, position, origin: origin, end: end, captureStart: position, captureEnd: captureEnd, found: found)
        case .captureEnd:
            match(steps, index + 1, position, origin: origin, end: end, captureStart: captureStart, captureEnd: position, found: found)
        case .gap(let most):
            for skip in 0...most where position + skip <= end {
                match(steps, index + 1, position + skip, origin: origin, end: end, captureStart: captureStart, captureEnd: captureEnd, found: found)
            }
        case .words(let words):
            guard position < end, words.contains(where: { matches($0, position) }) else { return }
            match(steps, index + 1, position + 1, origin: origin, end: end, captureStart: captureStart, captureEnd: captureEnd, found: found)
        case .shape(let shape):
            guard position < end, matches(shape, position) else { return }
            match(steps, index + 1, position + 1, origin: origin, end: end, captureStart: captureStart, captureEnd: captureEnd, found: found)
        case .annotation(let layer, let labels):
            for candidate in starting[layer]?[position] ?? [] where labels.isEmpty || labels.contains(candidate.label) {
                guard candidate.last < end else { continue }
                match(steps, index + 1, candidate.last + 1, origin: origin, end: end, captureStart: captureStart, captureEnd: captureEnd, found: found)
            }
        }
    }

    private func matches(_ word: RulePattern.Word, _ position: Int) -> Bool {
        let token = table.tokens[position]
        switch word {
        case .any: return true
        case .folded(let hash): return token.hash == hash
        case .exact(let text): return document.utf8[token.start..<token.end].elementsEqual(text.utf8)
        case .prefix(let prefix):
            let bytes = document.utf8[token.start..<token.end]
            guard bytes.count >= prefix.utf8.count else { return false }
            return zip(bytes, prefix.utf8).allSatisfy { byte, expected in
                (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == expected
            }
        }
    }

    private func matches(_ shape: RulePattern.Shape, _ position: Int) -> Bool {
        let token = table.tokens[position]
        let bytes = document.utf8[token.start..<token.end]
        switch shape {
        case .cap: return token.capitalised
        case .upper: return token.isWord && bytes.allSatisfy { !UTF8Scanning.isLower($0) }
        case .lower: return token.isWord && bytes.first.map(UTF8Scanning.isLower) == true
        case .num: return bytes.first.map(UTF8Scanning.isDigit) == true
        case .punct: return !token.isWord && bytes.first.map { $0 < 0x80 && !UTF8Scanning.isDigit($0) && !UTF8Scanning.isASCIILetter($0) } == true
        case .word: return token.isWord
        }
    }
}
