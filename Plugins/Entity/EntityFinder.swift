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
        /// Starts with an ASCII digit.
        var digitLead: Bool
        var sentenceStart: Bool
        /// The word also appears in lower case in the document ("May" beside "may"): a common word capitalised.
        var lowercaseSeen: Bool
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

    /// Features already made in this document, found by the ``Swift/String/identityBits`` of their three strings
    /// (the kept features hold the strings, so equal bits are equal text). A listed name recurs ("Iran" forty times
    /// in one report): the mentions share one features value, sparing an allocation and its destruction each.
    struct FeaturesMemo {
        typealias Bits = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        private var slots = [(bits: Bits, features: Features)?](repeating: nil, count: 64)

        mutating func features(_ canonical: String, _ kind: String, _ source: String, make: () -> Features) -> Features {
            guard let a = canonical.identityBits, let b = kind.identityBits, let c = source.identityBits else { return make() }
            let bits: Bits = (a.0, a.1, b.0, b.1, c.0, c.1)
            let mixed = (a.0 &* 0x9E37_79B9_7F4A_7C15) ^ (a.1 &+ b.0 ^ c.0) &* 0xD6E8_FEB8_6659_FD93
            let slot = Int(truncatingIfNeeded: mixed >> 58)
            if let kept = slots[slot], kept.bits == bits { return kept.features }
            let features = make()
            slots[slot] = (bits, features)
            return features
        }
    }

    let document: Document
    let knowledge: KnowledgeBase
    /// Lends the finder to its helpers by address instead of copying it into every call (see ``PassedByAddress``).
    private let passedByAddress = PassedByAddress()
    var tokens: [TokenInfo] = []
    var covered: [Bool] = []
    var found: [Found] = []
    /// Per sentence, whether it is set in capitals (a headline shouting): its capitalised words are not names.
    var capsSentences: [Bool] = []
    var headingSpans: [TextSpan] = []
    /// The tokens each pass can start at, in order, listed while the shapes are read: the passes visit these
    /// (a fifth of the tokens or less) instead of reading every token's shape again, a document's worth of
    /// memory per pass. Capitalised words start capitalised runs; those, words in capitals and numbers start
    /// listed names; numbers, words led by a digit and the number and date words start numeric expressions.
    var capitalisedStarts: [Int32] = []
    var nameStarts: [Int32] = []
    var numberStarts: [Int32] = []
    /// Per name start (as `nameStarts` lists them), the knowledge trie's node for its token: a match's first step.
    var firstSteps: [Int32] = []

    init(document: Document, store: AnnotationStore, knowledge: KnowledgeBase) {
        self.document = document
        self.knowledge = knowledge
        headingSpans = store.annotations(in: "markup").filter { $0.label == "heading" }.map(\.span)
        // The shared table gives each token's folded hash and sentence; the shapes below are the entity pass's own.
        let table = store.tokenTable(for: document)
        let count = table.tokens.count
        var capsLetters = [Int](repeating: 0, count: table.sentences.count + 1)
        var allLetters = [Int](repeating: 0, count: table.sentences.count + 1)
        // Locals filled in place through pointers, stored once at the end: appending to arrays inside the loop
        // would check their ownership and room token by token. Each list has room for every token.
        // Shapes from the table's first byte and letter bits: the text itself is not read again.
        let starts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 3 * max(count, 1))
        defer { starts.deallocate() }
        let capitalisedAt = starts.baseAddress!, nameAt = capitalisedAt + count, numberAt = nameAt + count
        var capitalisedCount = 0, nameCount = 0, numberCount = 0
        // Per type, whether it can lead a numeric expression: the list is asked once per distinct word.
        let numericLead = EntityLexicon.numericLeadHashes
        let numericLeadType = table.perType { numericLead.contains($0) }
        tokens = table.tokens.withUnsafeBufferPointer { entries in
            // Per type (see ``TokenTable/types``), whether some token of it is a lowercase word.
            var lowercaseType = [Bool](repeating: false, count: table.types.count)
            for entry in entries where entry.isWord && UTF8Scanning.isLower(entry.firstByte) { lowercaseType[Int(entry.type)] = true }
            return [TokenInfo](unsafeUninitializedCapacity: count) { infos, initialized in
                var previousSentence = -1
                allLetters.withUnsafeMutableBufferPointer { allLetters in
                    capsLetters.withUnsafeMutableBufferPointer { capsLetters in
                        for index in 0..<count {
                            let entry = entries.baseAddress! + index
                            let sentenceIndex = entry.pointee.sentence
                            let first = entry.pointee.firstByte
                            let isWord = entry.pointee.isWord
                            let upper = UTF8Scanning.isUpper(first) || (first >= 0xC3 && isWord && first != 0xE2)
                            let hasLetter = entry.pointee.letters != 0
                            let allCaps = isWord && entry.pointee.isAllCapitals
                            if isWord, hasLetter {
                                allLetters[sentenceIndex] += 1
                                if allCaps { capsLetters[sentenceIndex] += 1 }
                            }
                            let startsSentence = sentenceIndex != previousSentence
                            previousSentence = sentenceIndex
                            let capitalised = upper && isWord, isNumber = entry.pointee.kind == .number, digitLead = UTF8Scanning.isDigit(first)
                            // Each list's next slot takes every token and keeps it by counting it: no branch a
                            // predictor would have to learn per list.
                            capitalisedAt[capitalisedCount] = Int32(index)
                            capitalisedCount += capitalised ? 1 : 0
                            nameAt[nameCount] = Int32(index)
                            nameCount += capitalised || isNumber || allCaps ? 1 : 0
                            numberAt[numberCount] = Int32(index)
                            numberCount += isNumber || digitLead || numericLeadType[Int(entry.pointee.type)] ? 1 : 0
                            (infos.baseAddress! + index).initialize(
                                to: TokenInfo(
                                    start: entry.pointee.start, end: entry.pointee.end, hash: entry.pointee.hash, capitalised: capitalised,
                                    allCaps: allCaps, isWord: isWord, isNumber: isNumber, digitLead: digitLead,
                                    sentenceStart: startsSentence, lowercaseSeen: lowercaseType[Int(entry.pointee.type)], sentence: sentenceIndex))
                        }
                    }
                }
                initialized = count
            }
        }
        capsSentences = allLetters.indices.map { allLetters[$0] >= 3 && capsLetters[$0] * 10 >= allLetters[$0] * 6 }
        covered = [Bool](repeating: false, count: tokens.count)
        capitalisedStarts = Array(UnsafeBufferPointer(start: capitalisedAt, count: capitalisedCount))
        nameStarts = Array(UnsafeBufferPointer(start: nameAt, count: nameCount))
        numberStarts = Array(UnsafeBufferPointer(start: numberAt, count: numberCount))
        let tokens = self.tokens
        firstSteps = knowledge.trie.rootChildren(nameStarts.map { tokens[Int($0)].hash })
    }

    func text(_ first: Int, _ last: Int) -> String {
        document.text(of: TextSpan(tokens[first].start, tokens[last].end))
    }


    func isTitle(_ index: Int) -> Bool { EntityLexicon.titleHashes.contains(tokens[index].hash) }

    // MARK: - Passes

    mutating func find() -> [Annotation] {
        // News prose has about one entity for every eight tokens: room for one in six made once, rather than by
        // doubling (each time moving every entity found so far).
        found.reserveCapacity(tokens.count / 6)
        findNamedOrganisations()
        findGazetteerMatches()
        findCapitalisedNames()
        findAcronymDefinitions()
        resolvePersonMentions()
        findNumbers()
        // Sorting positions rather than the items: each item holds four strings, and every move of one during a
        // sort retains and releases them. Ties keep the order found, as a stable sort of the items would.
        let order = found.indices.sorted { found[$0].first != found[$1].first ? found[$0].first < found[$1].first : $0 < $1 }
        var memo = FeaturesMemo()
        // Items read in place: a copy of one would retain and release its four strings.
        return found.withUnsafeBufferPointer { found in
            order.map { position in
                let item = found.baseAddress! + position
                // Keys listed in order: the array becomes the features' storage as it is.
                let features =
                    if let kind = item.pointee.kind {
                        memo.features(item.pointee.canonical, kind, item.pointee.source) {
                            Features(ordered: [
                                ("canonical", .string(item.pointee.canonical)), ("kind", .string(kind)), ("source", .string(item.pointee.source)),
                            ])
                        }
                    } else {
                        Features(ordered: [("canonical", .string(item.pointee.canonical)), ("source", .string(item.pointee.source))])
                    }
                return Annotation(
                    layer: "entity", label: item.pointee.label, span: TextSpan(tokens[item.pointee.first].start, tokens[item.pointee.last].end),
                    features: features, confidence: item.pointee.confidence)
            }
        }
    }

    /// Consuming: the item moves into the list rather than being copied (a retain per string) and destroyed.
    mutating func add(_ item: consuming Found) {
        for index in item.first...item.last where covered[index] { return }
        for index in item.first...item.last { covered[index] = true }
        found.append(item)
    }

    /// Capitalised sequences with an organisation head or tail win over the shorter names inside them
    /// ("Georgian Foundation for Strategic Studies" is one organisation, not a nationality and a name).
    mutating func findNamedOrganisations() {
        // The first token not yet passed: a run's tokens are not the start of another.
        var next = 0
        for start in capitalisedStarts.indices {
            let index = Int(capitalisedStarts[start])
            guard index >= next, let (first, last) = capitalisedRun(from: index) else { continue }
            if last > first, isOrganisation(first, last), !inHeading(first) {
                // A listed name that spans the whole run keeps what the list knows about it.
                if let (matchedLast, entry) = gazetteerMatch(from: first, upTo: last), matchedLast == last {
                    add(resolve(entry, first: first, last: last))
                } else {
                    add(Found(first: first, last: last, label: "ORG", canonical: text(first, last).collapsingSpaces(), kind: nil, source: "organisation-rule", confidence: 0.75))
                }
            }
            next = last + 1
        }
    }

    func isOrganisation(_ first: Int, _ last: Int) -> Bool {
        EntityLexicon.organisationTailHashes.contains(tokens[last].hash) || EntityLexicon.organisationHeadHashes.contains(tokens[first].hash)
    }

    func inHeading(_ index: Int) -> Bool {
        headingSpans.contains { $0.start <= tokens[index].start && tokens[index].end <= $0.end }
    }

    /// The longest knowledge-base name at each position, with capitalisation checked against the name as listed.
    mutating func findGazetteerMatches() {
        var next = 0
        for start in nameStarts.indices {
            let index = Int(nameStarts[start])
            guard index >= next, !covered[index], firstSteps[start] >= 0,
                let (last, entry) = gazetteerMatch(from: index, upTo: tokens.count - 1, firstStep: Int(firstSteps[start]))
            else { continue }
            // A sentence-initial common word that happens to be a name ("May", "Chad") needs more evidence.
            if tokens[index].sentenceStart, index == last, tokens[index].lowercaseSeen { continue }
            add(resolve(entry, first: index, last: last))
            next = last + 1
        }
    }

    /// The longest listed name starting at `index`: its last token and best entry's index. `firstStep`, when
    /// known, is the trie's node for the token at `index`.
    func gazetteerMatch(from index: Int, upTo limit: Int, firstStep: Int? = nil) -> (Int, Int)? {
        var node = 0
        var best: (Int, Int)?
        var cursor = index
        let sentence = tokens[index].sentence
        if let firstStep, index <= limit, !covered[index] {
            let match = knowledge.trie.matches[firstStep]
            if match.entry >= 0, casingMatches(index, index, match, node: firstStep) { best = (index, Int(match.entry)) }
            node = firstStep
            cursor += 1
        }
        return knowledge.trie.matches.withUnsafeBufferPointer { matches in
            while cursor <= limit, !covered[cursor], tokens[cursor].sentence == sentence,
                let next = knowledge.trie.child(of: node, tokens[cursor].hash)
            {
                node = next
                let match = matches[node]
                if match.entry >= 0, casingMatches(index, cursor, match, node: node) {
                    best = (cursor, Int(match.entry))
                }
                cursor += 1
            }
            return best
        }
    }

    /// "Iranian-Russian-Chinese": a hyphenated run of nationalities is a nationality, with each country named.
    func hyphenatedNationalities(_ index: Int) -> [String]? {
        let token = tokens[index]
        var parts: [String] = []
        var partStart = token.start
        var position = token.start
        while position <= token.end {
            if position == token.end || document.utf8[position] == UInt8(ascii: "-") {
                let hash = document.utf8.withUnsafeBufferPointer { FoldedHash.of($0, partStart, position) }
                guard let node = knowledge.trie.child(of: 0, hash),
                    let entry = knowledge.trie.nodes[node].entries.map({ knowledge.entries[Int($0)] }).first(where: { $0.label == "NORP" })
                else { return nil }
                parts.append(entry.canonical)
                partStart = position + 1
            }
            position += 1
        }
        return parts.count >= 2 ? parts : nil
    }

    /// Acronyms must match exactly (all capitals); other names need the listed capitals, or an all-capitals text.
    func casingMatches(_ first: Int, _ last: Int, _ match: PhraseTrie.Match, node: Int) -> Bool {
        let count = last - first + 1
        guard match.length != 0 else {
            // A name too long to pack (or an empty one): its casing as listed.
            let casing = knowledge.trie.nodes[node].casing
            return casing.count == count && (0..<count).allSatisfy { casingAllows(casing[$0], tokens[first + $0]) }
        }
        guard Int(match.length) == count else { return false }
        for offset in 0..<count {
            let casing = PhraseTrie.Casing(rawValue: UInt8(truncatingIfNeeded: (match.packed >> UInt64(2 * offset)) & 3)) ?? .any
            if !casingAllows(casing, tokens[first + offset]) { return false }
        }
        return true
    }

    @inline(__always)
    func casingAllows(_ casing: PhraseTrie.Casing, _ token: TokenInfo) -> Bool {
        switch casing {
        case .acronym: token.allCaps
        case .capitalised: token.capitalised || token.allCaps
        case .any: true
        }
    }

    /// Applies metonymy: a capital or seat of government acting is its state's government; one after a locative
    /// preposition is a place.
    func resolve(_ entryIndex: Int, first: Int, last: Int) -> Found {
        knowledge.entries.withUnsafeBufferPointer { entries in
            // Read in place: a copy of the entry would retain and release its strings once more.
            let entry = entries.baseAddress! + entryIndex
            var item = Found(
                first: first, last: last, label: entry.pointee.label, canonical: entry.pointee.canonical, kind: entry.pointee.kind,
                source: entry.pointee.source, confidence: entry.pointee.confidence)
            guard entry.pointee.isCapital || entry.pointee.isGovernmentPlace else { return item }
            // "according to Tehran" names a speaker, not a destination.
            let accordingTo = first > 1 && tokens[first - 2].hash == EntityLexicon.accordingHash
            let locative = first > 0 && EntityLexicon.locativeHashes.contains(tokens[first - 1].hash) && !accordingTo
            if entry.pointee.isCapital {
                if locative {
                    item.kind = "city"
                } else if let state = entry.pointee.governs {
                    item.canonical = state
                    item.kind = "government"
                    item.source = "capital-metonymy"
                }
            } else if locative {
                item.canonical = text(first, last)
                item.kind = "city"
            }
            return item
        }
    }

    /// A run of capitalised tokens starting at `index` (joined by connectors like "of"), within one sentence.
    func capitalisedRun(from index: Int) -> (Int, Int)? {
        guard tokens[index].capitalised, !covered[index], !capsSentences[tokens[index].sentence] else { return nil }
        var first = index
        // Function words never start a name, wherever they are capitalised; single capitals ("I", "A") neither.
        if EntityLexicon.stopWordHashes.contains(tokens[first].hash) || tokens[first].end - tokens[first].start == 1 {
            first += 1
            guard first < tokens.count, tokens[first].capitalised, !covered[first], tokens[first].sentence == tokens[index].sentence else { return nil }
        }
        // Skip a sentence-initial common word ("According").
        if tokens[first].sentenceStart || (first > 0 && !tokens[first - 1].isWord && tokens[first - 1].sentence == tokens[first].sentence && isOpening(first - 1)) {
            let hash = tokens[first].hash
            if EntityLexicon.stopWordHashes.contains(hash) || tokens[first].lowercaseSeen || EntityLexicon.monthHashes.contains(hash) {
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
            let connector = tokens[cursor].hash
            if EntityLexicon.connectorHashes.contains(connector), cursor + 1 < tokens.count, tokens[cursor + 1].capitalised,
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
    func allowsConnector(_ connector: UInt64, runStart: Int, at index: Int) -> Bool {
        if connector == EntityLexicon.theHash { return index > runStart && tokens[index - 1].hash == EntityLexicon.ofHash }
        if connector == EntityLexicon.andHash || connector == EntityLexicon.ampersandHash {
            return (runStart..<index).contains { tokens[$0].hash == EntityLexicon.ofHash }
        }
        return true
    }

    func isOpening(_ index: Int) -> Bool {
        let byte = document.utf8[tokens[index].start]
        return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ":") || byte == 0xE2
    }

    /// Names no list knows: titles before people, given names, acronyms; the rest by shape.
    mutating func findCapitalisedNames() {
        var next = 0
        for start in capitalisedStarts.indices {
            let index = Int(capitalisedStarts[start])
            guard index >= next, var (first, last) = capitalisedRun(from: index), !inHeading(index) else { continue }
            next = last + 1
            // Leading titles ("Foreign Minister", "Gen.") mark a person and are not part of the name.
            var titled = first > 0 && isTitle(first - 1)
            while first <= last, isTitle(first) {
                titled = true
                first += 1
            }
            guard first <= last else { continue }
            while last > first, EntityLexicon.connectorHashes.contains(tokens[last].hash) { last -= 1 }
            if EntityLexicon.monthHashes.contains(tokens[first].hash) || EntityLexicon.weekdayHashes.contains(tokens[first].hash) { continue }
            if first == last, let countries = hyphenatedNationalities(first) {
                add(Found(first: first, last: last, label: "NORP", canonical: countries.joined(separator: ", "), kind: "nationality", source: "hyphenated-nationality", confidence: 0.8))
                continue
            }
            let rule: (label: String, kind: String?, source: String, confidence: Double)
            if titled {
                rule = ("PERSON", "person", "title-rule", 0.8)
            } else if last > first, EntityLexicon.facilityTailHashes.contains(tokens[last].hash) {
                // "Trans-Anatolian Pipeline", "Bushehr Nuclear Plant": built things, not people.
                rule = ("FAC", "facility", "facility-rule", 0.7)
            } else if isOrganisation(first, last) {
                rule = ("ORG", nil, "organisation-rule", 0.7)
            } else if last > first, knowledge.firstNames.contains(tokens[first].hash) {
                rule = ("PERSON", "person", "given-name-rule", 0.75)
            } else if first == last, tokens[first].allCaps, tokens[first].end - tokens[first].start <= 6, tokens[first].end - tokens[first].start >= 2 {
                rule = ("ORG", nil, "acronym-rule", 0.6)
            } else if last > first {
                rule = (last - first >= 2 ? "ORG" : "PERSON", nil, "shape-rule", 0.5)
            } else if !tokens[first].sentenceStart, !tokens[first].lowercaseSeen {
                rule = ("ORG", nil, "shape-rule", 0.4)
            } else if isSubjectName(first) {
                rule = ("PERSON", "person", "subject-rule", 0.5)
            } else {
                continue
            }
            // The name is made only for a run that becomes one (many single sentence-initial words do not), in
            // its own statement: read inside the call that adds it, it made the compiler copy the whole finder.
            let name = text(first, last).collapsingSpaces()
            add(Found(first: first, last: last, label: rule.label, canonical: name, kind: rule.kind, source: rule.source, confidence: rule.confidence))
        }
    }

    /// A capitalised word alone at the start of a sentence is a name when it stands as a subject the way names
    /// do in news: before a possessive ("Graham's comment"), ", who", or a verb that agrees with one person
    /// ("Sanders says", "Durbin said"). A word ending in "s" needs a verb that shows it singular ("Officials said"
    /// is plural); words that open sentences as common nouns or pronouns ("Police", "Everyone") are never names.
    func isSubjectName(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.isWord, !token.allCaps, token.end - token.start >= 3, index + 1 < tokens.count,
            tokens[index + 1].sentence == token.sentence, !EntityLexicon.commonSubjectHashes.contains(token.hash),
            !EntityLexicon.weekdayHashes.contains(token.hash)
        else { return false }
        var after = index + 1
        // "Sanders easily beat": an adverb may stand between the subject and its verb.
        if tokens[after].isWord, !tokens[after].capitalised, endsWith("ly", after), after + 1 < tokens.count, tokens[after + 1].sentence == token.sentence {
            after += 1
        }
        let next = tokens[after].hash
        if EntityLexicon.possessiveHashes.contains(next) { return true }
        if next == EntityLexicon.commaHash {
            return after + 1 < tokens.count && tokens[after + 1].hash == EntityLexicon.whoHash
        }
        if EntityLexicon.singularVerbHashes.contains(next) { return true }
        let plural = endsWith("s", index) && !endsWith("ss", index)
        guard !plural else { return false }
        if EntityLexicon.pastVerbHashes.contains(next) { return true }
        // Any past tense ("Dorsey thanked") after a word not shaped like a common noun ("Voting ended",
        // "Production fell" stay out).
        let verb = tokens[after]
        return verb.isWord && !verb.capitalised && verb.end - verb.start >= 4 && endsWith("ed", after)
            && !EntityLexicon.commonNounEndings.contains { endsWith($0, index) }
    }

    /// Whether token `index` ends with the ASCII `suffix`, case-sensitively.
    func endsWith(_ suffix: StaticString, _ index: Int) -> Bool {
        let count = suffix.utf8CodeUnitCount
        let token = tokens[index]
        guard token.end - token.start >= count else { return false }
        return suffix.withUTF8Buffer { bytes in
            bytes.indices.allSatisfy { document.utf8[token.end - count + $0] == bytes[$0] }
        }
    }

    /// "Long Name (ACR)": the acronym takes the long name's label and canonical name, here and later in the text.
    mutating func findAcronymDefinitions() {
        var definitions = WordMap<Found>()
        // By position: the few items followed by "(ACR)" are the only ones copied.
        for position in found.indices where found[position].last + 3 < tokens.count {
            let open = found[position].last + 1
            guard document.utf8[tokens[open].start] == UInt8(ascii: "("), tokens[open + 1].allCaps,
                document.utf8[tokens[open + 2].start] == UInt8(ascii: ")")
            else { continue }
            let item = found[position]
            guard ["ORG", "GPE", "LAW", "EVENT", "FAC", "PRODUCT", "WEAPON", "NORP"].contains(item.label) else { continue }
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
        var surnames = WordMap<String>()
        // In text order (the last full name wins), by position: sorting the items would move their strings.
        for position in found.indices.sorted(by: { found[$0].first < found[$1].first })
        where found[position].last > found[position].first && found[position].label == "PERSON" {
            surnames[tokens[found[position].last].hash] = found[position].canonical
        }
        // Surnames the name rules left alone (at the start of a sentence, say).
        for start in capitalisedStarts.indices where !covered[Int(capitalisedStarts[start])] {
            let index = Int(capitalisedStarts[start])
            guard let full = surnames[tokens[index].hash], index + 1 >= tokens.count || !tokens[index + 1].capitalised else { continue }
            add(Found(first: index, last: index, label: "PERSON", canonical: full, kind: "person", source: "coreference", confidence: 0.7))
        }
        for index in found.indices where found[index].first == found[index].last {
            guard let full = surnames[tokens[found[index].first].hash],
                found[index].label == "PERSON" || found[index].source == "shape-rule" || found[index].source == "acronym-rule"
            else { continue }
            found[index].label = "PERSON"
            found[index].canonical = full
            found[index].kind = "person"
            found[index].source = "coreference"
        }
    }

    // MARK: - Numbers and dates

    mutating func findNumbers() {
        var next = 0
        for start in numberStarts.indices {
            let index = Int(numberStarts[start])
            guard index >= next, !covered[index], let (last, label) = numericExpression(at: index) else { continue }
            add(Found(first: index, last: last, label: label, canonical: text(index, last).collapsingSpaces(), kind: nil, source: "number-rule", confidence: 0.8))
            next = last + 1
        }
    }

    func isNumeric(_ index: Int) -> Bool {
        index < tokens.count && (tokens[index].isNumber || EntityLexicon.numberWordHashes.contains(tokens[index].hash))
    }

    /// Only a number, a word starting with a digit or a word of the lists `numericExpression` reads (months,
    /// weekdays, number words, ordinals: `EntityLexicon.numericLeadHashes`) can start an expression.
    @inline(__always)
    static func mayStartExpression(_ token: TokenInfo, numericLead: WordSet) -> Bool {
        token.isNumber || token.digitLead || numericLead.contains(token.hash)
    }

    /// The numeric expression starting at token `index`, which ``mayStartExpression(_:numericLead:)`` accepts.
    func numericExpression(at index: Int) -> (Int, String)? {
        let token = tokens[index]
        let length = token.end - token.start
        let lead = document.utf8[token.start]
        assert(Self.mayStartExpression(token, numericLead: EntityLexicon.numericLeadHashes))
        if EntityLexicon.monthHashes.contains(token.hash), token.capitalised {
            var last = index
            if last + 1 < tokens.count, tokens[last + 1].isNumber { last += 1 }
            if last + 2 < tokens.count, document.utf8[tokens[last + 1].start] == UInt8(ascii: ","), tokens[last + 2].isNumber { last += 2 }
            return (last, "DATE")
        }
        if EntityLexicon.weekdayHashes.contains(token.hash), token.capitalised { return (index, "DATE") }
        if token.isNumber, index + 1 < tokens.count, EntityLexicon.monthHashes.contains(tokens[index + 1].hash), tokens[index + 1].capitalised {
            var last = index + 1
            if last + 1 < tokens.count, tokens[last + 1].isNumber { last += 1 }
            return (last, "DATE")
        }
        if token.isNumber, length == 4, lead == UInt8(ascii: "1") || lead == UInt8(ascii: "2"),
            document.utf8[token.start + 1] == UInt8(ascii: "9") || document.utf8[token.start + 1] == UInt8(ascii: "0")
        {
            return (index, "DATE")
        }
        if EntityLexicon.ordinalHashes.contains(token.hash) || (token.isWord && UTF8Scanning.isDigit(lead) && length >= 3 && isOrdinalSuffix(token)) {
            return (index, "ORDINAL")
        }
        if EntityLexicon.currencySymbolHashes.contains(token.hash), isNumeric(index + 1) {
            var last = index + 1
            while isNumeric(last + 1) { last += 1 }
            return (last, "MONEY")
        }
        guard isNumeric(index) else { return nil }
        var last = index
        while isNumeric(last + 1) { last += 1 }
        if last + 1 < tokens.count {
            let next = tokens[last + 1].hash
            if next == EntityLexicon.percentHash || next == EntityLexicon.percentSignHash { return (last + 1, "PERCENT") }
            if next == EntityLexicon.perHash, last + 2 < tokens.count, tokens[last + 2].hash == EntityLexicon.centHash { return (last + 2, "PERCENT") }
            if EntityLexicon.currencyWordHashes.contains(next) { return (last + 1, "MONEY") }
            if EntityLexicon.unitHashes.contains(next) {
                var end = last + 1
                if next == EntityLexicon.cubicHash || next == EntityLexicon.squareHash, end + 1 < tokens.count { end += 1 }
                return (end, "QUANTITY")
            }
        }
        return (last, "CARDINAL")
    }

    /// "1st", "22nd", "3rd", "4th".
    func isOrdinalSuffix(_ token: TokenInfo) -> Bool {
        let a = document.utf8[token.end - 2] | 0x20, b = document.utf8[token.end - 1] | 0x20
        return (a == UInt8(ascii: "s") && b == UInt8(ascii: "t")) || (a == UInt8(ascii: "n") && b == UInt8(ascii: "d"))
            || (a == UInt8(ascii: "r") && b == UInt8(ascii: "d")) || (a == UInt8(ascii: "t") && b == UInt8(ascii: "h"))
    }
}

extension String {
    /// The text with runs of white space (line breaks included) as single spaces.
    func collapsingSpaces() -> String {
        if isCollapsed { return self }
        return split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// True when ``collapsingSpaces()`` would return the text unchanged: no tab or line break, and every space
    /// single, inside the text and between ASCII bytes (so it is a character of its own, not part of a cluster
    /// with a combining mark). Most names pass, and a byte scan is cheaper than splitting into characters.
    private var isCollapsed: Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
            for index in bytes.indices {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x09 || byte == 0x0D { return false }
                // Not first or last (checked above), so both neighbours exist.
                if byte == 0x20, bytes[index - 1] >= 0x80 || bytes[index + 1] >= 0x80 || bytes[index + 1] == 0x20 { return false }
            }
            return true
        }
    }
}
