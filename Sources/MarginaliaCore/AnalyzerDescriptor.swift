/// What an analyzer is, needs and makes: the registry orders analyzers by it and `help ANALYZER` shows it.
public struct AnalyzerDescriptor: Hashable, Sendable {
    /// The name users type: `entity`, `citation`. Lower case, no spaces.
    public var name: String
    /// A semantic version recorded on every annotation it makes (`entity@1.0.0`).
    public var version: String
    /// One line saying what it finds.
    public var summary: String
    /// Layers it reads; the pipeline runs their producers first.
    public var requires: Set<String>
    /// Layers it reads when some analyzer in the run makes them, without pulling their producers in:
    /// `citation` describes sources with `entity` when entities were asked for.
    public var uses: Set<String>
    /// Layers it writes.
    public var produces: Set<String>
    /// The options it accepts.
    public var options: [OptionSpec]
    /// Worked examples: shown by `help`, and run as tests.
    public var examples: [AnalyzerExample]

    public init(
        name: String, version: String, summary: String, requires: Set<String> = [], uses: Set<String> = [],
        produces: Set<String>, options: [OptionSpec] = [], examples: [AnalyzerExample] = []
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.requires = requires
        self.uses = uses
        self.produces = produces
        self.options = options
        self.examples = examples
    }

    /// `name@version`, the producer recorded on annotations.
    public var producer: String { "\(name)@\(version)" }
}

/// One option an analyzer accepts.
public struct OptionSpec: Hashable, Sendable {
    /// The type an option's value is parsed as.
    public enum Kind: String, Hashable, Sendable {
        case string, int, double, bool
        /// A comma-separated list of strings.
        case list
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: FeatureValue
    public var help: String

    public init(_ name: String, _ kind: Kind, default defaultValue: FeatureValue, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// An input text and annotations the analyzer must produce on it.
public struct AnalyzerExample: Hashable, Sendable {
    /// An annotation the example expects: its layer, label, exact covered text, and optionally some features.
    public struct Expected: Hashable, Sendable {
        public var layer: String
        public var label: String
        public var text: String
        public var features: Features

        public init(layer: String, label: String, text: String, features: Features = [:]) {
            self.layer = layer
            self.label = label
            self.text = text
            self.features = features
        }
    }

    public var text: String
    public var expected: [Expected]

    public init(_ text: String, expect expected: [Expected]) {
        self.text = text
        self.expected = expected
    }
}
