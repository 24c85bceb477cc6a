/// A token of the built-in segmentation: a span of UTF-8 bytes and what kind of thing it is.
public struct Token: Hashable, Sendable {
    /// What a token is; the `token` layer uses the raw value as the label.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case word, number, punct, url, symbol
    }

    public var start: Int
    public var end: Int
    public var kind: Kind

    public init(start: Int, end: Int, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    public var span: TextSpan { TextSpan(start, end) }
}
