import MarginaliaCore

/// How a reporting predicate behaves, which decides how much context it needs to count as a cue.
enum PredicateClass: String, Sendable {
    /// Verbs of saying and writing: a cue wherever they have a source or a content.
    case speech
    /// Belief and knowledge: a cue when a clause follows.
    case cognition
    /// Findings of studies and documents: a cue when a clause follows.
    case evidence
    /// Wanting, planning, calling for: a cue before "to", "for", "on" or a clause.
    case intent
    /// Praise and blame of a named target.
    case evaluate
}

/// One inflected form of a reporting predicate.
struct PredicateForm: Sendable {
    var lemma: String
    var predicateClass: PredicateClass
    /// Past participle (possibly also the simple past): the form of agentless passives ("it was stated").
    var isParticiple: Bool
    /// The base or -s form ("say", "says"), as opposed to past, participle and gerund.
    var isPresent: Bool
    /// The base or -s form of a word that is mostly a noun ("comment", "reports"): a verb only after auxiliary
    /// "do" ("did not respond"), before "that", or after a name ending its sentence.
    var needsAuxiliary = false
    /// A participle that is not also the simple past ("written", "shown"): without an auxiliary it modifies a
    /// noun ("a commentary written for ...") rather than reporting.
    var isParticipleOnly = false
}

/// The reporting predicates, keyed by the case-folded hash of each inflected form.
struct ReportingLexicon: Sendable {
    private(set) var forms = WordMap<PredicateForm>()
    /// ``Words/triggers`` with ``Words/activeBit`` on every word the sentence scan acts on (triggers, the forms
    /// above, ``Words/startWords``): the scan reads each token's bits once, from here.
    private(set) var scanBits = WordMap<UInt8>()

    /// The lexicon compiled into the binary.
    static let builtIn: ReportingLexicon = {
        let text = String(decoding: PackageResources.reporting_predicates_tsv, as: UTF8.self)
        return ReportingLexicon(parsing: text)
    }()

    init(parsing text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let predicateClass = PredicateClass(rawValue: String(fields[0])) else { continue }
            let pastOnly = fields.count > 2 && fields[2] == "past"
            let inflected = VerbForms.of(String(fields[1]))
            for (index, form) in inflected.enumerated() where forms[FoldedHash.of(form)] == nil {
                let isPresent = index < 2 && form != inflected[2]
                forms[FoldedHash.of(form)] = PredicateForm(
                    lemma: inflected[0], predicateClass: predicateClass, isParticiple: form == inflected[3], isPresent: isPresent,
                    needsAuxiliary: pastOnly && isPresent, isParticipleOnly: form == inflected[3] && form != inflected[2])
            }
        }
        scanBits = Words.triggers
        for hash in Words.triggers.allKeys + forms.allKeys + Words.startWords {
            scanBits[hash] = (scanBits[hash] ?? 0) | Words.activeBit
        }
    }
}
