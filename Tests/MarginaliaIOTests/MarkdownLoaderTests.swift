import Testing
import Foundation
import MarginaliaCore
@testable import MarginaliaIO

@Suite("Markdown loader")
struct MarkdownLoaderTests {
    @Test func headingsAndParagraphsBecomeBlocks() {
        let document = markdown("# Title #\n\nFirst line\nsecond line.\n\nSetext\n------\n\n---\n\nLast.")
        #expect(document.document.text == "Title\n\nFirst line\nsecond line.\n\nSetext\n\nLast.")
        #expect(markup(document).map(\.0) == ["heading", "heading"])
        #expect(document.store.annotations(in: "markup").map { $0.features["level"] } == [.int(1), .int(2)])
        #expect(document.document.metadata["title"] == "Title")
    }

    @Test func inlineLinksKeepTheirHrefAndAnchorText() {
        let document = markdown("Zarif has [traveled to Moscow](#) and [said so](https://x.org/a_(b) \"T\").")
        #expect(document.document.text == "Zarif has traveled to Moscow and said so.")
        let links = document.store.annotations(in: "markup")
        #expect(links.map { document.document.text(of: $0.span) } == ["traveled to Moscow", "said so"])
        #expect(links.map { $0.features["href"] } == [.string("#"), .string("https://x.org/a_(b)")])
        #expect(links[1].features["title"] == .string("T"))
    }

    @Test func referenceAndAutolinks() {
        let document = markdown("See [the deal][jcpoa] and [JCPOA] and <https://mei.edu/x>.\n\n[jcpoa]: https://example.org/jcpoa \"Deal\"\n")
        #expect(document.document.text == "See the deal and JCPOA and https://mei.edu/x.")
        let hrefs = document.store.annotations(in: "markup").compactMap { $0.features["href"]?.stringValue }
        #expect(hrefs == ["https://example.org/jcpoa", "https://example.org/jcpoa", "https://mei.edu/x"])
    }

    @Test func emphasisCodeEscapesAndEntities() {
        let document = markdown("*Not* **surprisingly**, `a*b*c` is \\*literal\\* &amp; snake_case_name ~~gone~~.")
        #expect(document.document.text == "Not surprisingly, a*b*c is *literal* & snake_case_name gone.")
        #expect(markup(document).map(\.0) == ["emphasis", "emphasis", "code", "emphasis"])
        #expect(document.store.annotations(in: "markup")[1].features["strong"] == .bool(true))
    }

    @Test func listsAndBlockQuotes() {
        let document = markdown("Intro:\n\n- first item\n- second\n  continued\n1. numbered\n\n> quoted *text*\n> more\n\nAfter.")
        #expect(document.document.text == "Intro:\n\nfirst item\nsecond\ncontinued\nnumbered\n\nquoted text\nmore\n\nAfter.")
        let labels = markup(document)
        #expect(labels.filter { $0.0 == "list-item" }.map(\.1) == ["first item", "second\ncontinued", "numbered"])
        #expect(labels.first { $0.0 == "quote-block" }?.1 == "quoted text\nmore")
    }

    @Test func codeBlocksKeepTheirContent() {
        let document = markdown("```swift\nlet x = [1](2)\n```\n\n    indented *code*\n\nText.")
        #expect(document.document.text == "let x = [1](2)\n\nindented *code*\n\nText.")
        #expect(markup(document).map(\.0) == ["code", "code"])
    }

    @Test func imagesInlineHTMLAndFrontMatter() {
        let document = markdown("---\ntitle: \"A Report\"\nauthor: Someone\n---\nAn ![chart](c.png) <b>bold</b> <!-- note --> end.")
        #expect(document.document.text == "An chart bold  end.")
        #expect(document.document.metadata == ["title": "A Report", "author": "Someone"])
        #expect(markup(document).map(\.0) == ["image"])
    }

    @Test func offsetsSurviveMultiByteTextAndEmoji() throws {
        let document = markdown("Malmö 👍🏽 [Tehran’s](#) view")
        let link = try #require(document.store.annotations(in: "markup").first)
        #expect(document.document.text(of: link.span) == "Tehran’s")
        var annotated = document
        annotated.document.metadata = [:]
        let json = try JSONParser.parse(MarginaliaJSON.encode(annotated))
        let exported = try #require(json["annotations"]?.arrayValue?.first)
        let start = try #require(exported["start"]?.intValue)
        let end = try #require(exported["end"]?.intValue)
        #expect(start == 9)
        #expect(scalarSlice(document.document.text, start, end) == "Tehran’s")
    }

    @Test func deepNestingIsKeptAsTextWithoutCrashing() {
        let deep = String(repeating: "> ", count: 5_000) + "inner"
        let quoted = markdown(deep)
        #expect(quoted.document.text.hasSuffix("inner"))
        let brackets = markdown(String(repeating: "[", count: 20_000) + "x" + String(repeating: "](#)", count: 20_000))
        #expect(brackets.document.text.contains("x"))
        let stars = markdown(String(repeating: "*a ", count: 10_000) + String(repeating: "a* ", count: 10_000))
        #expect(!stars.document.text.isEmpty)
    }

    @Test func loadsTheCorpusArticleWithEveryLink() throws {
        let path = "../shared/corpus/iran-russia-ties.md"
        guard FileIO.exists(path) else { return }
        let documents = try DocumentLoader.load(path: path)
        let document = try #require(documents.first)
        let links = document.store.annotations(in: "markup").filter { $0.label == "link" }
        let source = String(decoding: try FileIO.read(path), as: UTF8.self)
        // Every inline link and autolink of the source is kept, with its anchor text.
        let inlineCount = source.components(separatedBy: "](").count - 1
        let autoCount = source.components(separatedBy: "<http").count - 1
        #expect(links.count == inlineCount + autoCount)
        #expect(links.contains { document.document.text(of: $0.span) == "traveled to Moscow some 28 times" })
        #expect(!document.document.text.contains("]("))
    }
}

