public import MarginaliaCore

/// Converts UTF-8 byte offsets to Unicode-scalar (code point) offsets after one pass over the text.
///
/// The pass records, for every byte offset, how many scalars precede it, so each lookup is one array read
/// (converting offsets one by one would walk the text once per offset). Text without a byte above 0x7F needs no
/// table: its byte and scalar offsets are equal. The table takes 4 bytes per byte of text, held only while a
/// document is being written.
public struct ScalarOffsets: Sendable {
    /// Scalars before each byte offset `0...count`; nil when the text is ASCII.
    private let table: [UInt32]?
    private let count: Int

    /// Prepares conversions of any offset of `utf8`.
    public init(utf8: [UInt8]) {
        count = utf8.count
        precondition(utf8.count < Int(UInt32.max), "a text of 4 GiB or more")
        table = utf8.withUnsafeBufferPointer { bytes -> [UInt32]? in
            guard let firstWide = bytes.firstIndex(where: { $0 >= 0x80 }) else { return nil }
            return [UInt32](unsafeUninitializedCapacity: bytes.count + 1) { out, initialized in
                var scalars: UInt32 = 0
                for offset in 0..<firstWide {
                    out[offset] = UInt32(truncatingIfNeeded: offset)
                }
                scalars = UInt32(truncatingIfNeeded: firstWide)
                for offset in firstWide..<bytes.count {
                    out[offset] = scalars
                    // Every byte but a continuation byte (10xxxxxx) starts a scalar.
                    scalars &+= bytes[offset] & 0xC0 != 0x80 ? 1 : 0
                }
                out[bytes.count] = scalars
                initialized = bytes.count + 1
            }
        }
    }

    /// Prepares conversions of any offset of the document's text.
    public init(document: Document) {
        self.init(utf8: document.utf8)
    }

    /// The scalar offset of a byte offset of the text.
    @inline(__always)
    public func scalarOffset(ofByte offset: Int) -> Int {
        precondition(offset >= 0 && offset <= count, "offset \(offset) is outside the text")
        guard let table else { return offset }
        return Int(table[offset])
    }

    /// Byte offsets for the given scalar offsets of `utf8`, in one pass; nil for an offset past the end.
    public static func byteOffsets(utf8: [UInt8], scalarOffsets offsets: [Int]) -> [Int: Int] {
        let sorted = Array(Set(offsets)).sorted()
        var result: [Int: Int] = Dictionary(minimumCapacity: sorted.count)
        utf8.withUnsafeBufferPointer { bytes in
            var scalarCount = 0
            var position = 0
            for target in sorted {
                while scalarCount < target, position < bytes.count {
                    position += 1
                    while position < bytes.count, bytes[position] & 0xC0 == 0x80 { position += 1 }
                    scalarCount += 1
                }
                if scalarCount == target, target >= 0 { result[target] = position }
            }
        }
        return result
    }
}
