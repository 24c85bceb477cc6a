import Foundation
import LineEditing
import MarginaliaCore
import MarginaliaExtensions
import Testing
@testable import MarginaliaCLI

@Suite("REPL plugin commands")
@MainActor
struct ReplPluginTests {
    init() {
        FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    /// A rule file written from the guide in Docs/writing-analyzers.md, edited, and reloaded.
    @Test func loadEditReloadShowsTheDifference() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("pipelines.yaml")
        try """
            analyzers:
              - name: pipelines
                summary: Gas pipelines named in the text
                gazetteers:
                  - label: PIPELINE
                    terms: [Trans-Anatolian Pipeline]
            """.write(to: rules, atomically: true, encoding: .utf8)
        let reader = ScriptedLineReader([
            "load \(sample)", "plugin load \(rules.path)", "run pipelines", "list pipelines",
            "EDIT", "plugin reload", "plugin list", "analyzers",
        ])
        let output = CapturedOutput()
        let session = ReplSession(registry: BuiltInAnalyzers.registry(), reader: reader, output: output, colour: false)
        reader.onLine = { line in
            guard line == "EDIT" else { return line }
            try? """
                analyzers:
                  - name: pipelines
                    summary: Gas pipelines and corridors
                    gazetteers:
                      - label: PIPELINE
                        terms: [Trans-Anatolian Pipeline, TANAP]
                    patterns:
                      - label: BACKED
                        match: "backed <[GPE]>"
                """.write(to: rules, atomically: true, encoding: .utf8)
            return "docs"
        }
        let status = session.runLoop()
        let text = output.text
        #expect(status == 0, "\(text)")
        #expect(text.contains("loaded \(rules.path): pipelines"))
        #expect(text.contains(try Regex(#"pipelines\s+[0-9.]+ (ms|s)\s+\d+ annotations"#)))
        #expect(text.contains(try Regex(#"caspian-corridor: \+2 −0 \(3 now\)"#)), "\(text)")
        #expect(text.contains("+ pipelines/PIPELINE \"TANAP\""))
        #expect(text.contains("+ pipelines/BACKED \"Azerbaijan\""))
        #expect(text.contains(try Regex(#"rules\s+\S+pipelines\.yaml\s+pipelines"#)))
        #expect(text.contains(try Regex(#"pipelines\s+1\.0\.0\s+rules \S+pipelines\.yaml"#)))
    }

    @Test func reloadFollowsAnAnalyzerToAnotherLayer() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("move.yaml")
        try "analyzers:\n  - name: seas\n    layer: first\n    gazetteers:\n      - label: SEA\n        terms: [Baku]\n".write(to: rules, atomically: true, encoding: .utf8)
        let reader = ScriptedLineReader(["load \(sample)", "plugin load \(rules.path)", "run seas", "EDIT", "plugin reload", "docs"])
        let output = CapturedOutput()
        let session = ReplSession(registry: BuiltInAnalyzers.registry(), reader: reader, output: output, colour: false)
        reader.onLine = { line in
            guard line == "EDIT" else { return line }
            try? "analyzers:\n  - name: seas\n    layer: second\n    gazetteers:\n      - label: SEA\n        terms: [Baku]\n".write(to: rules, atomically: true, encoding: .utf8)
            return "docs"
        }
        #expect(session.runLoop() == 0)
        let document = try #require(session.documents.first)
        #expect(document.store.count(in: "first") == 0)
        #expect(document.store.count(in: "second") > 0)
        #expect(output.text.contains("− first/SEA"))
        #expect(output.text.contains("+ second/SEA"))
    }

    @Test func reloadWithAMistakeKeepsTheOldRules() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("r.yaml")
        try "analyzers:\n  - name: caspian\n    gazetteers:\n      - label: SEA\n        terms: [Caspian]\n".write(to: rules, atomically: true, encoding: .utf8)
        let reader = ScriptedLineReader(["load \(sample)", "plugin load \(rules.path)", "run caspian", "EDIT", "plugin reload", "run caspian", "plugin frob"])
        let output = CapturedOutput()
        let session = ReplSession(registry: BuiltInAnalyzers.registry(), reader: reader, output: output, colour: false)
        reader.onLine = { line in
            guard line == "EDIT" else { return line }
            try? "analyzers:\n  - name: caspian\n    gazetteers:\n      - label: SEA\n        terms: [Caspian\n".write(to: rules, atomically: true, encoding: .utf8)
            return "docs"
        }
        let status = session.runLoop()
        #expect(status == 1)
        #expect(output.text.contains("error: \(rules.path):6:1: invalid YAML"), "\(output.text)")
        #expect(session.registry["caspian"] != nil)
        #expect(output.text.contains("error: unknown plugin command 'frob' (load, reload, add, list)"))
    }

    /// Plugins that hang, exit or print garbage give one line each and leave the session and other results intact.
    @Test func failingProcessPluginsLeaveTheSessionIntact() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func plugin(_ name: String, _ misbehaviour: String) throws -> String {
            let path = directory.appendingPathComponent("\(name).sh").path
            let script = """
                #!/bin/sh
                echo '{"protocol":"marginalia-plugin/1","name":"\(name)","produces":["\(name)"]}'
                while IFS= read -r line; do \(misbehaviour); done
                """
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            return "sh \(path)"
        }
        let sleeper = try plugin("sleeper", "sleep 20")
        let quitter = try plugin("quitter", "exit 9")
        let babbler = try plugin("babbler", "echo '{{{'")
        let result = repl([
            "load \(sample)", "run entity",
            "plugin add sleeper=\(sleeper)", "plugin add quitter=\(quitter)", "plugin add babbler=\(babbler)",
            "set sleeper.timeout 1",
            "run sleeper", "run quitter", "run babbler", "run citation", "docs", "plugin list",
        ])
        let errors = result.output.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 3, "\(result.output)")
        #expect(errors.contains { $0.contains("plugin 'sleeper' timed out after 1 s") })
        #expect(errors.contains { $0.contains("plugin 'quitter' exited with status 9") })
        #expect(errors.contains { $0.contains("plugin 'babbler' sent malformed JSON") })
        #expect(result.output.contains(try Regex(#"citation \d+, entity \d+"#)), "entity results survive and citation still runs")
        #expect(result.output.contains(try Regex(#"process\s+sh \S+sleeper\.sh\s+sleeper"#)))
        result.session.extensions.stopAll()
    }
}

@Suite("Users' analyzers on the command line")
struct ExtensionCommandLineTests {
    init() {
        FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    @Test func exampleRulesAndPythonPluginRunInBatch() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("n.txt")
        try "Washington imposed new sanctions on Iran after Tehran enriched uranium to 60 percent.".write(to: input, atomically: true, encoding: .utf8)
        var arguments = [
            "annotate", input.path, "--format", "jsonl", "--rules", "Plugins/Examples/rules/sanctions.yaml",
            "--analyzers", "sanctions", "--layers", "sanctions,nuclear",
        ]
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        if python {
            arguments += ["--plugin", "enrichment=/usr/bin/python3 Plugins/Examples/python/enrichment.py"]
            arguments[arguments.firstIndex(of: "sanctions")!] = "sanctions,enrichment"
        }
        let result = try CLI.run(arguments, environment: ["MARGINALIA_CONFIG_DIR": directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let annotations = try CLI.json(result.stdout)["annotations"] as! [[String: Any]]
        let labels = annotations.map { "\($0["layer"]!)/\($0["label"]!):\($0["text"]!)" }
        #expect(labels.contains("sanctions/IMPOSER:Washington"))
        #expect(labels.contains("sanctions/TARGET:Iran"))
        #expect(labels.contains("sanctions/MEASURE:sanctions"))
        if python { #expect(labels.contains("nuclear/ENRICHMENT:60 percent")) }
    }

    @Test func configurationFolderAndFailuresInBatch() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try "analyzers:\n  - name: ankara\n    gazetteers:\n      - label: CITY\n        terms: [Ankara]\n"
            .write(to: directory.appendingPathComponent("rules/a.yaml"), atomically: true, encoding: .utf8)
        let bad = directory.appendingPathComponent("bad.sh")
        try "#!/bin/sh\necho '{\"protocol\":\"marginalia-plugin/1\",\"name\":\"bad\",\"produces\":[\"bad\"]}'\nwhile read l; do exit 5; done\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let environment = ["MARGINALIA_CONFIG_DIR": directory.path]
        let listed = try CLI.run(["analyzers"], environment: environment)
        #expect(listed.stdout.contains(try Regex(#"ankara\s+1\.0\.0\s+rules \S+a\.yaml"#)))
        #expect(!(try CLI.run(["analyzers", "--no-config"], environment: environment)).stdout.contains("ankara"))
        let run = try CLI.run(["annotate", sample, "--analyzers", "ankara,entity,bad", "--plugin", "bad=sh \(bad.path)", "--format", "jsonl"], environment: environment)
        #expect(run.status == 1)
        #expect(run.stderr == "marginalia: analyzer 'bad' on document 'caspian-corridor': plugin 'bad' exited with status 5; it is restarted for the next document\n")
        let annotations = try CLI.json(run.stdout)["annotations"] as! [[String: Any]]
        #expect(annotations.contains { $0["layer"] as? String == "ankara" })
        #expect(annotations.contains { $0["layer"] as? String == "entity" })
        let missing = try CLI.run(["annotate", sample, "--rules", "/nonexistent/r.yaml"], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("marginalia: /nonexistent/r.yaml: "))
    }
}

@Suite("REPL exports, gold and diff")
@MainActor
struct ReplGoldTests {
    init() {
        FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    @Test func exportsEveryFormatAndDiffsAgainstGold() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let d = directory.path
        let result = repl([
            "load \(sample)", "run entity,citation,stance",
            "export brat \(d)/gold.ann", "export csv \(d)/tables", "export html \(d)/r.html", "export w3c \(d)/w.jsonld",
            "export spacy \(d)/s.json", "export conll \(d)/c.conll", "export xml \(d)/x",
            "remove entity-1", "gold \(d)/gold.ann", "diff entity", "diff entity sideways",
        ])
        let text = result.output
        #expect(text.contains("wrote \(d)/gold.ann, \(d)/gold.txt"))
        #expect(FileManager.default.fileExists(atPath: "\(d)/tables/caspian-corridor.entity.csv"))
        for file in ["r.html", "w.jsonld", "s.json", "c.conll"] { #expect(FileManager.default.fileExists(atPath: "\(d)/\(file)"), "\(file)") }
        #expect(text.contains("error: unknown export format 'xml'"))
        #expect(text.contains("loaded gold for gold"))
        // One entity removed after the gold was written: exactly one miss, in context.
        #expect(text.contains("1 differences (exact match)"), "\(text)")
        #expect(text.contains("− miss GPE \"Baku\" in: [Baku]'s Balancing Act"))
        #expect(text.contains("error: `diff` matches exact or overlap, not 'sideways'"))
    }
}
