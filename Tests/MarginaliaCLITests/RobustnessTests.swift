import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing
@testable import MarginaliaCLI

/// Seeded random inputs for the loaders and the whole pipeline. `MARGINALIA_FUZZ_SECONDS` sets how long it runs
/// (10 s by default; CI's default, longer campaigns by hand); a crash ends the test process, so passing means
/// none happened.
@Suite("Robustness")
struct RobustnessTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    static let seeds: [[UInt8]] = {
        let sample = (try? FileIO.read(sample)) ?? Array("Tehran said that Russia \"will help\".".utf8)
        return [
            sample,
            Array("<html><body><h1>Title</h1><p>Ankara &amp; <a href=\"x\">Baku</a> &#x201C;said&#x201D;<div><table><tr><td>1</td></tr></table></div></p></body></html>".utf8),
            Array(#"{"format":"marginalia/1","offsetUnit":"unicode-scalar","document":{"id":"a","text":"Iran said no.","metadata":{}},"annotations":[{"id":"e1","layer":"entity","label":"GPE","start":0,"end":4,"text":"Iran"}]}"#.utf8),
            Array("{\"id\":\"x\",\"text\":\"Moscow warned Kyiv.\"}\n{\"id\":\"y\",\"text\":\"# Head\\n\\n> quote **bold** [a](b)\",\"mediaType\":\"text/markdown\"}\n".utf8),
            Array("# Heading\n\n* item [link](http://x) `code` **b** _i_\n\n> > nested\n\n```\nfence\n```\n| a | b |\n|---|---|\n".utf8),
        ]
    }()

    static let pieces: [[UInt8]] = ["<", ">", "</", "&", "&#", ";", "\"", "“", "”", "‘", "’", "[", "](", ")", "*", "_", "`", "#", "\n", "\r\n", "\r", "\0", "{", "}", ":", ",", "\\", "\\u", "\u{FEFF}", "é", "\u{1F600}", "<a href=", "-->", "<!--", "<script>", "]]>", "     ", "U.S.", "said that"].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x80], [0xF0, 0x9F]]

    /// Mutates seeds (byte flips, insertions of syntax pieces, cuts, splices) and runs every loader, the JSON
    /// parser and the full pipeline on the result; errors are fine, crashes and hangs are not.
    @Test func seededMutationsNeverCrashTheLoadersOrAnalyzers() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["MARGINALIA_FUZZ_SECONDS"] ?? "") ?? 10
        var random = Random(state: UInt64(ProcessInfo.processInfo.environment["MARGINALIA_FUZZ_SEED"] ?? "") ?? 20261130)
        let registry = BuiltInAnalyzers.registry()
        let pipeline = try Pipeline(analyzers: registry.names, registry: registry)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var runs = 0
        var accepted = 0
        while ContinuousClock.now < deadline {
            var bytes = Self.seeds[random.below(Self.seeds.count)]
            for _ in 0..<(1 + random.below(8)) {
                switch random.below(5) {
                case 0 where !bytes.isEmpty: bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(contentsOf: Self.pieces[random.below(Self.pieces.count)], at: random.below(bytes.count + 1))
                case 2 where bytes.count > 2:
                    let start = random.below(bytes.count)
                    bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(16)))
                case 3:
                    let other = Self.seeds[random.below(Self.seeds.count)]
                    let from = random.below(other.count)
                    bytes.insert(contentsOf: other[from..<min(other.count, from + random.below(64))], at: random.below(bytes.count + 1))
                default:
                    let piece = Self.pieces[random.below(Self.pieces.count)]
                    bytes += Array(repeating: piece, count: 1 + random.below(200)).flatMap { $0 }
                }
            }
            for format in [InputFormat.text, .markdown, .html, .json, .jsonl, .auto] {
                runs += 1
                guard var documents = try? DocumentLoader.load(bytes: bytes, id: "fuzz", source: nil, format: format) else { continue }
                accepted += 1
                for index in documents.indices {
                    pipeline.run(&documents[index])
                    _ = MarginaliaJSON.encode(documents[index])
                    for export in ExportFormat.allCases where export != .json && export != .jsonl { _ = Exporters.export(documents[index], format: export) }
                }
            }
            _ = try? JSONParser.parse(bytes)
        }
        print("fuzz: \(runs) loader runs (\(accepted) accepted) in \(seconds) s")
        #expect(runs > 0)
    }

    @Test func edgeInputsGiveAClearErrorOrACorrectResult() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        // Empty file: a document with no text, no error.
        let empty = try CLI.run(["annotate", try file("empty.txt", []), "--format", "jsonl"])
        #expect(empty.status == 0)
        #expect(empty.stdout.contains("\"text\":\"\""))
        // A directory given as a file, an unreadable file, NUL bytes: one line each, exit 1, others still written.
        let unreadable = try file("secret.txt", Array("Iran.".utf8))
        chmod(unreadable, 0)
        let good = try file("good.txt", Array("Ankara backed Baku.".utf8))
        let mixed = try CLI.run(["annotate", directory.path, unreadable, try file("nul.txt", [0x41, 0x00, 0x42]), good, "--format", "jsonl"])
        #expect(mixed.status == 1)
        let errors = mixed.stderr.split(separator: "\n")
        #expect(errors.contains { $0.hasPrefix("marginalia: \(directory.path): ") && $0.contains("directory") })
        #expect(errors.contains { $0.hasPrefix("marginalia: \(directory.path)/nul.txt") })
        if getuid() != 0 { #expect(errors.contains { $0.hasPrefix("marginalia: \(unreadable)") }) }
        #expect(mixed.stdout.contains("Ankara backed Baku."))
        // Invalid UTF-8 and mixed line endings: replaced with a warning giving the offset; text kept otherwise.
        let odd = try CLI.run(["annotate", try file("odd.txt", Array("Tehran\r\nsaid\rno\n".utf8) + [0xFF] + Array(" end".utf8)), "--format", "jsonl"])
        #expect(odd.status == 0)
        #expect(odd.stderr.contains("invalid UTF-8"))
        #expect(odd.stdout.contains(#"Tehran\r\nsaid\rno\n\uFFFD end"#) || odd.stdout.contains("Tehran\\r\\nsaid\\rno\\n� end"))
        // One line of 100 KB, and deeply nested HTML and Markdown.
        let longLine = Array(String(repeating: "Tehran warned Washington and Moscow agreed, ", count: 2_300).utf8)
        let long = try CLI.run(["annotate", try file("long.txt", longLine), "--format", "jsonl", "--layers", "entity"])
        #expect(long.status == 0)
        #expect(long.stdout.components(separatedBy: "\"label\":\"GPE\"").count > 6_000)
        let nestedHTML = Array((String(repeating: "<div><span>", count: 20_000) + "Kyiv" + String(repeating: "</span></div>", count: 20_000)).utf8)
        let html = try CLI.run(["annotate", try file("deep.html", nestedHTML), "--format", "jsonl", "--layers", "entity"])
        #expect(html.status == 0)
        #expect(html.stdout.contains("\"text\":\"Kyiv\""))
        let nestedMarkdown = Array((String(repeating: "> ", count: 5_000) + String(repeating: "[", count: 5_000) + "Kyiv").utf8)
        let markdown = try CLI.run(["annotate", try file("deep.md", nestedMarkdown), "--format", "jsonl", "--layers", "entity"])
        #expect(markdown.status == 0)
    }

    /// A disk that fills up during an export: a clear error, and the earlier file at the target is untouched.
    @Test func fullDiskOnExportLeavesNoPartialFile() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out.jsonl")
        try Data("earlier export\n".utf8).write(to: target)
        let input = directory.appendingPathComponent("in.txt")
        try Data(String(repeating: "Ankara backed Baku and Tehran objected. ", count: 400).utf8).write(to: input)
        // `ulimit -f` caps the size of files the child may write (in 1 KiB blocks): writes past it fail (EFBIG).
        let script = "trap '' XFSZ; ulimit -f 8; exec \(CLI.executable.path) annotate \(input.path) --format jsonl -o \(target.path)"
        let result = try CLI.runTool("/bin/sh", ["-c", script])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("marginalia: \(target.path)"), "\(result.stderr)")
        #expect(!result.stderr.dropLast().contains("\n"), "one line")
        #expect(try String(contentsOf: target, encoding: .utf8) == "earlier export\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    /// One large document in one piece (10 MB; 100 MB with `MARGINALIA_LARGE_TESTS=1`): annotated, output complete.
    @Test func largeSingleDocument() throws {
        let megabytes = ProcessInfo.processInfo.environment["MARGINALIA_LARGE_TESTS"] == nil ? 10 : 100
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("big.txt")
        let paragraph = "Tehran said on Monday that Russia would help Iran weather the sanctions, according to officials.\n\n"
        let handle = try FileHandle(forWritingTo: { FileManager.default.createFile(atPath: input.path, contents: nil); return input }())
        let chunk = Data(String(repeating: paragraph, count: 10_000).utf8)
        var written = 0
        while written < megabytes * 1_000_000 {
            handle.write(chunk)
            written += chunk.count
        }
        try handle.close()
        let output = directory.appendingPathComponent("big.jsonl")
        let result = try CLI.peakMemory(["annotate", input.path, "--analyzers", "entity", "--layers", "entity", "--format", "jsonl", "-o", output.path], stdinFile: URL(fileURLWithPath: "/dev/null"))
        #expect(result.status == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        #expect(size > written, "the text and its entities are all written")
        print("\(megabytes) MB document: peak resident size \(result.kilobytes / 1024) MB")
    }
}

@Suite("Scaling recipes")
struct ScalingTests {
    /// Docs/scaling.md's Spark recipe, in local mode, when the consumers' Python has pyspark.
    @Test func sparkPipeRecipe() throws {
        guard let python = consumerPython() else {
            print("skipped: no consumers' Python for the Spark recipe")
            return
        }
        let script = CLI.packageRoot.appendingPathComponent("Tests/Consumers/spark_pipe.py").path
        let result = try CLI.runTool(python, [script, CLI.executable.path, CLI.packageRoot.appendingPathComponent(sample).path])
        if result.status == 3 {
            print("skipped: pyspark is not installed")
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(report["sent"] as? Int == report["received"] as? Int)
        #expect(report["in_order"] as? Bool == true)
        #expect((report["entities"] as? Int ?? 0) > 20)
    }
}
