#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One annotation: a labelled span of a document in a named layer, with typed features and roles.
///
/// Layers may overlap freely. Roles name other annotations of the same document by ``id``; a role in several
/// pieces (a quotation interrupted by its cue) holds several ids.
public struct Annotation: Hashable, Sendable, Identifiable {
    /// Unique within its document. Analyzers may leave it empty or use local ids for roles; the pipeline assigns
    /// final ids of the form `producer-N` and rewrites roles to match.
    public var id: String
    /// The layer, e.g. `entity`, `citation`, `markup`.
    public var layer: String
    /// The label within the layer, e.g. `GPE`, `attribution`, `link`.
    public var label: String
    /// Where it is, in UTF-8 bytes of the document text.
    public var span: TextSpan
    /// Typed features, written as a JSON object with sorted keys.
    public var features: Features
    /// Named references to other annotations, by id.
    public var roles: Roles
    /// `name@version` of the analyzer that made it, or `analyst` for manual edits.
    public var producer: String
    /// The producer's confidence in `0...1`, when it has one.
    public var confidence: Double?

    public init(
        id: String = "",
        layer: String,
        label: String,
        span: TextSpan,
        features: Features = Features(),
        roles: Roles = Roles(),
        producer: String = "",
        confidence: Double? = nil
    ) {
        self.id = id
        self.layer = layer
        self.label = label
        self.span = span
        self.features = features
        self.roles = roles
        self.producer = producer
        self.confidence = confidence
    }

    /// The producer's name without its version: `entity@1.0.0` → `entity`.
    public var producerName: Substring {
        producer.split(separator: "@", maxSplits: 1).first ?? Substring(producer)
    }

    /// True when the analyzer called `name` made this annotation (any version). Compares bytes without
    /// allocating, since the pipeline asks it of every annotation before each step.
    public func isProduced(by name: String) -> Bool {
        Self.producer(producer, isNamed: name)
    }

    /// True when `producer` (`name@version`) names the analyzer `name` (any version).
    static func producer(_ producer: String, isNamed name: String) -> Bool {
        var producer = producer
        var name = name
        return producer.withUTF8 { p in
            name.withUTF8 { n in
                guard p.count >= n.count, n.count == 0 || memcmp(p.baseAddress!, n.baseAddress!, n.count) == 0 else { return false }
                return p.count == n.count || p[n.count] == UInt8(ascii: "@")
            }
        }
    }
}
