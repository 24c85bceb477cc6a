import Foundation
public import MarginaliaCore
import Yams

/// The rule files and external plugins of a run, wherever they were declared: the configuration folder, the
/// command line, or the REPL. Loading them into a registry makes them analyzers like any other.
public final class ExtensionSet: @unchecked Sendable {
    // @unchecked: mutated only from the thread that owns the session or command; plugins guard their own state.

    /// Rule files loaded, in order, with the analyzers each defined.
    public private(set) var ruleFiles: [(path: String, names: [String])] = []
    /// External plugins started, by name.
    public private(set) var plugins: [String: ProcessPlugin] = [:]

    public init() {}

    /// `$MARGINALIA_CONFIG_DIR`, else `$XDG_CONFIG_HOME/marginalia`, else `~/.config/marginalia`.
    public static func configDirectory(environment: [String: String]? = nil) -> String? {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let explicit = environment["MARGINALIA_CONFIG_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/marginalia" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/marginalia" }
        return nil
    }

    /// Loads the configuration folder: every `rules/*.yaml` (or `.yml`), and `config.yaml`'s `rules:` list and
    /// `plugins:` mapping of names to commands.
    public func loadConfiguration(into registry: inout AnalyzerRegistry, directory: String?) throws {
        guard let directory, FileManager.default.fileExists(atPath: directory) else { return }
        let rulesDirectory = directory + "/rules"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: rulesDirectory) {
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                try loadRules(rulesDirectory + "/" + name, into: &registry)
            }
        }
        let configPath = directory + "/config.yaml"
        guard FileManager.default.fileExists(atPath: configPath) else { return }
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RuleFile.describe(error, path: configPath)
        }
        guard let root else { return }
        for key in root.mapping.map({ Array($0.keys) }) ?? [] where key.string != "rules" && key.string != "plugins" {
            throw MarginaliaError(
                .invalidInput, "unknown key '\(key.string ?? "?")' (config.yaml has 'rules' and 'plugins')", location: configPath,
                line: key.mark?.line, column: key.mark?.column)
        }
        for item in root["rules"]?.sequence ?? [] {
            guard let path = item.string else { continue }
            try loadRules(path.hasPrefix("/") ? path : directory + "/" + path, into: &registry)
        }
        for (key, value) in root["plugins"]?.mapping ?? [:] {
            guard let name = key.string, let command = value.string else {
                throw MarginaliaError(
                    .invalidInput, "'plugins' maps names to commands", location: configPath, line: key.mark?.line, column: key.mark?.column)
            }
            try addPlugin(name: name, command: command, into: &registry)
        }
    }

    /// Loads a rule file's analyzers; a file loaded before is replaced (its analyzers re-registered).
    /// - Returns: the names it defines.
    @discardableResult
    public func loadRules(_ path: String, into registry: inout AnalyzerRegistry) throws -> [String] {
        let file = try RuleFile.load(path)
        let previous = ruleFiles.first { $0.path == path }?.names ?? []
        for registration in file.registrations {
            let name = registration.descriptor.name
            if let existing = registry[name], !previous.contains(name) {
                throw MarginaliaError(
                    .duplicateAnalyzer, "analyzer '\(name)' is already defined (\(existing.origin))", location: path)
            }
        }
        for name in previous { registry.unregister(name) }
        for registration in file.registrations { registry.replace(registration) }
        let names = file.definitions.map(\.descriptor.name)
        ruleFiles.removeAll { $0.path == path }
        ruleFiles.append((path, names))
        return names
    }

    /// Re-reads every loaded rule file. All are parsed before anything changes, so a mistake in one leaves the
    /// registry as it was.
    /// - Returns: the analyzers the files now define.
    @discardableResult
    public func reloadRules(into registry: inout AnalyzerRegistry) throws -> [String] {
        let files = try ruleFiles.map { try RuleFile.load($0.path) }
        var updated = registry
        for file in ruleFiles { for name in file.names { updated.unregister(name) } }
        for file in files {
            for registration in file.registrations {
                if let existing = updated[registration.descriptor.name] {
                    throw MarginaliaError(
                        .duplicateAnalyzer, "analyzer '\(registration.descriptor.name)' is already defined (\(existing.origin))",
                        location: file.path)
                }
                updated.replace(registration)
            }
        }
        registry = updated
        ruleFiles = files.map { ($0.path, $0.definitions.map(\.descriptor.name)) }
        return ruleFiles.flatMap(\.names)
    }

    /// Starts an external plugin, reads its descriptor and registers it.
    public func addPlugin(name: String, command: String, into registry: inout AnalyzerRegistry) throws {
        guard AnalyzerRegistry.isValidName(name) else {
            throw MarginaliaError(.usage, "plugin name '\(name)' must be lower-case letters, digits, '-' or '_'")
        }
        if let existing = registry[name] {
            throw MarginaliaError(.duplicateAnalyzer, "an analyzer named '\(name)' is already registered (\(existing.origin))")
        }
        let plugin = try ProcessPlugin(name: name, command: command)
        try registry.register(plugin.registration)
        plugins[name] = plugin
    }

    /// Parses `NAME=COMMAND ARGS`.
    public static func parsePluginDeclaration(_ text: String) throws -> (name: String, command: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw MarginaliaError(.usage, "a plugin is declared as NAME=COMMAND, not '\(text)'")
        }
        let name = String(text[..<equals]).trimmingSpaces()
        let command = String(text[text.index(after: equals)...]).trimmingSpaces()
        guard !command.isEmpty else { throw MarginaliaError(.usage, "plugin '\(name)' needs a command after '='") }
        return (name, command)
    }

    /// Stops every plugin process.
    public func stopAll() {
        for plugin in plugins.values { plugin.stop() }
    }
}
