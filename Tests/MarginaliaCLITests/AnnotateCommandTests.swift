import Foundation
import Testing

@Suite("marginalia annotate and friends", .serialized)
struct AnnotateCommandTests {
    @Test func annotatesTheSampleIntoValidMarginaliaJSON() throws {
        let result = try CLI.run(["annotate", "Docs/samples/caspian-corridor.md", "--format", "json"])
        #expect(result.status == 0)
        let object = try CLI.json(result.stdout)
        #expect(object["format"] as? String == "marginalia/1")
        let document = object["document"] as! [String: Any]
        let text = document["text"] as! String
        #expect(document["mediaType"] as? String == "text/markdown")
        let annotations = object["annotations"] as! [[String: Any]]
        var ids = Set<String>()
        for annotation in annotations {
            let start = annotation["start"] as! Int, end = annotation["end"] as! Int
            #expect(text.scalarSlice(start, end) == annotation["text"] as! String)
            #expect(ids.insert(annotation["id"] as! String).inserted)
        }
        let links = annotations.filter { $0["layer"] as? String == "markup" && $0["label"] as? String == "link" }
        #expect(links.map { $0["text"] as! String } == ["memorandum on strategic energy partnership"])
        let tokens = Set(annotations.filter { $0["layer"] as? String == "token" }.map { $0["text"] as! String })
        #expect(tokens.contains("U.S."))
        #expect(tokens.contains("48.3"))
    }

    /// `bench` reports every figure it promises, each a positive rate or time, on a small corpus.
    @Test func benchReportsEveryFigure() throws {
        let result = try CLI.run(["bench", "--documents", "3", "--document-words", "800", "--repeat", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("corpus: 3 documents, ") == true)
        // (The second pipeline line names the machine's processor count.)
        let manyCores = try #require(lines.first { $0.hasPrefix("pipeline, ") && !$0.hasPrefix("pipeline, 1 core ") })
        let coresName = manyCores.split(separator: " ").prefix(3).joined(separator: " ")
        for name in ["segmentation", "citation", "entity", "stance", "pipeline, 1 core", coresName, "JSON export (all layers)"] {
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "no line for \(name)")
            let rate = line.dropFirst(name.count).split(separator: " ").first.flatMap { Int($0) }
            #expect((rate ?? 0) > 0, "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("REPL `run all`, 10,000 words: ") && $0.hasSuffix(" ms") })
        #expect(lines.contains { $0.hasPrefix("REPL start-up to first command") })
        #expect(lines.last?.hasPrefix("peak memory of this benchmark: ") == true)
    }

    @Test func splitsTheCorpusArticleCorrectly() throws {
        guard let shared = CLI.shared else { return }
        let path = shared.appendingPathComponent("corpus/iran-russia-ties.md").path
        let result = try CLI.run(["annotate", path, "--format", "json"])
        #expect(result.status == 0)
        let object = try CLI.json(result.stdout)
        let annotations = object["annotations"] as! [[String: Any]]
        let tokens = annotations.filter { $0["layer"] as? String == "token" }.map { $0["text"] as! String }
        #expect(tokens.contains("U.S."))
        #expect(tokens.contains("S-300"))
        let sentences = annotations.filter { $0["layer"] as? String == "sentence" }.map { $0["text"] as! String }
        // "U.S." inside a sentence does not end it; no sentence ends on it when a lower-case word follows.
        #expect(sentences.contains { $0.contains("combat U.S. aspirations") })
        #expect(!sentences.contains { $0.hasSuffix("combat U.S.") })
        let links = annotations.filter { $0["label"] as? String == "link" }
        #expect(links.count >= 25)
        #expect(links.contains { $0["text"] as? String == "vetoed several resolutions against Iran" })
    }

    @Test func streamsJSONLinesInInputOrderWithTheSameIDs() throws {
        var input = ""
        for index in 0..<200 {
            let text = index % 3 == 0 ? "Short \(index)." : String(repeating: "Tehran and Moscow met. ", count: index % 17 + 1)
            input += #"{"id": "doc-\#(index)", "text": "\#(text)", "mediaType": "text/plain"}"# + "\n"
        }
        let result = try CLI.run(["annotate", "--input", "jsonl", "--format", "jsonl", "--jobs", "2"], stdin: Data(input.utf8))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 200)
        for (index, line) in lines.enumerated() {
            let object = try CLI.json(String(line))
            #expect((object["document"] as! [String: Any])["id"] as? String == "doc-\(index)")
        }
    }

    @Test func reportsBadFilesInOneLineAndStillWritesTheGoodOnes() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.txt")
        let binary = directory.appendingPathComponent("image.txt")
        try Data("Iran and Russia.".utf8).write(to: good)
        try Data([0x50, 0x4E, 0x00, 0x47]).write(to: binary)
        let result = try CLI.run(["annotate", good.path, directory.appendingPathComponent("missing.md").path, binary.path, directory.path, "--format", "jsonl"])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n")
        #expect(errors.count == 3)
        #expect(errors[0] == "marginalia: \(directory.path)/missing.md: cannot open: No such file or directory")
        #expect(errors[1] == "marginalia: \(binary.path): binary file (NUL byte at offset 2): not a text document")
        #expect(errors[2] == "marginalia: \(directory.path): is a directory, not a document")
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func malformedJSONLinesNameTheLine() throws {
        let input = "{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": }\n"
        let result = try CLI.run(["annotate", "--input", "jsonl", "--format", "jsonl"], stdin: Data(input.utf8))
        #expect(result.status == 1)
        #expect(result.stderr == "marginalia: stdin:2: invalid JSON: unexpected character\n")
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func warnsAboutInvalidUTF8AndTheByteOrderMark() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("latin1.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array("Malm".utf8) + [0xF6]).write(to: file)
        let result = try CLI.run(["annotate", file.path, "--format", "jsonl", "--analyzers", "segment"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: \(file.path): removed the UTF-8 byte-order mark at the start"))
        #expect(result.stderr.contains("replaced 1 invalid UTF-8 sequence with U+FFFD (byte offset 7)"))
        let document = try CLI.json(result.stdout)["document"] as! [String: Any]
        #expect(document["text"] as? String == "Malm\u{FFFD}")
    }

    @Test func writesOutputAtomicallyAndKeepsTheOldFileOnFailure() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.json")
        try Data("previous".utf8).write(to: output)
        let failed = try CLI.run(["annotate", "--analyzers", "nosuch", "-o", output.path], stdin: Data("x".utf8))
        #expect(failed.status != 0)
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous")
        let succeeded = try CLI.run(["annotate", "-o", output.path, "--format", "jsonl"], stdin: Data("Iran.".utf8))
        #expect(succeeded.status == 0)
        #expect(succeeded.stdout.isEmpty)
        #expect(try CLI.json(String(contentsOf: output, encoding: .utf8))["format"] as? String == "marginalia/1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.json"])
    }

    @Test func unknownAnalyzerGetsASuggestion() throws {
        let result = try CLI.run(["annotate", "--analyzers", "segmnet"], stdin: Data("x".utf8))
        #expect(result.status == 2)
        #expect(result.stderr == "marginalia: unknown analyzer 'segmnet'; did you mean 'segment'?\n")
    }

    @Test func badOptionsAreRefused() throws {
        let result = try CLI.run(["annotate", "--option", "segment.colour=red"], stdin: Data("x".utf8))
        #expect(result.status == 2)
        #expect(result.stderr == "marginalia: analyzer 'segment' has no option 'colour'\n")
        let malformed = try CLI.run(["annotate", "--option", "nodot"], stdin: Data("x".utf8))
        #expect(malformed.stderr.contains("must look like ANALYZER.NAME=VALUE"))
    }

    @Test func severalFilesInJSONFormatMakeAnArrayInArgumentOrder() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for index in 0..<5 {
            let file = directory.appendingPathComponent("d\(index).txt")
            try Data("Document \(index).".utf8).write(to: file)
            paths.append(file.path)
        }
        let result = try CLI.run(["annotate"] + paths)
        #expect(result.status == 0)
        let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(array.map { ($0["document"] as! [String: Any])["id"] as! String } == ["d0", "d1", "d2", "d3", "d4"])
    }

    @Test func layersOptionLimitsOutput() throws {
        let result = try CLI.run(["annotate", "--layers", "sentence", "--format", "jsonl"], stdin: Data("One. Two.".utf8))
        let annotations = try CLI.json(result.stdout)["annotations"] as! [[String: Any]]
        #expect(annotations.map { $0["layer"] as! String } == ["sentence", "sentence"])
    }

    @Test func roundTripsItsOwnJSON() throws {
        let first = try CLI.run(["annotate", "Docs/samples/caspian-corridor.md", "--format", "jsonl"])
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = directory.appendingPathComponent("saved.json")
        try first.stdoutBytes.write(to: saved)
        let second = try CLI.run(["annotate", saved.path, "--format", "jsonl"])
        #expect(second.status == 0)
        let a = try CLI.json(first.stdout), b = try CLI.json(second.stdout)
        #expect((a["document"] as! [String: Any])["text"] as! String == (b["document"] as! [String: Any])["text"] as! String)
        #expect((a["annotations"] as! [Any]).count == (b["annotations"] as! [Any]).count)
    }

    @Test func listsAndExplainsAnalyzers() throws {
        let list = try CLI.run(["analyzers"])
        #expect(list.status == 0)
        #expect(list.stdout.contains(try Regex(#"segment\s+1\.0\.0\s+built-in"#)))
        #expect(list.stdout.contains(try Regex(#"stance\s+0\.1\.0\s+built-in\s+entity,sentence,token\s+stance"#)))
        let help = try CLI.run(["help", "segment"])
        #expect(help.stdout.hasPrefix("segment 1.0.0 (built-in)"))
        #expect(help.stdout.contains("token/word: \"U.S.\""))
        let version = try CLI.run(["--version"])
        #expect(version.stdout == "0.1.0\n")
    }

    /// 10,000 documents stream through in input order with flat memory (peak resident size under 200 MB).
    @Test func streamsTenThousandDocumentsInBoundedMemory() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.jsonl")
        try Self.writeStream(to: input, documents: 10_000)
        let output = directory.appendingPathComponent("output.jsonl")
        let result = try CLI.peakMemory(["annotate", "--input", "jsonl", "--format", "jsonl", "-o", output.path], stdinFile: input)
        #expect(result.status == 0)
        #expect(result.kilobytes < 200 * 1024, "peak resident size \(result.kilobytes) kB")
        let reader = try String(contentsOf: output, encoding: .utf8)
        let lines = reader.split(separator: "\n")
        #expect(lines.count == 10_000)
        #expect(lines[9_999].contains("\"id\":\"n9999\""))
        #expect(lines[0].contains("\"id\":\"n0\""))
    }

    /// With `MARGINALIA_LARGE_TESTS=1`: a 1 GiB stream of documents, every layer written (to /dev/null), on all
    /// cores, in the same bounded memory as the small stream.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["MARGINALIA_LARGE_TESTS"] != nil))
    func streamsAGibibyteInFlatMemory() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.jsonl")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeStream(to: input, bytes: 1 << 30)
        let started = ContinuousClock.now
        let result = try CLI.peakMemory(["annotate", "--input", "jsonl", "--format", "jsonl"], stdinFile: input)
        print("1 GiB stream: \(ContinuousClock.now - started), peak resident size \(result.kilobytes / 1024) MB")
        #expect(result.status == 0)
        #expect(result.kilobytes < 200 * 1024, "peak resident size \(result.kilobytes) kB")
    }

    /// JSON lines of 1 to 8 paragraphs each: `documents` of them, or as many as fill `bytes`.
    static func writeStream(to url: URL, documents: Int = .max, bytes: Int = .max) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let paragraph = "The Iranian foreign minister has stated that relations with Moscow have never been better, according to officials in Tehran. "
        var written = 0
        var index = 0
        var chunk = ""
        while index < documents, written < bytes {
            let line = #"{"id": "n\#(index)", "text": "\#(String(repeating: paragraph, count: 1 + index % 8))"}"# + "\n"
            chunk += line
            written += line.utf8.count
            index += 1
            if chunk.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
    }
}
