/// The media type a document was loaded from; it decides which loader turns bytes into text and markup.
public struct MediaType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let plainText = MediaType(rawValue: "text/plain")
    public static let markdown = MediaType(rawValue: "text/markdown")
    public static let html = MediaType(rawValue: "text/html")
    public static let marginaliaJSON = MediaType(rawValue: "application/vnd.marginalia+json")

    public var description: String { rawValue }
}
