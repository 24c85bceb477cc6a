import Testing
import MarginaliaCore
@testable import MarginaliaIO

@Suite("Decoding input bytes")
struct TextDecodingTests {
    @Test func stripsTheByteOrderMarkAndSaysSo() throws {
        let result = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Iran".utf8), name: "a.txt")
        #expect(result.bytes == Array("Iran".utf8))
        #expect(result.warnings == ["a.txt: removed the UTF-8 byte-order mark at the start"])
    }

    @Test func replacesInvalidSequencesAndGivesTheirOffsets() throws {
        let result = try TextDecoding.decode(Array("ab".utf8) + [0xFF] + Array("c".utf8) + [0xC3], name: "b.txt")
        #expect(String(decoding: result.bytes, as: UTF8.self) == "ab\u{FFFD}c\u{FFFD}")
        #expect(result.warnings == ["b.txt: replaced 2 invalid UTF-8 sequences with U+FFFD (byte offset 2, 4)"])
    }

    @Test func rejectsOverlongAndSurrogateEncodings() throws {
        #expect(!TextDecoding.isValidUTF8([0xC0, 0x80][...]))
        #expect(!TextDecoding.isValidUTF8([0xED, 0xA0, 0x80][...]))
        #expect(TextDecoding.isValidUTF8(Array("Malmö 👍".utf8)[...]))
    }

    @Test func refusesBinaryInput() {
        let error = #expect(throws: MarginaliaError.self) { try TextDecoding.decode([0x41, 0x00, 0x42], name: "c.bin") }
        #expect(error?.description == "c.bin: binary file (NUL byte at offset 1): not a text document")
    }

    @Test func keepsPlainTextExactly() throws {
        let text = "  Line one\r\nline two  \n\ncafe\u{301} "
        let documents = try DocumentLoader.load(bytes: Array(text.utf8), id: "p", source: nil, format: .text)
        #expect(documents.count == 1)
        #expect(documents[0].document.utf8 == Array(text.utf8))
        #expect(documents[0].store.count == 0)
    }

    @Test func detectsFormats() {
        #expect(InputFormat.fromExtension(of: "a/b.MD") == .markdown)
        #expect(InputFormat.fromExtension(of: "x.htm") == .html)
        #expect(InputFormat.fromExtension(of: "x.jsonl") == .jsonl)
        #expect(InputFormat.fromExtension(of: "dir.v2/file") == nil)
        #expect(InputFormat.sniff(Array("<!DOCTYPE html><html>".utf8)) == .html)
        #expect(InputFormat.sniff(Array("{\"format\": \"marginalia/1\"}".utf8)) == .json)
        #expect(InputFormat.sniff(Array("Just words.".utf8)) == .text)
    }
}
