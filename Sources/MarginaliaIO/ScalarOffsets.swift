public import MarginaliaCore

/// Converts between UTF-8 byte offsets and Unicode-scalar (code point) offsets in one pass over the text.
///
/// Converting each offset separately would walk the text once per offset (O(n·m)); instead the distinct offsets
/// are sorted and a single walk over the bytes assigns each its scalar count (O(n + m log m)). Lookups are then
/// binary searches.
public struct ScalarOffsets: Sendable {
    private let byteOffsets: [Int]
    private let scalarOffsets: [Int]

    /// Prepares conversions of the given UTF-8 offsets of `utf8`.
    public init(utf8: [UInt8], byteOffsets offsets: [Int]) {
        // Sort then drop repeats in place: cheaper than hashing every offset into a set.
        var sorted = offsets.sorted()
        var kept = 0
        for value in sorted where kept == 0 || sorted[kept - 1] != value {
            sorted[kept] = value
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        var scalars = [Int](repeating: 0, count: sorted.count)
        utf8.withUnsafeBufferPointer { bytes in
            var scalarCount = 0
            var position = 0
            for (index, target) in sorted.enumerated() {
                let limit = min(target, bytes.count)
                while position < limit {
                    if bytes[position] & 0xC0 != 0x80 { scalarCount += 1 }
                    position += 1
                }
                scalars[index] = scalarCount
            }
        }
        byteOffsets = sorted
        scalarOffsets = scalars
    }

    /// Prepares the offsets of every annotation in `layers`.
    public init(document: Document, layers: [[Annotation]]) {
        var offsets: [Int] = []
        offsets.reserveCapacity(layers.reduce(0) { $0 + $1.count } * 2)
        for layer in layers {
            for annotation in layer {
                offsets.append(annotation.span.start)
                offsets.append(annotation.span.end)
            }
        }
        self.init(utf8: document.utf8, byteOffsets: offsets)
    }

    /// Prepares the offsets of every annotation in `annotations`.
    public init(document: Document, annotations: [Annotation]) {
        var offsets: [Int] = []
        offsets.reserveCapacity(annotations.count * 2)
        for annotation in annotations {
            offsets.append(annotation.span.start)
            offsets.append(annotation.span.end)
        }
        self.init(utf8: document.utf8, byteOffsets: offsets)
    }

    /// The scalar offset of a byte offset given at creation.
    @inline(__always)
    public func scalarOffset(ofByte offset: Int) -> Int {
        var lo = 0
        var hi = byteOffsets.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if byteOffsets[mid] < offset { lo = mid + 1 } else { hi = mid }
        }
        precondition(lo < byteOffsets.count && byteOffsets[lo] == offset, "offset \(offset) was not prepared")
        return scalarOffsets[lo]
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
