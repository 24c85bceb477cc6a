import MarginaliaCore

/// A hedge or booster phrase.
struct EpistemicMarker: Sendable {
    var isBooster: Bool
    var category: String
    var strength: Double
}

/// A word or phrase by which one actor takes a position toward another.
struct StancePredicate: Sendable {
    enum Form: String, Sendable { case verb, noun, adjective, phrase }
    var polarity: Int
    var form: Form
    /// For verbs: the past participle, which with "by" makes a passive ("was hailed by Iran").
    var isParticiple: Bool
}

/// How the report of an event portrays its participants, from `event-roles.tsv`.
struct EventRole: Sendable {
    /// For a verb, the polarity toward its active subject; for a noun, toward its possessor ("X's victory").
    var agent: Int = 0
    /// For a verb, the polarity toward its object or passive subject; for a noun, toward the actor after
    /// against/of/into ("allegations against X").
    var patient: Int = 0
    /// Violence: bad for the agent, and the one harmed is a victim whom the report does not evaluate.
    var harm = false
    /// The verb's past participle, which after a form of "be" or "get" makes a passive.
    var isParticiple = false
}

/// A word's event roles as a verb form and as a noun ("attack" is both).
struct EventWord: Sendable {
    var verb: EventRole?
    var noun: EventRole?
}

/// Phrases keyed by their first word, longest first, so the longest match at a position wins.
///
/// Held in flat arrays, each first word's phrases a list linked through `next`: a match reads words and a
/// phrase number, and copies out no list (whose retain and release, atomic, cost more than the comparison).
struct PhraseTable<Value: Sendable>: Sendable {
    /// Per first word, its longest phrase.
    private(set) var heads = WordMap<Int32>()
    /// Per phrase, the next phrase with the same first word (no longer), or -1.
    private var next: [Int32] = []
    /// Per phrase, where its words start in `words` and how many.
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var words: [UInt64] = []
    /// Per phrase, what the lexicon says of it.
    private(set) var values: [Value] = []

    /// Adds a phrase; a phrase already there keeps its first value.
    mutating func insert(_ phrase: [UInt64], _ value: Value) {
        guard let first = phrase.first else { return }
        var previous: Int32 = -1
        var current = heads[first] ?? -1
        // Past the longer phrases (and those as long: which of two equal lengths comes first does not matter, as
        // at most one of them matches), checking for the same phrase on the way.
        while current >= 0, Int(lengths[Int(current)]) >= phrase.count {
            if Int(lengths[Int(current)]) == phrase.count, self.words(of: Int(current)).elementsEqual(phrase) { return }
            previous = current
            current = next[Int(current)]
        }
        let index = Int32(values.count)
        starts.append(Int32(words.count))
        lengths.append(Int32(phrase.count))
        words.append(contentsOf: phrase)
        values.append(value)
        next.append(current)
        if previous >= 0 { next[Int(previous)] = index } else { heads[first] = index }
    }

    private func words(of phrase: Int) -> ArraySlice<UInt64> {
        words[Int(starts[phrase])..<Int(starts[phrase] + lengths[phrase])]
    }

    /// The longest phrase starting at token `index` and ending before `end`: its length in tokens and its number
    /// in ``values``.
    func match(at index: Int, in tokens: [TokenTable.Entry], end: Int) -> (length: Int, phrase: Int)? {
        guard var phrase = heads[tokens[index].hash] else { return nil }
        while phrase >= 0 {
            let length = Int(lengths[Int(phrase)])
            if index + length <= end {
                let start = Int(starts[Int(phrase)])
                var offset = 1
                while offset < length, tokens[index + offset].hash == words[start + offset] { offset += 1 }
                if offset == length { return (length, Int(phrase)) }
            }
            phrase = next[Int(phrase)]
        }
        return nil
    }
}

/// The stance analyzer's word lists, parsed once from the resources compiled into the binary.
struct StanceLexicon: Sendable {
    private(set) var markers = PhraseTable<EpistemicMarker>()
    private(set) var predicates = PhraseTable<StancePredicate>()
    private(set) var valence = WordMap<Double>()
    /// Event words by their form, looked up for the tokens whose ``wordBits`` say they are events.
    private(set) var events = WordMap<EventWord>()
    /// For each word some pass of the stance search starts from, which passes (the `WordBit` values): each pass
    /// tests its bit instead of looking the token up in its own list. Read through ``words``.
    private(set) var wordBits = WordMap<UInt8>()
    /// The valence an evaluation of actors reads from a word: ``valence`` without the words it leaves out
    /// (single-word boosters, words of harm, negators, words neutral in politics) and without zeros, which add
    /// nothing to a score. Read through ``words``.
    private(set) var evaluativeValence = WordMap<Double>()
    /// ``wordBits`` and ``evaluativeValence`` in one table of packed slots: what the stance search needs from the
    /// lexicon for a word, looked up once per distinct word of a document by one probe that waits on one line of
    /// memory (the two maps apart took two probes, and the valence words, thousands, keep the table out of the
    /// nearest caches).
    private(set) var words = PackedWordMap(absent: WordInfo())

    /// A word's ``wordBits`` and evaluative valence (0 for none).
    struct WordInfo: Sendable {
        var valence: Double = 0
        var bits: UInt8 = 0
    }

    /// The passes a word can start something in, as bits of ``wordBits``.
    enum WordBit {
        static let marker: UInt8 = 1
        static let predicate: UInt8 = 2
        static let desire: UInt8 = 4
        static let event: UInt8 = 8
        static let pronoun: UInt8 = 16
        /// A negator ("not", "n't", "never"): read for every predicate and valued word, so a bit rather than a set.
        static let negator: UInt8 = 32
    }

    static let builtIn = StanceLexicon(
        markers: String(decoding: PackageResources.epistemic_markers_tsv, as: UTF8.self),
        predicates: String(decoding: PackageResources.stance_predicates_tsv, as: UTF8.self),
        valence: String(decoding: PackageResources.valence_tsv, as: UTF8.self) + "\n"
            + String(decoding: PackageResources.political_valence_tsv, as: UTF8.self),
        events: String(decoding: PackageResources.event_roles_tsv, as: UTF8.self))

    init(markers: String, predicates: String, valence: String, events: String) {
        // Words whose valence the evaluation of actors leaves out (see `evaluativeValence`): boosters say how sure,
        // not how good, and words of violence say what happened to a victim, which the event rules read with its roles.
        var notEvaluative = WordSet()
        for fields in Self.rows(markers) where fields.count == 4 {
            let words = Self.words(fields[3])
            self.markers.insert(
                words,
                EpistemicMarker(isBooster: fields[0] == "booster", category: fields[1], strength: Double(fields[2]) ?? 0.5))
            if fields[0] == "booster", words.count == 1 { notEvaluative.insert(words[0]) }
        }
        for fields in Self.rows(predicates) where fields.count == 3 {
            guard let polarity = Self.polarity(fields[0]), let form = StancePredicate.Form(rawValue: fields[1])
            else { continue }
            if form == .verb {
                let forms = VerbForms.of(fields[2])
                for word in forms {
                    self.predicates.insert(
                        [FoldedHash.of(word)],
                        StancePredicate(polarity: polarity, form: .verb, isParticiple: word == forms[3]))
                }
            } else {
                let words = Self.words(fields[2])
                self.predicates.insert(words, StancePredicate(polarity: polarity, form: form, isParticiple: false))
            }
        }
        for fields in Self.rows(valence) where fields.count == 2 {
            if let value = Double(fields[1]) { self.valence[FoldedHash.of(fields[0])] = value }
        }
        for fields in Self.rows(events) where fields.count == 4 {
            guard let polarity = Self.polarity(fields[1]) else { continue }
            /// Adds this row's role to the verb or noun reading of `hash`.
            func add(_ hash: UInt64, isVerb: Bool, isParticiple: Bool = false) {
                var word = self.events[hash] ?? EventWord()
                var role = (isVerb ? word.verb : word.noun) ?? EventRole()
                switch fields[0] {
                case "agent": role.agent = polarity
                case "patient": role.patient = polarity
                case "harm":
                    role.harm = true
                    role.agent = -1
                default: break
                }
                if isParticiple { role.isParticiple = true }
                if isVerb { word.verb = role } else { word.noun = role }
                self.events[hash] = word
                if role.harm { notEvaluative.insert(hash) }
            }
            if fields[2] == "verb" {
                for (position, form) in VerbForms.of(fields[3]).enumerated() { add(FoldedHash.of(form), isVerb: true, isParticiple: position == 3) }
            } else if fields[2] == "noun" {
                add(FoldedHash.of(fields[3]), isVerb: false)
            }
        }
        for (hashes, bit) in [
            (self.markers.heads.allKeys, WordBit.marker), (self.predicates.heads.allKeys, WordBit.predicate),
            (Self.words(StanceWords.desireWords), WordBit.desire), (self.events.allKeys, WordBit.event),
            (Self.words(StanceWords.personalPronounWords), WordBit.pronoun), (Self.words(StanceWords.negatorWords), WordBit.negator),
        ] {
            for hash in hashes { wordBits[hash] = (wordBits[hash] ?? 0) | bit }
        }
        let neutral = StanceWords.neutralInPolitics, negators = StanceWords.negators
        for hash in self.valence.allKeys where !neutral.contains(hash) && !notEvaluative.contains(hash) && !negators.contains(hash) {
            if let value = self.valence[hash], value != 0 { evaluativeValence[hash] = value }
        }
        for hash in wordBits.allKeys { words[hash].bits = wordBits[hash] ?? 0 }
        for hash in evaluativeValence.allKeys { words[hash].valence = evaluativeValence[hash] ?? 0 }
    }

    /// "+1", "-1" or "0" as an integer.
    static func polarity(_ field: String) -> Int? {
        Int(field.hasPrefix("+") ? String(field.dropFirst()) : field)
    }

    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
    }

    static func words(_ phrase: String) -> [UInt64] {
        phrase.split(separator: " ").map { FoldedHash.of(String($0)) }
    }
}
