import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing
@testable import CitationAnalyzer
@testable import EntityAnalyzer
@testable import StanceAnalyzer

/// One support/oppose annotation as holder → target with its polarity, scope and basis.
struct Edge: Equatable, CustomStringConvertible {
    var holder: String
    var target: String
    var polarity: Int
    var scope: String
    var basis: String
    var description: String { "\(holder) -> \(target) \(polarity) \(scope) \(basis)" }
}

func analyze(_ text: String, options: [String: String] = [:]) throws -> AnnotatedDocument {
    var registry = AnalyzerRegistry()
    try registry.register(SegmentAnalyzer.self, origin: .builtIn)
    try registry.register(EntityAnalyzer.self, origin: .builtIn)
    try registry.register(CitationAnalyzer.self, origin: .builtIn)
    try registry.register(StanceAnalyzer.self, origin: .builtIn)
    let pipeline = try Pipeline(analyzers: ["citation", "stance"], registry: registry, options: ["stance": options])
    var document = AnnotatedDocument(document: Document(id: "t", text: text), store: AnnotationStore())
    let failures = pipeline.run(&document)
    #expect(failures.isEmpty, "\(failures)")
    return document
}

/// Predicate-based edges (evaluations from word valence left out unless asked for).
func edges(_ text: String, evaluations: Bool = false, options: [String: String] = [:]) throws -> [Edge] {
    let document = try analyze(text, options: options.merging(["evaluations": evaluations ? "true" : "false"]) { $1 })
    return document.store.annotations(in: "stance").filter { $0.label == "support" || $0.label == "oppose" }.map {
        Edge(
            holder: $0.features["holder"]?.stringValue ?? "", target: $0.features["target"]?.stringValue ?? "",
            polarity: $0.features["polarity"]?.intValue ?? 0, scope: $0.features["scope"]?.stringValue ?? "",
            basis: $0.features["basis"]?.stringValue ?? "")
    }
}

func markers(_ text: String) throws -> [(label: String, text: String, scope: String)] {
    let document = try analyze(text)
    return document.store.annotations(in: "stance").filter { $0.label == "hedge" || $0.label == "booster" }.map {
        ($0.label, document.document.text(of: $0.span), $0.features["scope"]?.stringValue ?? "")
    }
}

@Suite("Stance analyzer")
struct StanceAnalyzerTests {
    @Test func holderBeforeTargetAfter() throws {
        #expect(try edges("Russia supported Iran at the summit.") == [Edge(holder: "Russia", target: "Iran", polarity: 1, scope: "author", basis: "predicate")])
        #expect(try edges("Iran condemned Israel.").map(\.polarity) == [-1])
    }

    @Test func negationFlipsPolarity() throws {
        #expect(try edges("Turkey has not supported Russia.").map(\.polarity) == [-1])
        #expect(try edges("Turkey is not guided by a desire to see a powerful, self-reliant Armenia.").map { "\($0.holder)>\($0.target)\($0.polarity)" } == ["Turkey>Armenia-1"])
        #expect(try edges("Iran will not only support Syria but arm it.").first?.polarity == 1, "'not only' is not a negation")
    }

    @Test func coordinationOfHoldersAndTargets() throws {
        let rows = try edges("Both Greece and Cyprus want a weak Turkey.")
        #expect(rows.map(\.holder) == ["Greece", "Cyprus"])
        #expect(rows.allSatisfy { $0.target == "Turkey" && $0.polarity == -1 })
        let targets = try edges("Iran backed Syria, Iraq and Lebanon.").map(\.target)
        #expect(targets == ["Syria", "Iraq", "Lebanon"])
        // A comma alone does not coordinate: the U.S. is not a holder here.
        #expect(try edges("Should a war start between Armenia and the U.S., Russia will occupy Georgia.").map(\.holder) == ["Russia"])
    }

    @Test func passiveTakesTheAgentAsHolder() throws {
        let rows = try edges("Russia has helped Iran and has been hailed by Tehran.")
        #expect(rows.contains(Edge(holder: "Iran", target: "Russia", polarity: 1, scope: "author", basis: "predicate")))
        #expect(rows.contains(Edge(holder: "Russia", target: "Iran", polarity: 1, scope: "author", basis: "predicate")))
    }

    @Test func capitalsStandForTheirGovernments() throws {
        #expect(try edges("Ankara criticised Moscow.") == [Edge(holder: "Turkey", target: "Russia", polarity: -1, scope: "author", basis: "predicate")])
    }

    @Test func opposingWhatOpposesIsSupport() throws {
        let rows = try edges("Russia has vetoed several resolutions against Iran.")
        #expect(rows == [Edge(holder: "Russia", target: "Iran", polarity: 1, scope: "author", basis: "predicate")])
    }

    @Test func nounWithAgentAndMutualRelations() throws {
        #expect(try edges("Syria expects to keep the support of the Iranians.").map { "\($0.holder)>\($0.target)" } == ["Iran>Syria"])
        let mutual = try edges("Cooperation between Iran and China will grow.").map { "\($0.holder)>\($0.target)" }
        #expect(Set(mutual) == ["Iran>China", "China>Iran"])
    }

    @Test func holderInsideAPrepositionalPhraseIsPassedOver() throws {
        let rows = try edges("Russia has acted in the UN Security Council and opposed U.S. pressure.")
        #expect(rows.first?.holder == "Russia")
        #expect(rows.first?.target == "United States")
    }

    @Test func stanceInsideReportedSpeechIsAttributed() throws {
        let document = try analyze("The daily Hurriyet wrote that both Greece and France want a weak Turkey.")
        let stances = document.store.annotations(in: "stance").filter { $0.label == "oppose" && $0.features["basis"]?.stringValue == "desired-state" }
        #expect(stances.count == 2)
        #expect(stances.allSatisfy { $0.features["scope"]?.stringValue == "attributed" })
        let attribution = try #require(stances.first?.features["attribution"]?.stringValue)
        #expect(document.store[attribution]?.label == "attribution")
    }

    @Test func evaluationsFromWordValence() throws {
        let rows = try edges("The reckless government of Iran let Armenia down.", evaluations: true)
        #expect(rows.contains { $0.target == "Iran" && $0.polarity == -1 && $0.holder == "author" && $0.basis == "sentiment" })
        #expect(try edges("The reckless government of Iran let Armenia down.", evaluations: false).allSatisfy { $0.basis != "sentiment" })
        // Political words the general lexicon lacks ("corrupt") or reads as praise ("strongman").
        for text in ["The corrupt Governor Mary Hale spoke.", "The strongman of Iran spoke."] {
            #expect(try edges(text, evaluations: true).map(\.polarity) == [-1], "\(text)")
        }
    }

    @Test func aWordGroundingSeveralStancesIsOneCue() throws {
        // "reckless" is the strongest word near each of three actors: three evaluations, one cue, named by all three.
        let text = "The reckless governments of Iran and Syria let Armenia down. Iran was reckless too."
        let document = try analyze(text, options: ["evaluations": "true"])
        let stances = document.store.annotations(in: "stance")
        let evaluations = stances.filter { $0.label != "cue" && $0.features["basis"]?.stringValue == "sentiment" }
        let firstSentence = evaluations.filter { $0.span.start < 60 }
        #expect(firstSentence.compactMap { $0.features["target"]?.stringValue }.sorted() == ["Armenia", "Iran", "Syria"])
        let cueIDs = Set(firstSentence.compactMap { $0.roles["cue"]?.first })
        #expect(cueIDs.count == 1)
        let cues = stances.filter { $0.label == "cue" && document.document.text(of: $0.span) == "reckless" }
        // One per sentence: the same word in another sentence is another cue.
        #expect(cues.count == 2)
        #expect(cues.contains { cueIDs.contains($0.id) })
        // Every stance's cue resolves to a cue annotation, in the store and in the JSON read back.
        let loaded = try MarginaliaJSON.decode(MarginaliaJSON.encode(document), name: "cues.json")
        for stance in evaluations {
            let cue = try #require(stance.roles["cue"]?.first)
            #expect(document.store[cue]?.label == "cue")
            #expect(loaded.store[cue]?.label == "cue")
        }
    }

    @Test func evaluationConfidenceIsInThousandths() throws {
        // Sums of valences carry binary fractions (the first text's came to 0.41000000000000003); the confidence is
        // given in thousandths, so it reads and is written as 0.41.
        let texts = [
            "Hungary is an unreliable ally, analysts warned.", "The reckless government of Iran let Armenia down.",
            "Iran launched a brutal and deadly attack.", "Critics say Russia is a dangerous and aggressive neighbour.",
        ]
        var seen = 0
        for text in texts {
            let document = try analyze(text, options: ["evaluations": "true"])
            for stance in document.store.annotations(in: "stance") where stance.features["basis"]?.stringValue == "sentiment" && stance.label != "cue" {
                let confidence = try #require(stance.confidence)
                #expect((confidence * 1000).rounded() / 1000 == confidence, "\(confidence) in '\(text)'")
                #expect(confidence >= 0.3 && confidence <= 0.9)
                let json = String(decoding: MarginaliaJSON.encode(document), as: UTF8.self)
                #expect(json.contains("\"confidence\":\(confidence)"), "written as \(confidence)")
                #expect(!json.contains("99999") && !json.contains("00000"), "no binary-fraction noise in \(json)")
                seen += 1
            }
        }
        #expect(seen >= 3)
    }

    /// The author's stances from reported events, as "target polarity" pairs.
    func portrayals(_ text: String) throws -> [String] {
        try edges(text, evaluations: true).filter { $0.basis == "event" }.map { "\($0.target) \($0.polarity)" }
    }

    @Test func eventsPortrayTheirPatientsAndAgents() throws {
        #expect(try portrayals("Senator John Walsh was indicted on Tuesday.") == ["John Walsh -1"])
        #expect(try portrayals("Governor Mary Hale lied about the budget.") == ["Mary Hale -1"])
        #expect(try portrayals("Governor Mary Hale easily beat Senator John Walsh.") == ["Mary Hale 1", "John Walsh -1"])
        #expect(try portrayals("Voters thanked Governor Mary Hale.") == ["Mary Hale 1"])
        // Adverbs, intensifying pronouns and attempts stand between a subject and its verb.
        #expect(try portrayals("Governor Mary Hale herself mocked the plan.") == ["Mary Hale -1"])
        #expect(try portrayals("Governor Mary Hale tried to steal the election.") == ["Mary Hale -1"])
        #expect(try portrayals("Governor Mary Hale lashed out at Senator John Walsh.") == ["Mary Hale -1"])
        // Relative clauses, appositions and participles without their auxiliary.
        #expect(try portrayals("Senator John Walsh, who was charged last year, spoke.") == ["John Walsh -1"])
        #expect(try portrayals("Governor Mary Hale, a four-term governor, lost the race.") == ["Mary Hale -1"])
        #expect(try portrayals("Senator John Walsh, charged with fraud, spoke.") == ["John Walsh -1"])
        // A possessive is not a subject: "his capture" says nothing of him as a captor.
        #expect(try portrayals("Senator John Walsh spoke before his capture.").isEmpty)
    }

    @Test func eventNounsFindTheirParticipants() throws {
        #expect(try portrayals("Reporters raised allegations against Senator John Walsh.") == ["John Walsh -1"])
        #expect(try portrayals("Governor Mary Hale's downfall came quickly.") == ["Mary Hale -1"])
        #expect(try portrayals("The defeat of Governor Mary Hale surprised few.") == ["Mary Hale -1"])
        #expect(try portrayals("Senator John Walsh faces backlash over the vote.") == ["John Walsh -1"])
        #expect(try portrayals("Senator John Walsh came under scrutiny.") == ["John Walsh -1"])
        #expect(try portrayals("Critics had nothing but praise for Governor Mary Hale.") == ["Mary Hale 1"])
        #expect(try portrayals("The vote was a victory for Governor Mary Hale.") == ["Mary Hale 1"])
    }

    @Test func victimsOfViolenceAreNotEvaluated() throws {
        #expect(try edges("The gunman killed Officer Dana Reyes in the street.", evaluations: true).isEmpty)
        #expect(try edges("Officer Dana Reyes was killed in the street.", evaluations: true).isEmpty)
        #expect(try portrayals("Governor Mary Hale murdered a rival.") == ["Mary Hale -1"])
        // Named by a noun, violence makes a victim too, whatever the words around say.
        #expect(try edges("The brutal murder of Officer Dana Reyes shocked the city.", evaluations: true).isEmpty)
        #expect(try edges("Officer Dana Reyes's horrible killing shocked the city.", evaluations: true).isEmpty)
    }

    @Test func whatASourceSaysIsNotAboutTheSource() throws {
        // The valence of the quotation is the speaker's about the attack, not the author's about the speaker.
        let rows = try edges("Governor Mary Hale said the attack was a terrible, cruel disaster.", evaluations: true)
        #expect(!rows.contains { $0.target == "Mary Hale" })
        #expect(try edges("The terrible Governor Mary Hale said the budget would pass.", evaluations: true).contains { $0.target == "Mary Hale" && $0.polarity == -1 })
    }

    @Test func aNegatedEventPortraysNoOne() throws {
        #expect(try portrayals("Senator John Walsh was not indicted.").isEmpty)
        #expect(try portrayals("Governor Mary Hale did not mock the plan.").isEmpty)
    }

    @Test func boostersAndReportedDeathsAreNotEvaluations() throws {
        #expect(try edges("Governor Mary Hale is certainly in Ohio.", evaluations: true).isEmpty)
        #expect(try edges("The death of Governor Mary Hale was announced.", evaluations: true).isEmpty)
    }

    @Test func praiseCountsOnlyNearTheActorAndBlameFurtherOff() throws {
        // Nine words between "Mary Hale" and the valence word: past the positive window (8), within the window (14).
        let far = "Governor Mary Hale spoke on Tuesday in the city about the wonderful plan."
        #expect(try edges(far, evaluations: true).isEmpty)
        let blame = "Governor Mary Hale spoke on Tuesday in the city about the disastrous plan."
        #expect(try edges(blame, evaluations: true).map { "\($0.target) \($0.polarity)" } == ["Mary Hale -1"])
        #expect(try edges(far, evaluations: true, options: ["positive-window": "12"]).map { "\($0.target) \($0.polarity)" } == ["Mary Hale 1"])
        let negative = try AnalyzerOptions(parsing: ["positive-window": "-1"], specs: StanceAnalyzer.descriptor.options, analyzer: "stance")
        #expect(throws: MarginaliaError.self) { try StanceAnalyzer(options: negative) }
    }

    @Test func pronounsReachTheLastPersonNamed() throws {
        let document = try analyze("Hakan Fidan spoke. Critics praised him warmly.")
        let stance = try #require(document.store.annotations(in: "stance").first { $0.label == "support" })
        #expect(stance.features["target"]?.stringValue == "Hakan Fidan")
        let target = try #require(stance.roles["target"]?.first.flatMap { document.store[$0] })
        #expect(target.layer == "token")
        #expect(document.document.text(of: target.span) == "him")
    }

    @Test func modalsCountOnlyInTheirEpistemicSense() throws {
        #expect(try markers("The talks may fail.").map(\.text) == ["may"])
        #expect(try markers("The talks began in May 2019. You may leave now.").isEmpty)
        #expect(try markers("The deal could be signed soon. He could swim.").map(\.text) == ["could"])
        #expect(try markers("It appears to work. She appears in the film.").map(\.text) == ["appears"])
    }

    @Test func boostersAndScopes() throws {
        let rows = try markers("There is no doubt that Iran is well aware of it. The minister said that talks will perhaps resume.")
        #expect(rows.map(\.label) == ["booster", "booster", "hedge"])
        #expect(rows.map(\.text) == ["There is no doubt", "well aware", "perhaps"])
        #expect(rows.map(\.scope) == ["author", "author", "attributed"])
    }

    @Test func theAuthorsOwnBeliefKeepsMarkersInTheAuthorsScope() throws {
        let rows = try markers("I think the talks may fail. The minister thinks the talks may fail.")
        #expect(rows.filter { $0.text == "may" }.map(\.scope) == ["author", "attributed"])
    }

    @Test func summaryCountsTheMatrixAndTheProfile() throws {
        let document = try analyze("Russia supported Iran. Russia supported Iran again, and Iran may thank Russia. The reckless Iran failed.")
        var summary = StanceSummary()
        summary.add(document)
        #expect(summary.cells["Russia"]?["Iran"]?.support == 2)
        #expect(summary.cells["Iran"]?["Russia"]?.net == 1)
        #expect(summary.omittedEvaluations >= 1)
        #expect(summary.certainty["author"]?.hedges == 1)
        #expect(summary.rate(1) == 1000.0 / Double(summary.words))
        var all = StanceSummary(includeEvaluations: true)
        all.add(document)
        #expect(all.holders.contains("author"))
    }

    /// The alignments a reader takes from the corpus article on Iran and Russia (read from ../shared when present).
    @Test func corpusArticleMatrix() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpus/iran-russia-ties.md")
        guard let data = try? Data(contentsOf: url) else { return }
        var document = try DocumentLoader.load(bytes: Array(data), id: "irt", source: url.path, format: .markdown)[0]
        var registry = AnalyzerRegistry()
        for type in [SegmentAnalyzer.self, EntityAnalyzer.self, CitationAnalyzer.self, StanceAnalyzer.self] as [any Analyzer.Type] {
            try registry.register(AnalyzerRegistration(type, origin: .builtIn))
        }
        try Pipeline(analyzers: ["citation", "stance"], registry: registry).run(&document)
        var summary = StanceSummary()
        summary.add(document)
        #expect((summary.cells["Iran"]?["Russia"]?.net ?? 0) > 0)
        #expect((summary.cells["Russia"]?["Iran"]?.net ?? 0) > 0)
        #expect((summary.cells["Russia"]?["United States"]?.net ?? 0) < 0)
        #expect((summary.cells["Iran"]?["United States"]?.net ?? 0) < 0)
        let stances = document.store.annotations(in: "stance")
        let weakIran = stances.filter { $0.features["basis"]?.stringValue == "desired-state" && $0.features["scope"]?.stringValue == "attributed" }
        #expect(Set(weakIran.compactMap { $0.features["holder"]?.stringValue }) == ["Russia", "China"])
        #expect(weakIran.allSatisfy { $0.label == "oppose" && $0.features["target"]?.stringValue == "Iran" })
        // Inside the attribution to the Shargh article.
        #expect(weakIran.allSatisfy { stance in
            stance.features["attribution"]?.stringValue.flatMap { document.store[$0] }?.features["sourceCanonical"]?.stringValue == "Shargh"
        })
        let markers = stances.filter { $0.label == "hedge" || $0.label == "booster" }
        func scope(_ text: String) -> String? {
            markers.first { document.document.text(of: $0.span).lowercased() == text }?.features["scope"]?.stringValue
        }
        for authorMarker in ["maybe", "perhaps", "likely", "no guarantees", "there is no doubt", "definitely"] {
            #expect(scope(authorMarker) == "author", "\(authorMarker)")
        }
        #expect(scope("not necessarily") == "attributed")
    }
}

@Suite("Stance lexicon")
struct StanceLexiconTests {
    /// Each pass skips a token without its bit, so every word a list holds must carry that list's bit, and a
    /// word in no list none.
    @Test func wordBitsMarkEachListsWords() {
        let lexicon = StanceLexicon(
            markers: "hedge\tdoxastic\t0.5\tmight\nbooster\tcertainty\t0.9\tof course\n",
            predicates: "+1\tverb\tback\n-1\tphrase\tat odds with\n", valence: "good\t2\nattack\t-2\n",
            events: "patient\t-1\tverb\tattack\nagent\t+1\tnoun\taid\n")
        typealias Bit = StanceLexicon.WordBit
        let expected: [(String, UInt8)] = [
            ("might", Bit.marker), ("of", Bit.marker), ("back", Bit.predicate), ("backed", Bit.predicate), ("at", Bit.predicate),
            ("wants", Bit.desire), ("good", 0), ("attack", Bit.event), ("attacked", Bit.event),
            ("aid", Bit.event), ("She", Bit.pronoun), ("his", Bit.pronoun), ("course", 0), ("odds", 0), ("the", 0),
        ]
        for (word, bits) in expected {
            #expect(lexicon.wordBits[FoldedHash.of(word)] ?? 0 == bits, "\(word)")
            // The packed table a document's words are looked up in says the same.
            #expect(lexicon.words[FoldedHash.of(word)].bits == bits, "\(word) packed")
        }
        #expect(lexicon.words[FoldedHash.of("good")].valence == 2)
        #expect(lexicon.words[FoldedHash.of("attack")].valence == -2 && lexicon.words[FoldedHash.of("attack")].bits == StanceLexicon.WordBit.event,
            "one slot holds both answers")
    }

    /// An evaluation reads a word's valence from one table: the valence list without the words it leaves out
    /// (boosters, words of harm, negators, words neutral in politics) and without zeros.
    @Test func evaluativeValenceLeavesOutWhatEvaluationsIgnore() {
        let lexicon = StanceLexicon(
            markers: "booster\tcertainty\t0.9\tclearly\n", predicates: "",
            valence: "good\t2\nclearly\t1\nbomb\t-3\nnot\t-1\nsecurity\t1\nplain\t0\nbrutal\t-2.5\n",
            events: "harm\t-1\tverb\tbomb\n")
        let expected: [(String, Double?)] = [
            ("good", 2), ("Brutal", -2.5), ("clearly", nil), ("bomb", nil), ("bombed", nil), ("not", nil), ("security", nil),
            ("plain", nil), ("absent", nil),
        ]
        for (word, value) in expected {
            #expect(lexicon.evaluativeValence[FoldedHash.of(word)] == value, "\(word)")
            #expect(lexicon.words[FoldedHash.of(word)].valence == value ?? 0, "\(word) packed")
        }
        #expect(lexicon.valence[FoldedHash.of("clearly")] == 1)
    }

    /// The longest phrase starting at a token wins, within the bound given; a phrase inserted twice keeps its
    /// first value; a word that starts no phrase matches nothing.
    @Test func phraseTablesMatchTheLongestPhraseWithinTheBound() throws {
        var table = PhraseTable<String>()
        func words(_ phrase: String) -> [UInt64] { phrase.split(separator: " ").map { FoldedHash.of(String($0)) } }
        table.insert(words("may"), "may")
        table.insert(words("may well agree"), "may well agree")
        table.insert(words("may well"), "may well")
        table.insert(words("may well"), "again")
        table.insert(words("may not"), "may not")
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        let pipeline = try Pipeline(analyzers: ["segment"], registry: registry, options: [:])
        var annotated = AnnotatedDocument(document: Document(id: "p", text: "They may well agree, and May may not."), store: AnnotationStore())
        #expect(pipeline.run(&annotated).isEmpty)
        let toks = annotated.store.tokenTable(for: annotated.document).tokens
        func match(_ index: Int, end: Int? = nil) -> String? {
            table.match(at: index, in: toks, end: end ?? toks.count).map { "\(table.values[$0.phrase]) \($0.length)" }
        }
        // They(0) may(1) well(2) agree(3) ,(4) and(5) May(6) may(7) not(8) .(9)
        #expect(match(1) == "may well agree 3")
        #expect(match(1, end: 3) == "may well 2", "a bound that cuts the longest phrase leaves the next longest")
        #expect(match(1, end: 2) == "may 1")
        #expect(match(6) == "may 1", "case is folded; 'May may' is no phrase")
        #expect(match(7) == "may not 2")
        #expect(match(0) == nil && match(2) == nil)
        #expect(table.values.count == 4, "a repeated phrase is not stored again")
    }
}

@Suite("Span lookup")
struct SpanLookupTests {
    /// Attribution contents nest and overlap; the lookup must find exactly what a scan of them all finds.
    @Test func findsWhatAScanFinds() {
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var spans: [TextSpan] = []
        for index in 0..<300 {
            let start = next(2000)
            spans.append(TextSpan(start, start + (index % 25 == 0 ? next(800) : next(40))))
        }
        let lookup = SpanLookup(spans)
        for _ in 0..<500 {
            let start = next(2100)
            let query = TextSpan(start, start + next(30))
            let containing = spans.indices.filter { spans[$0].start <= query.start && spans[$0].end >= query.end }
            var found: [Int] = []
            lookup.forEachCandidate(startingAtOrBefore: query.start, endingAtOrAfter: query.end) { found.append($0) }
            #expect(found.filter { spans[$0].start <= query.start }.sorted() == containing)
            let overlapping = spans.indices.filter { spans[$0].overlaps(query) }
            var reached: [Int] = []
            lookup.forEachCandidate(startingAtOrBefore: query.end, endingAtOrAfter: query.start) { reached.append($0) }
            #expect(reached.filter { spans[$0].overlaps(query) }.sorted() == overlapping)
            #expect(Set(reached).count == reached.count)
        }
    }
}

/// The stance analyzer offered as annotations only, under its own name.
struct PlainStance: DocumentAnalyzing {
    let inner: StanceAnalyzer
    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] { try inner.analyze(document, store: store) }
}

@Suite("Stance layer as columns")
struct StanceColumnsTests {
    func run(_ text: String, columns: Bool) throws -> AnnotatedDocument {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        try registry.register(EntityAnalyzer.self, origin: .builtIn)
        try registry.register(CitationAnalyzer.self, origin: .builtIn)
        if columns {
            try registry.register(StanceAnalyzer.self, origin: .builtIn)
        } else {
            try registry.register(
                AnalyzerRegistration(descriptor: StanceAnalyzer.descriptor, origin: .builtIn) { PlainStance(inner: try StanceAnalyzer(options: $0)) })
        }
        var document = AnnotatedDocument(document: Document(id: "t", text: text), store: AnnotationStore())
        #expect(try Pipeline(analyzers: ["stance"], registry: registry).run(&document).isEmpty)
        return document
    }

    /// The pipeline stores the stance layer as the analyzer's columns, and every reader (queries, JSON in both
    /// layouts, a layer choice) gets what the same stances stored as annotations give.
    @Test func storedAsColumnsReadsAsAnnotations() throws {
        let text = try String(contentsOfFile: "Docs/samples/caspian-corridor.md", encoding: .utf8)
            + "\n\nBoth Greece and Cyprus want a weak Turkey. Turkey may well lose, but Ankara is clearly aware of it. "
            + "“Russia has helped Iran,” an official said, and Tehran has hailed Moscow."
        let columnar = try run(text, columns: true)
        let plain = try run(text, columns: false)
        #expect(columnar.store.annotationColumns(in: "stance") != nil)
        #expect(plain.store.annotationColumns(in: "stance") == nil)
        let stances = columnar.store.annotations(in: "stance")
        #expect(stances.count > 40)
        #expect(Set(stances.map(\.label)) == ["support", "oppose", "cue", "hedge", "booster"])
        #expect(stances == plain.store.annotations(in: "stance"))
        for stance in stances where stance.label == "support" || stance.label == "oppose" {
            #expect(columnar.store[stance.roles["cue"]![0]]?.label == "cue")
            #expect(columnar.store[stance.roles["target"]![0]]?.layer == "entity")
            #expect(columnar.store.containing(stance.span, in: "stance").contains(stance))
        }
        for options in [MarginaliaJSON.WriteOptions(), .init(pretty: true), .init(layers: ["stance"])] {
            #expect(MarginaliaJSON.encode(columnar, options: options) == MarginaliaJSON.encode(plain, options: options))
        }
    }
}
