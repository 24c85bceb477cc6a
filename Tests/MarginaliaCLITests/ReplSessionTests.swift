import Foundation
import LineEditing
import MarginaliaCore
import Testing
@testable import MarginaliaCLI

/// Runs REPL commands in scripted mode, as `marginalia repl < script` would.
@MainActor
func repl(_ commands: [String], interrupts: Int = 0) -> (output: String, status: Int32, session: ReplSession) {
    let reader = ScriptedLineReader(commands)
    reader.pendingInterrupts = interrupts
    let output = CapturedOutput()
    let session = ReplSession(registry: BuiltInAnalyzers.registry(), reader: reader, output: output, colour: false)
    let status = session.runLoop()
    return (output.text, status, session)
}

let sample = "Docs/samples/caspian-corridor.md"

/// A document with citation and stance layers, as the analyzers that make them will write them.
func analysedFixture() throws -> String {
    let text = "Russia supports Iran. Tehran said Moscow opposes Washington. Perhaps it will last."
    func at(_ needle: String, _ occurrence: Int = 0) -> (Int, Int) {
        var search = text.startIndex
        var range = text.range(of: needle)!
        for _ in 0..<occurrence {
            search = range.upperBound
            range = text.range(of: needle, range: search..<text.endIndex)!
        }
        let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
        return (start, start + needle.unicodeScalars.count)
    }
    func annotation(_ id: String, _ layer: String, _ label: String, _ needle: String, features: String = "{}", roles: String = "{}") -> String {
        let (start, end) = at(needle)
        return #"{"id":"\#(id)","layer":"\#(layer)","label":"\#(label)","start":\#(start),"end":\#(end),"text":"\#(needle)","features":\#(features),"roles":\#(roles),"producer":"fixture@1.0.0"}"#
    }
    let annotations = [
        annotation("e1", "entity", "GPE", "Russia", features: #"{"canonical":"Russia"}"#),
        annotation("e2", "entity", "GPE", "Iran", features: #"{"canonical":"Iran","kind":"state"}"#),
        annotation("e3", "entity", "GPE", "Tehran", features: #"{"canonical":"Iran","kind":"government"}"#),
        annotation("e4", "entity", "GPE", "Moscow", features: #"{"canonical":"Russia"}"#),
        annotation("e5", "entity", "GPE", "Washington", features: #"{"canonical":"United States"}"#),
        annotation("c1", "citation", "cue", "said"),
        annotation("c2", "citation", "content", "Moscow opposes Washington"),
        annotation("c3", "citation", "attribution", "Tehran said Moscow opposes Washington", features: #"{"direct":false,"sourceCanonical":"Iran"}"#, roles: #"{"source":"e3","cue":"c1","content":"c2"}"#),
        annotation("s1", "stance", "support", "Russia supports Iran", features: #"{"holder":"Russia","target":"Iran","polarity":1,"scope":"author"}"#, roles: #"{"holder":"e1","target":"e2"}"#),
        annotation("s2", "stance", "oppose", "Moscow opposes Washington", features: #"{"holder":"Russia","target":"United States","polarity":-1,"scope":"attributed"}"#, roles: #"{"holder":"e4","target":"e5"}"#),
        annotation("s3", "stance", "hedge", "Perhaps", features: #"{"scope":"author"}"#),
    ]
    let json = #"{"format":"marginalia/1","offsetUnit":"unicode-scalar","document":{"id":"fixture","text":"\#(text)","metadata":{}},"annotations":[\#(annotations.joined(separator: ","))]}"#
    let directory = try CLI.temporaryDirectory()
    let path = directory.appendingPathComponent("fixture.json").path
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("REPL commands in scripted mode")
@MainActor
struct ReplSessionTests {
    init() {
        FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    @Test func loadDocsUseAndClose() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["a.txt", "b.txt"] { try Data("Text \(name).".utf8).write(to: directory.appendingPathComponent(name)) }
        let result = repl(["docs", "load \(directory.path)/*.txt", "docs", "use 1", "use b", "use c", "close a", "docs", "close all", "docs"])
        #expect(result.output.contains("no documents loaded\n"))
        #expect(result.output.contains("loaded a: 2 words, 0 annotations\n"))
        #expect(result.output.contains("current document: a\n"))
        #expect(result.output.contains("current document: b\n"))
        #expect(result.output.contains("error: no document 'c'"))
        #expect(result.output.contains("closed a\n"))
        #expect(result.output.contains("closed 1 document\n"))
        #expect(result.status == 1)
    }

    @Test func loadErrorsAreOneLineAndTheSessionGoesOn() {
        let result = repl(["load", "load /nonexistent/file.md", "load /nonexistent/*.md", "load \(sample)", "docs"])
        let lines = result.output.split(separator: "\n")
        #expect(lines[0] == "error: usage: load PATH|GLOB...")
        #expect(lines[1] == "error: /nonexistent/file.md: cannot open: No such file or directory")
        #expect(lines[2] == "error: no files match /nonexistent/*.md")
        #expect(lines[3].hasPrefix("loaded caspian-corridor: "))
        #expect(result.session.documents.count == 1)
    }

    @Test func runTimesEachAnalyzerAndRefusesUnknownOnes() {
        let result = repl(["run", "load \(sample)", "run segment", "run segmnet", "run all on all", "run segment on nosuch", "docs"])
        #expect(result.output.contains("error: no document loaded: `load PATH` first"))
        #expect(result.output.contains(try! Regex(#"segment\s+[0-9.]+ (ms|s)\s+\d+ annotations"#)))
        #expect(result.output.contains("error: unknown analyzer 'segmnet'; did you mean 'segment'?"))
        #expect(result.output.contains("error: no document 'nosuch'"))
        #expect(result.output.contains(try! Regex(#"sentence 22, (stance \d+, )?token \d+"#)))
    }

    @Test func ctrlCDuringRunCancelsAndKeepsTheSession() {
        let result = repl(["load \(sample)", "run segment", "docs"], interrupts: 1)
        #expect(result.output.contains("run cancelled (Ctrl-C); finished steps are kept"))
        #expect(result.output.contains("markup 3"))
    }

    @Test func showHighlightsAndExplainsMissingLayers() {
        let result = repl(["load \(sample)", "show entity", "show markup link", "show markup lnk", "show", "show a b c"])
        #expect(result.output.contains("error: no 'entity' annotations in caspian-corridor"))
        #expect(result.output.contains("signed a [memorandum on strategic energy partnership]{link} with Baku"))
        #expect(result.output.contains("error: no 'lnk' annotations in layer 'markup'; did you mean `link`?"))
        #expect(result.output.contains("[Baku's Balancing Act: The Middle Corridor Between Moscow and Brussels]{heading}"))
        #expect(result.output.contains("error: usage: show [LAYER] [LABEL]"))
    }

    @Test func listFiltersByLabelAndFeature() {
        let result = repl(["load \(sample)", "list markup", "list markup heading", "list markup where href=https://example.org/eu-azerbaijan-mou",
                           "list markup where strong", "list markup where level=7", "list nosuch"])
        #expect(result.output.contains("3 annotations"))
        #expect(result.output.contains("1 annotation\n"))
        #expect(result.output.contains("markup-3  link"))
        #expect(result.output.contains("error: a condition looks like FEATURE=VALUE, not 'strong'"))
        #expect(result.output.contains("no matching annotations"))
        #expect(result.output.contains("error: no 'nosuch' annotations in caspian-corridor"))
    }

    @Test func contextShowsTheSentence() {
        let result = repl(["load \(sample)", "context markup-3", "context nosuch"])
        #expect(result.output.contains("Since the European Union signed a [memorandum on strategic energy partnership]{link} with Baku in July 2022"))
        #expect(result.output.contains("error: no annotation 'nosuch' in caspian-corridor"))
    }

    @Test func findsTextAndRegularExpressions() {
        let result = repl(["load \(sample)", "find tehran", "find /Ank[a-z]+/", "find /(/", "find Atlantis", "find"])
        #expect(result.output.contains("2 matches"))
        #expect(result.output.contains("[Ankara]"))
        #expect(result.output.contains("error: invalid regular expression /(/"))
        #expect(result.output.contains("no matches for Atlantis"))
        #expect(result.output.contains("error: usage: find TEXT|/REGEX/"))
    }

    @Test func analystEditsUndoAndSurviveReruns() throws {
        let result = repl([
            "load \(sample)", "run segment", "list token where label=number",
            "add ORG \"Human Rights Watch\"", "add GPE \"Baku\" entity all", "add PERSON entity 5 1", "add X \"Atlantis\"",
            "add DATE entity 0 99999", "entities",
            "remove segment-1", "relabel segment-2 SPECIAL", "run segment", "list token SPECIAL", "context segment-2",
            "undo", "undo", "list token SPECIAL",
        ])
        let output = result.output
        #expect(output.contains("added analyst-1: entity/ORG \"Human Rights Watch\""))
        #expect(output.contains("added analyst-8: entity/GPE \"Baku\""))
        #expect(output.contains("error: START must be at least 0 and below END"))
        #expect(output.contains("error: \"Atlantis\" does not occur in caspian-corridor"))
        #expect(output.contains("error: offsets 0..99999 are outside the text"))
        #expect(output.contains(try Regex(#"Baku\s+GPE\s+-\s+7\s+Baku \(7\)"#)))
        #expect(output.contains("removed segment-1: token/word \"Baku\""))
        #expect(output.contains("relabeled segment-2: word → SPECIAL"))
        // After the re-run, the removed token stays removed and the relabelled one is not duplicated.
        let afterRerun = output.components(separatedBy: "relabeled segment-2")[1]
        #expect(afterRerun.contains("segment-2  SPECIAL"))
        #expect(afterRerun.contains("1 annotation\n"))
        #expect(afterRerun.contains("Baku['s]{SPECIAL} Balancing Act"))
        #expect(output.hasSuffix("undone\nundone\nno matching annotations\n"))
    }

    @Test func correctionsArePreciseAfterRerun() {
        let result = repl(["load \(sample)", "run segment", "remove segment-1", "run segment", "find Baku's"])
        let document = result.session.documents[0]
        // The first token ("Baku" of the heading) was removed and stays removed; no other token went with it.
        #expect(!document.store.annotations(in: "token").contains { $0.span == TextSpan(0, 4) })
        #expect(document.store.annotations(in: "token").contains { $0.span == TextSpan(4, 6) })
    }

    @Test func undoRestoresAndSaysWhenThereIsNothing() {
        let result = repl(["undo", "load \(sample)", "close all", "undo", "docs"])
        #expect(result.output.contains("error: nothing to undo"))
        #expect(result.output.contains("undone\n"))
        #expect(result.session.documents.count == 1)
    }

    @Test func exportsJSONAndJSONLinesAtomically() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = repl(["load \(sample)", "run segment", "export json \(directory.path)/one.json", "export jsonl \(directory.path)/all.jsonl",
                           "export jsn \(directory.path)/x", "export json /nonexistent-dir/x.json", "export json"])
        #expect(result.output.contains("wrote \(directory.path)/one.json"))
        #expect(result.output.contains("error: unknown export format 'jsn'; did you mean `json`?"))
        #expect(result.output.contains("error: /nonexistent-dir/x.json: cannot write"))
        #expect(result.output.contains("error: usage: export FORMAT PATH"))
        let object = try CLI.json(String(contentsOfFile: "\(directory.path)/one.json", encoding: .utf8))
        #expect(object["format"] as? String == "marginalia/1")
        let lines = try String(contentsOfFile: "\(directory.path)/all.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["all.jsonl", "one.json"])
    }

    /// Running analyzers again, correcting and removing between runs, never leaves a role naming an annotation
    /// that is gone: what is exported loads back. An analyzer asked for again runs alone when what it requires
    /// has run; one whose layer others read brings them along.
    @Test func runsAgainKeepEveryRoleResolvable() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = repl([
            "load \(sample)", "run all", "relabel stance-1 oppose", "remove stance-2", "run stance",
            "export json \(directory.path)/a.json", "load \(directory.path)/a.json", "use 1", "run entity",
            "export json \(directory.path)/b.json", "load \(directory.path)/b.json", "use 1", "run all", "save \(directory.path)/s.mgs",
            "open \(directory.path)/s.mgs", "docs",
        ])
        #expect(!result.output.contains("error"), "\(result.output)")
        #expect(result.output.contains("removed stance-2: stance/cue \"courting\" (1 role naming it dropped)"))
        // `run stance` after `run all`: stance alone; `run entity`: entity, then citation and stance, which read it.
        let runs = result.output.components(separatedBy: "\n").filter { $0.hasPrefix("segment ") || $0.hasPrefix("entity ") || $0.hasPrefix("citation ") || $0.hasPrefix("stance ") }
        #expect(runs.map { String($0.prefix(while: { $0 != " " })) } == [
            "segment", "entity", "citation", "stance", "stance", "entity", "citation", "stance", "segment", "entity", "citation", "stance",
        ])
        #expect(result.output.contains("opened \(directory.path)/s.mgs: 3 documents"))
        for document in result.session.documents {
            for annotation in document.store.all {
                for targets in annotation.roles.values { for id in targets { #expect(document.store.contains(id: id), "\(annotation.id) → \(id)") } }
            }
        }
    }

    @Test func countsAreSingularForOne() {
        #expect(counted(1, "link") == "1 link" && counted(0, "link") == "0 links" && counted(4, "quotation") == "4 quotations")
        let result = repl(["load \(sample)", "run citation", "citations"])
        #expect(result.output.contains("13 attributions, 4 quotations, 1 link\n"))
    }

    @Test func savesAndOpensWholeSessions() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = "\(directory.path)/work.mgs"
        let first = repl(["load \(sample)", "run segment", "add ORG \"Human Rights Watch\"", "remove segment-1", "set segment.nothing 1", "save \(path)"])
        #expect(first.output.contains("saved 1 document to \(path)"))
        let second = repl(["open \(path)", "docs", "run segment", "list entity", "open \(sample)", "open /nonexistent.mgs"])
        #expect(second.output.contains("opened \(path): 1 document"))
        #expect(second.output.contains("analyst-1  ORG"))
        #expect(second.output.contains("error: \(sample): not a Marginalia session") || second.output.contains("invalid JSON"))
        #expect(second.output.contains("error: /nonexistent.mgs: cannot open: No such file or directory"))
        let document = second.session.documents[0]
        #expect(!document.store.annotations(in: "token").contains { $0.span == TextSpan(0, 4) })
    }

    @Test func settingsAreCheckedWhenSet() {
        let result = repl(["set color on", "set color maybe", "set pager off", "set segment.depth 3", "set nosuch 1", "set nosuch.x 1", "set color"])
        #expect(result.output.contains("color = on\n"))
        #expect(result.output.contains("error: `set color` takes on or off"))
        #expect(result.output.contains("pager = off\n"))
        #expect(result.output.contains("error: analyzer 'segment' has no option 'depth'"))
        #expect(result.output.contains("error: unknown setting 'nosuch'"))
        #expect(result.output.contains("error: unknown analyzer 'nosuch'"))
        #expect(result.output.contains("error: usage: set OPTION VALUE"))
        #expect(result.session.style.enabled)
    }

    @Test func helpHistoryAndSource() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("script.mgl")
        try Data("# a comment\nload \(CLI.packageRoot.path)/\(sample)\n\ndocs\n".utf8).write(to: script)
        let loop = directory.appendingPathComponent("loop.mgl")
        try Data("source \(loop.path)\n".utf8).write(to: loop)
        let result = repl(["help", "help run", "help segment", "help nosuch", "help citatons", "source \(script.path)", "source \(loop.path)", "history", "analyzers", "analyzers x"])
        #expect(result.output.contains("run [ANALYZER...|all] [on DOC|all]"))
        #expect(result.output.contains("  example: run segment on all"))
        #expect(result.output.contains("segment 1.0.0 (built-in)"))
        #expect(result.output.contains("error: no command or analyzer 'nosuch'"))
        #expect(result.output.contains("error: no command or analyzer 'citatons'; did you mean `citations`?"))
        #expect(result.output.contains("loaded caspian-corridor"))
        #expect(result.output.contains("error: `source` nested too deeply"))
        #expect(result.output.contains("    1  help\n"))
        #expect(result.output.contains(try! Regex(#"segment\s+1\.0\.0"#)))
        #expect(result.output.contains("error: `analyzers` takes no arguments"))
    }

    @Test func unknownCommandsQuotesAndQuit() {
        let result = repl(["cittions", "zzzzzz", "add ORG \"unterminated", "quit", "docs"])
        #expect(result.output.contains("error: unknown command 'cittions'; did you mean `citations`?"))
        #expect(result.output.contains("error: unknown command 'zzzzzz'; type `help` for the list"))
        #expect(result.output.contains("error: unterminated quote in: add ORG \"unterminated"))
        #expect(!result.output.contains("no documents loaded"))
        #expect(result.status == 1)
        #expect(repl(["help"]).status == 0)
    }

    @Test func analyzerViewsSummariseTheirLayers() throws {
        let fixture = try analysedFixture()
        let result = repl(["entities", "load \(fixture)", "entities", "citations", "stance", "load \(sample)", "citations", "stance", "entities x"])
        #expect(result.output.contains("error: no document loaded"))
        // Kinds tie for Iran (one state, one government mention): the first by name is shown.
        #expect(result.output.contains(try Regex(#"Iran\s+GPE\s+government\s+2\s+Iran \(1\), Tehran \(1\)"#)))
        #expect(result.output.contains(try Regex(#"Russia\s+GPE\s+-\s+2"#)))
        #expect(result.output.contains(try Regex(#"Iran\s+said\s+Moscow opposes Washington\s+no"#)))
        #expect(result.output.contains("1 attribution, 0 quotations, 0 links"))
        #expect(result.output.contains(try Regex(#"Russia\s+\+1/-0 \(\+1\)\s+\+0/-1 \(-1\)"#)))
        #expect(result.output.contains(try Regex(#"author\s+83\.3\s+0\.0"#)))
        #expect(result.output.contains("error: no 'citation' annotations in caspian-corridor"))
        #expect(result.output.contains("error: no 'stance' annotations in caspian-corridor"))
        #expect(result.output.contains("error: `entities` takes no arguments"))
    }
}

@Suite("REPL completion")
@MainActor
struct ReplCompletionTests {
    @Test func completesCommandsAnalyzersLayersLabelsIDsDocumentsPathsAndFormats() {
        FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
        let session = repl(["load \(sample)", "run segment"]).session
        let c = ReplCompletion()
        c.session = session
        #expect(c.complete("lo").candidates == ["load"])
        #expect(c.complete("e").candidates.sorted() == ["entities", "exit", "export"])
        #expect(c.complete("run seg").candidates == ["segment"])
        #expect(c.complete("run segment on ").candidates.contains("caspian-corridor"))
        #expect(c.complete("show ").candidates == ["markup", "sentence", "token"])
        #expect(c.complete("show markup h").candidates == ["heading"])
        #expect(c.complete("list markup where h").candidates == ["href="])
        #expect(c.complete("context markup-").candidates == ["markup-1", "markup-2", "markup-3"])
        #expect(c.complete("use casp").candidates == ["caspian-corridor"])
        #expect(c.complete("load Docs/sam").candidates == ["Docs/samples/"])
        #expect(c.complete("load Docs/samples/casp").candidates == ["Docs/samples/caspian-corridor.md"])
        #expect(c.complete("export j").candidates == ["json", "jsonl"])
        #expect(c.complete("export json Docs/sa").candidates == ["Docs/samples/"])
        #expect(c.complete("set co").candidates == ["color"])
        #expect(c.complete("help seg").candidates == ["segment"])
        #expect(c.complete("export h").candidates == ["html"])
        #expect(c.complete("plugin r").candidates == ["reload"])
        #expect(c.complete("plugin load Docs/sam").candidates == ["Docs/samples/"])
        #expect(c.complete("diff ma").candidates == ["markup"])
        #expect(c.complete("diff markup o").candidates == ["overlap"])
        #expect(c.complete("stance c").candidates == ["corpus"])
        #expect(Completion(word: "js", candidates: ["json", "jsonl"]).commonPrefix == "json")
        withExtendedLifetime(session) {}
    }
}
