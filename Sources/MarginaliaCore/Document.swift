/// A document's identity and plain text, markup removed.
///
/// The text is immutable once loaded: every annotation's offsets refer to it. ``utf8`` holds the same text as
/// bytes, because analyzers scan bytes rather than `Character`s.
public struct Document: Sendable {
    /// A name unique within a session or batch, e.g. the file name without extension.
    public var id: String
    /// Where the document came from: a path, a URL, or `-` for standard input.
    public var source: String?
    /// The media type the loader read.
    public var mediaType: MediaType
    /// The plain text.
    public let text: String
    /// The plain text as UTF-8 bytes; offsets in ``TextSpan`` index this array.
    public let utf8: [UInt8]
    /// Title, author, date and the like, as the loader found them.
    public var metadata: [String: String]

    public init(
        id: String, source: String? = nil, mediaType: MediaType = .plainText, text: String,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.source = source
        self.mediaType = mediaType
        self.text = text
        self.utf8 = Array(text.utf8)
        self.metadata = metadata
    }

    /// Creates a document from bytes already known to be valid UTF-8.
    public init(
        id: String, source: String? = nil, mediaType: MediaType = .plainText, validUTF8 bytes: [UInt8],
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.source = source
        self.mediaType = mediaType
        self.text = String(decoding: bytes, as: UTF8.self)
        self.utf8 = bytes
        self.metadata = metadata
    }

    /// The text a span covers.
    public func text(of span: TextSpan) -> String {
        String(decoding: utf8[span.start..<span.end], as: UTF8.self)
    }

    /// True when `offset` falls on a scalar boundary: a span edge there never splits a UTF-8 sequence.
    public func isScalarBoundary(_ offset: Int) -> Bool {
        guard offset >= 0, offset <= utf8.count else { return false }
        return offset == utf8.count || !UTF8.isContinuation(utf8[offset])
    }
}
