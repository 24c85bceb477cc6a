import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing
@testable import CitationAnalyzer
@testable import EntityAnalyzer

/// One attribution as text: source, cue, content and features.
struct Row: Equatable {
    var source: String?
    var cue: String
    var content: String
    var direct: Bool
    var sourceKind: String?
    var sourceCanonical: String?
}

/// Runs segmentation, entities and citations on `text` (Markdown when `markdown` is true).
func annotate(_ text: String, markdown: Bool = false, options: [String: String] = [:]) throws -> AnnotatedDocument {
    var registry = AnalyzerRegistry()
    try registry.register(SegmentAnalyzer.self, origin: .builtIn)
    try registry.register(EntityAnalyzer.self, origin: .builtIn)
    try registry.register(CitationAnalyzer.self, origin: .builtIn)
    let pipeline = try Pipeline(analyzers: ["entity", "citation"], registry: registry, options: ["citation": options])
    var document = try DocumentLoader.load(bytes: Array(text.utf8), id: "t", source: nil, format: markdown ? .markdown : .text)[0]
    let failures = pipeline.run(&document)
    #expect(failures.isEmpty, "\(failures)")
    return document
}

func attributions(_ document: AnnotatedDocument) -> [Row] {
    let store = document.store
    func text(_ annotation: Annotation, _ role: String) -> String? {
        annotation.roles[role]?.first.flatMap { store[$0] }.map { document.document.text(of: $0.span) }
    }
    return store.annotations(in: "citation").filter { $0.label == "attribution" }.map { attribution in
        Row(
            source: text(attribution, "source"), cue: text(attribution, "cue") ?? "", content: text(attribution, "content") ?? "",
            direct: attribution.features["direct"]?.boolValue ?? false,
            sourceKind: attribution.features["sourceKind"]?.stringValue,
            sourceCanonical: attribution.features["sourceCanonical"]?.stringValue)
    }
}

func attributions(_ text: String) throws -> [Row] { attributions(try annotate(text)) }

@Suite("Citation analyzer")
struct CitationAnalyzerTests {
    @Test func reportingVerbWithThatClause() throws {
        let rows = try attributions("The minister said that the talks had failed.")
        #expect(rows.map(\.cue) == ["said"])
        #expect(rows.first?.source == "The minister")
        #expect(rows.first?.content == "the talks had failed")
        #expect(rows.first?.sourceKind == "person")
    }

    @Test func aListedMediaOrganisationIsAnOutlet() throws {
        // The knowledge base's kind "media outlet" makes Reuters an outlet; an organisation of another kind is not.
        let media = try attributions("Reuters reported that the talks had failed.")
        #expect(media.first?.source == "Reuters")
        #expect(media.first?.sourceKind == "outlet")
        let organisation = try attributions("NATO said that the talks had failed.")
        #expect(organisation.first?.source == "NATO")
        #expect(organisation.first?.sourceKind == "organisation")
    }

    @Test func relativeClauseBetweenSourceAndCueIsSkipped() throws {
        let rows = try attributions(
            "The Tasnim outlet, which is linked to the armed forces, has said that Baghdad should not rely on Ankara.")
        #expect(rows.first?.source == "The Tasnim outlet")
        #expect(rows.first?.cue == "has said")
        #expect(rows.first?.sourceKind == "outlet")
    }

    @Test func organisationNamesWithForAndOn() throws {
        let rows = try attributions("The Georgian Foundation for Strategic Studies, which tracks transit, has said that the route is late.")
        #expect(rows.first?.source == "The Georgian Foundation for Strategic Studies")
    }

    @Test func aParticipleWithoutAuxiliaryModifiesANoun() throws {
        #expect(try attributions("A sample commentary written for the documentation. The figures shown here are invented.").isEmpty)
        #expect(try attributions("The minister has written that the talks failed.").map(\.cue) == ["has written"])
    }

    @Test func appositionBetweenDashesIsSteppedOver() throws {
        let rows = try attributions("Leyla Aliyeva -- the head of the agency, which is close to the army -- told me that talks had stalled.")
        #expect(rows.first?.source == "Leyla Aliyeva")
        #expect(rows.first?.content == "talks had stalled")
    }

    @Test func appositionStaysWithItsHead() throws {
        let rows = try attributions("The author, a lecturer at Ankara University, concluded that the pact is fragile.")
        #expect(rows.first?.source == "The author, a lecturer at Ankara University")
        #expect(rows.first?.sourceKind == "person")
        #expect(rows.first?.sourceCanonical == nil)
    }

    @Test func coordinatedVerbTakesTheSentenceSubject() throws {
        let rows = try attributions(
            "The Turkish foreign minister, Hakan Fidan, has toured Baku twice, and has stated that ties are warm.")
        #expect(rows.first?.source == "The Turkish foreign minister, Hakan Fidan")
        #expect(rows.first?.sourceCanonical == "Hakan Fidan")
        #expect(rows.first?.content == "ties are warm")
    }

    @Test func invertedSpeechAfterAQuotation() throws {
        let rows = try attributions("“We will respond,” said Foreign Minister Hakan Fidan on Tuesday. “It is ours,” he added.")
        #expect(rows.count == 2)
        #expect(rows[0].source == "Foreign Minister Hakan Fidan")
        #expect(rows[0].content == "We will respond,")
        #expect(rows[0].direct)
        #expect(rows[1].source == "he")
        #expect(rows[1].content == "It is ours,")
    }

    @Test func accordingToOnEitherSide() throws {
        let rows = try attributions("According to Tehran, the drill was a success. The drill failed, according to Western officials.")
        #expect(rows.map(\.cue) == ["According to", "according to"])
        #expect(rows.map(\.source) == ["Tehran", "Western officials"])
        #expect(rows.map(\.content) == ["the drill was a success", "The drill failed"])
        #expect(rows[0].sourceCanonical == "Iran")
        #expect(rows[0].sourceKind == "government")
    }

    @Test func agentlessPassiveTakesTheDocumentNamedBeforeIt() throws {
        let rows = try attributions("In an editorial in the daily Kayhan, it was stated that the talks were a trap. It was reported that he left.")
        #expect(rows.count == 2)
        #expect(rows[0].cue == "it was stated")
        #expect(rows[0].source == "an editorial in the daily Kayhan")
        #expect(rows[0].content == "the talks were a trap")
        #expect(rows[1].source == nil)
        #expect(rows[1].sourceKind == "anonymous")
    }

    @Test func colonAndDashIntroduceSpeakers() throws {
        let colon = try attributions("Hakan Fidan: “We are not leaving.”")
        #expect(colon.first?.cue == ":")
        #expect(colon.first?.source == "Hakan Fidan")
        #expect(colon.first?.content == "We are not leaving.")
        let dash = try attributions("“Nothing will change.” ― Maria Lopez")
        #expect(dash.first?.source == "Maria Lopez")
        #expect(dash.first?.content == "Nothing will change.")
    }

    @Test func transcriptTurnsRunToTheEndOfTheParagraph() throws {
        let rows = try attributions("\"MORALES: The pipeline is finished. It opens in May.\n\"AYDIN: Not before the winter.")
        #expect(rows.map(\.source) == ["MORALES", "AYDIN"])
        #expect(rows.map(\.cue) == [":", ":"])
        #expect(rows.first?.content == "The pipeline is finished. It opens in May")
        #expect(rows.last?.content == "Not before the winter")
    }

    @Test func lineLabelsAreNotSpeakers() throws {
        #expect(try attributions("Correction: An earlier version misstated the date.\n\nSource: NATO.\n\nThe Latest: Talks resume in Baku.\n\nData: the agency puts output at 48 bcm.").isEmpty)
        #expect(try attributions("Hakan Fidan: talks resume in Baku.").map(\.source) == ["Hakan Fidan"])
    }

    @Test func typewriterDoubleApostrophesMarkQuotations() throws {
        let rows = try attributions("''The sanctions will not hold,'' said Selin Kaya, an economist in Ankara.")
        #expect(rows.first?.cue == "said")
        #expect(rows.first?.source == "Selin Kaya")
        #expect(rows.first?.content == "The sanctions will not hold,")
        #expect(rows.first?.direct == true)
    }

    @Test func headlineVerbsAreCapitalised() throws {
        let rows = try attributions("Baku Will Not Join The Embargo, Ilham Aliyev Says.\n\nThe rest of the story follows here.")
        #expect(rows.first?.cue == "Says")
        #expect(rows.first?.source == "Ilham Aliyev")
        #expect(rows.first?.content == "Baku Will Not Join The Embargo")
        // A capitalised verb in running text is still a name.
        #expect(try attributions("The envoy met Edward Said in Cairo last spring.").isEmpty)
    }

    @Test func reportingNounsWithANamedOwner() throws {
        let rows = try attributions("Reporters checked Tehran’s claim that the drones were built at home.")
        #expect(rows.first?.cue == "claim")
        #expect(rows.first?.source == "Tehran’s")
        #expect(rows.first?.content == "the drones were built at home")
        let decision = try attributions("Her decision to leave the coalition surprised Brussels.")
        #expect(decision.first?.source == "Her")
        #expect(decision.first?.content == "leave the coalition surprised Brussels")
        // Without a named owner, or without a clause, the noun is not a cue.
        #expect(try attributions("The claim that the drones were built at home was doubted.").isEmpty)
        #expect(try attributions("Tehran's claim was doubted by analysts in the region.").map(\.cue) == ["was doubted by"])
    }

    @Test func quotationBeforeTheSpeakerIsTheContentWhateverFollowsTheCue() throws {
        let rows = try attributions("“We will not sign,” the envoy said in a phone interview, adding that talks would go on.")
        #expect(rows.map(\.cue) == ["said", "adding"])
        #expect(rows.map(\.source) == ["the envoy", "the envoy"])
        #expect(rows.map(\.content) == ["We will not sign,", "talks would go on"])
        let apposition = try attributions("“The deal is dead,” Leyla Aliyeva (Baku), a senior adviser, said on Tuesday.")
        #expect(apposition.first?.content == "The deal is dead,")
        // A reporting verb between the quotation and the speaker takes the quotation instead.
        let inner = try attributions("“The deal is dead,” she wrote, and the adviser later said that nothing had changed.")
        #expect(inner.last?.content == "nothing had changed")
    }

    @Test func reportsInsideAQuotationBelongToItsContent() throws {
        let text = "“Then he told me that the border was closed,” the driver said."
        let rows = try attributions(text)
        #expect(rows.map(\.cue) == ["said"])
        #expect(rows.first?.content == "Then he told me that the border was closed,")
        let nested = attributions(try annotate(text, options: ["nested": "true"]))
        #expect(Set(nested.map(\.cue)) == ["told", "said"])
        #expect(nested.first { $0.cue == "told" }?.content == "the border was closed")
        // Scare quotes do not hide a cue: “reformist” is two words at most.
        #expect(try attributions("The “reformist” camp said that the deal was fair.").map(\.cue) == ["said"])
    }

    @Test func aYearBetweenSpeakerAndVerbIsSteppedOver() throws {
        let rows = try attributions("An arbitration panel in 2001 found the treaty was in breach.")
        #expect(rows.map(\.source) == ["An arbitration panel"])
        #expect(rows.map(\.content) == ["the treaty was in breach"])
    }

    @Test func beliefsBeforeEmbeddedQuestionsAndPlainSubjects() throws {
        let rows = try attributions("The minister has repeatedly wondered whether the court will be fair. Mr. Rahimi hoped gas exporters would pay more.")
        #expect(rows.map(\.cue) == ["has repeatedly wondered", "hoped"])
        #expect(rows.map(\.content) == ["whether the court will be fair", "gas exporters would pay more"])
        // Without an auxiliary after it, a plain word is an object, not a clause: "felt comfortable", "found little".
        #expect(try attributions("West Asian officials felt comfortable with the plan. The leaders found little unity.").isEmpty)
    }

    @Test func aTimePhraseIsNotASpeaker() throws {
        let rows = try attributions("Its first advertisement could run this week, said Omar Haddad, an adviser to the campaign.")
        #expect(rows.first?.source == "Omar Haddad")
        #expect(rows.first?.content == "Its first advertisement could run this week")
    }

    @Test func speechWhoseSpeakerCannotBeDelimitedIsStillACue() throws {
        // The phrase reader stops at "of Tabriz, Iran," / "2019" / "R-Kan.,"; the verb still reports speech.
        let rows = try attributions("""
            Leila Amini, of Tabriz, Iran, said she had waited for the permit for a year.

            It was the envoy who in 2019 said the talks were over.

            "We will not sign it," said 12/3 witness Omid Karimi.

            "The vote is close," Senator Ann Lowry, R-Kan., said Monday.
            """)
        #expect(rows.map(\.cue) == ["said", "said", "said", "said"])
        #expect(rows.map(\.content) == [
            "she had waited for the permit for a year", "the talks were over", "We will not sign it,", "The vote is close,",
        ])
        // Without a clause or a quotation beside it, a "said" with no speaker is not reported speech.
        #expect(try attributions("The deal, as said, was late.").isEmpty)
    }

    @Test func mostlyNounVerbsReportBeforeThatOrAfterANameAtTheEnd() throws {
        let rows = try attributions("""
            The Caspian Herald reports that the pipeline will open in May. Tariffs will rise, The Tehran Ledger reports.
            """)
        #expect(rows.map(\.cue) == ["reports", "reports"])
        #expect(rows.map(\.source) == ["The Caspian Herald", "The Tehran Ledger"])
        #expect(rows.map(\.content) == ["the pipeline will open in May", "Tariffs will rise"])
        // The noun stays a noun: "the reports that ...", "and reports that ...", and "reports." after a lowercase word.
        #expect(try attributions("The reports that circulated were false. She read two reports.").isEmpty)
        #expect(try attributions("Rumours and reports that the border had closed spread. The new rules that limit exports passed.").isEmpty)
    }

    @Test func aViewOfSomethingAsSomethingIsABelief() throws {
        let rows = try attributions("Many investors see the program as an easy way to gain citizenship.")
        #expect(rows.map(\.cue) == ["see"])
        #expect(rows.first?.source == "Many investors")
        #expect(try attributions("Local officials viewed the protesters as a threat.").map(\.cue) == ["viewed"])
        #expect(try attributions("Some lawmakers regard the treaty as dead.").map(\.cue) == ["regard"])
        // Without "as", seeing is seeing; "regarding" is a preposition.
        #expect(try attributions("Investors will see the results in June.").isEmpty)
        #expect(try attributions("The senator spoke regarding the budget and the schools.").isEmpty)
    }

    @Test func nounUsesOfReportingWordsAreNotCues() throws {
        #expect(try attributions("The report was long. His tweets were deleted. The secretary of state arrived.").isEmpty)
        #expect(try attributions("The output fell, by one estimate, to half. Women hold 25 percent, compared with 32 percent in 2010.").isEmpty)
        #expect(try attributions("The ministry released more detailed figures. (Reporting by Ana Ruiz; editing by Tom Bell.)").isEmpty)
        #expect(try attributions("The ministry released figures. Additional reporting by Ana Ruiz.").isEmpty)
        #expect(try attributions("The ministry released figures. Ana Ruiz and Tom Bell contributed reporting.").isEmpty)
        #expect(try attributions("Aliyev compared the deal to a trap.").map(\.cue) == ["compared"])
        // "assume" and "consider" are beliefs only before "that".
        #expect(try attributions("She assumed a new role. The court considered the matter.").isEmpty)
        #expect(try attributions("She assumed that the talks would fail.").map(\.cue) == ["assumed"])
        #expect(try attributions("Iran's fears grew as the stated aim slipped away.").isEmpty)
    }

    @Test func pluralNounsAreGroupsOfPeopleAsSubjects() throws {
        let rows = try attributions("Environmentalists worry that the mine will pollute the river.")
        #expect(rows.map(\.source) == ["Environmentalists"])
        #expect(rows.first?.sourceKind == "anonymous")
        // A word in -ss or -us is not a plural: "the progress shows" has no people behind it.
        #expect(try attributions("Progress shows nothing new.").isEmpty)
    }

    @Test func conversationalBeliefIsNotAttributionButTheAuthorsIs() throws {
        #expect(try attributions("As you know, the race is close.").isEmpty)
        #expect(try attributions("Analysts believe that the embargo will hold.").map(\.source) == ["Analysts"])
        // The author's own belief is kept, with the author as its kind of source.
        let author = try attributions("I believe we can win this race.")
        #expect(author.map(\.cue) == ["believe"])
        #expect(author.first?.sourceKind == "author")
    }

    @Test func praiseAndBlameReachTheirObjectNotTheNextClause() throws {
        let rows = try attributions("Moscow backed the Iranian bid, and Tehran may thank it later.")
        #expect(rows.map(\.cue) == ["backed", "may thank"])
        #expect(rows.map(\.content) == ["the Iranian bid", "it later"])
    }

    @Test func participlesOpeningTheSentence() throws {
        let rows = try attributions(
            "Asked about the pipeline, Aliyev said it was on schedule. Citing the report, the envoy said that talks had failed.")
        #expect(rows.map(\.cue) == ["Asked", "said", "Citing", "said"])
        #expect(rows.map(\.source) == [nil, "Aliyev", "the envoy", "the envoy"])
        #expect(rows.map(\.content) == ["about the pipeline", "it was on schedule", "the report", "talks had failed"])
    }

    @Test func lightVerbsWithReportingNouns() throws {
        let rows = try attributions(
            "Aliyev made the following comment: “The corridor is open.” The council issued a statement calling the test a violation. "
                + "Ankara has made the case for a ceasefire.")
        #expect(rows.map(\.cue) == ["made the following comment", "issued a statement", "has made the case"])
        #expect(rows.map(\.source) == ["Aliyev", "The council", "Ankara"])
        #expect(rows.map(\.content) == ["The corridor is open.", "calling the test a violation", "for a ceasefire"])
        // A statement reported elsewhere, and a case sent back, are not reports here.
        #expect(try attributions("Aliyev made the comments on Friday in Baku. The court sent the case back to Ankara.").isEmpty)
    }

    @Test func aSubordinateClauseWithItsOwnSubjectStartsItsOwnAttribution() throws {
        let rows = try attributions("The envoy said that the talks were useful, although he refused to predict a deal.")
        #expect(rows.map(\.cue) == ["said", "refused"])
        #expect(rows.map(\.content) == ["the talks were useful", "to predict a deal"])
        // Without a clause break, a plan inside the report stays part of it.
        #expect(try attributions("The senator said she plans to vote against the bill.").map(\.cue) == ["said"])
    }

    @Test func coordinatedVerbsAreAttributionsOfTheirOwn() throws {
        let rows = try attributions("The senator criticized the ministry and called for an inquiry into the contracts.")
        #expect(rows.map(\.cue) == ["criticized", "called for"])
        #expect(rows.map(\.source) == ["The senator", "The senator"])
        #expect(rows.map(\.content) == ["the ministry", "an inquiry into the contracts"])
    }

    @Test func planInsideReportedSpeechBelongsToTheOuterAttribution() throws {
        let rows = try attributions("The senator said she plans to vote against the bill.")
        #expect(rows.map(\.cue) == ["said"])
    }

    @Test func quotationsScareQuotesNestingAndApostrophes() throws {
        let document = try annotate(
            "The “reformist” camp cheered. Kayhan wrote: “This is a ‘new maritime power’ and Iran’s hour.” It's \"done\".")
        let quotes = document.store.annotations(in: "citation").filter { $0.label == "quote" }
        let texts = quotes.map { document.document.text(of: $0.span) }
        #expect(texts == ["reformist", "This is a ‘new maritime power’ and Iran’s hour.", "new maritime power", "done"])
        #expect(quotes.map { $0.features["scare"]?.boolValue } == [true, false, false, true])
        #expect(quotes[2].features["nested"]?.boolValue == true)
    }

    @Test func quotationOverParagraphsAndStrayMarks() throws {
        let bytes = Array("“First paragraph of it.\n\n“Second one.” Then \"a stray mark.\n\nNew paragraph.".utf8)
        let quotes = bytes.withUnsafeBufferPointer { QuoteScanner.scan($0) }
        #expect(quotes.count == 1)
        #expect(quotes[0].spansParagraphs)
        #expect(String(decoding: bytes[quotes[0].inner.start..<quotes[0].inner.end], as: UTF8.self) == "First paragraph of it.\n\n“Second one.")
        // A closing mark typed at the start of a paragraph opens the quotation; elsewhere a stray one is ignored.
        let slip = Array("Intro.\n”Fear is what I feel.” ― Ana Ruiz\nShe said ” nothing.".utf8)
        let slipped = slip.withUnsafeBufferPointer { QuoteScanner.scan($0) }
        #expect(slipped.map { String(decoding: slip[$0.inner.start..<$0.inner.end], as: UTF8.self) } == ["Fear is what I feel."])
    }

    @Test func quoteScanSkipsOnlyBytesItDoesNotActOn() {
        // Every byte value at every position of a word: the word-at-a-time test flags exactly the four bytes.
        let acted: Set<UInt8> = [0x0A, 0x22, 0x27, 0xE2]
        for value in 0...255 {
            for position in 0..<8 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[position] = UInt8(value)
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(QuoteScanner.mayMatter(word) == acted.contains(UInt8(value)), "byte \(value) at \(position)")
            }
        }
        // Marks at every distance from a word boundary are all found.
        for padding in 0..<9 {
            let text = String(repeating: "x", count: padding) + "said “one” and \"two\" and ‘three’ today"
            let bytes = Array(text.utf8)
            let quotes = bytes.withUnsafeBufferPointer { QuoteScanner.scan($0) }
            #expect(quotes.map { String(decoding: bytes[$0.inner.start..<$0.inner.end], as: UTF8.self) } == ["one", "two", "three"])
        }
    }

    @Test func feelingsCertaintiesAndBeliefNounsBeforeThat() throws {
        let rows = try attributions(
            "Many diplomats are afraid that the truce will fail. It is clear that the pipeline is late. Growing concerns that the bloc is weak spread.")
        #expect(rows.map(\.cue) == ["are afraid", "It is clear", "concerns"])
        #expect(rows.map(\.source) == ["Many diplomats", nil, nil])
        #expect(rows.first?.content == "the truce will fail")
        // Without "that", or owned by someone named (handled as a reporting noun), these words are not cues here.
        #expect(try attributions("The diplomats are afraid of the winter. The report is clear.").isEmpty)
    }

    @Test func invertedVerbBeforeAColon() throws {
        let rows = try attributions("Taxes would rise. Said Ellis: “I do not see any interest in reform.”")
        #expect(rows.map(\.cue) == ["Said"])
        #expect(rows.first?.source == "Ellis")
        #expect(rows.first?.content == "I do not see any interest in reform.")
    }

    @Test func linksCarryHrefSentenceAndPlaceholderFlag() throws {
        let document = try annotate("Iran said [relations are good](https://example.org/a). See [the study](#).", markdown: true)
        let links = document.store.annotations(in: "citation").filter { $0.label == "link" }
        #expect(links.map { $0.features["href"]?.stringValue } == ["https://example.org/a", "#"])
        #expect(links.map { $0.features["unresolved"]?.boolValue } == [false, true])
        #expect(links.map { $0.features["anchor"]?.stringValue } == ["relations are good", "the study"])
        let supported = try #require(links[0].roles["supports"]?.first.flatMap { document.store[$0] })
        #expect(document.document.text(of: supported.span) == "Iran said relations are good.")
        let rows = attributions(document)
        #expect(rows.first?.content == "relations are good")
    }

    @Test func particlesAndStatementVerbs() throws {
        let rows = try attributions(
            "The ministry pointed out that the quota was met. Brussels calls for calm. The court ruled that the ban was lawful. "
                + "Two senators voted against the bill. The envoy spoke of a new phase in relations. Diplomats expressed concern that the talks would stall.")
        #expect(rows.map(\.cue) == ["pointed out", "calls for", "ruled", "voted against", "spoke of", "expressed"])
        #expect(rows.map(\.content) == [
            "the quota was met", "calm", "the ban was lawful", "the bill", "a new phase in relations", "concern that the talks would stall",
        ])
        let more = try attributions("The senator weighed in on the vote. Ankara was balking at the price.")
        #expect(more.map(\.cue) == ["weighed in", "was balking at"])
        #expect(try attributions("The parcel weighed two kilos.").isEmpty)
        // Nouns stay nouns: "the point", "phone calls"; "speak" and "point" report only with their particle.
        #expect(try attributions("The point of the visit was trade. She made two phone calls from Baku.").isEmpty)
        #expect(try attributions("The envoy spoke at a rally in Baku. At one point the convoy stopped.").isEmpty)
    }

    @Test func passiveWithAnAgentAndNoClause() throws {
        let rows = try attributions("The pipeline deal was first reported by The Baku Herald. Aliyev is supported by most parties.")
        #expect(rows.map(\.cue) == ["was first reported by", "is supported by"])
        #expect(rows.map(\.source) == ["The Baku Herald", "most parties"])
        #expect(rows.map(\.content) == ["The pipeline deal", "Aliyev"])
    }

    @Test func asSomeonePutIt() throws {
        let rows = try attributions(
            "The fund was a lawful source of income, as a ministry memo put it. As Ms. Aliyeva put it in a letter to the board, the channel is independent.")
        #expect(rows.map(\.cue) == ["put it", "put it"])
        #expect(rows.map(\.source) == ["a ministry memo", "Ms. Aliyeva"])
        #expect(rows.map(\.content) == ["The fund was a lawful source of income", "the channel is independent"])
        #expect(try attributions("She put it on the table.").isEmpty)
    }

    @Test func blameWithNoOneNamed() throws {
        let rows = try attributions("The governor was accused of hiding the losses. He met the families, many of whom say the plan failed.")
        #expect(rows.map(\.cue) == ["was accused", "say"])
        #expect(rows.map(\.source) == [nil, "whom"])
        #expect(rows.first?.content == "hiding the losses")
    }

    @Test func beliefsHeldByNoOneNamedAndDoSupport() throws {
        let rows = try attributions(
            "Turnout is expected to rise in the north. The ministry did not immediately respond to requests for comment. Aliyev thinks the corridor will open.")
        #expect(rows.map(\.cue) == ["is expected", "did not immediately respond", "thinks"])
        #expect(rows.map(\.source) == [nil, "The ministry", "Aliyev"])
        #expect(rows.first?.content == "to rise in the north")
        // "support" is a verb right after its subject, a noun elsewhere; "oppose" is always a verb.
        #expect(try attributions("Russia and China support the government in Damascus.").map(\.cue) == ["support"])
        #expect(try attributions("Support for the plan grew. Their support was firm.").isEmpty)
        #expect(try attributions("Several groups oppose the corridor.").map(\.cue) == ["oppose"])
        // The bare form of a mostly-noun verb needs auxiliary "do"; after a modal it stays inside someone's report.
        #expect(try attributions("His comment was brief. Their answer came late.").isEmpty)
        #expect(try attributions("The ministers would reply within a week.").isEmpty)
    }

    @Test func mannerOfSpeakingAndMoreEvaluations() throws {
        let rows = try attributions("“Go home,” the guards shouted at the crowd. The envoy openly admires the old regime. Aliyev thanked Ankara for its help.")
        #expect(rows.map(\.cue) == ["shouted", "openly admires", "thanked"])
        #expect(rows.map(\.source) == ["the guards", "The envoy", "Aliyev"])
        #expect(rows.map(\.content) == ["Go home,", "the old regime", "Ankara for its help"])
        // Names given and things portrayed are views too; "target" and "accept" are not in the list.
        #expect(try attributions("The senator branded the deal a surrender.").map(\.cue) == ["branded"])
        #expect(try attributions("Hackers targeted the ministry. Mexico accepted the request.").isEmpty)
    }

    @Test func quantifiersAndIndefinitePronounsAsSpeakers() throws {
        let rows = try attributions(
            "Some believe the corridor will open. To varying degrees, all agreed that the tariff would hurt. No one expected a long debate. Not everyone agrees on the route.")
        #expect(rows.map(\.cue) == ["believe", "agreed", "expected", "agrees"])
        #expect(rows.map(\.source) == ["Some", "all", "one", "everyone"])
        #expect(rows.first?.content == "the corridor will open")
        // Before a plural noun, a quantifier is still a determiner: "some reports", "many estimates".
        #expect(try attributions("Some reports reached the capital. Many estimates were wrong.").isEmpty)
    }

    @Test func coordinatedSubjectAfterABeliefVerb() throws {
        let rows = try attributions("Many of his supporters believe bigotry and xenophobia are acceptable.")
        #expect(rows.map(\.cue) == ["believe"])
        #expect(rows.first?.content == "bigotry and xenophobia are acceptable")
    }

    @Test func callingSomethingByAName() throws {
        let rows = try attributions("Christie Calls Clinton ‘A Disgrace’ Over Remarks.")
        #expect(rows.map(\.cue) == ["Calls"])
        #expect(rows.first?.source == "Christie")
        // A thing called by its name is not a report: after an indefinite noun, or between commas.
        #expect(try attributions("They swam in a mountain stream called Miracle Run. The program, called EB-5, allows investment.").isEmpty)
    }

    @Test func reportInsideAnOpeningPhraseEndsAtItsComma() throws {
        let rows = try attributions("In a statement announcing the pick, the union called Clinton a “champion” for its members.")
        #expect(rows.map(\.cue) == ["announcing", "called"])
        #expect(rows.map(\.content) == ["the pick", "Clinton a “champion” for its members"])
        #expect(rows.last?.source == "the union")
    }

    @Test func viewsHeldAfterBe() throws {
        let rows = try attributions(
            "Graham has been critical of the treaty since May. Kaine is a staunch opponent of the death penalty. The aides were coy about their plans. The charity is dedicated to promoting literacy.")
        #expect(rows.map(\.cue) == ["has been critical of", "is a staunch opponent of", "were coy about", "is dedicated to"])
        #expect(rows.map(\.source) == ["Graham", "Kaine", "The aides", "The charity"])
        #expect(rows.map(\.content) == ["the treaty since May", "the death penalty", "their plans", "promoting literacy"])
        // A role is not a view ("the opponent of"), and "critical to" is importance.
        #expect(try attributions("Kaine was the opponent of Pence in the debate. Water is critical to the harvest.").isEmpty)
    }

    @Test func lightVerbsWithClearAndOffer() throws {
        let rows = try attributions(
            "Ham made it clear he had misgivings. He offered no proof that the vote was rigged. The verdict sends a clear message that fraud pays.")
        #expect(rows.map(\.cue) == ["made it clear", "offered no proof", "sends a clear message"])
        #expect(rows.map(\.content) == ["he had misgivings", "the vote was rigged", "fraud pays"])
    }

    @Test func certaintyAndConvictionWithoutThat() throws {
        let rows = try attributions("It was clear the envoy was leaving. She was sure the bill would pass. The harvest was clear of weeds.")
        #expect(rows.map(\.cue) == ["It was clear", "was sure"])
        #expect(rows.map(\.source) == [nil, "She"])
        #expect(rows.map(\.content) == ["the envoy was leaving", "the bill would pass"])
    }

    @Test func relativeThatAndSharesOfPeopleAsSubjects() throws {
        let rows = try attributions(
            "The mayors of cities that support the rules met. While 5 percent prefer Johnson, 1 percent support Stein. Clinton was supported by 42 percent of those polled.")
        #expect(rows.map(\.cue) == ["support", "support", "was supported by"])
        #expect(rows.map(\.source) == ["The mayors of cities", "1 percent", "42 percent of those polled"])
        // A share of support is a noun: "sits at 85 percent support".
        #expect(try attributions("Clinton sits at 85 percent support among young voters.").isEmpty)
    }

    @Test func seeingAsStopsAtAPreposition() throws {
        #expect(try attributions("The top earners would see their incomes go up by as much as a fifth.").isEmpty)
    }

    @Test func namesGivenInThePassive() throws {
        let rows = try attributions("The claim was labeled “Mostly True.” Pence was also dubbed the winner by most viewers. Oz has been called a charlatan by fellow physicians.")
        #expect(rows.map(\.cue) == ["was labeled", "was also dubbed", "has been called"])
        #expect(rows.map(\.source) == [nil, "most viewers", "fellow physicians"])
        #expect(rows.map(\.content) == ["“Mostly True", "the winner", "a charlatan"])
    }

    @Test func criticismReceived() throws {
        let rows = try attributions("The minister is drawing criticism for the remark. The clip has faced ridicule online. Lauer faced heavy criticism from rival outlets.")
        #expect(rows.map(\.cue) == ["is drawing criticism for", "has faced ridicule", "faced heavy criticism"])
        #expect(rows.map(\.source) == [nil, nil, "rival outlets"])
        #expect(rows.map(\.content) == ["The minister", "The clip", "Lauer"])
        #expect(try attributions("The town faces a long winter.").isEmpty)
    }

    @Test func typographicAuxiliariesAndInfinitives() throws {
        let rows = try attributions(
            "Since then, he’s sought to protect the tax breaks. Mr. Clarke hopes to offset the emissions. Ham went on to explain how the cuts hurt. The leaders gathered Friday to discuss the crisis.")
        #expect(rows.map(\.cue) == ["’s sought", "hopes", "to explain", "to discuss"])
        #expect(try attributions("It’s denouncing what it calls an attack.").map(\.cue).first == "’s denouncing")
        #expect(rows.map(\.source) == ["he", "Mr. Clarke", "Ham", "The leaders"])
        // "Speaking at a rally" says where; the main verb reports.
        let speaking = try attributions("Speaking at a rally in Baku, the envoy said the border would reopen.")
        #expect(speaking.map(\.cue) == ["said"])
    }

    @Test func beliefsAndFindingsAfterTheirContent() throws {
        let rows = try attributions("The senator hid the illness from aides, The Post has learned. Spending rose in August, an analysis of filings shows.")
        #expect(rows.map(\.cue) == ["has learned", "shows"])
        #expect(rows.map(\.source) == ["The Post", "an analysis of filings"])
        #expect(rows.map(\.content) == ["The senator hid the illness from aides", "Spending rose in August"])
    }

    @Test func clarityQuestionsAndIrritation() throws {
        let rows = try attributions(
            "Nor is it clear that the sanctions would work. Trump is raising questions about the microphone. The lawmakers bristled at the questions. It’s obvious that they are wasting their breath.")
        #expect(rows.map(\.cue) == ["is it clear", "is raising questions", "bristled at", "It’s obvious"])
        #expect(rows.map(\.source) == [nil, "Trump", "The lawmakers", nil])
        #expect(rows.first?.content == "the sanctions would work")
    }

    @Test func contractionsDegreeAndSo() throws {
        let rows = try attributions(
            "Republicans weren’t too concerned about the shift. He doesn't think so. You’re worried about the loan. She expects them to leave.")
        #expect(rows.map(\.cue) == ["weren’t too concerned about", "doesn't think", "’re worried about", "expects"])
        #expect(rows.map(\.content) == ["the shift", "so", "the loan", "them to leave"])
    }

    @Test func adverbsBeforeAParticleAndNamedJudgements() throws {
        let rows = try attributions("Mr. Obama spoke emotionally of his flights. Bin Laden judged America a paper tiger.")
        #expect(rows.map(\.cue) == ["spoke emotionally of", "judged"])
        #expect(rows.map(\.content) == ["his flights", "America a paper tiger"])
    }

    @Test func aPastFormIsNotAPluralSubject() throws {
        let rows = try attributions("Her submission to the court noted published reports about the divorce.")
        #expect(rows.map(\.cue).first == "noted")
        #expect(rows.first?.source == "the court")
    }

    @Test func gerundsAfterCommasDashesAndOpeningQuotations() throws {
        let rows = try attributions("Trump told the crowd, reciting the fable. Clinton — lambasting the plan — spoke in Ohio.")
        #expect(rows.map(\.cue) == ["told", "reciting", "lambasting"])
        #expect(rows.map(\.source) == ["Trump", "Trump", "Clinton"])
        let opening = try attributions("Bemoaning the “phony system,” Trump accused the host of bias.")
        #expect(opening.map(\.cue) == ["Bemoaning", "accused"])
        #expect(opening.first?.source == "Trump")
    }

    @Test func continuingAndDocumentSubjects() throws {
        let rows = try attributions(
            "Obama and Clinton continue to ignore the threat. A page on the website states that leave is paid. The ad then references the inquiry. Trump unleashed a series of tweets. He has faced questions about the charity.")
        #expect(rows.map(\.cue) == ["to ignore", "states", "then references", "unleashed", "has faced questions about"])
        #expect(rows.map(\.source) == ["Obama and Clinton", "the website", "The ad", "Trump", nil])
        #expect(rows.last?.content == "He")
        // Questions taken are not questions raised: "took questions from veterans".
        #expect(try attributions("The candidates took questions from veterans.").isEmpty)
    }

    @Test func asReportedPhrases() throws {
        let rows = try attributions("As stated in Davis' commentary, the stories conflict. In July, Patriot failed as predicted.")
        #expect(rows.map(\.cue) == ["As stated", "as predicted"])
        #expect(rows.map(\.source) == ["Davis' commentary", nil])
        #expect(rows.map(\.content) == ["the stories conflict", "Patriot failed"])
    }

    @Test func timesBeforeInfinitivesYetAndLightVerbQuantifiers() throws {
        let rows = try attributions(
            "A House panel voted Thursday to hold Pagliano in contempt. Trump wants transparency, yet refuses to release his returns. Sanders offered some advice to Clinton.")
        #expect(rows.map(\.cue) == ["voted", "wants", "refuses", "offered some advice"])
        #expect(rows.map(\.source) == ["A House panel", "Trump", "Trump", "Sanders"])
    }

    @Test func boundsFoundOnCommentary() throws {
        // A bare determiner is no speaker; a passive light verb has no speaker in its subject; an evaluation needs
        // its object after it; a view's object ends at the first comma.
        #expect(try attributions("The first known drone surfaced in Yemen by September.").isEmpty)
        #expect(try attributions("The alliance was made clear by the leaked cables.").isEmpty)
        #expect(try attributions("How will Xi respond to the dynamics that the invasion has unleashed?").isEmpty)
        // An adverb between a determiner and a participle makes an adjective: "a swiftly called meeting".
        #expect(try attributions("Following a swiftly called, late-afternoon meeting, the council issued a statement saying the test was a threat.").map(\.cue) == ["issued a statement", "saying"])
        let rows = try attributions("If Russia will not remain committed to the alliance, Tehran will look to Beijing.")
        #expect(rows.map(\.cue) == ["will not remain committed to"])
        #expect(rows.first?.content == "the alliance")
    }

    @Test func inflectionOfLexiconEntries() {
        #expect(VerbForms.of("admit+") == ["admit", "admits", "admitted", "admitted", "admitting"])
        #expect(VerbForms.of("note") == ["note", "notes", "noted", "noted", "noting"])
        #expect(VerbForms.of("stress") == ["stress", "stresses", "stressed", "stressed", "stressing"])
        let lexicon = ReportingLexicon.builtIn
        #expect(lexicon.forms[FoldedHash.of("questioned")]?.lemma == "question")
        #expect(lexicon.forms[FoldedHash.of("questions")]?.needsAuxiliary == true, "past-only entries restrict the noun-like forms")
        #expect(lexicon.forms[FoldedHash.of("question")]?.needsAuxiliary == true)
        #expect(lexicon.forms[FoldedHash.of("questioning")]?.needsAuxiliary == false)
        #expect(lexicon.forms[FoldedHash.of("stated")]?.isParticiple == true)
    }

    /// The scan passes over a token without `activeBit` without looking further, so every word it acts on must
    /// carry the bit, with its trigger bits as `Words.triggers` gives them; other words carry nothing.
    @Test func scanBitsMarkEveryWordTheScanActsOn() {
        let lexicon = ReportingLexicon(parsing: "speech\tsay|says|said|said|saying\ncognition\tquestion\tpast\n")
        for word in ["says", "said", "questioned", "according", ":", "—", "--", "reportedly", "put", "made", "claim", "afraid"] {
            let hash = FoldedHash.of(word)
            #expect(lexicon.scanBits[hash].map { $0 & Words.activeBit != 0 } == true, "\(word)")
            #expect((lexicon.scanBits[hash] ?? 0) & ~Words.activeBit == Words.triggers[hash] ?? 0, "\(word)")
        }
        for word in ["the", "Iran", "warned", "to", "it"] { #expect(lexicon.scanBits[FoldedHash.of(word)] == nil, "\(word)") }
        #expect(ReportingLexicon.builtIn.scanBits[FoldedHash.of("warned")].map { $0 & Words.activeBit != 0 } == true)
    }

    /// The attributions a reader marks in the corpus article on Iran and Russia (read from ../shared when present).
    @Test func corpusArticleAttributions() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpus/iran-russia-ties.md")
        guard let data = try? Data(contentsOf: url) else { return }
        var document = try DocumentLoader.load(bytes: Array(data), id: "irt", source: url.path, format: .markdown)[0]
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        try registry.register(EntityAnalyzer.self, origin: .builtIn)
        try registry.register(CitationAnalyzer.self, origin: .builtIn)
        try Pipeline(analyzers: ["entity", "citation"], registry: registry).run(&document)
        let rows = attributions(document)
        // Short fragments of the article only: sources are checked by how they end, contents by how they start.
        func row(_ sourceEnd: String, _ cue: String) -> Row? { rows.first { ($0.source ?? "").hasSuffix(sourceEnd) && $0.cue == cue } }
        #expect(row("Mohammad Javad Zarif", "has stated")?.source?.hasPrefix("The Iranian foreign minister") == true)
        #expect(row("Tehran", "According to")?.sourceKind == "government")
        #expect(row("Mashregh News agency", "has said")?.content.hasPrefix("Iran must not") == true)
        #expect(row("newspaper Shargh", "it was stated")?.content.hasPrefix("both Russia and China") == true)
        #expect(row("University of Tehran", "concluded")?.source?.hasPrefix("The author, a professor") == true)
        #expect(row("website Entekhab", "it was stated") != nil)
        #expect(row("Baztab news website", "wrote")?.sourceCanonical == "Baztab")
        let kayhan = try #require(row("newspaper Kayhan", "wrote"))
        #expect(kayhan.direct)
        #expect(kayhan.content.hasPrefix("The alliance of Iran"))
        let links = document.store.annotations(in: "citation").filter { $0.label == "link" }
        let source = String(decoding: data, as: UTF8.self)
        #expect(links.count == source.components(separatedBy: "](").count - 1 + source.components(separatedBy: "<http").count - 1)
    }
}
