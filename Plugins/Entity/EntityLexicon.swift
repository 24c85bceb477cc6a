import MarginaliaCore

/// Closed word lists the entity rules use: small, about English itself, so they live here rather than in data files.
enum EntityLexicon {
    /// Titles that precede a person's name and are not part of it.
    static let titles: Set<String> = [
        "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "professor", "gen", "gen.", "general",
        "lt", "lt.", "col", "col.", "colonel", "maj", "maj.", "major", "capt", "capt.", "captain", "adm", "adm.",
        "admiral", "sgt", "sgt.", "president", "vice", "prime", "minister", "secretary", "chancellor", "king", "queen",
        "prince", "princess", "sheikh", "ayatollah", "imam", "pope", "senator", "sen", "sen.", "rep", "rep.",
        "representative", "governor", "gov", "gov.", "mayor", "ambassador", "envoy", "spokesman", "spokeswoman",
        "spokesperson", "deputy", "foreign", "defence", "defense", "interior", "finance", "energy", "economy",
        "justice", "commander", "chief", "director", "chairman", "chairwoman", "leader", "judge", "justice",
        "sir", "lord", "lady", "dame", "rabbi", "cardinal", "bishop", "emir", "sultan", "crown", "supreme",
    ]

    /// Last words that make a capitalised sequence an organisation.
    static let organisationTails: Set<String> = [
        "inc", "inc.", "corp", "corp.", "ltd", "ltd.", "llc", "plc", "co", "co.", "group", "bank", "university",
        "college", "institute", "institution", "agency", "council", "committee", "commission", "party", "union",
        "association", "federation", "foundation", "ministry", "department", "office", "corporation", "company",
        "organization", "organisation", "army", "navy", "corps", "forces", "guard", "guards", "news", "times", "post",
        "journal", "daily", "press", "tv", "radio", "network", "studies", "center", "centre", "court", "parliament",
        "assembly", "fund", "club", "fc", "united", "brigade", "brigades", "front", "movement", "service", "services",
        "authority", "board", "bureau", "police", "team", "airlines", "airways", "industries", "holdings",
        "technologies", "systems", "energy", "oil", "gas", "petroleum", "motors", "media", "tribune", "herald",
        "gazette", "telegraph", "observer", "review", "monitor", "society", "league", "alliance", "coalition",
        "cabinet", "secretariat", "directorate", "administration", "school", "academy", "hospital", "church",
    ]

    /// First words that make a capitalised sequence an organisation ("Ministry of ...").
    static let organisationHeads: Set<String> = [
        "ministry", "department", "university", "bank", "council", "committee", "commission", "office", "institute",
        "organization", "organisation", "agency", "federation", "union", "association", "party", "court", "board",
        "bureau", "house", "academy", "center", "centre", "fund",
    ]

    /// Lower-case words that may join a capitalised name ("Ministry of Intelligence", "Bashar al-Assad").
    static let connectors: Set<String> = ["of", "for", "and", "de", "del", "da", "al", "bin", "ibn", "van", "von", "der", "la", "le", "du", "on", "the", "&"]

    static let months: [String: Int] = [
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12, "jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4,
        "aug.": 8, "sept.": 9, "sep.": 9, "oct.": 10, "nov.": 11, "dec.": 12,
    ]
    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let dateWords: Set<String> = ["today", "yesterday", "tomorrow"]

    static let numberWords: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
        "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion", "dozen",
        "dozens", "hundreds", "thousands", "millions", "billions",
    ]
    static let ordinals: Set<String> = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "twentieth", "hundredth",
    ]
    static let percentWords: Set<String> = ["percent", "per", "%", "percentage"]
    static let currencyWords: Set<String> = ["dollars", "dollar", "euros", "euro", "pounds", "rubles", "roubles", "rials", "yuan", "lira", "liras", "manat", "yen"]
    static let currencySymbols: Set<String> = ["$", "€", "£", "¥", "US$"]
    static let units: Set<String> = [
        "km", "kilometres", "kilometers", "miles", "metres", "meters", "tonnes", "tons", "barrels", "cubic", "kg",
        "kilograms", "square", "hectares", "mw", "gw", "megawatts", "gigawatts", "bcm",
    ]
    static let locativePrepositions: Set<String> = ["in", "at", "from", "to", "near", "outside", "inside", "into", "across", "around", "via", "toward", "towards"]

    /// Function words that are capitalised only at the start of a sentence.
    static let stopWords: Set<String> = [
        "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his",
        "her", "their", "our", "my", "your", "but", "and", "or", "so", "yet", "if", "when", "while", "as", "in", "on",
        "at", "for", "from", "to", "of", "by", "with", "after", "before", "since", "although", "though", "despite",
        "however", "moreover", "meanwhile", "indeed", "not", "no", "nor", "there", "here", "what", "why", "how",
        "who", "which", "where", "both", "neither", "either", "each", "every", "all", "some", "many", "most", "more",
        "other", "such", "then", "thus", "also", "even", "only", "still", "perhaps", "maybe", "interestingly",
        "closer", "collaboration", "data", "for", "during", "under", "over", "about", "against", "between", "among",
        "according", "until", "unless", "because", "whether", "instead", "rather", "now", "today", "last", "next",
        "new", "former", "recent", "several", "few", "much", "one", "two", "three", "first", "second", "third",
    ]

    // MARK: - Hashed forms, so the per-token checks allocate nothing

    static let titleHashes = hashed(titles)
    static let organisationTailHashes = hashed(organisationTails)
    /// Last words of names of built things: pipelines, plants, bridges, ports.
    static let facilityTailHashes = hashed([
        "Pipeline", "Corridor", "Bridge", "Dam", "Canal", "Airport", "Port", "Plant", "Reactor", "Facility", "Base",
        "Terminal", "Refinery", "Railway", "Highway", "Tunnel", "Stadium", "Palace", "Square", "Strait",
    ])
    static let organisationHeadHashes = hashed(organisationHeads)
    static let connectorHashes = hashed(connectors)
    static let stopWordHashes = hashed(stopWords)
    static let weekdayHashes = hashed(weekdays)
    static let monthHashes = hashed(Set(months.keys))
    static let numberWordHashes = hashed(numberWords)
    /// Every word that can start a date, number, ordinal or amount: one lookup rules out most tokens.
    static let numericLeadHashes = monthHashes.union(weekdayHashes).union(numberWordHashes).union(ordinalHashes)
        .union(currencySymbolHashes)
    static let ordinalHashes = hashed(ordinals)
    static let currencyWordHashes = hashed(currencyWords)
    static let currencySymbolHashes = hashed(currencySymbols)
    static let unitHashes = hashed(units)
    static let locativeHashes = hashed(locativePrepositions)
    static let ofHash = FoldedHash.of("of")
    static let accordingHash = FoldedHash.of("according")
    static let theHash = FoldedHash.of("the")
    static let andHash = FoldedHash.of("and")
    static let ampersandHash = FoldedHash.of("&")
    static let percentHash = FoldedHash.of("percent")
    static let percentSignHash = FoldedHash.of("%")
    static let perHash = FoldedHash.of("per")
    static let centHash = FoldedHash.of("cent")
    static let cubicHash = FoldedHash.of("cubic")
    static let squareHash = FoldedHash.of("square")

    static func hashed(_ words: Set<String>) -> WordSet { WordSet(words: words) }

    // MARK: - A name as a sentence's subject

    /// Words that open sentences as common nouns or pronouns, followed by verbs as names are.
    static let commonSubjectHashes = hashed([
        "police", "everyone", "everybody", "someone", "somebody", "nobody", "anyone", "anybody", "none", "nothing",
        "something", "everything", "anything", "yesterday", "tomorrow", "tonight", "today", "government", "congress",
        "parliament", "staff", "management", "media", "press", "public", "security", "military", "family", "team",
        "history", "time", "life", "work", "money", "power", "he", "she", "it", "they", "we", "you", "this", "that",
        "there", "here", "what", "which", "who", "one", "each", "either", "neither", "another", "other", "such",
        "trade", "growth", "inflation", "unemployment", "oil", "gold", "demand", "production", "output", "revenue",
        "profit", "income", "spending", "debt", "aid", "help", "support", "opposition", "violence", "fighting",
        "war", "peace", "justice", "education", "health", "energy", "water", "food", "land", "weather", "rain",
    ])
    static let possessiveHashes = hashed(["'s", "’s", "'", "’"])
    /// Endings of common nouns that open sentences ("Voting", "Production", "Unity", "Agreement", "Darkness").
    static let commonNounEndings: [StaticString] = ["ing", "ion", "ity", "ment", "ness", "ance", "ence", "ship", "ism", "age", "ure"]
    static let commaHash = FoldedHash.of(",")
    static let whoHash = FoldedHash.of("who")
    /// Verbs that agree with one subject.
    static let singularVerbHashes = hashed([
        "says", "has", "is", "was", "adds", "tells", "writes", "thinks", "believes", "wants", "does", "doesn't",
        "isn't", "wasn't", "hasn't", "argues", "insists", "notes", "claims", "admits", "denies", "faces", "remains",
    ])
    /// Verbs that take any subject: a name before them only when it does not look plural.
    static let pastVerbHashes = hashed([
        "said", "told", "added", "wrote", "asked", "responded", "replied", "declined", "explained", "noted", "argued",
        "insisted", "tweeted", "acknowledged", "admitted", "warned", "urged", "called", "spoke", "met", "won", "lost",
        "had", "will", "would", "could", "can", "also", "later", "then", "announced", "denied", "claimed", "testified",
    ])
}
