/// A layer of tokens held as columns rather than as ``Annotation`` values: about 9 bytes a token instead of a
/// hundred and more, and nothing to copy, retain or release per token.
///
/// The pipeline stores the built-in segmentation this way on a first run (every run in batch). The tokens are in
/// text order and never overlap; their ids are `prefix-N` for consecutive N, and they carry no features or roles.
/// Reading the layer through ``AnnotationStore`` gives ordinary annotations; changing it turns it back into them.
public struct TokenColumns: Sendable {
    /// Byte offsets of each token.
    public private(set) var starts: [UInt32] = []
    public private(set) var ends: [UInt32] = []
    public private(set) var kinds: [Token.Kind] = []
    /// The layer the tokens are in (`token`).
    public let layer: String
    /// `name@version` of the analyzer that made them.
    public let producer: String
    /// The ids are `idPrefix-(firstNumber + index)`.
    public let idPrefix: String
    public let firstNumber: Int

    /// Columns for `tokens`, which must be in text order without overlaps, inside a text under 4 GiB.
    public init(_ tokens: [Token], layer: String, producer: String, idPrefix: String, firstNumber: Int) {
        self.layer = layer
        self.producer = producer
        self.idPrefix = idPrefix
        self.firstNumber = firstNumber
        starts.reserveCapacity(tokens.count)
        ends.reserveCapacity(tokens.count)
        kinds.reserveCapacity(tokens.count)
        for token in tokens {
            starts.append(UInt32(token.start))
            ends.append(UInt32(token.end))
            kinds.append(token.kind)
        }
    }

    public var count: Int { starts.count }

    public func span(at index: Int) -> TextSpan { TextSpan(Int(starts[index]), Int(ends[index])) }

    public func id(at index: Int) -> String { "\(idPrefix)-\(firstNumber + index)" }

    /// Token `index` as an annotation.
    public func annotation(at index: Int) -> Annotation {
        Annotation(
            id: id(at: index), layer: layer, label: kinds[index].rawValue, span: span(at: index), producer: producer)
    }

    /// Every token as an annotation, in order.
    public var annotations: [Annotation] { (0..<count).map(annotation(at:)) }

    /// The index of the token with this id, if it is one of these.
    func index(ofID id: String) -> Int? {
        let stem = idPrefix + "-"
        guard id.hasPrefix(stem), let number = Int(id.dropFirst(stem.count)), id.last?.isNumber == true,
            !id.dropFirst(stem.count).hasPrefix("0"), !id.dropFirst(stem.count).hasPrefix("+")
        else { return nil }
        let index = number - firstNumber
        return index >= 0 && index < count ? index : nil
    }

    /// Indices of the tokens that may meet `span`: from the first ending at or after its start to the last
    /// starting at or before its end. Tokens are ordered and disjoint, so both ends are binary searches.
    func candidates(near span: TextSpan) -> Range<Int> {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if Int(ends[mid]) < span.start { low = mid + 1 } else { high = mid }
        }
        var end = low
        high = count
        while end < high {
            let mid = (end + high) / 2
            if Int(starts[mid]) <= span.end { end = mid + 1 } else { high = mid }
        }
        return low..<end
    }
}
