import Testing
import MarginaliaCore
@testable import MarginaliaIO

@Suite("HTML loader")
struct HTMLLoaderTests {
    @Test func removesTagsScriptsAndStylesAndDecodesEntities() {
        let document = html("<html><head><title>T &amp; U</title><style>p{}</style></head><body><script>var x = '<p>';</script><p>Caf&eacute; &#8216;x&#x2019; &amp;&nbsp;y &unknown; &#150;</p></body></html>")
        #expect(document.document.text == "Café ‘x’ &\u{00A0}y &unknown; –")
        #expect(document.document.metadata["title"] == "T & U")
    }

    @Test func keepsBlockStructureAsLineBreaksAndCollapsesSpace() {
        let document = html("<h1>Head</h1>\n<p>One   two\nthree</p><p>Four<br>five</p><ul><li>a</li><li>b<li>c</ul><table><tr><td>1</td><td>2</td></tr></table>")
        #expect(document.document.text == "Head\n\nOne two three\n\nFour\nfive\n\na\nb\nc\n\n1\t2")
        #expect(markup(document).map(\.0) == ["heading", "list-item", "list-item", "list-item"])
    }

    @Test func keepsLinksEmphasisAndQuotes() {
        let document = html("<p>According to <a href=\"https://x.org?a=1&amp;b=2\" title=t>Tehran</a>, <em>it</em> <b>is</b> <q>fine</q>.</p><blockquote>Quoted</blockquote><pre>  keep   this  </pre>")
        #expect(document.document.text == "According to Tehran, it is fine.\n\nQuoted\n\n  keep   this")
        let annotations = document.store.annotations(in: "markup")
        let link = annotations.first { $0.label == "link" }
        #expect(link?.features["href"] == .string("https://x.org?a=1&b=2"))
        #expect(link.map { document.document.text(of: $0.span) } == "Tehran")
        #expect(Set(annotations.map(\.label)) == ["link", "emphasis", "quote", "quote-block", "code"])
    }

    @Test func readsMetadataFromMetaTags() {
        let document = html("<head><meta name=\"author\" content=\"A. Writer\"><meta property=\"article:published_time\" content=\"2020-09-12\"></head><body>x</body>")
        #expect(document.document.metadata["author"] == "A. Writer")
        #expect(document.document.metadata["date"] == "2020-09-12")
        #expect(document.document.text == "x")
    }

    @Test func survivesMalformedAndDeeplyNestedInput() {
        let deep = String(repeating: "<div><b>", count: 50_000) + "core" + String(repeating: "</b></div>", count: 50_000)
        #expect(html(deep).document.text == "core")
        #expect(html("a < b and <p unclosed").document.text == "a < b and")
        #expect(html("x <!-- never closed").document.text == "x")
        #expect(html("<a href=x>open link").store.annotations(in: "markup").count == 1)
    }
}
