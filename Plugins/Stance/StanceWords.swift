import MarginaliaCore

/// Closed word classes the stance rules read context with, as case-folded hashes.
enum StanceWords {
    static func set(_ words: String) -> WordSet { WordSet(words: words.split(separator: " ").map(String.init)) }

    static let may = FoldedHash.of("may")
    static let could = FoldedHash.of("could")
    static let would = FoldedHash.of("would")
    static let appear = FoldedHash.of("appear")
    static let appears = FoldedHash.of("appears")
    static let appeared = FoldedHash.of("appeared")
    static let you = FoldedHash.of("you")
    static let to = FoldedHash.of("to")
    static let that = FoldedHash.of("that")
    static let `as` = FoldedHash.of("as")
    static let by = FoldedHash.of("by")
    static let only = FoldedHash.of("only")
    static let between = FoldedHash.of("between")
    static let comma = FoldedHash.of(",")
    static let semicolon = FoldedHash.of(";")
    static let period = FoldedHash.of(".")
    static let negativeContraction = FoldedHash.of("n't")

    static let mutualLinks = set("between among of")
    /// Words whose general-language valence says nothing about an actor in political writing ("special counsel",
    /// "the outgoing president", "like" as a preposition; a death is reported, not judged).
    static let neutralInPolitics = set("security intelligence defense defence interest interests share shares agreement created united justice party special like outgoing top death died dies dead victim victims")
    static let personalPronounWords = "he she him her his hers"
    static let possessives = set("'s ’s '")
    /// Words before a verb-or-noun that make it a noun here ("the support of").
    static let nounMarkers = set("the a an its their his her our whose")
    static let being = FoldedHash.of("being")
    static let agentLinks = set("of from by")
    /// Relations that bind both sides alike: "alliance of Iran and China" is held by each toward the other.
    static let mutualNouns = set("alliance partnership cooperation collaboration friendship rapprochement rivalry hostility enmity solidarity")
    static let prepositions = set("in on at by with from to into of for against between among within under over across through toward towards")
    static let negatorWords = "not n't never no neither nor without hardly"
    static let negators = set(negatorWords)
    static let coordinators = set("and or both")
    static let determinersLight = set("the a an its their both")
    static let beForms = set("is are was were be been being")
    static let desireWords = "want wants wanted wanting desire desires see seeing prefer prefers preferred"
    static let desires = set(desireWords)
    static let degree = set("overly very too more most less rather fairly quite increasingly")
    /// Words between a subject and its verb: auxiliaries, relative pronouns and the adverbs news puts there
    /// ("X, who has reportedly been charged"; "X would later resign").
    static let verbGroup = passiveAuxiliaries.union(
        set("has have had will would could might may can should must also reportedly allegedly then who which later recently now already just still once again quickly easily not n't never"))
    /// The auxiliaries of a passive ("was charged", "got fired").
    static let passiveAuxiliaries = set("is are was were be been being get gets got gotten getting")
    /// What may stand between a verb and the actor it acts on: articles and titles ("charged Senator X").
    static let objectLead = set("the a an his her their its former president senator sen. rep. representative governor gov. mayor minister secretary judge justice general gen. officer ambassador chairman chairwoman speaker leader candidate rival challenger")
    /// Particles of phrasal verbs and the prepositions after them: "lashed out at X", "hit out at X".
    static let particles = set("out off up")
    static let particlePrepositions = set("at on to against")
    /// What joins a noun to the one it is about: "allegations against X", "an investigation into X", "praise for X".
    static let aboutLinks = set("against of into on about over for to")
    static let reflexives = set("himself herself themselves itself")
    /// Verbs of attempt before "to": "X tried to steal".
    static let attempts = set("try tries tried trying attempt attempts attempted attempting seek seeks sought seeking")
    /// Verbs by which an actor bears what a noun names: "faces backlash", "drew criticism", "under investigation".
    static let bearing = set("face faces faced facing draw draws drew drawn drawing attract attracts attracted attracting under")
    /// The verbs of "came under": the actor before them bears what follows "under".
    static let cameUnder = set("come comes came coming")
    static let under = FoldedHash.of("under")
    static let possessivePronouns = set("his her their its")
    static let of = FoldedHash.of("of")
    static let `for` = FoldedHash.of("for")

    /// What follows "could" or "would" when it speaks of possibility rather than ability or habit.
    static let epistemicModalFollowers = set("be have possibly potentially well likely probably easily also")
}
