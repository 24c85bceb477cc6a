/// Option values for one analyzer, checked against its ``OptionSpec``s.
///
/// Values arrive as strings from the CLI (`--option entity.labels=PERSON,ORG`) or the REPL (`set entity.labels ...`)
/// and are parsed by the option's declared kind; unset options take their defaults.
public struct AnalyzerOptions: Hashable, Sendable {
    public private(set) var values: [String: FeatureValue]

    /// Options holding only defaults.
    public init(specs: [OptionSpec] = []) {
        values = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
    }

    /// Parses `raw` (option name → text) against `specs`.
    /// - Throws: ``MarginaliaError`` `.invalidOption` naming the analyzer and option for an unknown option or a
    ///   value of the wrong type.
    public init(parsing raw: [String: String], specs: [OptionSpec], analyzer: String) throws {
        self.init(specs: specs)
        for (name, text) in raw {
            guard let spec = specs.first(where: { $0.name == name }) else {
                let known = specs.map(\.name).joined(separator: ", ")
                throw MarginaliaError(
                    .invalidOption,
                    "analyzer '\(analyzer)' has no option '\(name)'" + (known.isEmpty ? "" : " (options: \(known))"))
            }
            values[name] = try Self.parse(text, as: spec.kind, option: name, analyzer: analyzer)
        }
    }

    static func parse(_ text: String, as kind: OptionSpec.Kind, option: String, analyzer: String) throws -> FeatureValue {
        func bad() -> MarginaliaError {
            MarginaliaError(.invalidOption, "option '\(analyzer).\(option)' expects \(kind.rawValue), got '\(text)'")
        }
        switch kind {
        case .string: return .string(text)
        case .int:
            guard let value = Int(text) else { throw bad() }
            return .int(value)
        case .double:
            guard let value = Double(text) else { throw bad() }
            return .double(value)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on", "1": return .bool(true)
            case "false", "no", "off", "0": return .bool(false)
            default: throw bad()
            }
        case .list:
            let items = text.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            return .list(items.map { .string($0) })
        }
    }

    public subscript(name: String) -> FeatureValue? { values[name] }

    public func string(_ name: String) -> String? { values[name]?.stringValue }
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    public func double(_ name: String) -> Double? { values[name]?.doubleValue }
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }
    public func list(_ name: String) -> [String] { values[name]?.listValue?.compactMap(\.stringValue) ?? [] }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII white space (spaces, tabs, carriage returns, line feeds).
    public func trimmingSpaces() -> String {
        func isSpace(_ character: Character) -> Bool {
            character == " " || character == "\t" || character == "\r" || character == "\n" || character == "\r\n"
        }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
