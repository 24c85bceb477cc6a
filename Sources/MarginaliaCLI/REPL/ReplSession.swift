import LineEditing
import MarginaliaCore
import MarginaliaExtensions
import MarginaliaIO

/// A one-line error shown to the analyst; the session goes on.
struct ReplError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// An analyst's correction of an analyzer's annotation, re-applied after every run so it survives re-analysis.
struct Correction: Hashable, Sendable {
    enum Kind: String, Sendable { case removed, relabeled }
    var kind: Kind
    var layer: String
    var span: TextSpan
    /// The label the analyzer gives, which the correction suppresses.
    var label: String
}

/// The state of an interactive session and the commands that act on it.
///
/// All I/O goes through a ``LineReader`` and a ``ReplOutput``, so the same code serves the terminal, piped
/// scripts, `-c` and tests.
final class ReplSession {
    struct Snapshot {
        var documents: [AnnotatedDocument]
        var current: Int?
        var corrections: [String: [Correction]]
    }

    var registry: AnalyzerRegistry
    var documents: [AnnotatedDocument] = []
    var current: Int?
    var corrections: [String: [Correction]] = [:]
    var analyzerOptions: [String: [String: String]] = [:]
    /// Rule files and external plugins added on the command line or with `plugin`.
    var extensions = ExtensionSet()
    /// Gold annotations loaded with `gold`, by document id.
    var golds: [String: AnnotatedDocument] = [:]
    var style: Style
    let reader: any LineReader
    let output: any ReplOutput
    private var undoStack: [Snapshot] = []
    static let undoLimit = 50
    /// True once any command failed: a script then exits non-zero.
    private(set) var anyCommandFailed = false
    private var sourceDepth = 0

    init(registry: AnalyzerRegistry, reader: any LineReader, output: any ReplOutput, colour: Bool) {
        self.registry = registry
        self.reader = reader
        self.output = output
        self.style = Style(enabled: colour)
    }

    // MARK: - Loop

    var prompt: String {
        if let current { return "marginalia (\(documents[current].id))> " }
        return "marginalia> "
    }

    /// Reads and runs commands until `quit` or the end of input. Returns the exit status.
    func runLoop() -> Int32 {
        if reader.isInteractive {
            output.write("Marginalia \(Marginalia.version). Type `help` for commands, Tab to complete, Ctrl-D to leave.\n")
        }
        while true {
            switch reader.readLine(prompt: prompt) {
            case .endOfInput:
                return anyCommandFailed && !reader.isInteractive ? 1 : 0
            case .interrupted:
                continue
            case .line(let line):
                let trimmed = line.trimmingSpaces()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                reader.addHistory(trimmed)
                if !execute(trimmed) { return anyCommandFailed && !reader.isInteractive ? 1 : 0 }
            }
        }
    }

    /// Runs one command line. Returns false when the session should end.
    @discardableResult
    func execute(_ line: String) -> Bool {
        let words: [String]
        do {
            words = try CommandWords.split(line)
        } catch {
            fail("unterminated quote in: \(line)")
            return true
        }
        guard let name = words.first else { return true }
        let arguments = Array(words.dropFirst())
        do {
            switch name {
            case "quit", "exit": return false
            case "load": try load(arguments)
            case "docs": try listDocuments(arguments)
            case "use": try use(arguments)
            case "close": try close(arguments)
            case "analyzers": try expectNoArguments(arguments, name); output.write(AnalyzerHelp.table(registry))
            case "run": try run(arguments)
            case "show": try show(arguments)
            case "list": try list(arguments)
            case "context": try context(arguments)
            case "find": try find(arguments)
            case "entities": try entities(arguments)
            case "citations": try citations(arguments)
            case "stance": try stance(arguments)
            case "add": try add(arguments)
            case "remove": try remove(arguments)
            case "relabel": try relabel(arguments)
            case "undo": try undo(arguments)
            case "export": try export(arguments)
            case "save": try save(arguments)
            case "open": try open(arguments)
            case "set": try set(arguments)
            case "history": try showHistory(arguments)
            case "source": try source(arguments)
            case "help": try help(arguments)
            case "plugin": try plugin(arguments)
            case "gold": try loadGold(arguments)
            case "diff": try diff(arguments)
            default:
                var message = "unknown command '\(name)'"
                if let suggestion = Suggestion.nearest(to: name, among: ReplCommandTable.names) {
                    message += "; did you mean `\(suggestion)`?"
                } else {
                    message += "; type `help` for the list"
                }
                throw ReplError(message)
            }
        } catch {
            fail("\(error)")
        }
        return true
    }

    func fail(_ message: String) {
        anyCommandFailed = true
        output.write(style.error("error: \(message)") + "\n")
    }

    func expectNoArguments(_ arguments: [String], _ command: String) throws {
        if !arguments.isEmpty { throw ReplError("`\(command)` takes no arguments (usage: \(ReplCommandTable.info(command)!.usage))") }
    }

    func usage(_ command: String) -> ReplError {
        ReplError("usage: \(ReplCommandTable.info(command)!.usage)")
    }

    // MARK: - Undo

    func checkpoint() {
        undoStack.append(Snapshot(documents: documents, current: current, corrections: corrections))
        if undoStack.count > Self.undoLimit { undoStack.removeFirst() }
    }

    func undo(_ arguments: [String]) throws {
        try expectNoArguments(arguments, "undo")
        guard let snapshot = undoStack.popLast() else { throw ReplError("nothing to undo") }
        documents = snapshot.documents
        current = snapshot.current
        corrections = snapshot.corrections
        output.write("undone\n")
    }

    // MARK: - Documents

    /// The current document's index, or an error saying how to get one.
    func currentIndex() throws -> Int {
        guard let current else { throw ReplError("no document loaded: `load PATH` first") }
        return current
    }

    /// Finds a document by id or 1-based number.
    func documentIndex(_ reference: String) throws -> Int {
        if let index = documents.firstIndex(where: { $0.id == reference }) { return index }
        if let number = Int(reference), number >= 1, number <= documents.count { return number - 1 }
        var message = "no document '\(reference)'"
        if let suggestion = Suggestion.nearest(to: reference, among: documents.map(\.id)) { message += "; did you mean `\(suggestion)`?" }
        throw ReplError(message)
    }

    func load(_ arguments: [String]) throws {
        guard !arguments.isEmpty else { throw usage("load") }
        var paths: [String] = []
        for argument in arguments {
            let expanded = PathExpansion.expandTilde(argument)
            if PathExpansion.hasGlob(expanded) {
                let matches = PathExpansion.glob(expanded)
                if matches.isEmpty { throw ReplError("no files match \(argument)") }
                paths += matches
            } else {
                paths.append(expanded)
            }
        }
        var loaded: [AnnotatedDocument] = []
        for path in paths {
            loaded += try DocumentLoader.load(path: path)
        }
        checkpoint()
        for var document in loaded {
            for warning in document.warnings { output.write(style.dim("warning: \(warning)") + "\n") }
            // Ids stay unique within the session: a second file with the same name gets a suffix.
            var id = document.id
            var suffix = 2
            while documents.contains(where: { $0.id == id }) {
                id = "\(document.id)-\(suffix)"
                suffix += 1
            }
            document.document.id = id
            documents.append(document)
            output.write("loaded \(id): \(wordCount(document.document.utf8)) words, \(document.store.count) annotations\n")
        }
        if !loaded.isEmpty { current = documents.count - 1 }
    }

    func listDocuments(_ arguments: [String]) throws {
        try expectNoArguments(arguments, "docs")
        guard !documents.isEmpty else {
            output.write("no documents loaded\n")
            return
        }
        var rows = [["", "#", "ID", "WORDS", "BYTES", "ANNOTATIONS"]]
        for (index, document) in documents.enumerated() {
            let layers = document.store.layerNames.map { "\($0) \(document.store.count(in: $0))" }.joined(separator: ", ")
            rows.append([index == current ? "*" : "", "\(index + 1)", document.id, "\(wordCount(document.document.utf8))",
                         "\(document.document.utf8.count)", layers.isEmpty ? "-" : layers])
        }
        output.write(TextTable.render(rows))
    }

    func use(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("use") }
        current = try documentIndex(arguments[0])
        output.write("current document: \(documents[current!].id)\n")
    }

    func close(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("close") }
        if arguments[0] == "all" {
            checkpoint()
            output.write("closed \(counted(documents.count, "document"))\n")
            documents.removeAll()
            current = nil
            return
        }
        let index = try documentIndex(arguments[0])
        checkpoint()
        let closed = documents.remove(at: index)
        if documents.isEmpty {
            current = nil
        } else if let currentIndex = current {
            current = currentIndex == index ? min(index, documents.count - 1) : (currentIndex > index ? currentIndex - 1 : currentIndex)
        }
        output.write("closed \(closed.id)\n")
    }

    // MARK: - Running analyzers

    func run(_ arguments: [String]) throws {
        var names: [String] = []
        var target: String?
        var index = 0
        while index < arguments.count {
            if arguments[index] == "on" {
                guard index + 1 < arguments.count, index + 2 == arguments.count else { throw usage("run") }
                target = arguments[index + 1]
                break
            }
            names += arguments[index].split(separator: ",").map(String.init)
            index += 1
        }
        if names.isEmpty || names == ["all"] { names = registry.names }
        // Checked before anything changes; each document then gets the analyzers asked for and those that have
        // run on it and read what they make (their results would be out of date).
        var pipelines = [names: try Pipeline(analyzers: names, registry: registry, options: analyzerOptions)]
        let indices: [Int]
        if target == "all" {
            indices = Array(documents.indices)
            if indices.isEmpty { throw ReplError("no document loaded: `load PATH` first") }
        } else if let target {
            indices = [try documentIndex(target)]
        } else {
            indices = [try currentIndex()]
        }
        checkpoint()
        var seconds: [String: Double] = [:]
        var cancelled = false
        for documentIndex in indices {
            if cancelled { break }
            var document = documents[documentIndex]
            let chosen = names + Pipeline.dependents(of: names, registry: registry, in: document.store)
            if pipelines[chosen] == nil { pipelines[chosen] = try Pipeline(analyzers: chosen, registry: registry, options: analyzerOptions) }
            let failures = pipelines[chosen]!.run(&document, shouldCancel: {
                if reader.takeInterrupt() { cancelled = true }
                return cancelled
            }, timing: { name, elapsed in seconds[name, default: 0] += elapsed })
            applyCorrections(to: &document)
            documents[documentIndex] = document
            for failure in failures { fail(failure.description) }
        }
        var rows: [[String]] = []
        let used = Set(pipelines.values.flatMap { $0.steps.map(\.descriptor.name) })
        for name in try Pipeline.plan(Array(used), registry: registry).map(\.descriptor.name) where seconds[name] != nil {
            let count = indices.reduce(0) { total, index in
                total + documents[index].store.all.filter { $0.isProduced(by: name) }.count
            }
            rows.append([name, formatDuration(seconds[name]!), "\(count) annotations"])
        }
        output.write(TextTable.render(rows))
        if cancelled { output.write("run cancelled (Ctrl-C); finished steps are kept\n") }
    }

    func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return String(format3(seconds * 1000)) + " ms" }
        return String(format3(seconds)) + " s"
    }

    /// Three significant figures without Foundation's formatter.
    func format3(_ value: Double) -> String {
        if value >= 100 { return String(Int(value.rounded())) }
        if value >= 10 { return String(Double(Int((value * 10).rounded())) / 10) }
        return String(Double(Int((value * 100).rounded())) / 100)
    }

    // MARK: - Settings, history, help

    func set(_ arguments: [String]) throws {
        guard arguments.count == 2 else { throw usage("set") }
        let (option, value) = (arguments[0], arguments[1])
        func flag() throws -> Bool {
            switch value.lowercased() {
            case "on", "true", "yes", "1": return true
            case "off", "false", "no", "0": return false
            default: throw ReplError("`set \(option)` takes on or off")
            }
        }
        switch option {
        case "color", "colour":
            style.enabled = try flag()
        case "pager":
            (output as? StandardOutput)?.usePager = try flag()
        default:
            guard let dot = option.firstIndex(of: ".") else {
                throw ReplError("unknown setting '\(option)' (settings: color, pager, ANALYZER.OPTION)")
            }
            let analyzer = String(option[..<dot])
            let name = String(option[option.index(after: dot)...])
            let entry = try registry.registration(named: analyzer)
            // Parse now so a bad value is reported here, not at the next run.
            _ = try AnalyzerOptions(parsing: [name: value], specs: entry.descriptor.options, analyzer: analyzer)
            analyzerOptions[analyzer, default: [:]][name] = value
        }
        output.write("\(option) = \(value)\n")
    }

    func showHistory(_ arguments: [String]) throws {
        try expectNoArguments(arguments, "history")
        var text = ""
        for (index, line) in reader.history.enumerated() { text += "\(String(index + 1).leftPadded(to: 5))  \(line)\n" }
        output.page(text)
    }

    func help(_ arguments: [String]) throws {
        guard let topic = arguments.first else {
            var rows: [[String]] = []
            for command in ReplCommandTable.all { rows.append([command.usage, command.summary]) }
            output.write(TextTable.render(rows) + "`help COMMAND` or `help ANALYZER` explains one; Tab completes.\n")
            return
        }
        if let command = ReplCommandTable.info(topic) {
            output.write("\(command.usage)\n  \(command.summary)\n  example: \(command.example)\n")
        } else if let entry = registry[topic] {
            output.write(AnalyzerHelp.describe(entry))
        } else {
            var message = "no command or analyzer '\(topic)'"
            if let suggestion = Suggestion.nearest(to: topic, among: ReplCommandTable.names + registry.names) {
                message += "; did you mean `\(suggestion)`?"
            }
            throw ReplError(message)
        }
    }

    func source(_ arguments: [String]) throws {
        guard arguments.count == 1 else { throw usage("source") }
        guard sourceDepth < 16 else { throw ReplError("`source` nested too deeply (a file sources itself?)") }
        let bytes = try FileIO.read(PathExpansion.expandTilde(arguments[0]))
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if !execute(trimmed) { return }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        let length = unicodeScalars.count
        return length >= width ? self : String(repeating: " ", count: width - length) + self
    }
}
