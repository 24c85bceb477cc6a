import ArgumentParser
import MarginaliaExtensions

/// `marginalia`: with no subcommand, the REPL.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marginalia",
        abstract: "Annotate policy and international-affairs writing: actors, citations, stance.",
        discussion: """
            Run `marginalia` alone for the interactive REPL, or `marginalia annotate FILES` for batch work.
            `marginalia help ANALYZER` explains an analyzer with its options and examples.
            """,
        version: Marginalia.version,
        subcommands: [ReplCommand.self, AnnotateCommand.self, AnalyzersCommand.self, EvalCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )
}

/// `marginalia analyzers`: every registered analyzer.
struct AnalyzersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyzers", abstract: "List the registered analyzers with what they require and produce.")

    @OptionGroup var extensionOptions: ExtensionOptions

    func run() throws {
        let extensions = ExtensionSet()
        defer { extensions.stopAll() }
        print(AnalyzerHelp.table(try extensionOptions.registryOrExit(extensions: extensions)), terminator: "")
    }
}
