import ArgumentParser
import LineEditing
import MarginaliaCore
import MarginaliaExtensions
#if canImport(Glibc)
import Glibc
#endif

/// `marginalia repl [FILES...]`: the interactive session (also what `marginalia` alone opens).
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive analyst's session (the default).",
        discussion: """
            Reads commands from the terminal with line editing, history (~/.marginalia_history, or
            $MARGINALIA_HISTORY) and Tab completion. When standard input is not a terminal, commands are read one
            per line without prompts, and the exit status is 1 if any command failed.
            """)

    @Argument(help: "Documents to load at start.")
    var files: [String] = []

    @Option(name: .customLong("run"), help: "Analyzers to run on the loaded documents at start ('all' for every one).")
    var runAtStart: String?

    @Option(name: .short, help: "Commands to run, separated by ';', then exit.")
    var commands: String?

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set or output is not a terminal).")
    var noColor = false

    @OptionGroup var extensionOptions: ExtensionOptions

    func run() throws {
        let interactive = commands == nil && isTerminal(0)
        let colour = !noColor && getenv("NO_COLOR") == nil && isTerminal(1)
        let completion = ReplCompletion()
        let reader: any LineReader
        if let commands {
            reader = ScriptedLineReader(CommandWords.commands(commands))
        } else if interactive, let editor = EditLineReader(program: "marginalia", historyPath: Self.historyPath(), completion: completion) {
            reader = editor
        } else {
            reader = StreamLineReader()
        }
        let output = StandardOutput(usePager: interactive)
        let extensions = ExtensionSet()
        defer { extensions.stopAll() }
        let session = ReplSession(registry: try extensionOptions.registryOrExit(extensions: extensions), reader: reader, output: output, colour: colour)
        session.extensions = extensions
        completion.session = session
        if !files.isEmpty {
            session.execute("load " + files.map(Self.quoted).joined(separator: " "))
            if let runAtStart { session.execute("run \(runAtStart) on all") }
        }
        let status = session.runLoop()
        if status != 0 { throw ExitCode(status) }
    }

    static func historyPath() -> String? {
        if let path = getenv("MARGINALIA_HISTORY") { return String(cString: path) }
        guard let home = getenv("HOME") else { return nil }
        return String(cString: home) + "/.marginalia_history"
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
