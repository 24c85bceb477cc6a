public import MarginaliaCore

/// Marginalia document JSON, version 1: the interchange format every scorer reads.
///
/// Writing streams bytes with keys in a fixed order (the order of the format's specification; feature keys
/// sorted), offsets in Unicode scalars. Reading accepts the same and checks that every annotation's `text`
/// equals the document text it spans.
public enum MarginaliaJSON {
    public static let formatName = "marginalia/1"
    public static let offsetUnit = "unicode-scalar"

    /// Options for writing.
    public struct WriteOptions: Sendable {
        /// Only these layers are written; nil writes all.
        public var layers: Set<String>?
        /// Indent for people rather than one line for machines.
        public var pretty: Bool

        public init(layers: Set<String>? = nil, pretty: Bool = false) {
            self.layers = layers
            self.pretty = pretty
        }
    }

    /// Encodes one document as a single line of JSON (no trailing newline).
    public static func encode(_ annotated: AnnotatedDocument, options: WriteOptions = WriteOptions()) -> [UInt8] {
        // About 150 bytes per annotation besides its text (measured on the sample corpus, tokens included): one allocation instead of repeated doubling.
        let estimate = annotated.document.utf8.count * 2 + annotated.store.count * 150 + 1024
        // Written straight into the array's storage; only output beyond the estimate is copied back.
        var grown: [UInt8]? = nil
        let written = [UInt8](unsafeUninitializedCapacity: estimate) { buffer, count in
            var writer = JSONWriter(writingInto: buffer)
            encode(annotated, options: options, into: &writer)
            if writer.isInLentBuffer {
                count = writer.count
            } else {
                grown = writer.bytes
                count = 0
            }
        }
        return grown ?? written
    }

    /// Encodes one document into `writer`.
    public static func encode(_ annotated: AnnotatedDocument, options: WriteOptions = WriteOptions(), into w: inout JSONWriter) {
        let document = annotated.document
        // Whole layer arrays, not a combined copy: writing must not retain and release every annotation again.
        // Token layers held as columns are written from the columns: no annotation is built for them.
        // So are an analyzer's layers held as columns.
        var layers: [Layer] = annotated.store.layerNames.filter { options.layers?.contains($0) ?? true }.map { name in
            if let columns = annotated.store.tokenColumns(in: name) { return .columns(columns) }
            if let rows = annotated.store.annotationColumns(in: name) { return .rows(rows) }
            return .annotations(annotated.store.annotations(in: name), layer: name)
        }
        if let chosen = options.layers {
            // Annotations the chosen layers' roles point to come along, so every role resolves in the output.
            var targets: [String] = []
            for layer in layers {
                switch layer {
                case .annotations(let list, _):
                    for annotation in list { for ids in annotation.roles.values { targets += ids } }
                case .rows(let rows):
                    // A row's target row lies in the same, chosen layer; only ids can point outside it.
                    for row in 0..<rows.count {
                        for role in rows.roleRange(ofRow: row) {
                            for index in rows.targetRange(ofRole: role) {
                                if case .id(let id) = rows.target(at: index) { targets.append(id) }
                            }
                        }
                    }
                case .columns: break
                }
            }
            let referenced = referencedOutside(chosen, targets: targets, in: annotated.store)
            if !referenced.isEmpty { layers.append(.annotations(referenced, layer: nil)) }
        }
        let offsets = ScalarOffsets(document: document)
        let nl: StaticString = options.pretty ? "\n" : ""
        let i1: StaticString = options.pretty ? "  " : ""
        let i2: StaticString = options.pretty ? "    " : ""
        let sep: StaticString = options.pretty ? ": " : ":"

        w.raw("{"); w.raw(nl)
        w.raw(i1); w.raw("\"format\""); w.raw(sep); w.string(formatName); w.raw(","); w.raw(nl)
        w.raw(i1); w.raw("\"offsetUnit\""); w.raw(sep); w.string(offsetUnit); w.raw(","); w.raw(nl)
        w.raw(i1); w.raw("\"document\""); w.raw(sep); w.raw("{"); w.raw(nl)
        w.raw(i2); w.raw("\"id\""); w.raw(sep); w.string(document.id); w.raw(","); w.raw(nl)
        if let source = document.source {
            w.raw(i2); w.raw("\"source\""); w.raw(sep); w.string(source); w.raw(","); w.raw(nl)
        }
        w.raw(i2); w.raw("\"mediaType\""); w.raw(sep); w.string(document.mediaType.rawValue); w.raw(","); w.raw(nl)
        w.raw(i2); w.raw("\"text\""); w.raw(sep)
        document.utf8.withUnsafeBufferPointer { w.string($0) }
        w.raw(","); w.raw(nl)
        w.raw(i2); w.raw("\"metadata\""); w.raw(sep); w.raw("{")
        for (index, key) in document.metadata.keys.sorted().enumerated() {
            if index > 0 { w.raw(",") }
            w.string(key); w.raw(sep); w.string(document.metadata[key]!)
        }
        w.raw("}"); w.raw(nl)
        w.raw(i1); w.raw("},"); w.raw(nl)
        w.raw(i1); w.raw("\"annotations\""); w.raw(sep); w.raw("[")
        var written = 0
        var strings = KeptStrings()
        document.utf8.withUnsafeBufferPointer { bytes in
            for layer in layers {
                switch layer {
                case .columns(let columns):
                    writeColumns(columns, bytes: bytes, offsets: offsets, written: &written, pretty: options.pretty, into: &w)
                case .rows(let rows):
                    writeRows(
                        rows, bytes: bytes, offsets: offsets, keys: options.pretty ? .pretty : .compact, written: &written,
                        newline: nl, indent: i2, strings: &strings, into: &w)
                case .annotations(let list, let name):
                    // A store layer's annotations all carry its name: escaped once for the whole layer.
                    let layerName = name.map { name in
                        var scratch = JSONWriter(capacity: name.utf8.count + 8)
                        scratch.string(name)
                        return scratch.bytes
                    }
                    // Read in place through the buffer: iterating the array would copy, retain and release
                    // every annotation.
                    list.withUnsafeBufferPointer { list in
                        for index in list.indices {
                            if written > 0 { w.raw(",") }
                            w.raw(nl); w.raw(i2)
                            writeAnnotation(
                                list.baseAddress! + index, layerName: layerName, bytes: bytes, offsets: offsets,
                                keys: options.pretty ? .pretty : .compact,
                                strings: &strings, into: &w)
                            written += 1
                        }
                    }
                }
            }
        }
        if written > 0 { w.raw(nl); w.raw(i1) }
        w.raw("]"); w.raw(nl)
        w.raw("}")
    }

    /// The annotations outside `chosen` layers that the role targets `targets` reach, directly or through each
    /// other's roles. A target's layer is read from the store's id table, so targets inside the chosen layers
    /// (most of them: a stance's cue, an attribution's parts) are passed over without making their annotations.
    static func referencedOutside(_ chosen: Set<String>, targets: [String], in store: AnnotationStore) -> [Annotation] {
        var seen: Set<String> = []
        var result: [Annotation] = []
        var work = targets
        while let id = work.popLast() {
            guard seen.insert(id).inserted, let layer = store.layer(of: id), !chosen.contains(layer),
                let target = store[id]
            else { continue }
            result.append(target)
            for ids in target.roles.values { work += ids }
        }
        return result.sorted { ($0.span.start, $0.span.end, $0.id) < ($1.span.start, $1.span.end, $1.id) }
    }

    /// One layer to write: annotations (with the layer's name when they all lie in one), tokens held as columns, or
    /// an analyzer's rows held as columns.
    private enum Layer {
        case annotations([Annotation], layer: String?)
        case columns(TokenColumns)
        case rows(AnnotationColumns)
    }

    /// Escaped forms of the strings that recur from one annotation to the next: layers, labels and producers,
    /// feature and role keys, and values such as "author", "curated" or a country's name, kept with what follows
    /// them (a key's separator).
    ///
    /// A string is found by its ``Swift/String/identityBits``, hashed into a table of 512 entries; an entry keeps
    /// the string (so equal bits mean equal text), and names copied from one list, like an entity's canonical
    /// name, share one storage and so one entry. A hit costs a hash, a comparison of two words and a copy of at
    /// most 24 bytes; unequal bits only miss.
    private struct KeptStrings {
        enum Kind: UInt64 {
            case featureKey = 1, featureValue, roleKey, layer, label, producer, number
        }

        private struct Entry {
            var bits: (UInt64, UInt64) = (0, 0)
            var kind: UInt64 = 0
            /// The string the bits were taken from, held so that its storage stays what the bits point to.
            var kept = ""
            var length = 0
            var form: (UInt64, UInt64, UInt64) = (0, 0, 0)
        }

        private static let slotBits = 9
        /// Made at the first string, so a writer that meets none allocates nothing.
        private var entries: [Entry] = []

        /// Writes `value` as a JSON string followed by `suffix`, which must be the same for every string of `kind`
        /// written by one writer (it is kept with the string).
        mutating func write(_ value: String, _ kind: Kind, suffix: StaticString = "", into w: inout JSONWriter) {
            guard let bits = value.identityBits else {
                w.string(value)
                return w.raw(suffix)
            }
            write(bits: bits, kind, keeping: value, into: &w) { w in
                let before = w.count
                w.string(value)
                // Plain strings only: an escape makes the form longer than the text and its quotes.
                let plain = w.count - before == value.utf8.count + 2
                w.raw(suffix)
                return plain
            }
        }

        /// Writes a number such as a confidence, which analyzers give from a short list (0.95 for a listed name,
        /// 0.5 for a guess by shape); kept by its bits.
        mutating func write(_ value: Double, into w: inout JSONWriter) {
            write(bits: (value.bitPattern, 0), .number, keeping: "", into: &w) { w in
                w.double(value)
                return true
            }
        }

        /// Writes the form kept for `bits` and `kind`, or else writes with `writeFresh` (which says whether its form
        /// may be kept) and keeps the form when it fits in three words; `value` is held by the entry.
        @inline(__always)
        private mutating func write(
            bits: (UInt64, UInt64), _ kind: Kind, keeping value: String, into w: inout JSONWriter,
            _ writeFresh: (inout JSONWriter) -> Bool
        ) {
            let slot = Self.slot(bits, kind)
            if writeKept(slot, bits, kind, into: &w) { return }
            let before = w.count
            let keepable = writeFresh(&w)
            let length = w.count - before
            guard keepable, length <= 24 else { return }
            entries[slot] = Entry(bits: bits, kind: kind.rawValue, kept: value, length: length, form: w.lastWords(length))
        }

        @inline(__always)
        private static func slot(_ bits: (UInt64, UInt64), _ kind: Kind) -> Int {
            let mixed = (bits.0 &* 0x9E37_79B9_7F4A_7C15) ^ (bits.1 &+ kind.rawValue) &* 0xD6E8_FEB8_6659_FD93
            return Int(truncatingIfNeeded: mixed >> UInt64(64 - slotBits))
        }

        /// Writes the form kept in `slot` if it was kept for these bits and kind.
        @inline(__always)
        private mutating func writeKept(_ slot: Int, _ bits: (UInt64, UInt64), _ kind: Kind, into w: inout JSONWriter) -> Bool {
            if entries.isEmpty { entries = [Entry](repeating: Entry(), count: 1 << Self.slotBits) }
            return entries.withUnsafeBufferPointer { entries -> Bool in
                let entry = entries.baseAddress! + slot
                guard entry.pointee.bits == bits, entry.pointee.kind == kind.rawValue else { return false }
                w.words(entry.pointee.form, count: entry.pointee.length)
                return true
            }
        }
    }

    /// Writes one annotation object; `layerName`, when given, is its layer already escaped. Read through a pointer:
    /// a copy of the annotation would retain and release each of its strings and arrays.
    private static func writeAnnotation(
        _ a: UnsafePointer<Annotation>, layerName: [UInt8]?, bytes: UnsafeBufferPointer<UInt8>, offsets: ScalarOffsets,
        keys: AnnotationKeys, strings: inout KeptStrings, into w: inout JSONWriter
    ) {
        w.raw(keys.id); w.string(a.pointee.id)
        w.raw(keys.layer)
        if let layerName { layerName.withUnsafeBufferPointer { w.raw($0) } } else { strings.write(a.pointee.layer, .layer, into: &w) }
        w.raw(keys.label); strings.write(a.pointee.label, .label, into: &w)
        w.raw(keys.start); w.int(offsets.scalarOffset(ofByte: a.pointee.span.start))
        w.raw(keys.end); w.int(offsets.scalarOffset(ofByte: a.pointee.span.end))
        w.raw(keys.text); w.string(UnsafeBufferPointer(rebasing: bytes[a.pointee.span.start..<a.pointee.span.end]))
        if !a.pointee.features.isEmpty {
            w.raw(keys.features); writeFeatureEntries(a.pointee.features, strings: &strings, into: &w)
        }
        if !a.pointee.roles.isEmpty { writeRoles(a.pointee.roles, keys: keys, strings: &strings, into: &w) }
        w.raw(keys.producer); strings.write(a.pointee.producer, .producer, into: &w)
        if let confidence = a.pointee.confidence {
            w.raw(keys.confidence); strings.write(confidence, into: &w)
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// Writes an analyzer's rows, in span order, as the annotations they stand for (byte for byte what
    /// `writeAnnotation` writes for them), from the columns: no annotation is made. Labels and keys come from the
    /// columns' name table, each escaped once per layer (a key with what follows it).
    private static func writeRows(
        _ rows: AnnotationColumns, bytes: UnsafeBufferPointer<UInt8>, offsets: ScalarOffsets, keys: AnnotationKeys,
        written: inout Int, newline: StaticString, indent: StaticString, strings: inout KeptStrings, into w: inout JSONWriter
    ) {
        // One array of pieces with their ranges: the id's quote and prefix, the layer, the producer, and per name
        // its forms as a label, a feature key (with the colon) and a role key (with the separator).
        var pieces = JSONWriter(capacity: 256)
        var ranges: [Range<Int>] = []
        func piece(_ build: (inout JSONWriter) -> Void) {
            let start = pieces.count
            build(&pieces)
            ranges.append(start..<pieces.count)
        }
        piece { $0.raw("\""); $0.stringContents(rows.idPrefix + "-") }
        piece { $0.string(rows.layer) }
        piece { $0.string(rows.producer) }
        for index in 0..<rows.nameCount {
            let name = rows.string(rows.name(at: index))
            piece { $0.string(name) }
            piece { $0.string(name); $0.raw(":") }
            piece { $0.string(name); $0.raw(keys.roleSeparator) }
        }
        let all = pieces.bytes
        // Pieces and ids are written through these static helpers, not local functions: a local function
        // capturing the writer makes every write a checked access to it.
        all.withUnsafeBufferPointer { all in
            let pieces = ranges.map { UnsafeBufferPointer(rebasing: all[$0]) }
            for position in 0..<rows.count {
                let row = rows.row(atPosition: position)
                if written > 0 { w.raw(",") }
                w.raw(newline); w.raw(indent)
                written += 1
                w.raw(keys.id); writeID(rows.firstNumber + row, stem: pieces[0], into: &w)
                w.raw(keys.layer); w.raw(pieces[1])
                w.raw(keys.label); w.raw(pieces[3 + 3 * rows.index(of: rows.labelName(ofRow: row))])
                let span = rows.span(ofRow: row)
                w.raw(keys.start); w.int(offsets.scalarOffset(ofByte: span.start))
                w.raw(keys.end); w.int(offsets.scalarOffset(ofByte: span.end))
                w.raw(keys.text); w.string(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
                let features = rows.featureRange(ofRow: row)
                if !features.isEmpty {
                    w.raw(keys.features)
                    for index in features {
                        if index > features.lowerBound { w.byte(UInt8(ascii: ",")) }
                        w.raw(pieces[4 + 3 * rows.index(of: rows.featureKey(at: index))])
                        let value = rows.featureValue(at: index)
                        if case .string(let text) = value { strings.write(text, .featureValue, into: &w) } else { writeFeature(value, into: &w) }
                    }
                    w.raw("}")
                }
                let roles = rows.roleRange(ofRow: row)
                if !roles.isEmpty {
                    w.raw(keys.roles)
                    for role in roles {
                        if role > roles.lowerBound { w.byte(UInt8(ascii: ",")) }
                        w.raw(pieces[5 + 3 * rows.index(of: rows.roleKey(at: role))])
                        let targets = rows.targetRange(ofRole: role)
                        if targets.count != 1 { w.raw("[") }
                        for index in targets {
                            if index > targets.lowerBound { w.raw(",") }
                            switch rows.target(at: index) {
                            case .row(let target): writeID(rows.firstNumber + target, stem: pieces[0], into: &w)
                            case .id(let id): w.string(id)
                            }
                        }
                        if targets.count != 1 { w.raw("]") }
                    }
                    w.raw("}")
                }
                w.raw(keys.producer); w.raw(pieces[2])
                if let confidence = rows.confidence(ofRow: row) {
                    w.raw(keys.confidence); strings.write(confidence, into: &w)
                }
                w.byte(UInt8(ascii: "}"))
            }
        }
    }

    /// An id `stem` + `number` + closing quote, `stem` holding the opening quote and the prefix.
    @inline(__always)
    private static func writeID(_ number: Int, stem: UnsafeBufferPointer<UInt8>, into w: inout JSONWriter) {
        w.raw(stem)
        w.int(number)
        w.byte(UInt8(ascii: "\""))
    }

    /// An annotation object's keys with what follows each up to its value (the separator, and the brace that
    /// opens features and roles), one piece each in compact or pretty output: a piece is one copy.
    private struct AnnotationKeys {
        let id, layer, label, start, end, text, features, roles, producer, confidence, roleSeparator: StaticString

        static let compact = AnnotationKeys(
            id: "{\"id\":", layer: ",\"layer\":", label: ",\"label\":", start: ",\"start\":", end: ",\"end\":",
            text: ",\"text\":", features: ",\"features\":{", roles: ",\"roles\":{", producer: ",\"producer\":",
            confidence: ",\"confidence\":", roleSeparator: ":")
        static let pretty = AnnotationKeys(
            id: "{\"id\": ", layer: ",\"layer\": ", label: ",\"label\": ", start: ",\"start\": ", end: ",\"end\": ",
            text: ",\"text\": ", features: ",\"features\": {", roles: ",\"roles\": {", producer: ",\"producer\": ",
            confidence: ",\"confidence\": ", roleSeparator: ": ")
    }

    /// Writes column tokens as the annotations they stand for, byte for byte: the parts every token shares are
    /// escaped once, so a token costs its id number, offsets and text.
    private static func writeColumns(
        _ columns: TokenColumns, bytes: UnsafeBufferPointer<UInt8>, offsets: ScalarOffsets, written: inout Int,
        pretty: Bool, into w: inout JSONWriter
    ) {
        let sep: StaticString = pretty ? ": " : ":"
        func fragment(_ build: (inout JSONWriter) -> Void) -> [UInt8] {
            var scratch = JSONWriter(capacity: 64)
            build(&scratch)
            return scratch.bytes
        }
        // `{"id":"prefix-` … number … `","layer":"token","label":"word","start":` … start … and so on.
        let idStart = fragment { f in
            if pretty { f.raw("\n    ") }
            f.raw("{\"id\""); f.raw(sep)
            f.raw("\""); f.stringContents(columns.idPrefix + "-")
        }
        let afterID = Token.Kind.allCases.map { kind in
            fragment { f in
                f.raw("\""); f.raw(",\"layer\""); f.raw(sep); f.string(columns.layer)
                f.raw(",\"label\""); f.raw(sep); f.string(kind.rawValue)
                f.raw(",\"start\""); f.raw(sep)
            }
        }
        func slot(_ kind: Token.Kind) -> Int {
            switch kind {
            case .word: 0
            case .number: 1
            case .punct: 2
            case .url: 3
            case .symbol: 4
            }
        }
        precondition(Token.Kind.allCases.map(slot) == Array(0..<Token.Kind.allCases.count))
        let tail = fragment { f in
            f.raw(",\"producer\""); f.raw(sep); f.string(columns.producer); f.raw("}")
        }
        let endKey = fragment { f in f.raw(",\"end\""); f.raw(sep) }
        let textKey = fragment { f in f.raw(",\"text\""); f.raw(sep); f.raw("\"") }
        // All the pieces in one array, so the loop below holds one buffer rather than nesting a closure per piece.
        var pieces: [UInt8] = []
        var ranges: [Range<Int>] = []
        for piece in [idStart, endKey, textKey, tail] + afterID {
            ranges.append(pieces.count..<(pieces.count + piece.count))
            pieces += piece
        }
        let fixedLength = pieces.count
        pieces.withUnsafeBufferPointer { pieces in
            let idStart = UnsafeBufferPointer(rebasing: pieces[ranges[0]])
            let endKey = UnsafeBufferPointer(rebasing: pieces[ranges[1]])
            let textKey = UnsafeBufferPointer(rebasing: pieces[ranges[2]])
            let tail = UnsafeBufferPointer(rebasing: pieces[ranges[3]])
            let afterID = ranges[4...].map { UnsafeBufferPointer(rebasing: pieces[$0]) }
            for index in 0..<columns.count {
                let start = Int(columns.starts[index])
                let end = Int(columns.ends[index])
                let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
                // One check for room per token: the fixed pieces, three numbers, a comma and the text escaped.
                let target = w.space(fixedLength + 64 + 6 * text.count)
                var n = 0
                if written > 0 {
                    target[0] = UInt8(ascii: ",")
                    n = 1
                }
                written += 1
                n += JSONWriter.copy(idStart, to: target + n)
                n += JSONWriter.digits(UInt(columns.firstNumber + index), to: target + n)
                n += JSONWriter.copy(afterID[slot(columns.kinds[index])], to: target + n)
                n += JSONWriter.digits(UInt(offsets.scalarOffset(ofByte: start)), to: target + n)
                n += JSONWriter.copy(endKey, to: target + n)
                n += JSONWriter.digits(UInt(offsets.scalarOffset(ofByte: end)), to: target + n)
                n += JSONWriter.copy(textKey, to: target + n)
                if JSONBytes.plainRunEnd(text, from: 0) == text.count {
                    n += JSONWriter.copy(text, to: target + n)
                    target[n] = UInt8(ascii: "\"")
                    n += 1
                    n += JSONWriter.copy(tail, to: target + n)
                    w.commit(n)
                } else {
                    w.commit(n)
                    w.stringContents(text)
                    w.raw("\"")
                    w.raw(tail)
                }
            }
        }
    }

    /// A roles object with its key (`roles` is not empty).
    private static func writeRoles(_ roles: borrowing Roles, keys: AnnotationKeys, strings: inout KeptStrings, into w: inout JSONWriter) {
        w.raw(keys.roles)
        roles.withEntries { entries in
            for index in entries.indices {
                if index > 0 { w.byte(UInt8(ascii: ",")) }
                // A role key is kept with the separator after it (one document is written in one mode).
                strings.write(entries[index].key, .roleKey, suffix: keys.roleSeparator, into: &w)
                let targets = entries[index].value
                if targets.count == 1 {
                    w.string(targets[0])
                } else {
                    w.raw("[")
                    for k in targets.indices {
                        if k > 0 { w.raw(",") }
                        w.string(targets[k])
                    }
                    w.raw("]")
                }
            }
        }
        w.raw("}")
    }

    static func writeFeatures(_ features: Features, into w: inout JSONWriter) {
        var strings = KeptStrings()
        writeFeatures(features, strings: &strings, into: &w)
    }

    private static func writeFeatures(_ features: Features, strings: inout KeptStrings, into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        writeFeatureEntries(features, strings: &strings, into: &w)
    }

    /// A features object after its opening brace.
    private static func writeFeatureEntries(_ features: borrowing Features, strings: inout KeptStrings, into w: inout JSONWriter) {
        // Features are held in key order, the order JSON writes them in.
        features.withEntries { entries in
            for index in entries.indices {
                if index > 0 { w.byte(UInt8(ascii: ",")) }
                // A key is kept with its colon.
                strings.write(entries[index].key, .featureKey, suffix: ":", into: &w)
                if case .string(let text) = entries[index].value {
                    strings.write(text, .featureValue, into: &w)
                } else {
                    writeFeature(entries[index].value, into: &w)
                }
            }
        }
        w.raw("}")
    }

    /// Writes one feature value as JSON (lists as arrays, maps as objects).
    public static func writeFeature(_ value: FeatureValue, into w: inout JSONWriter) {
        switch value {
        case .string(let text): w.string(text)
        case .int(let number): w.int(number)
        case .double(let number): w.double(number)
        case .bool(let flag): w.bool(flag)
        case .list(let items):
            w.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { w.raw(",") }
                writeFeature(item, into: &w)
            }
            w.raw("]")
        case .map(let members): writeFeatures(Features(members), into: &w)
        }
    }

    // MARK: - Reading

    /// Decodes a Marginalia JSON document.
    /// - Parameter name: the file named in errors.
    /// - Throws: ``MarginaliaError`` `.invalidInput` naming the file and the problem (line and column for syntax).
    public static func decode(_ bytes: [UInt8], name: String) throws -> AnnotatedDocument {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch let error as MarginaliaError {
            throw error.at(name)
        }
        return try decode(value, name: name)
    }

    /// Decodes a parsed Marginalia JSON document.
    public static func decode(_ value: JSONValue, name: String) throws -> AnnotatedDocument {
        func fail(_ message: String) -> MarginaliaError {
            MarginaliaError(.invalidInput, message, location: name)
        }
        guard case .object = value else { throw fail("expected a JSON object") }
        if let format = value["format"], format.stringValue != formatName {
            throw fail("unsupported format \(format.stringValue.map { "'\($0)'" } ?? "value"); expected '\(formatName)'")
        }
        if let unit = value["offsetUnit"], unit.stringValue != offsetUnit {
            throw fail("unsupported offsetUnit; expected '\(offsetUnit)'")
        }
        guard let documentValue = value["document"], case .object = documentValue else { throw fail("missing 'document' object") }
        guard let text = documentValue["text"]?.stringValue else { throw fail("missing 'document.text'") }
        let id = documentValue["id"]?.stringValue ?? defaultID(for: name)
        var metadata: [String: String] = [:]
        for (key, member) in documentValue["metadata"]?.objectValue ?? [:] {
            metadata[key] = member.stringValue ?? member.featureValue?.displayText
        }
        let mediaType = documentValue["mediaType"]?.stringValue.map(MediaType.init(rawValue:)) ?? .plainText
        let document = Document(
            id: id, source: documentValue["source"]?.stringValue, mediaType: mediaType, text: text, metadata: metadata)
        guard let list = (value["annotations"] ?? .array([])).arrayValue else { throw fail("'annotations' is not an array") }

        var scalarOffsets: [Int] = []
        scalarOffsets.reserveCapacity(list.count * 2)
        for item in list {
            if let start = item["start"]?.intValue { scalarOffsets.append(start) }
            if let end = item["end"]?.intValue { scalarOffsets.append(end) }
        }
        let toBytes = ScalarOffsets.byteOffsets(utf8: document.utf8, scalarOffsets: scalarOffsets)
        var annotations: [Annotation] = []
        annotations.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            let label = "annotation \(index + 1)"
            guard case .object = item else { throw fail("\(label) is not an object") }
            guard let annotationID = item["id"]?.stringValue, !annotationID.isEmpty else { throw fail("\(label) has no string 'id'") }
            guard let layer = item["layer"]?.stringValue, let annotationLabel = item["label"]?.stringValue else {
                throw fail("annotation '\(annotationID)' needs string 'layer' and 'label'")
            }
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start <= end,
                let byteStart = toBytes[start], let byteEnd = toBytes[end]
            else {
                throw fail("annotation '\(annotationID)' has offsets outside the text or start after end")
            }
            let span = TextSpan(byteStart, byteEnd)
            if let expected = item["text"]?.stringValue, !document.utf8[byteStart..<byteEnd].elementsEqual(expected.utf8) {
                throw fail("annotation '\(annotationID)': 'text' does not match document.text[\(start):\(end)]")
            }
            var roles: Roles = [:]
            for (role, target) in item["roles"]?.objectValue ?? [:] {
                switch target {
                case .string(let targetID): roles[role] = [targetID]
                case .array(let targets):
                    roles[role] = try targets.map {
                        guard let targetID = $0.stringValue else { throw fail("annotation '\(annotationID)': role '\(role)' must hold ids") }
                        return targetID
                    }
                default: throw fail("annotation '\(annotationID)': role '\(role)' must be an id or a list of ids")
                }
            }
            annotations.append(
                Annotation(
                    id: annotationID, layer: layer, label: annotationLabel, span: span,
                    features: item["features"]?.objectValue.map { Features($0.compactMapValues(\.featureValue)) } ?? [:],
                    roles: roles, producer: item["producer"]?.stringValue ?? "unknown",
                    confidence: item["confidence"]?.doubleValue))
        }
        let store: AnnotationStore
        do {
            store = try AnnotationStore(annotations)
        } catch let error as MarginaliaError {
            throw error.at(name)
        }
        for annotation in annotations {
            for (role, targets) in annotation.roles {
                for target in targets where !store.contains(id: target) {
                    throw fail("annotation '\(annotation.id)': role '\(role)' refers to unknown annotation '\(target)'")
                }
            }
        }
        return AnnotatedDocument(document: document, store: store)
    }

    /// A document id from a path: the file name without its extension.
    public static func defaultID(for path: String) -> String {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return name.isEmpty ? "document" : String(name)
    }
}
