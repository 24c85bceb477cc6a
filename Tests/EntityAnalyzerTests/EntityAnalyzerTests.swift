import Foundation
import MarginaliaCore
import Testing
@testable import EntityAnalyzer

/// Runs segmentation and the entity analyzer on `text`; returns (label, text, canonical, kind, source) rows.
func entities(_ text: String, options: [String: String] = [:], markup: [Annotation] = []) throws -> [(label: String, text: String, canonical: String, kind: String?, source: String)] {
    var registry = AnalyzerRegistry()
    try registry.register(SegmentAnalyzer.self, origin: .builtIn)
    try registry.register(EntityAnalyzer.self, origin: .builtIn)
    let pipeline = try Pipeline(analyzers: ["entity"], registry: registry, options: ["entity": options])
    var document = AnnotatedDocument(document: Document(id: "t", text: text), store: try AnnotationStore(markup))
    let failures = pipeline.run(&document)
    #expect(failures.isEmpty, "\(failures)")
    return document.store.annotations(in: "entity").map { annotation in
        (annotation.label, document.document.text(of: annotation.span), annotation.features["canonical"]?.stringValue ?? "",
         annotation.features["kind"]?.stringValue, annotation.features["source"]?.stringValue ?? "")
    }
}

func find(_ rows: [(label: String, text: String, canonical: String, kind: String?, source: String)], _ text: String) -> (label: String, text: String, canonical: String, kind: String?, source: String)? {
    rows.first { $0.text == text }
}

@Suite("Entity analyzer")
struct EntityAnalyzerTests {
    @Test func canonicalNamesCollapseWhiteSpaceAsCharactersDo() {
        // The byte-scan shortcut must agree with splitting into characters: single spaces between ASCII stay,
        // anything else takes the character path.
        func reference(_ text: String) -> String {
            text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        }
        let cases = [
            "Foreign Ministry", "Foreign  Ministry", "Foreign\nMinistry", "Foreign \n\tMinistry", " Iran", "Iran ",
            "Recep Tayyip Erdoğan", "Erdoğan Yıldırım", "É Ü", "a \u{301}b", "a\r\nb", "a \r\n b", "", " ", "Iran",
        ]
        for text in cases {
            #expect(text.collapsingSpaces() == reference(text), "\(text.debugDescription)")
        }
        #expect("Foreign \n Ministry".collapsingSpaces() == "Foreign Ministry")
        #expect("Iran".collapsingSpaces() == "Iran")
        let rows = try? entities("Talks with the Georgian\nFoundation for Strategic Studies ended.")
        #expect(rows.flatMap { find($0, "Georgian\nFoundation for Strategic Studies")?.canonical } == "Georgian Foundation for Strategic Studies")
    }

    @Test func namesOfBuiltThingsAreFacilitiesNotPeople() throws {
        let rows = try entities("Azerbaijan ships gas through the Trans-Anatolian Pipeline and the Bushehr Nuclear Plant runs.")
        #expect(find(rows, "Trans-Anatolian Pipeline")?.label == "FAC")
        #expect(find(rows, "Trans-Anatolian Pipeline")?.source == "facility-rule")
        #expect(find(rows, "Bushehr Nuclear Plant")?.label == "FAC")
    }

    @Test func capitalsActingStandForTheirGovernmentAndPlacesStayPlaces() throws {
        let rows = try entities("Tehran rejected the offer, and Washington warned Moscow. Talks were held in Tehran.")
        #expect(rows.filter { $0.text == "Tehran" }.map(\.canonical) == ["Iran", "Tehran"])
        #expect(rows.filter { $0.text == "Tehran" }.map(\.kind) == ["government", "city"])
        #expect(find(rows, "Washington")?.canonical == "United States")
        #expect(find(rows, "Moscow")?.canonical == "Russia")
    }

    @Test func countryNamesAndDemonymsShareTheirCanonicalActor() throws {
        let rows = try entities("The U.S. and the Americans, Iran and the Iranian navy, the Islamic Republic and Türkiye.")
        #expect(find(rows, "U.S.")?.canonical == "United States")
        #expect(find(rows, "Americans")?.label == "NORP")
        #expect(find(rows, "Americans")?.canonical == "United States")
        #expect(find(rows, "Iranian")?.canonical == "Iran")
        #expect(find(rows, "Islamic Republic")?.canonical == "Iran")
        #expect(find(rows, "Türkiye")?.canonical == "Turkey")
    }

    @Test func aLoneCapitalisedSubjectOpeningASentenceIsAName() throws {
        for text in [
            "Durbin said the vote would wait.", "Sanders says the race is open.", "Graham's comment angered staff.", "Bannon, who left in August, spoke.",
            "Dorsey thanked the host.", "Durbin easily defeated the field.",
        ] {
            let rows = try entities(text)
            #expect(rows.first.map { "\($0.label) \($0.source)" } == "PERSON subject-rule", "\(text)")
        }
        // Plural or common subjects, and verbs that do not follow a subject, are not names.
        for text in [
            "Officials said the vote would wait.", "Police said the road was closed.", "Yesterday was quiet.", "Durbin votes today.",
            "Voting ended at noon.", "Production dropped sharply.", "Sanders easily beat the field.",
        ] {
            #expect(try entities(text).allSatisfy { $0.source != "subject-rule" }, "\(text)")
        }
    }

    @Test func titlesMarkPeopleWithoutBeingPartOfTheName() throws {
        let rows = try entities("Deputy Foreign Minister Pavel Orlov met President Ilham Aliyev and Gen. Omar Haddad.")
        #expect(find(rows, "Pavel Orlov")?.label == "PERSON")
        #expect(find(rows, "Ilham Aliyev")?.label == "PERSON")
        #expect(find(rows, "Omar Haddad")?.source == "title-rule")
        #expect(!rows.contains { $0.text.contains("Minister") })
    }

    @Test func organisationHeadsAndTailsMakeOrganisations() throws {
        let rows = try entities("Officials of the Ministry of Foreign Affairs and the Caspian Energy Institute spoke to Orion Shipping Group.")
        #expect(find(rows, "Ministry of Foreign Affairs")?.label == "ORG")
        #expect(find(rows, "Caspian Energy Institute")?.label == "ORG")
        #expect(find(rows, "Orion Shipping Group")?.label == "ORG")
    }

    @Test func acronymsDefinedInTheTextTakeTheLongName() throws {
        let rows = try entities("The Caspian Pipeline Consortium Authority (CPCA) met. Later the CPCA approved it.")
        let acronyms = rows.filter { $0.text == "CPCA" }
        #expect(acronyms.count == 2)
        #expect(acronyms.allSatisfy { $0.canonical == "Caspian Pipeline Consortium Authority" && $0.label == "ORG" })
    }

    @Test func laterSurnamesReferToTheFullName() throws {
        let rows = try entities("Vladimir Putin spoke first. Later, Putin left. Leyla Mammadova answered; Mammadova smiled.")
        #expect(rows.filter { $0.text == "Putin" }.map(\.canonical) == ["Vladimir Putin"])
        #expect(find(rows, "Mammadova")?.canonical == "Leyla Mammadova")
        #expect(find(rows, "Mammadova")?.source == "coreference")
    }

    @Test func datesNumbersMoneyAndQuantities() throws {
        let rows = try entities("On 12 September 2020 and in December 2019 output rose 3.1 percent to 48.3 billion cubic metres, worth $5 billion, the third rise in two years.")
        #expect(find(rows, "12 September 2020")?.label == "DATE")
        #expect(find(rows, "December 2019")?.label == "DATE")
        #expect(find(rows, "3.1 percent")?.label == "PERCENT")
        #expect(find(rows, "48.3 billion cubic metres")?.label == "QUANTITY")
        #expect(find(rows, "$ 5 billion") == nil)
        #expect(rows.contains { $0.label == "MONEY" && $0.text.hasPrefix("$") })
        #expect(find(rows, "third")?.label == "ORDINAL")
        #expect(find(rows, "two")?.label == "CARDINAL")
    }

    @Test func sentenceInitialWordsAndHeadingsDoNotBecomeNames() throws {
        let heading = "Balancing Acts And Grand Designs"
        let text = heading + "\n\nAccording to officials, Perhaps is not a name. However the talks went on."
        let markup = [Annotation(id: "markup-1", layer: "markup", label: "heading", span: TextSpan(0, heading.utf8.count), producer: "markdown@1.0.0")]
        let rows = try entities(text, markup: markup)
        #expect(rows.isEmpty, "\(rows)")
    }

    @Test func allCapitalHeadlinesUseOnlyTheLists() throws {
        let rows = try entities("RUSSIA AND IRAN SIGN DEAL AFTER LONG TALKS .")
        #expect(Set(rows.map(\.text)) == ["RUSSIA", "IRAN"])
    }

    @Test func optionsFilterLabelsAndConfidence() throws {
        let text = "Iran and Orion Shipping Group met on 3 May 2021."
        #expect(Set(try entities(text, options: ["labels": "GPE"]).map(\.label)) == ["GPE"])
        #expect(try entities(text, options: ["min-confidence": "0.85"]).allSatisfy { $0.label == "GPE" })
    }

    @Test func userGazetteersComeFirstAndBadOnesNameTheLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("sanctions.tsv")
        try "# analyst's list\nORG\tsanctions body\tOffice of Foreign Assets Control\tOFAC\n".write(to: good, atomically: true, encoding: .utf8)
        let rows = try entities("OFAC listed the firm.", options: ["gazetteer": good.path])
        #expect(find(rows, "OFAC")?.canonical == "Office of Foreign Assets Control")
        #expect(find(rows, "OFAC")?.source == good.path)
        let bad = directory.appendingPathComponent("bad.tsv")
        try "ORG\tonly two\n".write(to: bad, atomically: true, encoding: .utf8)
        let error = #expect(throws: MarginaliaError.self) { try EntityAnalyzer(options: AnalyzerOptions(parsing: ["gazetteer": bad.path], specs: EntityAnalyzer.descriptor.options, analyzer: "entity")) }
        #expect(error?.description == "\(bad.path):1: expected LABEL<TAB>kind<TAB>canonical<TAB>names, got 2 fields")
        #expect(throws: MarginaliaError.self) { try EntityAnalyzer(options: AnalyzerOptions(parsing: ["gazetteer": "/nonexistent.tsv"], specs: EntityAnalyzer.descriptor.options, analyzer: "entity")) }
    }

    @Test func knowledgeBaseHasItsSources() {
        let base = KnowledgeBase.builtIn
        #expect(base.entries.count > 3000)
        #expect(Set(base.entries.map(\.source)) == ["curated", "countries", "cities"])
        #expect(base.firstNames.count > 10000)
    }

    @Test func listedNamesAskForTheCapitalsTheyAreWrittenWith() throws {
        #expect(PhraseTrie.Casing("NATO") == .acronym)
        #expect(PhraseTrie.Casing("U.S.") == .acronym)
        #expect(PhraseTrie.Casing("Iran") == .capitalised)
        #expect(PhraseTrie.Casing("al") == .any)
        #expect(PhraseTrie.Casing("A") == .capitalised, "one capital is not an acronym")
        #expect(PhraseTrie.Casing("1990s") == .any)
        // As the knowledge base holds them: every listed name's casing is read from its surface.
        let trie = KnowledgeBase.builtIn.trie
        #expect(trie.nodes.allSatisfy { $0.casing == $0.surface.map(PhraseTrie.Casing.init) })
        // In text: an acronym must be in capitals, a capitalised name capitalised or in capitals.
        let rows = try entities("Nato and NATO met. The IRAN talks and the iran talks began in Tehran.")
        #expect(rows.filter { $0.canonical == "NATO" }.map(\.text) == ["NATO"])
        #expect(rows.filter { $0.canonical == "Iran" }.map(\.text) == ["IRAN"])
        // A trie built by hand: each step is one edge, and a node where a name ends holds its entry and casing.
        var built = PhraseTrie()
        built.insert(["Shanghai", "Cooperation", "Organization"], entry: 5)
        built.insert(["Shanghai"], entry: 7)
        built.insert(["SCO"], entry: 5)
        let shanghai = try #require(built.child(of: 0, FoldedHash.of("shanghai")))
        let cooperation = try #require(built.child(of: shanghai, FoldedHash.of("COOPERATION")))
        let organization = try #require(built.child(of: cooperation, FoldedHash.of("organization")))
        #expect(built.child(of: 0, FoldedHash.of("cooperation")) == nil, "an edge belongs to its parent")
        #expect(built.matches[organization].entry == 5 && built.matches[organization].length == 3)
        #expect(built.matches[organization].packed == 0b01_01_01, "three capitalised tokens")
        #expect(built.matches[shanghai].entry == 7 && built.matches[cooperation].entry == -1)
        let sco = try #require(built.child(of: 0, FoldedHash.of("sco")))
        #expect(built.matches[sco].packed == 0b10, "an acronym")
        // The first steps of many matches at once agree with one step at a time.
        let firsts = ["Shanghai", "Cooperation", "SCO", "nothing"].map(FoldedHash.of)
        #expect(built.rootChildren(firsts) == firsts.map { Int32(built.child(of: 0, $0) ?? -1) })
        #expect(built.rootChildren(firsts) == [Int32(shanghai), -1, Int32(sco), -1])
        // Many names (the table grows) and one too long to pack, whose casing is then read from the node.
        for number in 0..<500 { built.insert(["Name\(number)", "Tail"], entry: Int32(number)) }
        let long = (0..<40).map { "Word\($0)" }
        built.insert(long, entry: 9)
        var node = 0
        for word in long { node = try #require(built.child(of: node, FoldedHash.of(word))) }
        #expect(built.matches[node].entry == 9 && built.matches[node].length == 0)
        #expect(built.nodes[node].casing == Array(repeating: .capitalised, count: 40))
        #expect(try #require(built.child(of: 0, FoldedHash.of("name499"))) > 0)
        let entry = KnowledgeBase.builtIn.entries.first { $0.kind == "capital" && $0.canonical == "Tehran" }
        #expect(entry?.isCapital == true && entry?.isGovernmentPlace == false)
    }

    /// The corpus article: its main actors are found with the right canonical names (skipped without ../shared).
    @Test func corpusArticleActors() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus/iran-russia-ties.md").path
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let rows = try entities(String(decoding: data, as: UTF8.self))
        let canonical = Set(rows.map(\.canonical))
        for actor in ["Iran", "Russia", "China", "United States", "Mohammad Javad Zarif", "Shanghai Cooperation Organization", "Kayhan", "Shargh", "Entekhab", "Baztab", "University of Tehran", "Islamic Revolutionary Guard Corps"] {
            #expect(canonical.contains(actor), "missing \(actor)")
        }
    }
}
