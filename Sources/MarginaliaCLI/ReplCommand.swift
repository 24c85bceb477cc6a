import ArgumentParser

/// `marginalia repl [FILES...]`: the interactive session.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "Open the interactive analyst's session (the default).")

    @Argument(help: "Documents to load at start.")
    var files: [String] = []

    func run() throws {
        print("The interactive REPL is not built yet; use `marginalia annotate FILE` meanwhile.")
    }
}
