import MarginaliaCore

/// A hedge or booster phrase.
struct EpistemicMarker: Sendable {
    var isBooster: Bool
    var category: String
    var strength: Double
    var words: [UInt64]
}

/// A word or phrase by which one actor takes a position toward another.
struct StancePredicate: Sendable {
    enum Form: String, Sendable { case verb, noun, adjective, phrase }
    var polarity: Int
    var form: Form
    var words: [UInt64]
    /// For verbs: the past participle, which with "by" makes a passive ("was hailed by Iran").
    var isParticiple: Bool
}

/// Phrases keyed by their first word, longest first, so the longest match at a position wins.
struct PhraseTable<Value: Sendable>: Sendable {
    private(set) var byFirst = WordMap<[(words: [UInt64], value: Value)]>()

    mutating func insert(_ words: [UInt64], _ value: Value) {
        guard let first = words.first else { return }
        var list = byFirst[first, default: []]
        if list.contains(where: { $0.words == words }) { return }
        list.append((words, value))
        list.sort { $0.words.count > $1.words.count }
        byFirst[first] = list
    }

    /// The longest phrase starting at token `index`.
    func match(at index: Int, in tokens: [TokenTable.Entry], end: Int) -> (length: Int, value: Value)? {
        guard let candidates = byFirst[tokens[index].hash] else { return nil }
        for candidate in candidates where index + candidate.words.count <= end {
            var matches = true
            for (offset, word) in candidate.words.enumerated().dropFirst() where tokens[index + offset].hash != word {
                matches = false
                break
            }
            if matches { return (candidate.words.count, candidate.value) }
        }
        return nil
    }
}

/// The stance analyzer's word lists, parsed once from the resources compiled into the binary.
struct StanceLexicon: Sendable {
    var markers = PhraseTable<EpistemicMarker>()
    var predicates = PhraseTable<StancePredicate>()
    var valence = WordMap<Double>()

    static let builtIn = StanceLexicon(
        markers: String(decoding: PackageResources.epistemic_markers_tsv, as: UTF8.self),
        predicates: String(decoding: PackageResources.stance_predicates_tsv, as: UTF8.self),
        valence: String(decoding: PackageResources.valence_tsv, as: UTF8.self))

    init(markers: String, predicates: String, valence: String) {
        for fields in Self.rows(markers) where fields.count == 4 {
            let words = Self.words(fields[3])
            self.markers.insert(
                words,
                EpistemicMarker(isBooster: fields[0] == "booster", category: fields[1], strength: Double(fields[2]) ?? 0.5, words: words))
        }
        for fields in Self.rows(predicates) where fields.count == 3 {
            guard let polarity = Int(fields[0].hasPrefix("+") ? String(fields[0].dropFirst()) : fields[0]), let form = StancePredicate.Form(rawValue: fields[1])
            else { continue }
            if form == .verb {
                let forms = VerbForms.of(fields[2])
                for word in forms {
                    self.predicates.insert(
                        [FoldedHash.of(word)],
                        StancePredicate(polarity: polarity, form: .verb, words: [FoldedHash.of(word)], isParticiple: word == forms[3]))
                }
            } else {
                let words = Self.words(fields[2])
                self.predicates.insert(words, StancePredicate(polarity: polarity, form: form, words: words, isParticiple: false))
            }
        }
        for fields in Self.rows(valence) where fields.count == 2 {
            if let value = Double(fields[1]) { self.valence[FoldedHash.of(fields[0])] = value }
        }
    }

    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
    }

    static func words(_ phrase: String) -> [UInt64] {
        phrase.split(separator: " ").map { FoldedHash.of(String($0)) }
    }
}
