import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing

/// The Python with spaCy, pybrat, seqeval and pyld that `.ci/run` prepares, or `$MARGINALIA_TEST_PYTHON`.
func consumerPython() -> String? {
    if let explicit = ProcessInfo.processInfo.environment["MARGINALIA_TEST_PYTHON"] { return explicit }
    let venv = CLI.packageRoot.appendingPathComponent(".venv-consumers/bin/python").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
}

func chromium() -> String? {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite("Exports read back by their consumers", .serialized)
struct ExportTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(CLI.packageRoot.path)
    }

    /// Exports the sample in every format and checks what spaCy, pybrat, seqeval, pyld and Python's csv read.
    @Test func consumersReadEveryFormat() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = try CLI.run(["annotate", sample, "--format", "jsonl"])
        #expect(json.status == 0)
        let document = try MarginaliaJSON.decode(Array(json.stdout.utf8.dropLast()), name: "sample")
        for (format, target) in [("spacy", "caspian-corridor.spacy.json"), ("conll", "caspian-corridor.conll"), ("w3c", "caspian-corridor.jsonld"), ("brat", "brat"), ("csv", "csv"), ("html", "caspian-corridor.html")] {
            let run = try CLI.run(["annotate", sample, "--format", format, "-o", directory.appendingPathComponent(target).path])
            #expect(run.status == 0, "\(format): \(run.stderr)")
        }
        let store = document.store
        let shown = store.layerNames.filter { !["token", "sentence", "markup"].contains($0) }
        var outermost = 0, lastEnd = -1
        for entity in store.annotations(in: "entity").sorted(by: { ($0.span.start, -$0.span.end) < ($1.span.start, -$1.span.end) }) where entity.span.start >= lastEnd {
            outermost += 1
            lastEnd = entity.span.end
        }
        guard let python = consumerPython() else {
            print("skipped: no Python with the consumers (run .ci/run, or set MARGINALIA_TEST_PYTHON)")
            return
        }
        let script = CLI.packageRoot.appendingPathComponent("Tests/Consumers/read_exports.py").path
        let read = try CLI.runTool(python, [script, directory.path, "caspian-corridor"])
        #expect(read.status == 0, "\(read.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as! [String: [String: Any]]
        if report["spacy"]?["skipped"] == nil {
            #expect(report["spacy"]?["sents"] as? Int == store.count(in: "sentence"))
            #expect(report["spacy"]?["ents"] as? Int == outermost)
            #expect((report["spacy"]?["span_groups"] as? [String: Int])?["stance"] == store.count(in: "stance"))
        }
        if report["brat"]?["skipped"] == nil {
            let withRoles = shown.flatMap { store.annotations(in: $0) }.filter { !$0.roles.isEmpty }.count
            #expect(report["brat"]?["events"] as? Int == withRoles)
            #expect((report["brat"]?["mismatched"] as? [Any])?.isEmpty == true, "every T line's text is the text at its offsets")
        }
        if report["conll"]?["skipped"] == nil {
            #expect(report["conll"]?["entities"] as? Int == outermost)
            #expect(report["conll"]?["tokens"] as? Int == store.count(in: "token"))
        }
        if report["w3c"]?["skipped"] == nil {
            let total = shown.reduce(0) { $0 + store.count(in: $1) }
            #expect(report["w3c"]?["annotations"] as? Int == total)
            #expect(report["w3c"]?["position_selectors"] as? Int == total)
        }
        let tables = report["csv"] as? [String: [String: Any]]
        #expect(tables?["entity.csv"]?["rows"] as? Int == store.count(in: "entity"))
        #expect(tables?["who-said-what.csv"]?["rows"] as? Int == store.annotations(in: "citation").filter { $0.label == "attribution" }.count)
        #expect((tables?["stance-matrix.csv"]?["columns"] as? [String]) == ["holder", "target", "support", "oppose", "net"])
    }

    /// The HTML report renders in headless Chromium (when installed) to a screenshot of real size.
    @Test func htmlReportRendersInChromium() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let run = try CLI.run(["annotate", sample, "--format", "html", "-o", page.path])
        #expect(run.status == 0)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<svg"))
        #expect(html.contains("onchange=\"document.body.classList.toggle('on-entity',this.checked)\""))
        #expect(!html.contains("<script src") && !html.contains("<link rel=\"stylesheet\""), "self-contained")
        guard let browser = chromium() else {
            print("skipped: no Chromium")
            return
        }
        let shot = directory.appendingPathComponent("report.png")
        let result = try CLI.runTool(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1100", "--screenshot=\(shot.path)", page.absoluteString], capture: false)
        #expect(result.status == 0, "\(result.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 100_000, "a page of highlighted text and tables, not a blank one (\(size) bytes)")
    }

    /// `eval` on brat gold agrees with the evaluation harness's NER scorer on the same case.
    @Test func evalAgreesWithTheHarnessScorer() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sentences: [[(String, String)]] = [
            [("Hakan", "B-PER"), ("Fidan", "I-PER"), ("visited", "O"), ("Baku", "B-LOC"), ("and", "O"), ("Tbilisi", "B-LOC"), (".", "O")],
            [("The", "O"), ("European", "B-ORG"), ("Commission", "I-ORG"), ("met", "O"), ("Ilham", "B-PER"), ("Aliyev", "I-PER"), (".", "O")],
        ]
        let text = sentences.map { $0.map(\.0).joined(separator: " ") }.joined(separator: "\n")
        // CoNLL gold for the harness, the same gold as brat for `eval`.
        var conll = "-DOCSTART- -X- -X- O\n\n"
        for sentence in sentences { conll += sentence.map { "\($0.0) NNP B-NP \($0.1)" }.joined(separator: "\n") + "\n\n" }
        try conll.write(to: directory.appendingPathComponent("gold.testa"), atomically: true, encoding: .utf8)
        let gold = try ConllImporter.parse(conll, name: "gold")[0]
        try text.write(to: directory.appendingPathComponent("d.txt"), atomically: true, encoding: .utf8)
        var ann = ""
        let offsets = ScalarOffsets(document: gold.document)
        for (index, entity) in gold.store.annotations(in: "entity").enumerated() {
            ann += "T\(index + 1)\t\(entity.label) \(offsets.scalarOffset(ofByte: entity.span.start)) \(offsets.scalarOffset(ofByte: entity.span.end))\t\(gold.document.text(of: entity.span))\n"
        }
        try ann.write(to: directory.appendingPathComponent("d.ann"), atomically: true, encoding: .utf8)
        // A system that finds one person exactly, one too short, a wrong label, and an extra.
        func at(_ needle: String) -> (Int, Int) {
            let range = text.range(of: needle)!
            let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
            return (start, start + needle.unicodeScalars.count)
        }
        let predictions = [("Hakan Fidan", "PER"), ("Baku", "LOC"), ("Tbilisi", "ORG"), ("Commission", "ORG"), ("Ilham Aliyev", "PER"), ("met", "MISC")]
        let items = predictions.enumerated().map { index, prediction in
            let (start, end) = at(prediction.0)
            return #"{"id":"e\#(index)","layer":"entity","label":"\#(prediction.1)","start":\#(start),"end":\#(end),"text":"\#(prediction.0)"}"#
        }
        let system = #"{"format":"marginalia/1","offsetUnit":"unicode-scalar","document":{"id":"d","text":\#(String(data: try JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), encoding: .utf8)!.dropFirst().dropLast()),"metadata":{}},"annotations":[\#(items.joined(separator: ","))]}"#
        let systemPath = directory.appendingPathComponent("d.json")
        try system.write(to: systemPath, atomically: true, encoding: .utf8)

        let ours = try CLI.run(["eval", "--gold", directory.appendingPathComponent("d.ann").path, "--system", systemPath.path, "--errors", "--match", "overlap"])
        #expect(ours.status == 0, "\(ours.stderr)")
        let overall = ours.stdout.split(separator: "\n").first { $0.hasPrefix("overall") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) } ?? []
        // 5 gold, 6 predicted; exact: 3 right (P 50.0, R 60.0); overlap adds Commission inside European Commission.
        #expect(overall == ["overall", "5", "6", "50.0", "60.0", "54.5", "66.7", "80.0", "72.7"], "\(ours.stdout)")
        #expect(ours.stdout.contains("miss\td\tLOC\t"))
        #expect(ours.stdout.contains("false alarm\td\tMISC\t"))

        let scorer = CLI.packageRoot.appendingPathComponent("../shared/eval/score.py").standardized.path
        guard FileManager.default.fileExists(atPath: scorer), FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        // The harness matches documents by id: give the system document the id it sends.
        let input = directory.appendingPathComponent("input.jsonl")
        _ = try CLI.runTool("/usr/bin/python3", [scorer, "ner", "--gold", "conll", directory.appendingPathComponent("gold.testa").path, "--save-input", input.path])
        let sentID = try JSONSerialization.jsonObject(with: try Data(contentsOf: input).split(separator: 0x0A)[0].withUnsafeBytes { Data($0) }) as! [String: Any]
        try system.replacingOccurrences(of: #""id":"d""#, with: #""id":"\#(sentID["id"] as! String)""#).write(to: systemPath, atomically: true, encoding: .utf8)
        let harness = try CLI.runTool("/usr/bin/python3", [scorer, "ner", "--gold", "conll", directory.appendingPathComponent("gold.testa").path, "--system-output", systemPath.path, "--json", directory.appendingPathComponent("h.json").path])
        #expect(harness.status == 0, "\(harness.stderr)")
        let figures = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("h.json"))) as! [String: Any]
        _ = figures
        // Every label and the overall row: same counts and the same strict P/R/F1.
        func row(_ text: String, _ label: String) -> [String] {
            text.split(separator: "\n").first { $0.hasPrefix(label + " ") }.map { $0.split(separator: " ").map(String.init) } ?? []
        }
        for label in ["PER", "ORG", "LOC", "MISC"] {
            let mine = row(ours.stdout, label), theirs = row(harness.stdout, label)
            #expect(mine.count >= 6 && theirs.count >= 7, "\(label)")
            guard mine.count >= 6, theirs.count >= 7 else { continue }
            #expect([mine[1], mine[2], mine[3], mine[4], mine[5]] == [theirs[1], theirs[2], theirs[4], theirs[5], theirs[6]], "\(label): \(mine) vs \(theirs)")
        }
        #expect(harness.stdout.contains(try Regex(#"overall \(micro\)\s+5\s+6\s+3\s+50\.0\s+60\.0\s+54\.5"#)), "\(harness.stdout)")
    }
}
