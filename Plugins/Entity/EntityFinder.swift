import MarginaliaCore

/// One document's entity search: tokens with precomputed shapes, then the passes described on ``EntityAnalyzer``.
struct EntityFinder {
    struct TokenInfo {
        var start: Int
        var end: Int
        var hash: UInt64
        var capitalised: Bool
        var allCaps: Bool
        var isWord: Bool
        var isNumber: Bool
        var sentenceStart: Bool
        var sentence: Int
    }

    struct Found {
        var first: Int
        var last: Int  // inclusive token index
        var label: String
        var canonical: String
        var kind: String?
        var source: String
        var confidence: Double
    }

    let document: Document
    let knowledge: KnowledgeBase
    var tokens: [TokenInfo] = []
    var covered: [Bool] = []
    var found: [Found] = []
    var lowercaseSeen: Set<UInt64> = []
    var capsSentences: Set<Int> = []
    var headingSpans: [TextSpan] = []

    init(document: Document, store: AnnotationStore, knowledge: KnowledgeBase) {
        self.document = document
        self.knowledge = knowledge
        let sentences = store.annotations(in: "sentence").map(\.span)
        headingSpans = store.annotations(in: "markup").filter { $0.label == "heading" }.map(\.span)
        let tokenAnnotations = store.annotations(in: "token")
        tokens.reserveCapacity(tokenAnnotations.count)
        var sentenceIndex = 0
        var previousSentence = -1
        document.utf8.withUnsafeBufferPointer { bytes in
            var capsLetters = [Int](repeating: 0, count: sentences.count + 1)
            var allLetters = [Int](repeating: 0, count: sentences.count + 1)
            for annotation in tokenAnnotations {
                let span = annotation.span
                while sentenceIndex < sentences.count, sentences[sentenceIndex].end <= span.start { sentenceIndex += 1 }
                let first = bytes[span.start]
                let isWord = annotation.label == "word"
                let upper = UTF8Scanning.isUpper(first) || (first >= 0xC3 && isWord && first != 0xE2)
                var allCaps = isWord
                var hasLetter = false
                for i in span.start..<span.end {
                    let byte = bytes[i]
                    if UTF8Scanning.isLower(byte) { allCaps = false }
                    if UTF8Scanning.isASCIILetter(byte) { hasLetter = true }
                }
                allCaps = allCaps && hasLetter
                let hash = FoldedHash.of(bytes, span.start, span.end)
                if isWord, UTF8Scanning.isLower(first) { lowercaseSeen.insert(hash) }
                if isWord, hasLetter {
                    allLetters[sentenceIndex] += 1
                    if allCaps { capsLetters[sentenceIndex] += 1 }
                }
                let startsSentence = sentenceIndex != previousSentence
                previousSentence = sentenceIndex
                tokens.append(TokenInfo(
                    start: span.start, end: span.end, hash: hash, capitalised: upper && isWord, allCaps: allCaps,
                    isWord: isWord, isNumber: annotation.label == "number", sentenceStart: startsSentence, sentence: sentenceIndex))
            }
            for index in 0..<allLetters.count where allLetters[index] >= 3 && capsLetters[index] * 10 >= allLetters[index] * 6 {
                capsSentences.insert(index)
            }
        }
        covered = [Bool](repeating: false, count: tokens.count)
    }

    func text(_ first: Int, _ last: Int) -> String {
        document.text(of: TextSpan(tokens[first].start, tokens[last].end))
    }

    func lower(_ index: Int) -> String { text(index, index).lowercased() }

    func isTitle(_ index: Int) -> Bool { EntityLexicon.titles.contains(lower(index)) }

    // MARK: - Passes

    mutating func find() -> [Annotation] {
        findNamedOrganisations()
        findGazetteerMatches()
        findCapitalisedNames()
        findAcronymDefinitions()
        resolvePersonMentions()
        findNumbers()
        return found.sorted { $0.first < $1.first }.map { item in
            var features: [String: FeatureValue] = ["canonical": .string(item.canonical), "source": .string(item.source)]
            if let kind = item.kind { features["kind"] = .string(kind) }
            return Annotation(
                layer: "entity", label: item.label, span: TextSpan(tokens[item.first].start, tokens[item.last].end),
                features: features, confidence: item.confidence)
        }
    }

    mutating func add(_ item: Found) {
        for index in item.first...item.last where covered[index] { return }
        for index in item.first...item.last { covered[index] = true }
        found.append(item)
    }

    /// Capitalised sequences with an organisation head or tail win over the shorter names inside them
    /// ("Georgian Foundation for Strategic Studies" is one organisation, not a nationality and a name).
    mutating func findNamedOrganisations() {
        var index = 0
        while index < tokens.count {
            guard let (first, last) = capitalisedRun(from: index) else {
                index += 1
                continue
            }
            if last > first, isOrganisation(first, last), !inHeading(first) {
                add(Found(first: first, last: last, label: "ORG", canonical: text(first, last).collapsingSpaces(), kind: nil, source: "organisation-rule", confidence: 0.75))
            }
            index = last + 1
        }
    }

    func isOrganisation(_ first: Int, _ last: Int) -> Bool {
        EntityLexicon.organisationTails.contains(lower(last)) || EntityLexicon.organisationHeads.contains(lower(first))
    }

    func inHeading(_ index: Int) -> Bool {
        headingSpans.contains { $0.start <= tokens[index].start && tokens[index].end <= $0.end }
    }

    /// The longest knowledge-base name at each position, with capitalisation checked against the name as listed.
    mutating func findGazetteerMatches() {
        var index = 0
        while index < tokens.count {
            if covered[index] || !(tokens[index].capitalised || tokens[index].isNumber || tokens[index].allCaps) {
                index += 1
                continue
            }
            var node = 0
            var best: (last: Int, node: Int)?
            var cursor = index
            while cursor < tokens.count, !covered[cursor], tokens[cursor].sentence == tokens[index].sentence,
                let next = knowledge.trie.child(of: node, tokens[cursor].hash)
            {
                node = next
                if !knowledge.trie.nodes[node].entries.isEmpty, casingMatches(index, cursor, knowledge.trie.nodes[node].surface) {
                    best = (cursor, node)
                }
                cursor += 1
            }
            guard let (last, matched) = best else {
                index += 1
                continue
            }
            let entry = knowledge.entries[Int(knowledge.trie.nodes[matched].entries[0])]
            // A sentence-initial common word that happens to be a name ("May", "Chad") needs more evidence.
            if tokens[index].sentenceStart, index == last, lowercaseSeen.contains(tokens[index].hash) {
                index += 1
                continue
            }
            add(resolve(entry, first: index, last: last))
            index = last + 1
        }
    }

    /// Acronyms must match exactly (all capitals); other names need the listed capitals, or an all-capitals text.
    func casingMatches(_ first: Int, _ last: Int, _ surface: [String]) -> Bool {
        guard surface.count == last - first + 1 else { return false }
        for (offset, word) in surface.enumerated() {
            let token = tokens[first + offset]
            guard let lead = word.utf8.first else { continue }
            let wordIsAcronym = word.utf8.count >= 2 && word.utf8.allSatisfy { !UTF8Scanning.isLower($0) }
                && word.utf8.contains { UTF8Scanning.isUpper($0) }
            if wordIsAcronym {
                if !token.allCaps { return false }
            } else if UTF8Scanning.isUpper(lead) {
                if !token.capitalised && !token.allCaps { return false }
            }
        }
        return true
    }

    /// Applies metonymy: a capital or seat of government acting is its state's government; one after a locative
    /// preposition is a place.
    func resolve(_ entry: KnowledgeEntry, first: Int, last: Int) -> Found {
        var item = Found(first: first, last: last, label: entry.label, canonical: entry.canonical, kind: entry.kind, source: entry.source, confidence: entry.confidence)
        let locative = first > 0 && EntityLexicon.locativePrepositions.contains(lower(first - 1))
        if entry.kind == "capital" {
            if locative {
                item.kind = "city"
            } else if let state = entry.governs {
                item.canonical = state
                item.kind = "government"
                item.source = "capital-metonymy"
            }
        } else if entry.kind == "government", locative, entry.label == "GPE" {
            item.canonical = text(first, last)
            item.kind = "city"
        }
        return item
    }

    /// A run of capitalised tokens starting at `index` (joined by connectors like "of"), within one sentence.
    func capitalisedRun(from index: Int) -> (Int, Int)? {
        guard tokens[index].capitalised, !covered[index], !capsSentences.contains(tokens[index].sentence) else { return nil }
        var first = index
        // Function words never start a name, wherever they are capitalised; single capitals ("I", "A") neither.
        let initial = lower(first)
        if EntityLexicon.stopWords.contains(initial) || tokens[first].end - tokens[first].start == 1 {
            first += 1
            guard first < tokens.count, tokens[first].capitalised, !covered[first], tokens[first].sentence == tokens[index].sentence else { return nil }
        }
        // Skip a sentence-initial common word ("According").
        if tokens[first].sentenceStart || (first > 0 && !tokens[first - 1].isWord && tokens[first - 1].sentence == tokens[first].sentence && isOpening(first - 1)) {
            let word = lower(first)
            if EntityLexicon.stopWords.contains(word) || lowercaseSeen.contains(tokens[first].hash) || EntityLexicon.months[word] != nil {
                first += 1
                guard first < tokens.count, tokens[first].capitalised, !covered[first], tokens[first].sentence == tokens[index].sentence else { return nil }
            }
        }
        var last = first
        var cursor = first + 1
        while cursor < tokens.count, tokens[cursor].sentence == tokens[first].sentence, !covered[cursor] {
            if tokens[cursor].capitalised {
                last = cursor
                cursor += 1
                continue
            }
            let connector = lower(cursor)
            if EntityLexicon.connectors.contains(connector), cursor + 1 < tokens.count, tokens[cursor + 1].capitalised,
                tokens[cursor + 1].sentence == tokens[first].sentence, !covered[cursor + 1],
                allowsConnector(connector, runStart: first, at: cursor)
            {
                cursor += 1
                continue
            }
            break
        }
        return (first, last)
    }

    /// "the" joins a name only after "of" ("Bank of the West"); "and" only in a name that already has "of"
    /// ("Ministry of Trade and Industry"), so that "Iran and Orion Shipping Group" stays two names.
    func allowsConnector(_ connector: String, runStart: Int, at index: Int) -> Bool {
        switch connector {
        case "the": return index > runStart && lower(index - 1) == "of"
        case "and", "&": return (runStart..<index).contains { lower($0) == "of" }
        default: return true
        }
    }

    func isOpening(_ index: Int) -> Bool {
        let byte = document.utf8[tokens[index].start]
        return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ":") || byte == 0xE2
    }

    /// Names no list knows: titles before people, given names, acronyms; the rest by shape.
    mutating func findCapitalisedNames() {
        var index = 0
        while index < tokens.count {
            guard var (first, last) = capitalisedRun(from: index), !inHeading(index) else {
                index += 1
                continue
            }
            index = last + 1
            // Leading titles ("Foreign Minister", "Gen.") mark a person and are not part of the name.
            var titled = first > 0 && isTitle(first - 1)
            while first <= last, isTitle(first) {
                titled = true
                first += 1
            }
            guard first <= last else { continue }
            while last > first, EntityLexicon.connectors.contains(lower(last)) { last -= 1 }
            let name = text(first, last).collapsingSpaces()
            let months = EntityLexicon.months[lower(first)] != nil || EntityLexicon.weekdays.contains(lower(first))
            if months { continue }
            if titled {
                add(Found(first: first, last: last, label: "PERSON", canonical: name, kind: "person", source: "title-rule", confidence: 0.8))
            } else if isOrganisation(first, last) {
                add(Found(first: first, last: last, label: "ORG", canonical: name, kind: nil, source: "organisation-rule", confidence: 0.7))
            } else if last > first, knowledge.firstNames.contains(tokens[first].hash) {
                add(Found(first: first, last: last, label: "PERSON", canonical: name, kind: "person", source: "given-name-rule", confidence: 0.75))
            } else if first == last, tokens[first].allCaps, tokens[first].end - tokens[first].start <= 6, tokens[first].end - tokens[first].start >= 2 {
                add(Found(first: first, last: last, label: "ORG", canonical: name, kind: nil, source: "acronym-rule", confidence: 0.6))
            } else if last > first {
                add(Found(first: first, last: last, label: last - first >= 2 ? "ORG" : "PERSON", canonical: name, kind: nil, source: "shape-rule", confidence: 0.5))
            } else if !tokens[first].sentenceStart, !lowercaseSeen.contains(tokens[first].hash) {
                add(Found(first: first, last: last, label: "ORG", canonical: name, kind: nil, source: "shape-rule", confidence: 0.4))
            }
        }
    }

    /// "Long Name (ACR)": the acronym takes the long name's label and canonical name, here and later in the text.
    mutating func findAcronymDefinitions() {
        var definitions: [UInt64: Found] = [:]
        for item in found where item.last + 3 < tokens.count {
            let open = item.last + 1
            guard document.utf8[tokens[open].start] == UInt8(ascii: "("), tokens[open + 1].allCaps,
                document.utf8[tokens[open + 2].start] == UInt8(ascii: ")"), ["ORG", "GPE", "LAW", "EVENT", "FAC", "PRODUCT", "WEAPON", "NORP"].contains(item.label)
            else { continue }
            definitions[tokens[open + 1].hash] = Found(first: open + 1, last: open + 1, label: item.label, canonical: item.canonical, kind: item.kind, source: "acronym-definition", confidence: 0.9)
        }
        guard !definitions.isEmpty else { return }
        for (index, token) in tokens.enumerated() where token.allCaps {
            guard var definition = definitions[token.hash] else { continue }
            definition.first = index
            definition.last = index
            if covered[index] {
                // The text's own definition beats a list's reading of the acronym.
                if let existing = found.firstIndex(where: { $0.first == index && $0.last == index }) { found[existing] = definition }
            } else {
                add(definition)
            }
        }
    }

    /// A later mention by surname refers to the person named in full earlier ("Putin" after "Vladimir Putin").
    mutating func resolvePersonMentions() {
        var surnames: [UInt64: String] = [:]
        for item in found.sorted(by: { $0.first < $1.first }) where item.label == "PERSON" && item.last > item.first {
            surnames[tokens[item.last].hash] = item.canonical
        }
        // Surnames the name rules left alone (at the start of a sentence, say).
        for (index, token) in tokens.enumerated() where token.capitalised && !covered[index] {
            guard let full = surnames[token.hash], index + 1 >= tokens.count || !tokens[index + 1].capitalised else { continue }
            add(Found(first: index, last: index, label: "PERSON", canonical: full, kind: "person", source: "coreference", confidence: 0.7))
        }
        for index in found.indices where found[index].first == found[index].last {
            let item = found[index]
            guard let full = surnames[tokens[item.first].hash], item.label == "PERSON" || item.source == "shape-rule" || item.source == "acronym-rule" else { continue }
            found[index].label = "PERSON"
            found[index].canonical = full
            found[index].kind = "person"
            found[index].source = "coreference"
        }
    }

    // MARK: - Numbers and dates

    mutating func findNumbers() {
        var index = 0
        while index < tokens.count {
            if covered[index] {
                index += 1
                continue
            }
            let word = lower(index)
            if let (last, label) = numericExpression(at: index, word) {
                add(Found(first: index, last: last, label: label, canonical: text(index, last).collapsingSpaces(), kind: nil, source: "number-rule", confidence: 0.8))
                index = last + 1
            } else {
                index += 1
            }
        }
    }

    func isNumeric(_ index: Int) -> Bool {
        index < tokens.count && (tokens[index].isNumber || EntityLexicon.numberWords.contains(lower(index)))
    }

    func numericExpression(at index: Int, _ word: String) -> (Int, String)? {
        let isYear = tokens[index].isNumber && tokens[index].end - tokens[index].start == 4 && (word.hasPrefix("19") || word.hasPrefix("20"))
        if EntityLexicon.months[word] != nil, tokens[index].capitalised {
            var last = index
            if last + 1 < tokens.count, tokens[last + 1].isNumber { last += 1 }
            if last + 2 < tokens.count, document.utf8[tokens[last + 1].start] == UInt8(ascii: ","), tokens[last + 2].isNumber { last += 2 }
            if index > 0, tokens[index - 1].isNumber, !covered[index - 1] { return nil }  // handled from the day
            return (last, "DATE")
        }
        if EntityLexicon.weekdays.contains(word), tokens[index].capitalised { return (index, "DATE") }
        if tokens[index].isNumber, index + 1 < tokens.count, EntityLexicon.months[lower(index + 1)] != nil, tokens[index + 1].capitalised {
            var last = index + 1
            if last + 1 < tokens.count, tokens[last + 1].isNumber { last += 1 }
            return (last, "DATE")
        }
        if isYear { return (index, "DATE") }
        if EntityLexicon.ordinals.contains(word) || (tokens[index].isWord && word.first?.isNumber == true && (word.hasSuffix("st") || word.hasSuffix("nd") || word.hasSuffix("rd") || word.hasSuffix("th"))) {
            return (index, "ORDINAL")
        }
        if EntityLexicon.currencySymbols.contains(word), isNumeric(index + 1) {
            var last = index + 1
            while isNumeric(last + 1) { last += 1 }
            return (last, "MONEY")
        }
        guard isNumeric(index) else { return nil }
        var last = index
        while isNumeric(last + 1) { last += 1 }
        if last + 1 < tokens.count {
            let next = lower(last + 1)
            if next == "percent" || next == "%" { return (last + 1, "PERCENT") }
            if next == "per", last + 2 < tokens.count, lower(last + 2) == "cent" { return (last + 2, "PERCENT") }
            if EntityLexicon.currencyWords.contains(next) { return (last + 1, "MONEY") }
            if EntityLexicon.units.contains(next) {
                var end = last + 1
                if next == "cubic" || next == "square", end + 1 < tokens.count { end += 1 }
                return (end, "QUANTITY")
            }
        }
        return (last, "CARDINAL")
    }
}

extension String {
    /// The text with runs of white space (line breaks included) as single spaces.
    func collapsingSpaces() -> String {
        split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
