import ArgumentParser
import MarginaliaCore
import MarginaliaExtensions

/// Where users' own analyzers come from on the command line: rule files and external programs, besides the
/// configuration folder (`~/.config/marginalia/rules/*.yaml` and `config.yaml`).
struct ExtensionOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file of analyzers; repeatable.", valueName: "file"))
    var rules: [String] = []

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An external analyzer as NAME=COMMAND; repeatable.", valueName: "name=command"))
    var plugins: [String] = []

    @Flag(name: .customLong("no-config"), help: "Do not load rules and plugins from the configuration folder.")
    var noConfig = false

    /// The built-in and Swift analyzers plus everything declared here and in the configuration folder.
    func registry(extensions: ExtensionSet) throws -> AnalyzerRegistry {
        var registry = Marginalia.registry
        if !noConfig { try extensions.loadConfiguration(into: &registry, directory: ExtensionSet.configDirectory()) }
        for path in rules { try extensions.loadRules(path, into: &registry) }
        for declaration in plugins {
            let (name, command) = try ExtensionSet.parsePluginDeclaration(declaration)
            try extensions.addPlugin(name: name, command: command, into: &registry)
        }
        return registry
    }

    /// ``registry(extensions:)``, or exit 2 with the error on one line.
    func registryOrExit(extensions: ExtensionSet) throws -> AnalyzerRegistry {
        do {
            return try registry(extensions: extensions)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
