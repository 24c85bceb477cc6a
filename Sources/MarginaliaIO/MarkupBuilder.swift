import MarginaliaCore

/// Builds a document's plain text and its `markup` layer while a Markdown or HTML loader walks the source.
///
/// Block boundaries are requested, not written: the newlines go out just before the next text, so empty blocks
/// leave no blank lines and the text never starts or ends with a break. Markup spans are trimmed of the white
/// space at their edges.
struct MarkupBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var markup: [Annotation] = []
    private var pendingNewlines = 0
    private let producer: String

    init(producer: String, capacity: Int) {
        self.producer = producer
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }
    /// True when a line break waits for the next text.
    var hasPendingBreak: Bool { pendingNewlines > 0 }
    var lastByte: UInt8? { bytes.last }

    /// Asks for `newlines` line breaks (1 = new line, 2 = blank line) before the next text.
    mutating func requestBreak(_ newlines: Int) {
        if !bytes.isEmpty { pendingNewlines = max(pendingNewlines, newlines) }
    }

    private mutating func flushBreak() {
        guard pendingNewlines > 0 else { return }
        while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes.removeLast() }
        var trailing = 0
        var index = bytes.count - 1
        while index >= 0, bytes[index] == UInt8(ascii: "\n") {
            trailing += 1
            index -= 1
        }
        if trailing < pendingNewlines {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: pendingNewlines - trailing))
        }
        pendingNewlines = 0
    }

    mutating func append(_ byte: UInt8) {
        flushBreak()
        bytes.append(byte)
    }

    mutating func append(_ run: some Collection<UInt8>) {
        guard !run.isEmpty else { return }
        flushBreak()
        bytes.append(contentsOf: run)
    }

    /// Appends a space unless the text is empty or already ends in white space (HTML's white-space collapsing).
    mutating func appendCollapsedSpace() {
        if pendingNewlines > 0 { return }
        guard let last = bytes.last else { return }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: "\n") || last == UInt8(ascii: "\t") { return }
        bytes.append(UInt8(ascii: " "))
    }

    /// Records a `markup` annotation from `start` to the current end, trimmed; empty spans are dropped.
    mutating func addMarkup(_ label: String, from start: Int, features: Features = [:]) {
        var lo = min(start, bytes.count)
        var hi = bytes.count
        while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
        guard lo < hi else { return }
        markup.append(Annotation(layer: "markup", label: label, span: TextSpan(lo, hi), features: features, producer: producer))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// The finished document: text, markup annotations with ids, and metadata.
    func finish(id: String, source: String?, mediaType: MediaType, metadata: [String: String], warnings: [String]) -> AnnotatedDocument {
        // Trailing white space is layout, not text; markup spans are already trimmed, so none reaches into it.
        var bytes = self.bytes
        while let last = bytes.last, Self.isSpace(last) { bytes.removeLast() }
        let document = Document(id: id, source: source, mediaType: mediaType, validUTF8: bytes, metadata: metadata)
        var store = AnnotationStore()
        var annotations = markup
        for index in annotations.indices { annotations[index].id = store.makeID(prefix: "markup") }
        // Ids are fresh and distinct, so adding cannot fail.
        try! store.add(contentsOf: annotations)
        return AnnotatedDocument(document: document, store: store, warnings: warnings)
    }
}
