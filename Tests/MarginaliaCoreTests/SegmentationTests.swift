import Testing
@testable import MarginaliaCore

@Suite("Segmentation")
struct SegmentationTests {
    func tokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Tokenizer.tokenize(bytes).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    func sentences(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return SentenceSplitter.split(bytes, tokens: Tokenizer.tokenize(bytes)).map {
            String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)
        }
    }

    @Test func keepsAbbreviationsHyphensAndNumbersWhole() {
        #expect(tokens("The U.S. sold S-300s.") == ["The", "U.S.", "sold", "S-300s", "."])
        #expect(tokens("Gen. Qassem and Dr. J. Smith") == ["Gen.", "Qassem", "and", "Dr.", "J.", "Smith"])
        #expect(tokens("3.5 percent of $1,000,000 at 10:30") == ["3.5", "percent", "of", "$", "1,000,000", "at", "10:30"])
        #expect(tokens("Iranian-Russian-Chinese drill") == ["Iranian-Russian-Chinese", "drill"])
        #expect(tokens("e.g. this") == ["e.g.", "this"])
    }

    @Test func splitsCliticsAndPunctuation() {
        #expect(tokens("Iran's views don't change") == ["Iran", "'s", "views", "do", "n't", "change"])
        #expect(tokens("Iran’s O'Brien") == ["Iran", "’s", "O'Brien"])
        #expect(tokens("(quote) “new” — wait...") == ["(", "quote", ")", "“", "new", "”", "—", "wait", "..."])
    }

    @Test func neverBreaksAURL() {
        #expect(tokens("See https://www.mei.edu/a.b?x=1&y=(2). Then") == ["See", "https://www.mei.edu/a.b?x=1&y=(2)", ".", "Then"])
        #expect(tokens("(www.example.org/path)") == ["(", "www.example.org/path", ")"])
        #expect(tokens("whatever www") == ["whatever", "www"])
    }

    @Test func handlesNonASCIIAndEmoji() {
        #expect(tokens("Malmö University 👍🏽 café") == ["Malmö", "University", "👍", "🏽", "café"])
        #expect(tokens("a\u{00A0}b") == ["a", "b"])
    }

    @Test func splitsSentencesAtTerminalsAndBlankLines() {
        #expect(sentences("Iran acts. Russia waits! Does China? Yes.") == ["Iran acts.", "Russia waits!", "Does China?", "Yes."])
        #expect(sentences("Heading\n\nBody text here.") == ["Heading", "Body text here."])
        #expect(sentences("A line\ncontinues here.") == ["A line\ncontinues here."])
    }

    @Test func keepsAbbreviationsInitialsAndDecimalsInsideSentences() {
        #expect(sentences("Gen. Smith met Dr. Jones at 3.5 p.m. today. Then left.") == ["Gen. Smith met Dr. Jones at 3.5 p.m. today.", "Then left."])
        #expect(sentences("Mohammad J. Zarif spoke.") == ["Mohammad J. Zarif spoke."])
        #expect(sentences("It opposed U.S. pressure on Iran.") == ["It opposed U.S. pressure on Iran."])
        #expect(sentences("Sanctions came from the U.S. The talks failed.") == ["Sanctions came from the U.S.", "The talks failed."])
        #expect(sentences("e.g. this one. Next") == ["e.g. this one.", "Next"])
    }

    @Test func keepsClosingQuotesAndBracketsWithTheirSentence() {
        #expect(sentences("He said, “It is over.” Then he left.") == ["He said, “It is over.”", "Then he left."])
        #expect(sentences("(This is aside.) Main text.") == ["(This is aside.)", "Main text."])
        #expect(sentences("Wait... and see. Okay") == ["Wait... and see.", "Okay"])
    }

    @Test func emptyAndSpaceOnlyTextsHaveNoSegments() {
        #expect(tokens("").isEmpty)
        #expect(sentences("  \n\t ").isEmpty)
    }

    @Test func segmentAnalyzerProducesBothLayers() throws {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        var document = AnnotatedDocument(document: Document(id: "d", text: "One. Two three."))
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&document).isEmpty)
        #expect(document.store.count(in: "token") == 5)
        #expect(document.store.count(in: "sentence") == 2)
        #expect(document.store.annotations(in: "token").map(\.label) == ["word", "punct", "word", "word", "punct"])
    }
}
