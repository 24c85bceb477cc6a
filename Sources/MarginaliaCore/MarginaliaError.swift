/// An error a user can act on: a stable code, a one-line message, and where it happened.
///
/// ``description`` is the one line the CLI and REPL print, e.g.
/// `notes.md:12:4: unterminated string` or `analyzer 'entity' on document 'a': index out of range`.
public struct MarginaliaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable across releases so scripts can match on it.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let io = Code(rawValue: "io")
        public static let notFound = Code(rawValue: "not-found")
        public static let binaryInput = Code(rawValue: "binary-input")
        public static let invalidInput = Code(rawValue: "invalid-input")
        public static let invalidAnnotation = Code(rawValue: "invalid-annotation")
        public static let unknownAnalyzer = Code(rawValue: "unknown-analyzer")
        public static let duplicateAnalyzer = Code(rawValue: "duplicate-analyzer")
        public static let missingProducer = Code(rawValue: "missing-producer")
        public static let ambiguousProducer = Code(rawValue: "ambiguous-producer")
        public static let dependencyCycle = Code(rawValue: "dependency-cycle")
        public static let invalidOption = Code(rawValue: "invalid-option")
        public static let analyzerFailed = Code(rawValue: "analyzer-failed")
        public static let usage = Code(rawValue: "usage")
    }

    public var code: Code
    public var message: String
    /// The file, document or plugin concerned.
    public var location: String?
    /// 1-based line and column within ``location``, when known.
    public var line: Int?
    public var column: Int?

    public init(_ code: Code, _ message: String, location: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.line = line
        self.column = column
    }

    /// The same error, placed in `location` unless it already names one.
    public func at(_ location: String) -> MarginaliaError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }

    public var description: String {
        var prefix = location ?? ""
        if let line {
            prefix += prefix.isEmpty ? "line \(line)" : ":\(line)"
            if let column { prefix += ":\(column)" }
        }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }
}
