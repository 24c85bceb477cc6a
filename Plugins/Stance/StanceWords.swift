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
    /// Words whose general-language valence says nothing about an actor in political writing.
    static let neutralInPolitics = set("security intelligence defense defence interest interests share shares agreement created united justice party")
    static let personalPronouns = set("he she him her his hers")
    static let possessives = set("'s ’s '")
    /// Words before a verb-or-noun that make it a noun here ("the support of").
    static let nounMarkers = set("the a an its their his her our whose")
    static let being = FoldedHash.of("being")
    static let agentLinks = set("of from by")
    /// Relations that bind both sides alike: "alliance of Iran and China" is held by each toward the other.
    static let mutualNouns = set("alliance partnership cooperation collaboration friendship rapprochement rivalry hostility enmity solidarity")
    static let prepositions = set("in on at by with from to into of for against between among within under over across through toward towards")
    static let negators = set("not n't never no neither nor without hardly")
    static let coordinators = set("and or both")
    static let determinersLight = set("the a an its their both")
    static let beForms = set("is are was were be been being")
    static let desires = set("want wants wanted wanting desire desires see seeing prefer prefers preferred")
    static let degree = set("overly very too more most less rather fairly quite increasingly")
    /// What follows "could" or "would" when it speaks of possibility rather than ability or habit.
    static let epistemicModalFollowers = set("be have possibly potentially well likely probably easily also")
}
