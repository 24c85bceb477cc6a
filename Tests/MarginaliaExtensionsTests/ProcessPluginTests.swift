import Foundation
import MarginaliaCore
import MarginaliaIO
import Testing
@testable import MarginaliaExtensions

/// Shell plugins that misbehave in one way each, after a well-formed handshake.
enum TestPlugins {
    static let handshake = #"echo '{"protocol":"marginalia-plugin/1","name":"NAME","version":"2.0.0","requires":["token"],"produces":["demo"]}'"#

    static func script(_ name: String, body: String) -> String {
        "#!/bin/sh\n" + handshake.replacingOccurrences(of: "NAME", with: name) + "\n" + body + "\n"
    }

    /// Tags the first character of every document; on a document whose text contains TRIGGER misbehaves as `mode`.
    static func misbehaving(_ name: String, mode: String) -> String {
        let failure: String
        switch mode {
        case "sleep": failure = "sleep 30"
        case "exit": failure = "exit 3"
        case "garbage": failure = "echo 'this is not json'"
        case "offsets": failure = #"echo '{"annotations":[{"layer":"demo","label":"X","start":0,"end":99999}]}'"#
        case "error": failure = #"echo '{"error":"cannot handle this one"}'"#
        default: failure = ""
        }
        return script(name, body: """
            while IFS= read -r line; do
              case "$line" in
                *TRIGGER*) \(failure) ;;
                *) echo '{"annotations":[{"layer":"demo","label":"FIRST","start":0,"end":1,"features":{"n":1}}]}' ;;
              esac
            done
            """)
    }
}

func runPlugin(_ plugin: ProcessPlugin, texts: [String], timeout: String = "2") throws -> [(ok: Bool, message: String)] {
    var registry = AnalyzerRegistry()
    try registry.register(SegmentAnalyzer.self, origin: .builtIn)
    try registry.register(plugin.registration)
    let pipeline = try Pipeline(analyzers: [plugin.name], registry: registry, options: [plugin.name: ["timeout": timeout]])
    return texts.enumerated().map { index, text in
        var document = AnnotatedDocument(document: Document(id: "d\(index)", text: text), store: AnnotationStore())
        let failures = pipeline.run(&document)
        let demo = document.store.annotations(in: "demo")
        let segmentKept = document.store.count(in: "token") > 0
        if let failure = failures.first { return (false, failure.description + (segmentKept ? "" : " [tokens lost]")) }
        return (demo.count == 1 && demo[0].producer == "\(plugin.name)@2.0.0", "ok")
    }
}

@Suite("External process plugins", .serialized)
struct ProcessPluginTests {
    @Test func handshakeGivesTheDescriptorWithATimeoutOption() throws {
        let scratch = try Scratch()
        let path = try scratch.write("p.sh", TestPlugins.misbehaving("demo", mode: "none"))
        let plugin = try ProcessPlugin(name: "demo", command: "sh \(path)")
        defer { plugin.stop() }
        #expect(plugin.descriptor.version == "2.0.0")
        #expect(plugin.descriptor.requires == ["token"])
        #expect(plugin.descriptor.produces == ["demo"])
        #expect(plugin.descriptor.options.map(\.name) == ["timeout"])
        #expect(plugin.registration.origin == .process(command: "sh \(path)"))
        let results = try runPlugin(plugin, texts: ["One.", "Two.", "Three."])
        #expect(results.allSatisfy { $0.ok }, "\(results)")
    }

    @Test(arguments: [
        ("sleep", "plugin 'demo' timed out after 1 s; it is restarted for the next document"),
        ("exit", "plugin 'demo' exited with status 3; it is restarted for the next document"),
        ("garbage", "plugin 'demo' sent malformed JSON"),
        ("offsets", "plugin 'demo' sent annotation 1 with offsets outside the text (0–99999)"),
        ("error", "plugin 'demo' reported an error: cannot handle this one"),
    ])
    func failuresAreOneLineAndTheNextDocumentWorks(mode: String, message: String) throws {
        let scratch = try Scratch()
        let path = try scratch.write("p.sh", TestPlugins.misbehaving("demo", mode: mode))
        let plugin = try ProcessPlugin(name: "demo", command: "sh \(path)")
        defer { plugin.stop() }
        let started = ContinuousClock.now
        let results = try runPlugin(plugin, texts: ["Before.", "A TRIGGER here.", "After."], timeout: "1")
        #expect(results[0].ok)
        #expect(!results[1].ok)
        #expect(results[1].message.hasPrefix("analyzer 'demo' on document 'd1': \(message)"), "\(results[1].message)")
        #expect(!results[1].message.contains("\n"))
        #expect(!results[1].message.contains("[tokens lost]"), "other analyzers' results stay")
        #expect(results[2].ok, "\(results[2].message)")
        #expect(plugin.restarts == (mode == "error" ? 0 : 1), "a plugin that answers with an error stays in step")
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func badHandshakesAreRefusedWithTheReason() throws {
        let scratch = try Scratch()
        func refusal(_ body: String, name: String = "demo") throws -> String {
            let path = try scratch.write("h\(body.hashValue).sh", "#!/bin/sh\n" + body + "\n")
            do {
                let plugin = try ProcessPlugin(name: name, command: "sh \(path)")
                plugin.stop()
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(try refusal("echo hello") .contains("plugin 'demo': sent malformed JSON instead of its descriptor"))
        #expect(try refusal("exit 4") == "plugin 'demo': exited with status 4 before sending its descriptor")
        #expect(try refusal(#"echo '{"protocol":"marginalia-plugin/1","name":"other","produces":["x"]}'"#) == "plugin 'demo': calls itself 'other'; declare it under that name")
        #expect(try refusal(#"echo '{"protocol":"marginalia-plugin/1"}'"#) == "plugin 'demo': the descriptor needs \"produces\": a list of layers")
        #expect(throws: MarginaliaError.self) { try ExtensionSet.parsePluginDeclaration("no-equals-sign") }
        #expect(try ExtensionSet.parsePluginDeclaration("x=python3 a.py --flag 'b c'") == ("x", "python3 a.py --flag 'b c'"))
    }

    /// The example in Plugins/Examples/python, when python3 is installed.
    @Test func pythonExampleAnnotatesWithScalarOffsets() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Plugins/Examples/python/enrichment.py").standardized.path
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        let plugin = try ProcessPlugin(name: "enrichment", command: "/usr/bin/python3 \(script)")
        defer { plugin.stop() }
        var registry = AnalyzerRegistry()
        try registry.register(SegmentAnalyzer.self, origin: .builtIn)
        try registry.register(plugin.registration)
        var document = AnnotatedDocument(document: Document(id: "n", text: "Tehran’s centrifuges enriched uranium to 60 percent. Elsewhere, and far from any of that, the economy of Turkey grew by 5 percent last year."), store: AnnotationStore())
        let failures = try Pipeline(analyzers: ["enrichment"], registry: registry).run(&document)
        #expect(failures.isEmpty, "\(failures)")
        let found = document.store.annotations(in: "nuclear")
        #expect(found.map { document.document.text(of: $0.span) } == ["60 percent"])
        #expect(found.first?.features["level"] == .double(60))
        #expect(found.first?.features["weaponsGrade"] == .bool(false))
    }
}
