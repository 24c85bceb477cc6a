/// One registered analyzer: its descriptor, where it comes from, and how to make an instance.
public struct AnalyzerRegistration: Sendable {
    /// Where an analyzer was defined; `analyzers` lists it.
    public enum Origin: Hashable, Sendable, CustomStringConvertible {
        case builtIn
        case swift
        case rules(file: String)
        case process(command: String)

        public var description: String {
            switch self {
            case .builtIn: return "built-in"
            case .swift: return "swift"
            case .rules(let file): return "rules \(file)"
            case .process(let command): return "process \(command)"
            }
        }
    }

    public var descriptor: AnalyzerDescriptor
    public var origin: Origin
    public var make: @Sendable (AnalyzerOptions) throws -> any DocumentAnalyzing

    public init(
        descriptor: AnalyzerDescriptor, origin: Origin,
        make: @escaping @Sendable (AnalyzerOptions) throws -> any DocumentAnalyzing
    ) {
        self.descriptor = descriptor
        self.origin = origin
        self.make = make
    }

    /// Registers a Swift ``Analyzer`` type.
    public init<A: Analyzer>(_ type: A.Type, origin: Origin = .swift) {
        self.init(descriptor: A.descriptor, origin: origin) { options in try A(options: options) }
    }
}

/// The analyzers a session or batch can run: built-ins and users' alike.
public struct AnalyzerRegistry: Sendable {
    private var entries: [String: AnalyzerRegistration] = [:]

    public init() {}

    /// Registers an analyzer. Throws `.duplicateAnalyzer` when the name is taken.
    public mutating func register(_ registration: AnalyzerRegistration) throws {
        let name = registration.descriptor.name
        if let existing = entries[name] {
            throw MarginaliaError(
                .duplicateAnalyzer,
                "an analyzer named '\(name)' is already registered (\(existing.origin)); rename the one from \(registration.origin)")
        }
        guard Self.isValidName(name) else {
            throw MarginaliaError(.usage, "analyzer name '\(name)' must be lower-case letters, digits, '-' or '_'")
        }
        entries[name] = registration
    }

    /// Registers a Swift analyzer type.
    public mutating func register<A: Analyzer>(_ type: A.Type, origin: AnalyzerRegistration.Origin = .swift) throws {
        try register(AnalyzerRegistration(type, origin: origin))
    }

    /// Replaces a registration of the same name, or adds it (used when a rule file is reloaded).
    public mutating func replace(_ registration: AnalyzerRegistration) {
        entries[registration.descriptor.name] = registration
    }

    /// Removes the analyzer with this name.
    @discardableResult
    public mutating func unregister(_ name: String) -> AnalyzerRegistration? {
        entries.removeValue(forKey: name)
    }

    public subscript(name: String) -> AnalyzerRegistration? { entries[name] }

    /// All registrations sorted by name.
    public var all: [AnalyzerRegistration] { entries.keys.sorted().map { entries[$0]! } }

    /// All names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The registrations producing `layer`, sorted by name.
    public func producers(of layer: String) -> [AnalyzerRegistration] {
        all.filter { $0.descriptor.produces.contains(layer) }
    }

    /// The registration named `name`, or an `.unknownAnalyzer` error suggesting a near miss.
    public func registration(named name: String) throws -> AnalyzerRegistration {
        if let entry = entries[name] { return entry }
        var message = "unknown analyzer '\(name)'"
        if let suggestion = Suggestion.nearest(to: name, among: names) {
            message += "; did you mean '\(suggestion)'?"
        } else if !entries.isEmpty {
            message += " (known: \(names.joined(separator: ", ")))"
        }
        throw MarginaliaError(.unknownAnalyzer, message)
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
