import MarginaliaCore

/// Closed word classes the citation analyzer reads context with, as case-folded hashes.
enum Words {
    static func set(_ words: String) -> WordSet { WordSet(words: words.split(separator: " ").map(String.init)) }

    static let according = FoldedHash.of("according")
    static let to = FoldedHash.of("to")
    static let that = FoldedHash.of("that")
    static let by = FoldedHash.of("by")
    static let it = FoldedHash.of("it")
    static let `in` = FoldedHash.of("in")
    static let on = FoldedHash.of("on")
    static let `for` = FoldedHash.of("for")
    static let of = FoldedHash.of("of")
    static let about = FoldedHash.of("about")
    static let over = FoldedHash.of("over")
    static let from = FoldedHash.of("from")
    static let questions = FoldedHash.of("questions")
    static let against = FoldedHash.of("against")
    static let at = FoldedHash.of("at")
    static let put = FoldedHash.of("put")
    static let `as` = FoldedHash.of("as")
    static let and = FoldedHash.of("and")
    static let out = FoldedHash.of("out")
    static let last = FoldedHash.of("last")
    static let this = FoldedHash.of("this")
    static let earlier = FoldedHash.of("earlier")
    static let there = FoldedHash.of("there")
    static let comma = FoldedHash.of(",")
    static let colon = FoldedHash.of(":")
    static let questionMark = FoldedHash.of("?")
    static let semicolon = FoldedHash.of(";")
    static let dash = FoldedHash.of("—")
    static let closeParen = FoldedHash.of(")")
    static let openParen = FoldedHash.of("(")
    static let ampersand = FoldedHash.of("&")
    static let percentSign = FoldedHash.of("%")
    static let percent = FoldedHash.of("percent")
    static let possessive = FoldedHash.of("'s")
    static let possessiveTypographic = FoldedHash.of("’s")
    static let reportedly = FoldedHash.of("reportedly")
    static let allegedly = FoldedHash.of("allegedly")
    static let purportedly = FoldedHash.of("purportedly")

    static let pronouns = set("he she they we i you who whom it which everyone everybody nobody someone somebody")
    static let objectPronouns = set("him her them us me it you")
    static let personalPronouns = set("he she i you we who")
    static let relatives = set("which who whose whom where")
    /// Words that open an embedded question ("wondered whether ...", "know how ...").
    static let questionWords = set("whether if what how why who when where which")
    static let determiners = set(
        "the a an this these those his her its their our my your some many several both all another each every few most other such")
    /// Determiners that also stand alone as a subject ("some believe", "all agreed").
    static let standaloneQuantifiers = set("some many all both few most several")
    static let indefinite = set("a an some another one several many")
    static let auxiliaries = set(
        "has have had will would is are was were be been being did does do can could may might should must shall 's 've 'd ’s ’ve ’d 're ’re 'm ’m 'll ’ll")
    static let firstPerson = set("i we")
    static let you = FoldedHash.of("you")
    static let dashWords = "― — -- –"
    static let dashes = set(dashWords)
    static let sentenceAdverbs = set("however meanwhile too though instead moreover nonetheless nevertheless indeed also still then")
    static let beForms = set("is are was were be been being 're ’re 'm ’m")
    static let cueAdverbs = set(
        "also not n't n’t never previously repeatedly already recently later often then once again just still publicly privately now even first further long only almost perhaps since")
    static let notAdverbs = set("italy july family supply only ally rally reply apply early daily")
    static let particles = set("out for on to about")
    static let coordinators = set("and but or")
    static let subordinators = set("if when while although though because as after before since once unless whereas")
    static let prepositions = set(
        "in on at by with from to into during after before since under over about against between through without within among as like for upon across toward towards via per despite amid around near")
    /// Words that cannot end a noun phrase or sit inside one read by these rules.
    static let nonHeads = prepositions.union(coordinators).union(subordinators).union(auxiliaries).union(relatives).union(
        set("that than whether how why what not no so yet there here very too also"))
    static let participialOpeners = set("citing according based including adding saying noting pointing echoed also")
    static let temporal = set(
        "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight morning afternoon evening night week month year weekend earlier later")

    /// Nouns that report a claim, belief or intention when an owner is named ("Trump's claim that ...",
    /// "her decision to ...").
    static let cueNouns = set(cueNounWords)
    static let cueNounWords = "claim claims assertion assertions contention conclusion conclusions belief beliefs decision determination insistence admission estimate estimates promise promises accusation accusations allegation allegations"
    static let possessiveDeterminers = set("his her their its our my your")
    /// Verbs that report through the noun after them ("made the case for", "issued a statement", "voiced concern").
    static let lightVerbs = set(lightVerbWords)
    static let lightVerbWords = "made make makes making offered offer offers offering issued issue issues issuing sent send sends voiced voice voices raised raise raises raising gave give gives giving delivered deliver delivers delivering voicing sending"
    /// The nouns that turn a light verb into a report.
    static let reportNouns = set(
        "comment comments case statement statements remarks remark message messages proof advice insight insights assessment assessments views thoughts praise condolences explanation claim claims condemnation argument arguments point promise promises pledge accusation accusations plea appeal warning warnings speech announcement letter criticism concern concerns questions objection objections complaint complaints clear secret doubts interview")
    static let makeForms = set("made make makes making")
    /// Which of the word-triggered constructions a word can start, as bits, so the scan looks each token up once.
    static let lightVerbBit: UInt8 = 1
    static let cueNounBit: UInt8 = 2
    static let attitudeBit: UInt8 = 4
    static let stanceBit: UInt8 = 8
    static let receivingBit: UInt8 = 16
    /// Set (by ``ReportingLexicon``) on every word the sentence scan acts on: a trigger, a reporting verb's form,
    /// or a word a construction starts with ("according", a colon, a dash, "reportedly" ...). A token without it
    /// is passed over at once.
    static let activeBit: UInt8 = 64
    /// The words, other than triggers and reporting verbs, that a construction of the sentence scan starts with.
    static var startWords: [UInt64] {
        [colon, put, according, reportedly, allegedly, purportedly] + dashWords.split(separator: " ").map { FoldedHash.of(String($0)) }
    }
    /// Verbs of receiving criticism ("drew criticism", "faces backlash", "took heat").
    static let receivingWords = "draw draws drew drawn drawing face faces faced facing take takes took taken taking receive receives received receiving attract attracts attracted attracting"
    static let criticismNouns = set("questions criticism ridicule backlash scrutiny heat flak condemnation outrage pushback derision")
    static let criticismFillers = set("a an some more much little new sharp heavy fierce harsh withering intense widespread bipartisan growing immediate swift strong")
    static let triggers: WordMap<UInt8> = {
        var map = WordMap<UInt8>()
        for (words, bit) in [
            (lightVerbWords, lightVerbBit), (cueNounWords, cueNounBit), (attitudeAdjectiveWords, attitudeBit), (attitudeNounWords, attitudeBit),
            (stanceAdjectiveWords, stanceBit), (partisanNounWords, stanceBit), (receivingWords, receivingBit),
        ] {
            for word in words.split(separator: " ") {
                let hash = FoldedHash.of(String(word))
                map[hash] = (map[hash] ?? 0) | bit
            }
        }
        return map
    }()

    /// Adjectives of feeling and certainty that report a belief before "that" ("are afraid that", "is clear that").
    static let attitudeAdjectives = set(attitudeAdjectiveWords)
    static let attitudeAdjectiveWords = "afraid frustrated incensed convinced concerned worried confident sure certain aware angry upset pleased happy glad optimistic pessimistic hopeful skeptical sceptical adamant clear obvious apparent evident"
    /// Adjectives of a view of something, after "be" and before "of", "about", "over", "with", "on", "toward(s)" ("is
    /// critical of", "were coy about", "is bearish on").
    static let stanceAdjectiveWords = "critical supportive passionate concerned worried skeptical sceptical wary vague coy unhappy enthusiastic fond proud dismissive suspicious cautious bearish bullish frustrated angry upset furious pleased happy optimistic pessimistic hopeful confident adamant outspoken scathing hostile sympathetic receptive open opposed committed dedicated devoted"
    /// Nouns for someone who takes a side, after "be a" and before "of" or "for" ("is a staunch opponent of").
    static let partisanNounWords = "supporter opponent critic defender advocate champion proponent backer foe fan admirer"
    static let partisanNouns = set(partisanNounWords)
    static let stancePrepositions = set("of about over with on toward towards for to")
    /// Adjectives of certainty that report a belief after "it is" even without "that" ("it was clear Clinton ...").
    static let certaintyAdjectives = set("clear obvious evident apparent")
    /// Verbs after which an infinitive's speaker is their subject ("went on to explain", "met to discuss").
    static let infinitiveLeadIns = set(
        "went goes go going gathered gather gathers met meet meets meeting convened convene came come comes rose rise stood stopped returned traveled travelled flew took used continue continues continued continuing")
    /// Adjectives of conviction that report a belief before a clause, with or without "that" ("was sure Trump would").
    static let convictionAdjectives = set("convinced sure confident certain aware")
    /// Stance adjectives that take "to" ("is opposed to", "is dedicated to promoting").
    static let stanceAdjectivesWithTo = set("committed dedicated opposed devoted")
    /// Nouns that report a belief or claim before "that" with no owner named ("growing concerns that ...").
    static let attitudeNouns = set(attitudeNounWords)
    static let attitudeNounWords = "acknowledgment acknowledgement recognition agreement concern concerns fear fears hope hopes belief beliefs pronouncements claims assertion assertions argument arguments suspicion suspicions warnings insistence worries doubts speculation rumors rumours allegations accusations"
    static let definiteDeterminers = set("the this that these those his her their its")
    static let `case` = FoldedHash.of("case")
    /// Lemmas that report a belief only before "that" ("assumed a new role" is not one).
    static let beliefOnlyBeforeThat: Set<String> = ["assume", "consider", "recognize", "recognise"]
    /// Verbs that report a view of something as something ("see X as Y", "view X as Y", "regard X as Y").
    static let seeingAs: Set<String> = ["see", "view", "regard"]
    /// Belief verbs that also report an intention before "to" ("hopes to offset", "expects to win").
    static let hopingTo: Set<String> = ["hope", "expect", "wish"]
    /// Participles that, in the passive before "for", "of" or "as", report blame or praise with no one named.
    static let blameParticiples = set("accused criticized criticised blamed praised condemned charged faulted attacked denounced hailed lauded")
    /// Words that label a line rather than name a speaker ("Correction: ...", "Source: NATO", "The Latest: ...").
    static let labelWords = set("correction corrections clarification source sources data figures background context update updates note editor photo video related read watch latest summary abstract transcript full text")
    static let with = FoldedHash.of("with")
    /// Words before a reporting word that make it a noun or an adjective ("one estimate", "more detailed").
    static let nounModifiers = set("one last latest previous more most less additional contributed")
    static let one = FoldedHash.of("one")
    static let the = FoldedHash.of("the")
    static let clear = FoldedHash.of("clear")
    /// Words that make "one" a pronoun rather than a noun's modifier ("no one", "every one").
    static let quantifiersBeforeOne = set("no every any some")
    static let so = FoldedHash.of("so")
    static let very = FoldedHash.of("very")
    static let too = FoldedHash.of("too")
    static let yet = FoldedHash.of("yet")
    static let `public` = FoldedHash.of("public")
    /// Words of intensity before an adjective ("so vague", "too concerned").
    static let intensifiers = set("so very too")
    /// Words of degree before an adverb or adjective ("more frequently", "so vague").
    static let degreeWords = intensifiers.union(set("more most less"))
    static let linkingVerbs = set("seem seems seemed appear appears appeared remain remains remained became become becomes came")
    static let following = FoldedHash.of("following")
    static let lightVerbFillers = set("a an the his her their its it this that no some little strong clear new public formal brief similar such sharp repeated following")
    /// "do" as an auxiliary, before a bare verb ("did not respond"). Modals are left out: after "would" or "could"
    /// the verb is mostly a hypothetical inside someone else's report.
    static let bareVerbAuxiliaries = set("did does do didn't doesn't don't")
    static let negations = set("not n't n’t never")
    static let contrastive = set("but yet")
    static let pluralSubjects = set("they we who that")
    static let support = FoldedHash.of("support")
    /// Participles that, in the passive, give something a name ("was labeled “Mostly True”", "was dubbed the winner").
    static let namingParticiples = set("called labeled labelled dubbed branded deemed")
    /// Participles that, in the passive and before "to" or "as", report a belief without naming who holds it.
    static let raisingParticiples = set("expected considered believed thought known estimated projected predicted seen viewed regarded reported alleged rumored said described labeled labelled")
    static let documentNouns = set(
        "report reports article articles ad ads video videos film spot study studies statement statements letter poll polls survey surveys analysis paper memo document documents editorial op-ed column piece book interview release tweet post blog data filing complaint lawsuit ruling order resolution communique declaration transcript review")
    static let outletNouns = set(
        "newspaper agency website site outlet broadcaster channel magazine network daily weekly journal television radio")
    static let anonymousNouns = set(
        "source sources official officials expert experts analyst analysts observer observers critic critics people others diplomat diplomats insider insiders aide aides person some many residents witnesses supporters opponents percent")
    static let personNouns = set(
        "minister president spokesman spokeswoman spokesperson professor author director chief leader secretary ambassador senator governor general commander candidate chairman adviser advisor envoy prime king queen pope analyst")
}
