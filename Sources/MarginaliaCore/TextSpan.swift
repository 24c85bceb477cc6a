/// A half-open range of UTF-8 byte offsets into a document's text.
///
/// Marginalia stores offsets as UTF-8 byte offsets because they are O(1) to slice on native Swift strings and
/// are what the byte-scanning analyzers produce. Exporters convert them to Unicode-scalar offsets in one pass.
///
/// ```swift
/// let span = TextSpan(10, 14)   // bytes 10, 11, 12, 13
/// span.length                   // 4
/// span.overlaps(TextSpan(13, 20)) // true
/// ```
public struct TextSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first byte of the span.
    public var start: Int
    /// One past the last byte of the span.
    public var end: Int

    /// Creates a span; `start` must not exceed `end`.
    public init(_ start: Int, _ end: Int) {
        precondition(start <= end, "TextSpan start \(start) is after end \(end)")
        self.start = start
        self.end = end
    }

    /// The number of bytes covered.
    public var length: Int { end - start }
    /// True when the span covers no byte.
    public var isEmpty: Bool { start == end }

    /// True when the two spans share at least one byte (or both are the same empty point).
    public func overlaps(_ other: TextSpan) -> Bool {
        if isEmpty || other.isEmpty { return start == other.start && end == other.end }
        return start < other.end && other.start < end
    }

    /// True when `other` lies entirely inside this span.
    public func contains(_ other: TextSpan) -> Bool {
        start <= other.start && other.end <= end
    }

    /// Orders by start, then by end (shorter first).
    public static func < (lhs: TextSpan, rhs: TextSpan) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    public var description: String { "\(start)..<\(end)" }
}
