import Foundation
import MarginaliaCore
import Testing
@testable import MarginaliaIO

/// A small annotated document: two entities, a stance between them, and a feature with spaces.
func sampleDocument() throws -> AnnotatedDocument {
    let text = "Ankara backed Baku.\nThe “deal” held."
    let document = Document(id: "s/1", text: text)
    func span(_ needle: String) -> TextSpan {
        let range = text.utf8.firstRange(of: needle.utf8)!
        return TextSpan(text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound), text.utf8.distance(from: text.utf8.startIndex, to: range.upperBound))
    }
    let annotations = [
        Annotation(id: "t1", layer: "token", label: "word", span: span("Ankara")),
        Annotation(id: "e1", layer: "entity", label: "GPE", span: span("Ankara"), features: ["canonical": "Turkey", "kind": "government"], producer: "entity@1"),
        Annotation(id: "e2", layer: "entity", label: "GPE", span: span("Baku"), features: ["canonical": "Azerbaijan", "note": "capital city"], producer: "entity@1"),
        Annotation(id: "s1", layer: "stance", label: "support", span: span("Ankara backed Baku"), features: ["holder": "Turkey", "target": "Azerbaijan", "polarity": 1], roles: ["holder": ["e1"], "target": ["e2"]], producer: "stance@1"),
        Annotation(id: "q1", layer: "citation", label: "quote", span: span("deal"), features: ["scare": true], producer: "citation@1"),
    ]
    return AnnotatedDocument(document: document, store: try AnnotationStore(annotations))
}

@Suite("Exports and imports")
struct ExportImportTests {
    @Test func bratRoundTripKeepsSpansLabelsLayersAndRoles() throws {
        let original = try sampleDocument()
        let (ann, txt) = BratExporter.export(original, layers: ["entity", "stance", "citation"])
        let annText = String(decoding: ann, as: UTF8.self)
        #expect(annText.hasPrefix("T1\tsupport 0 18\tAnkara backed Baku\n"))
        #expect(annText.contains("T2\tGPE 0 6\tAnkara\n"))
        #expect(annText.contains("\tcanonical T2 Turkey\n"))
        #expect(annText.contains("note=capital city"), "values with spaces go to notes")
        #expect(annText.contains("E1\tsupport:T1 Holder:T2 Target:T3"))
        #expect(txt == original.document.utf8)
        let imported = try BratImporter.parse(annText, document: original.document, layer: "entity", name: "x.ann")
        let entities = imported.filter { $0.layer == "entity" }
        #expect(entities.map(\.span) == original.store.annotations(in: "entity").map(\.span))
        #expect(entities.first?.features["canonical"] == "Turkey")
        let event = try #require(imported.first { $0.id == "E1" })
        #expect(event.layer == "stance")
        #expect(event.roles["holder"] == ["T2"])
        #expect(imported.first { $0.label == "quote" }?.features["scare"] == .bool(true))
    }

    @Test func bratImportErrorsNameTheLine() {
        let document = Document(id: "d", text: "abc")
        #expect(throws: MarginaliaError.self) { try BratImporter.parse("T1\tX 0 9\tabc\n", document: document, layer: "entity", name: "d.ann") }
        do {
            _ = try BratImporter.parse("T1\tX 0 1\ta\nE1\tEv:T9\n", document: document, layer: "entity", name: "d.ann")
        } catch {
            #expect("\(error)" == "d.ann:2: 'T9' is not defined")
        }
    }

    @Test func conllImportReadsIOB1AndIOB2AndDocuments() throws {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-ORG\nand CC O\nRussia NNP I-LOC\nRussia NNP B-LOC\n\nnew JJ O\n-DOCSTART- -X- O O\n\nIran NNP B-LOC\n"
        let documents = try ConllImporter.parse(text, name: "x.testa")
        #expect(documents.count == 2)
        let first = documents[0]
        #expect(first.document.text == "EU and Russia Russia\nnew")
        #expect(first.store.annotations(in: "entity").map { first.document.text(of: $0.span) } == ["EU", "Russia", "Russia"])
        #expect(first.store.count(in: "sentence") == 2)
        #expect(documents[1].store.annotations(in: "entity").map(\.label) == ["LOC"])
    }

    @Test func conllExportIsIOB2WithOutermostEntities() throws {
        var document = try sampleDocument()
        try document.store.add(Annotation(id: "t2", layer: "token", label: "word", span: TextSpan(7, 13)))
        try document.store.add(Annotation(id: "t3", layer: "token", label: "word", span: TextSpan(14, 18)))
        let out = String(decoding: ConllExporter.export(document, layer: "entity"), as: UTF8.self)
        #expect(out == "-DOCSTART- -X- -X- O\n\nAnkara\tB-GPE\nbacked\tO\nBaku\tB-GPE\n\n")
    }

    @Test func csvQuotesAndTables() throws {
        let files = CSVExporter.export(try sampleDocument(), layers: ["entity", "stance"])
        #expect(files.map(\.suffix) == [".entity.csv", ".stance.csv", ".stance-matrix.csv"])
        let entity = String(decoding: files[0].bytes, as: UTF8.self)
        #expect(entity.hasPrefix("id,label,start,end,text,canonical,kind,note,producer,confidence\r\n"))
        #expect(CSVExporter.table([["a,b", "say \"hi\"", "plain"]]) == Array("\"a,b\",\"say \"\"hi\"\"\",plain\r\n".utf8))
        #expect(String(decoding: files[2].bytes, as: UTF8.self).contains("Turkey,Azerbaijan,1,0,1"))
    }

    @Test func w3cSelectorsCountCodePoints() throws {
        let bytes = W3CExporter.export(try sampleDocument(), layers: ["citation"])
        let json = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(json["type"] as? String == "AnnotationCollection")
        let item = ((json["first"] as! [String: Any])["items"] as! [[String: Any]])[0]
        let selectors = (item["target"] as! [String: Any])["selector"] as! [[String: Any]]
        // "deal" follows "Ankara backed Baku.\nThe “": 25 code points, though “ takes 3 bytes.
        #expect(selectors[0]["start"] as? Int == 25)
        #expect(selectors[1]["exact"] as? String == "deal")
        #expect(selectors[1]["suffix"] as? String == "” held.")
        #expect((item["creator"] as! [String: Any])["name"] as? String == "citation@1")
    }

    @Test func htmlReportEscapesAndDrawsTheNetwork() throws {
        var document = try sampleDocument()
        try document.store.add(Annotation(id: "x", layer: "entity", label: "ORG", span: TextSpan(0, 6), features: ["note": "<b>&"]))
        let html = String(decoding: HTMLReport.render(document, layers: ["entity", "stance", "citation"]), as: UTF8.self)
        #expect(html.contains("note=&lt;b&gt;&amp;"))
        #expect(html.contains("<svg"))
        #expect(html.contains("<title>Turkey → Azerbaijan: +1/−0</title>"))
        #expect(!html.contains("<script src"))
    }

    @Test func evaluationCountsStrictAndLenient() throws {
        let document = Document(id: "d", text: "Hakan Fidan met Ilham Aliyev in Baku")
        let gold = AnnotatedDocument(document: document, store: try AnnotationStore([
            Annotation(id: "g1", layer: "entity", label: "PER", span: TextSpan(0, 11)),
            Annotation(id: "g2", layer: "entity", label: "PER", span: TextSpan(16, 28)),
            Annotation(id: "g3", layer: "entity", label: "LOC", span: TextSpan(32, 36)),
        ]))
        let system = AnnotatedDocument(document: document, store: try AnnotationStore([
            Annotation(id: "s1", layer: "entity", label: "PER", span: TextSpan(0, 11)),
            Annotation(id: "s2", layer: "entity", label: "PER", span: TextSpan(22, 28)),
            Annotation(id: "s3", layer: "entity", label: "ORG", span: TextSpan(32, 36)),
        ]))
        var evaluation = Evaluation()
        try evaluation.add(gold: gold, system: system, layer: "entity")
        #expect(evaluation.overall(.exact) == Evaluation.Counts(gold: 3, predicted: 3, correct: 1, found: 1))
        #expect(evaluation.overall(.overlap) == Evaluation.Counts(gold: 3, predicted: 3, correct: 2, found: 2))
        #expect(evaluation.differences[.exact]!.map(\.kind) == [.miss, .falseAlarm, .falseAlarm, .miss])
        let other = AnnotatedDocument(document: Document(id: "d", text: "different"), store: AnnotationStore())
        #expect(throws: MarginaliaError.self) { try evaluation.add(gold: gold, system: other, layer: "entity") }
    }
}
