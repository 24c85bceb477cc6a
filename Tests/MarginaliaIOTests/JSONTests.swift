import Testing
import Foundation
import MarginaliaCore
@testable import MarginaliaIO

@Suite("JSON parsing and writing")
struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5, 3e2, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "o": {}}"#)
        #expect(value["a"] == .array([.int(1), .double(-2.5), .double(300), .bool(true), .bool(false), .null]))
        #expect(value["s"] == .string("x\"\\/\né😀"))
        #expect(value["o"] == .object([:]))
    }

    @Test func reportsLineAndColumn() {
        let error = #expect(throws: MarginaliaError.self) { try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}") }
        #expect(error?.line == 3)
        #expect(error?.column == 7)
        #expect(error?.message == "invalid JSON: expected ':'")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":}", "\"unterminated", "01", "1.", "tru", "[1] 2", "\"\u{01}\"", "{\"a\" 1}"])
    func rejectsMalformedJSON(text: String) {
        #expect(throws: MarginaliaError.self) { try JSONParser.parse(text) }
    }

    @Test func refusesExcessiveNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = #expect(throws: MarginaliaError.self) { try JSONParser.parse(deep) }
        #expect(error?.message.contains("nested deeper") == true)
    }

    @Test func writerEscapesAndRoundTrips() throws {
        var writer = JSONWriter()
        let original: JSONValue = .object(["k": .array([.string("a\"b\\c\n\t\u{01}é"), .int(-42), .double(0.25), .double(2), .bool(true), .null])])
        writer.value(original)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"k":["a\"b\\c\n\t\u0001é",-42,0.25,2.0,true,null]}"#)
        #expect(try JSONParser.parse(writer.bytes) == .object(["k": .array([.string("a\"b\\c\n\t\u{01}é"), .int(-42), .double(0.25), .double(2), .bool(true), .null])]))
    }

    /// The writer checks eight bytes at a time: every character that must be escaped is caught at every
    /// position of a long string, and the result parses back to the same text.
    @Test func escapesAtEveryPositionOfLongStrings() throws {
        for special in ["\"", "\\", "\n", "\u{1F}", "\u{00}", "é"] {
            for position in 0..<24 {
                var text = String(repeating: "abcdefgh", count: 3)
                let index = text.index(text.startIndex, offsetBy: position)
                text.replaceSubrange(index...index, with: special)
                var writer = JSONWriter(capacity: 8)
                writer.string(text)
                #expect(try JSONParser.parse(writer.bytes) == .string(text))
                #expect(!writer.bytes.dropFirst().dropLast().contains(where: { $0 < 0x20 }))
            }
        }
        var writer = JSONWriter(capacity: 1)
        for number in [0, 7, -7, 10, 99, 1_000_000, Int.max, Int.min + 1] { writer.int(number); writer.byte(UInt8(ascii: " ")) }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "0 7 -7 10 99 1000000 \(Int.max) \(Int.min + 1) ")
    }

    /// Short strings (under a word) and strings of every length up to three words, with one character to escape
    /// at each position, are written escaped and parsed back by the parser's run-by-run reading.
    @Test func escapesAtEveryPositionOfEveryLength() throws {
        for length in 1...24 {
            for special in ["\"", "\\", "\n", "\u{07}"] {
                for position in 0..<length {
                    var bytes = Array(String(repeating: "x", count: length).utf8)
                    bytes.replaceSubrange(position...position, with: Array(special.utf8))
                    let text = String(decoding: bytes, as: UTF8.self)
                    var writer = JSONWriter(capacity: 8)
                    writer.string(text)
                    #expect(try JSONParser.parse(writer.bytes) == .string(text), "\(length) \(position)")
                }
            }
            let plain = String(repeating: "é", count: length)
            var writer = JSONWriter()
            writer.string(plain)
            #expect(writer.bytes == Array(("\"" + plain + "\"").utf8))
        }
        #expect(try JSONParser.parse(#""a\u00e9\\\"b\ud83d\ude00c""#) == .string("aé\\\"b😀c"))
    }

    /// A writer lent an array's storage writes in place while the output fits, and moves to its own memory,
    /// keeping every byte, when it does not.
    /// Raw pieces of every length up to and past the inline-copy limit arrive whole and in order.
    @Test func rawPiecesOfEveryLengthArriveWhole() {
        var writer = JSONWriter(capacity: 64)
        var expected: [UInt8] = []
        for length in 0...100 {
            let piece = (0..<length).map { UInt8(truncatingIfNeeded: 0x41 + ($0 + length) % 26) }
            piece.withUnsafeBufferPointer { writer.raw($0) }
            expected += piece
        }
        #expect(writer.bytes == expected)
    }

    @Test func writerLentABufferKeepsEveryByte() throws {
        let expected = (0..<20).map { "\($0)," }.joined()
        for (room, fits) in [(64, false), (4096, true)] {
            var grown: [UInt8]? = nil
            let written = [UInt8](unsafeUninitializedCapacity: room) { buffer, count in
                var writer = JSONWriter(writingInto: buffer)
                for number in 0..<20 { writer.int(number); writer.byte(UInt8(ascii: ",")) }
                #expect(writer.isInLentBuffer == fits)
                if writer.isInLentBuffer { count = writer.count } else { grown = writer.bytes; count = 0 }
            }
            #expect(String(decoding: grown ?? written, as: UTF8.self) == expected)
        }
        // The encoder estimates generously, but a document whose output outgrows the estimate is whole too.
        var store = AnnotationStore()
        let long = String(repeating: "\"", count: 3000)
        try? store.add(Annotation(id: "a", layer: "note", label: "x", span: TextSpan(0, 1), features: ["text": .string(long)]))
        let document = AnnotatedDocument(document: Document(id: "d", text: "x"), store: store)
        #expect(try MarginaliaJSON.decode(MarginaliaJSON.encode(document), name: "d.json").store["a"]?.features["text"] == .string(long))
    }

    /// An analyzer's rows held as columns are written byte for byte as the same rows held as annotations: labels,
    /// keys and values that need escaping, lists, several targets, in both layouts and with a layer choice (whose
    /// roles bring the annotations they name along).
    @Test func rowsWriteLikeAnnotations() throws {
        struct Rows: ColumnarAnalyzing {
            func analyzeColumns(_ document: Document, store: AnnotationStore) throws -> [AnnotationColumns] {
                var columns = AnnotationColumns(layer: "claim")
                let quoted = columns.name("say \"no\"\t"), plain = columns.name("doubt")
                let about = columns.name("about"), note = columns.name("note"), score = columns.name("score"), key = columns.name("ünïcode")
                let places = columns.outside("p1"), other = columns.outside("p2")
                for index in 0..<12 {
                    columns.append(label: index % 2 == 0 ? quoted : plain, span: TextSpan(index, index + 3), confidence: index % 3 == 0 ? 0.25 : nil)
                    if index % 4 != 3 {
                        columns.feature(note, index % 2 == 0 ? "line\nbreak \u{1F44D}" : .list([.int(index), .bool(true), .double(1.5)]))
                        columns.feature(score, .double(Double(index) / 8))
                        columns.feature(key, .map(["b": .int(2), "a": .string("x")]))
                    }
                    if index % 4 != 2 {
                        columns.role(about, outside: places)
                        if index % 2 == 1 { columns.addTarget(outside: other) }
                        columns.addTarget(row: (index + 5) % 12)
                    }
                }
                return [columns]
            }
            func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
                try analyzeColumns(document, store: store).flatMap(\.annotations)
            }
        }
        var registry = AnalyzerRegistry()
        let descriptor = AnalyzerDescriptor(name: "claims", version: "1.0.0", summary: "claims", produces: ["claim"])
        try registry.register(AnalyzerRegistration(descriptor: descriptor, origin: .swift) { _ in Rows() })
        let places = [
            Annotation(id: "p1", layer: "place", label: "GPE", span: TextSpan(0, 4), producer: "analyst"),
            Annotation(id: "p2", layer: "place", label: "GPE", span: TextSpan(5, 9), producer: "analyst"),
        ]
        var columnar = AnnotatedDocument(document: Document(id: "d", text: "Baku and Baki, Bakı and Malmö said “no”."), store: try AnnotationStore(places))
        #expect(try Pipeline(analyzers: ["claims"], registry: registry).run(&columnar).isEmpty)
        #expect(columnar.store.annotationColumns(in: "claim") != nil)
        let plain = AnnotatedDocument(document: columnar.document, store: try AnnotationStore(columnar.store.all))
        #expect(plain.store.annotationColumns(in: "claim") == nil)
        for options in [MarginaliaJSON.WriteOptions(), .init(pretty: true), .init(layers: ["claim"]), .init(layers: ["place"])] {
            #expect(MarginaliaJSON.encode(columnar, options: options) == MarginaliaJSON.encode(plain, options: options))
        }
        let chosen = try MarginaliaJSON.decode(MarginaliaJSON.encode(columnar, options: .init(layers: ["claim"])), name: "d.json")
        #expect(chosen.store.count(in: "place") == 2)
        #expect(try MarginaliaJSON.decode(MarginaliaJSON.encode(columnar), name: "d.json").store.all == plain.store.all)
    }

    /// Tokens held as columns are written byte for byte as the same tokens held as annotations, in both layouts
    /// and with a layer choice.
    @Test func tokenColumnsWriteLikeAnnotations() throws {
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        var columnar = AnnotatedDocument(document: Document(id: "d", text: "Zarif said “no” to \"them\"\tin Malmö 👍🏽. Done."))
        #expect(try Pipeline(analyzers: ["segment"], registry: registry).run(&columnar).isEmpty)
        #expect(columnar.store.tokenColumns(in: "token") != nil)
        let plain = AnnotatedDocument(document: columnar.document, store: try AnnotationStore(columnar.store.all))
        for options in [MarginaliaJSON.WriteOptions(), .init(pretty: true), .init(layers: ["token"])] {
            #expect(MarginaliaJSON.encode(columnar, options: options) == MarginaliaJSON.encode(plain, options: options))
        }
        #expect(try MarginaliaJSON.decode(MarginaliaJSON.encode(columnar), name: "d.json").store.all == plain.store.all)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        var writer = JSONWriter()
        writer.double(.nan)
        writer.double(.infinity)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "nullnull")
    }

    /// Integers of every length and sign are written as `String(value)` writes them.
    @Test func integersWriteAsDecimal() {
        var generator = SystemRandomNumberGenerator()
        var values = [0, 9, 10, 99, 100, 999, 1000, Int.max, Int.min, Int.min + 1, -1, -10, -100]
        for power in 0..<19 {
            let p = Int(pow(10.0, Double(power)).rounded())
            values += [p - 1, p, p + 1, -p]
        }
        values += (0..<5000).map { _ in Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...62, using: &generator) }
        for value in values {
            var writer = JSONWriter()
            writer.int(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value), "\(value)")
        }
    }

    /// Numbers are written as Swift's shortest round-tripping text, whether by the thousandths shortcut or not.
    @Test func doublesWriteAsTheirShortestText() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = (-3000...3000).map { Double($0) / 1000 } + [0.1, 0.2 + 0.1, 1e-7, 123_456_789.125, 1e9 + 0.5, -0.05]
        values += (0..<2000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        values += (0..<2000).map { _ in Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / 1000 }
        for value in values {
            var writer = JSONWriter()
            writer.double(value)
            let expected = value == 0 ? "0.0" : value.description
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(value)")
        }
    }
}

@Suite("Marginalia JSON")
struct MarginaliaJSONTests {
    func sample() throws -> AnnotatedDocument {
        let text = "Zarif 👍🏽 said “Tehran’s view” in Malmö."
        let document = Document(id: "doc", source: "x.txt", text: text, metadata: ["title": "T"])
        func span(_ needle: String) -> TextSpan {
            let range = text.range(of: needle)!
            return TextSpan(text.utf8.distance(from: text.startIndex, to: range.lowerBound), text.utf8.distance(from: text.startIndex, to: range.upperBound))
        }
        var store = AnnotationStore()
        try store.add(contentsOf: [
            Annotation(id: "e1", layer: "entity", label: "PERSON", span: span("Zarif"), features: ["canonical": "Mohammad Javad Zarif", "n": 2, "w": 0.5, "ok": true, "tags": .list(["a", "b"]), "m": .map(["k": "v"])], producer: "entity@1.0.0", confidence: 0.9),
            Annotation(id: "e2", layer: "entity", label: "GPE", span: span("Tehran"), features: ["canonical": "Iran"], producer: "entity@1.0.0"),
            Annotation(id: "c1", layer: "citation", label: "content", span: span("Tehran’s view"), producer: "citation@1.0.0"),
            Annotation(id: "c2", layer: "citation", label: "attribution", span: span("Zarif 👍🏽 said “Tehran’s view”"), roles: ["source": ["e1"], "content": ["c1", "e2"]], producer: "citation@1.0.0"),
        ])
        return AnnotatedDocument(document: document, store: store)
    }

    @Test func writesTheSpecifiedShapeWithScalarOffsets() throws {
        let annotated = try sample()
        let bytes = MarginaliaJSON.encode(annotated)
        let value = try JSONParser.parse(bytes)
        #expect(value["format"] == .string("marginalia/1"))
        #expect(value["offsetUnit"] == .string("unicode-scalar"))
        #expect(value["document"]?["id"] == .string("doc"))
        #expect(value["document"]?["metadata"]?["title"] == .string("T"))
        let text = annotated.document.text
        for item in value["annotations"]!.arrayValue! {
            let start = item["start"]!.intValue!, end = item["end"]!.intValue!
            #expect(scalarSlice(text, start, end) == item["text"]!.stringValue!)
        }
        let tehran = value["annotations"]!.arrayValue!.first { $0["id"] == .string("e2") }!
        #expect(tehran["start"] == .int(15))
        // Keys appear in the specification's order.
        let line = String(decoding: bytes, as: UTF8.self)
        let order = ["\"format\"", "\"offsetUnit\"", "\"document\"", "\"annotations\""].map { line.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test func roundTripsEverything() throws {
        let original = try sample()
        for pretty in [false, true] {
            let bytes = MarginaliaJSON.encode(original, options: .init(pretty: pretty))
            let decoded = try MarginaliaJSON.decode(bytes, name: "x.json")
            #expect(decoded.document.text == original.document.text)
            #expect(decoded.document.metadata == original.document.metadata)
            #expect(decoded.store.all == original.store.all)
        }
    }

    /// More distinct labels, layers and producers than the writer keeps escaped, in an order that makes it
    /// replace and find them again, all written as they are (one needing escapes).
    @Test func manyRepeatedNamesRoundTrip() throws {
        let text = String(repeating: "word ", count: 60)
        var annotations: [Annotation] = []
        for index in 0..<60 {
            let kind = (index * 7) % 13
            annotations.append(Annotation(
                id: "a\(index)", layer: "layer\(kind % 11)", label: kind == 3 ? "quote\"d" : "LABEL\(kind)",
                span: TextSpan(index * 5, index * 5 + 4), producer: "p\(kind % 10)@1.0"))
        }
        let original = AnnotatedDocument(document: Document(id: "d", text: text), store: try AnnotationStore(annotations))
        let decoded = try MarginaliaJSON.decode(MarginaliaJSON.encode(original), name: "d.json")
        #expect(decoded.store.all == original.store.all)
    }

    /// Feature and role keys and string values that take the writer's kept forms (found by the bits of the string
    /// value): short ones, alternating; values needing escapes, of 15 and 16 bytes, non-ASCII and empty; long ones
    /// sharing one storage or made afresh with equal text; confidences that repeat and more than it keeps: all
    /// written as they are.
    @Test func recurringFeatureStringsRoundTrip() throws {
        let text = String(repeating: "word ", count: 80)
        let values = ["Iran", "Iraq", "author", "attributed", "a\"b", "fifteen-bytes!!", "sixteen-bytes!!!", "Erdoğan", "", "tab\there"]
        // More confidences than the writer keeps, some with long texts, one negative zero.
        let confidences = [0.95, 0.5, 0.41000000000000003, 0.8, 1e-7, 0.75, 0.6, 0.4, 0.7, 1.0, -0.0, 123456.789]
        var annotations: [Annotation] = []
        for index in 0..<80 {
            // Long values (16 to 22 bytes) both shared (one storage) and made afresh (equal text, other storage).
            let value = index % 11 == 0 ? "made-afresh-\(index % 2)-" + String(repeating: "x", count: index % 7)
                : index % 13 == 0 ? "shared-long-value-\"q\"" : values[(index * 3) % values.count]
            var features: Features = index % 2 == 0 ? ["holder": .string(value), "target": "Iran"] : ["source": .string(value), "target": .string(values[index % values.count])]
            if index % 5 == 0 { features["kind"] = .int(index) }
            // Keys of 15 and 16 bytes: the longest kept with their separator, and the shortest not kept.
            if index % 7 == 0 { features[index % 2 == 0 ? "fifteen-bytes!!" : "sixteen-bytes!!!"] = .bool(true) }
            var roles: Roles = [:]
            if index > 0 { roles[index % 2 == 0 ? "holder" : "target"] = ["a\(index - 1)"] }
            if index > 1, index % 3 == 0 { roles[index % 2 == 0 ? "fifteen-bytes!!" : "sixteen-bytes!!!"] = ["a\(index - 2)", "a0"] }
            annotations.append(Annotation(
                id: "a\(index)", layer: "stance", label: index % 3 == 0 ? "cue" : "GPE", span: TextSpan(index * 5, index * 5 + 4),
                features: features, roles: roles, producer: "stance@0.1.0",
                confidence: index % 4 == 0 ? nil : confidences[(index * 5) % confidences.count]))
        }
        let original = AnnotatedDocument(document: Document(id: "d", text: text), store: try AnnotationStore(annotations))
        // Keys are kept with the separator after them, which differs between the two modes.
        for pretty in [false, true] {
            let decoded = try MarginaliaJSON.decode(MarginaliaJSON.encode(original, options: .init(pretty: pretty)), name: "d.json")
            #expect(decoded.store.all == original.store.all)
        }
    }

    @Test func writesOnlyChosenLayers() throws {
        let bytes = MarginaliaJSON.encode(try sample(), options: .init(layers: ["entity"]))
        let layers = Set(try JSONParser.parse(bytes)["annotations"]!.arrayValue!.compactMap { $0["layer"]?.stringValue })
        #expect(layers == ["entity"])
    }

    /// A layer choice brings along what the chosen layers' roles reach outside them, through chains of roles,
    /// each once; what they reach inside them, and what nothing reaches, stays as chosen.
    @Test func chosenLayersBringTheirRoleTargetsAlong() throws {
        func a(_ id: String, _ layer: String, _ start: Int, _ roles: Roles = [:]) -> Annotation {
            Annotation(id: id, layer: layer, label: "x", span: TextSpan(start, start + 1), roles: roles, producer: "test")
        }
        let annotations = [
            a("s1", "stance", 0, ["target": ["e1"], "cue": ["s2"]]), a("s2", "stance", 1),
            a("s3", "stance", 2, ["holder": ["e1", "e2"]]),
            a("e1", "entity", 3, ["mention": ["c1"]]), a("e2", "entity", 4), a("e3", "entity", 5),
            a("c1", "citation", 6, ["source": ["e3", "c2"]]), a("c2", "citation", 7), a("c3", "citation", 8),
        ]
        let document = AnnotatedDocument(document: Document(id: "d", text: "abcdefghij"), store: try AnnotationStore(annotations))
        func written(_ layers: Set<String>) throws -> [String] {
            let json = try JSONParser.parse(MarginaliaJSON.encode(document, options: .init(layers: layers)))
            return json["annotations"]!.arrayValue!.compactMap { $0["id"]?.stringValue }
        }
        #expect(try written(["stance"]) == ["s1", "s2", "s3", "e1", "e2", "e3", "c1", "c2"])
        #expect(try written(["stance", "citation"]) == ["c1", "c2", "c3", "s1", "s2", "s3", "e1", "e2", "e3"])
        #expect(try written(["entity"]) == ["e1", "e2", "e3", "c1", "c2"])
        #expect(try written(["citation"]) == ["c1", "c2", "c3", "e3"])
    }

    @Test(arguments: [
        (#"{"format":"marginalia/2","document":{"text":"x"},"annotations":[]}"#, "unsupported format"),
        (#"{"document":{"id":"d"},"annotations":[]}"#, "missing 'document.text'"),
        (#"{"document":{"text":"abc"},"annotations":[{"id":"a","layer":"l","label":"x","start":0,"end":2,"text":"ac"}]}"#, "does not match"),
        (#"{"document":{"text":"abc"},"annotations":[{"id":"a","layer":"l","label":"x","start":2,"end":9}]}"#, "outside the text"),
        (#"{"document":{"text":"abc"},"annotations":[{"id":"a","layer":"l","label":"x","start":0,"end":1,"roles":{"r":"zz"}}]}"#, "unknown annotation 'zz'"),
        (#"{"document":{"text":"abc"},"annotations":[{"id":"a","layer":"l","label":"x","start":0,"end":1},{"id":"a","layer":"l","label":"x","start":0,"end":1}]}"#, "duplicate annotation id"),
    ])
    func rejectsInvalidDocuments(json: String, expected: String) {
        let error = #expect(throws: MarginaliaError.self) { try MarginaliaJSON.decode(Array(json.utf8), name: "bad.json") }
        #expect(error?.description.hasPrefix("bad.json") == true)
        #expect(error?.message.contains(expected) == true)
    }

    @Test func convertsOffsetsBothWays() {
        let text = Array("a👍é b".utf8)
        let toScalars = ScalarOffsets(utf8: text)
        #expect([0, 1, 5, 7, 9].map(toScalars.scalarOffset(ofByte:)) == [0, 1, 2, 3, 5])
        let ascii = ScalarOffsets(utf8: Array("plain text".utf8))
        #expect([0, 3, 10].map(ascii.scalarOffset(ofByte:)) == [0, 3, 10])
        let toBytes = ScalarOffsets.byteOffsets(utf8: text, scalarOffsets: [0, 2, 3, 5, 6])
        #expect(toBytes == [0: 0, 2: 5, 3: 7, 5: 9])
    }

    @Test func readsRequestsAndDocumentsFromJSONLines() throws {
        var reader = JSONLinesReader(name: "in.jsonl")
        let request = try reader.document(fromLine: Array(#"{"id": "n1", "text": "Hello *there*", "mediaType": "text/markdown"}"#.utf8))
        #expect(request?.id == "n1")
        #expect(request?.document.text == "Hello there")
        #expect(try reader.document(fromLine: Array("   ".utf8)) == nil)
        let whole = MarginaliaJSON.encode(try sample())
        #expect(try reader.document(fromLine: whole)?.store.count == 4)
        let error = #expect(throws: MarginaliaError.self) { try reader.document(fromLine: Array(#"{"id": 1}"#.utf8)) }
        #expect(error?.description == "in.jsonl:4: expected an object with a string 'text'")
    }
}
