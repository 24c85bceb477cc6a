import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing
@testable import EntityAnalyzer
@testable import MarginaliaExtensions

/// A temporary folder for one test's files.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("marginalia-ext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
        return file.path
    }
}

/// Runs segmentation, entities and the analyzers of `rules` on `text`; returns (label, text) of the rule layer.
func applyRules(_ rules: String, to text: String, analyzer: String = "test") throws -> [(label: String, text: String)] {
    let file = try RuleFile(parsing: rules, path: "test.yaml")
    var registry = AnalyzerRegistry()
    try registry.register(SegmentAnalyzer.self, origin: .builtIn)
    try registry.register(EntityAnalyzer.self, origin: .builtIn)
    for registration in file.registrations { try registry.register(registration) }
    let pipeline = try Pipeline(analyzers: [analyzer], registry: registry)
    var document = AnnotatedDocument(document: Document(id: "d", text: text), store: AnnotationStore())
    let failures = pipeline.run(&document)
    #expect(failures.isEmpty, "\(failures)")
    let layer = file.definitions.first { $0.descriptor.name == analyzer }!.layer
    return document.store.annotations(in: layer).map { ($0.label, document.document.text(of: $0.span)) }
}

func rules(_ patterns: [String], layer: String = "test") -> String {
    "analyzers:\n  - name: test\n    layer: \(layer)\n    patterns:\n" + patterns.map { "      - label: HIT\n        match: \"\($0)\"\n" }.joined()
}

@Suite("Rule files")
struct RuleFileTests {
    @Test func literalWordsAnyCaseAndExactCase() throws {
        #expect(try applyRules(rules(["arms embargo"]), to: "An Arms Embargo and an arms embargo.").map(\.text) == ["Arms Embargo", "arms embargo"])
        #expect(try applyRules(rules(["'EU' said"]), to: "The EU said no. The eu said yes.").map(\.text) == ["EU said"])
    }

    @Test func wildcardsOptionalsAndAlternatives() throws {
        #expect(try applyRules(rules(["sanction* (on|against) *"]), to: "Sanctioned on Monday; sanctions against Iran.").map(\.text)
            == ["Sanctioned on Monday", "sanctions against Iran"])
        #expect(try applyRules(rules(["new? sanctions"]), to: "new sanctions and sanctions").map(\.text) == ["new sanctions", "sanctions"])
        #expect(try applyRules(rules(["imposed ... sanctions"]), to: "imposed harsh new sanctions; imposed a b c d e f sanctions").map(\.text)
            == ["imposed harsh new sanctions"])
    }

    @Test func labelConstraintsOnEntitiesAndCapture() throws {
        let found = try applyRules(rules(["<[ORG|GPE]> said"]), to: "The Mashregh News agency denied it. Tehran said no. Karimi said yes.")
        #expect(found.map(\.text) == ["Tehran"])
        #expect(try applyRules(rules(["{cap} {num}"]), to: "Resolution 2231 and resolution 1737").map(\.text) == ["Resolution 2231"])
    }

    @Test func gazetteersFromListsAndFilesLongestFirst() throws {
        let scratch = try Scratch()
        try scratch.write("measures.txt", "# comment\nembargo\narms embargo\n")
        let path = try scratch.write("r.yaml", """
            analyzers:
              - name: m
                gazetteers:
                  - label: MEASURE
                    file: measures.txt
                  - label: LIST
                    terms: [SDN list]
                    case-sensitive: true
                    features: {kind: list, severity: 2}
            """)
        let file = try RuleFile.load(path)
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        for registration in file.registrations { try registry.register(registration) }
        var document = AnnotatedDocument(document: Document(id: "d", text: "The arms embargo, the embargo, the SDN list, the sdn list."), store: AnnotationStore())
        try Pipeline(analyzers: ["m"], registry: registry).run(&document)
        let found = document.store.annotations(in: "m")
        #expect(found.map { document.document.text(of: $0.span) } == ["arms embargo", "embargo", "SDN list"])
        #expect(found[2].features["severity"] == .int(2))
        #expect(found[2].features["rule"]?.stringValue == "gazetteer LIST (line 6)")
        #expect(registry["m"]?.descriptor.requires == ["token", "sentence"])
    }

    @Test func errorsNameFileLineAndColumn() throws {
        func error(_ text: String) -> String {
            do {
                _ = try RuleFile(parsing: text, path: "r.yaml")
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error("analyzers:\n  - name: x\n    patterns:\n      - label: A\n        match: \"sanctions (on|against\"\n") == "r.yaml:5:27: in pattern 'sanctions (on|against': '(' without ')'")
        #expect(error("analyzers:\n  - name: x\n    patern: []\n") == "r.yaml:3:5: unknown key 'patern' in an analyzer; did you mean 'patterns'?")
        #expect(error("analyzers:\n  - name: x\n    patterns: [\n") .hasPrefix("r.yaml:4:1: invalid YAML"))
        #expect(error("analyzers:\n  - name: Bad Name\n    patterns: []\n") == "r.yaml:2:11: 'name' must be lower-case letters, digits, '-' or '_'")
        #expect(error("analyzers:\n  - name: x\n") == "r.yaml:2:5: analyzer 'x' has no 'gazetteers' or 'patterns'")
        #expect(error("analyzers:\n  - name: x\n    patterns:\n      - label: A\n        match: \"{shout}\"\n").contains("unknown shape '{shout}'"))
        #expect(error("analyzers:\n  - name: x\n    gazetteers:\n      - label: A\n        file: nowhere.txt\n").hasPrefix("r.yaml:5:15: cannot read gazetteer file 'nowhere.txt'"))
    }

    @Test func patternsReadingALayerRequireIt() throws {
        let file = try RuleFile(parsing: rules(["[citation:cue] that"]), path: "r.yaml")
        #expect(file.definitions[0].descriptor.requires == ["token", "sentence", "citation"])
    }

    @Test func configurationFolderLoadsRulesAndPlugins() throws {
        let scratch = try Scratch()
        try scratch.write("rules/a.yaml", rules(["alpha"]))
        try scratch.write("extra.yaml", "analyzers:\n  - name: extra\n    patterns:\n      - label: B\n        match: beta\n")
        try scratch.write("config.yaml", "rules: [extra.yaml]\nplugins:\n  echo: sh \(scratch.url.path)/echo.sh\n")
        try scratch.write("echo.sh", "echo '{\"protocol\":\"marginalia-plugin/1\",\"name\":\"echo\",\"produces\":[\"echo\"]}'\nwhile read line; do echo '{\"annotations\":[]}'; done\n")
        let extensions = ExtensionSet()
        defer { extensions.stopAll() }
        var registry = AnalyzerRegistry()
        try extensions.loadConfiguration(into: &registry, directory: scratch.url.path)
        #expect(registry.names == ["echo", "extra", "test"])
        #expect(ExtensionSet.configDirectory(environment: ["HOME": "/h"]) == "/h/.config/marginalia")
        #expect(ExtensionSet.configDirectory(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"]) == "/x/marginalia")
        try scratch.write("config.yaml", "plugin: {}\n")
        #expect(throws: MarginaliaError.self) { try extensions.loadConfiguration(into: &registry, directory: scratch.url.path) }
    }

    @Test func reloadReplacesDefinitionsOrLeavesThemOnError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("r.yaml", rules(["alpha"]))
        let extensions = ExtensionSet()
        var registry = AnalyzerRegistry()
        try extensions.loadRules(path, into: &registry)
        try scratch.write("r.yaml", "analyzers:\n  - name: renamed\n    patterns:\n      - label: A\n        match: beta\n")
        #expect(try extensions.reloadRules(into: &registry) == ["renamed"])
        #expect(registry.names == ["renamed"])
        try scratch.write("r.yaml", "analyzers: [")
        #expect(throws: MarginaliaError.self) { try extensions.reloadRules(into: &registry) }
        #expect(registry.names == ["renamed"])
    }
}
