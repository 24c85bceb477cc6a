public import MarginaliaCore
import ArgumentParser
import Synchronization

/// The entry point of the `marginalia` command, for the built-in binary and for users' own builds.
///
/// A package that adds its own analyzers builds its own binary with one line:
/// ```swift
/// Marginalia.main(analyzers: [SanctionsAnalyzer.self])
/// ```
/// and gets the whole CLI and REPL with those analyzers registered beside the built-ins.
public enum Marginalia {
    /// The product version, printed by `--version`.
    public static let version = "0.1.0"

    private static let configured = Mutex<AnalyzerRegistry?>(nil)

    /// The registry commands use: built-ins plus what ``main(analyzers:arguments:)`` added.
    static var registry: AnalyzerRegistry {
        configured.withLock { $0 } ?? BuiltInAnalyzers.registry()
    }

    /// Builds the registry of built-in analyzers plus `analyzers`.
    /// - Throws: `.duplicateAnalyzer` when a name is taken twice.
    public static func makeRegistry(analyzers: [any Analyzer.Type] = []) throws -> AnalyzerRegistry {
        var registry = BuiltInAnalyzers.registry()
        for type in analyzers {
            try registry.register(registration(for: type))
        }
        return registry
    }

    private static func registration<A: Analyzer>(for type: A.Type) -> AnalyzerRegistration {
        AnalyzerRegistration(type, origin: .swift)
    }

    /// Runs the command line with the built-in analyzers and `analyzers`, then exits.
    /// - Parameter arguments: the arguments without the program name; `nil` reads the process's.
    public static func main(analyzers: [any Analyzer.Type] = [], arguments: [String]? = nil) -> Never {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        do {
            let registry = try makeRegistry(analyzers: analyzers)
            configured.withLock { $0 = registry }
        } catch {
            printError("\(error)")
            exit(withCode: 70)
        }
        // `marginalia help ANALYZER` explains an analyzer; other `help` uses are ArgumentParser's.
        if arguments.count == 2, arguments[0] == "help", let entry = registry[arguments[1]] {
            print(AnalyzerHelp.describe(entry), terminator: "")
            exit(withCode: 0)
        }
        RootCommand.main(arguments)
        exit(withCode: 0)
    }

    static func exit(withCode code: Int32) -> Never {
        RootCommand.exit(withError: code == 0 ? nil : ExitCode(code))
    }
}

/// Writes one line to standard error, prefixed with the program name.
func printError(_ message: String) {
    var line = "marginalia: " + message
    if !line.hasSuffix("\n") { line += "\n" }
    let bytes = Array(line.utf8)
    _ = bytes.withUnsafeBytes { writeToStandardError($0.baseAddress!, $0.count) }
}
