/// The annotations one analyzer makes in one layer, held as columns rather than as ``Annotation`` values.
///
/// An annotation value holds four strings, an array of features and an array of roles, and the pipeline renames,
/// stores, writes and frees each of them; for an analyzer making hundreds per document that is most of what its
/// annotations cost. Here a row is a span, an index into a short table of names (labels, feature and role keys),
/// a confidence, and ranges of flat feature and role columns; a role's target is a row of the same columns or an
/// id outside them. Analyzers append rows; the pipeline numbers them (`prefix-N`, N counting up in the order they
/// were appended, as it numbers annotations) and stores the layer as it is, and the JSON writer writes it from the
/// columns. Reading the layer through ``AnnotationStore`` gives ordinary annotations; changing it turns it back
/// into them, as with ``TokenColumns``.
///
/// ```swift
/// var columns = AnnotationColumns(layer: "stance")
/// let cue = columns.name("cue"), basis = columns.name("basis"), oppose = columns.name("oppose")
/// let target = columns.name("target"), iran = columns.outside("entity-3")
/// let stance = columns.append(label: oppose, span: TextSpan(6, 20))
/// columns.role(cue, row: stance + 1)          // a row appended next
/// columns.role(target, outside: iran)
/// columns.append(label: cue, span: TextSpan(6, 13))
/// columns.feature(basis, "predicate")
/// ```
public struct AnnotationColumns: Sendable {
    /// A string of the columns' name table: a label, a feature key or a role key.
    public struct Name: Hashable, Sendable {
        @usableFromInline let index: UInt16
        @usableFromInline init(index: UInt16) { self.index = index }
    }

    /// The layer every row is in.
    public let layer: String
    /// `name@version` of the analyzer that made the rows; set by the pipeline.
    public internal(set) var producer = ""
    /// Row `r` has the id `idPrefix-(firstNumber + r)` once the pipeline has numbered the rows (``isNumbered``).
    public internal(set) var idPrefix = ""
    public internal(set) var firstNumber = 0
    /// `idPrefix-` as UTF-8.
    private var idStem: [UInt8] = []

    /// Labels, feature keys and role keys.
    @usableFromInline private(set) var names: [String] = []
    /// Each name's place among the names sorted, so that checking the order of keys compares integers.
    private var ranks: [UInt16] = []
    // One entry per row, in the order appended.
    @usableFromInline private(set) var starts: [Int] = []
    @usableFromInline private(set) var ends: [Int] = []
    @usableFromInline private(set) var labels: [UInt16] = []
    /// NaN for a row without a confidence.
    @usableFromInline private(set) var confidences: [Double] = []
    /// Where each row's features begin in `featureKeys` and `featureValues`; they run to the next row's.
    @usableFromInline private(set) var featureStarts: [Int32] = []
    @usableFromInline private(set) var featureKeys: [UInt16] = []
    @usableFromInline private(set) var featureValues: [FeatureValue] = []
    /// Where each row's roles begin in `roleKeys` and `targetStarts`.
    @usableFromInline private(set) var roleStarts: [Int32] = []
    @usableFromInline private(set) var roleKeys: [UInt16] = []
    /// Where each role's targets begin in `targets`.
    @usableFromInline private(set) var targetStarts: [Int32] = []
    /// A target: a row when at least zero, else `externalIDs[-1 - target]`.
    @usableFromInline private(set) var targets: [Int32] = []
    @usableFromInline private(set) var externalIDs: [String] = []
    /// The rows in span order (start, end, then id as text, the order of every stored layer); made when numbered.
    private(set) var order: [Int32] = []

    /// Empty columns for `layer`.
    public init(layer: String) {
        self.layer = layer
    }

    /// The number of rows.
    public var count: Int { starts.count }

    /// True when the pipeline has given the rows their ids.
    public var isNumbered: Bool { firstNumber > 0 }

    /// Makes room for `rows` rows with about `perRow` features each.
    public mutating func reserveCapacity(rows: Int, featuresPerRow perRow: Int = 0) {
        starts.reserveCapacity(rows)
        ends.reserveCapacity(rows)
        labels.reserveCapacity(rows)
        confidences.reserveCapacity(rows)
        featureStarts.reserveCapacity(rows)
        roleStarts.reserveCapacity(rows)
        featureKeys.reserveCapacity(rows * perRow)
        featureValues.reserveCapacity(rows * perRow)
    }

    /// The name table's entry for `string`, added when new. Analyzers look their labels and keys up once, not per row.
    public mutating func name(_ string: String) -> Name {
        if let index = names.firstIndex(of: string) { return Name(index: UInt16(index)) }
        precondition(names.count < Int(UInt16.max), "more than \(UInt16.max) names in one layer's columns")
        // Its rank is the number of names before it in order; those after it move up one.
        var rank: UInt16 = 0
        for index in names.indices {
            if names[index] < string { rank += 1 } else { ranks[index] += 1 }
        }
        names.append(string)
        ranks.append(rank)
        return Name(index: UInt16(names.count - 1))
    }

    /// The string of a name.
    public func string(_ name: Name) -> String { names[Int(name.index)] }

    /// Appends a row and returns its number (0 for the first row appended). Features and roles given next are its own.
    @discardableResult
    public mutating func append(label: Name, span: TextSpan, confidence: Double? = nil) -> Int {
        starts.append(span.start)
        ends.append(span.end)
        labels.append(label.index)
        confidences.append(confidence ?? .nan)
        featureStarts.append(Int32(featureKeys.count))
        roleStarts.append(Int32(roleKeys.count))
        return starts.count - 1
    }

    /// Gives the last row a feature.
    /// - Precondition: a row has been appended, and `key` sorts after the row's earlier feature keys (features
    ///   are written in key order; given in order, none has to be moved).
    public mutating func feature(_ key: Name, _ value: FeatureValue) {
        precondition(!starts.isEmpty, "a feature before any row")
        if featureKeys.count > Int(featureStarts[starts.count - 1]) {
            precondition(ranks[Int(featureKeys[featureKeys.count - 1])] < ranks[Int(key.index)], "feature '\(string(key))' out of order")
        }
        featureKeys.append(key.index)
        featureValues.append(value)
    }

    /// Gives the last row a role whose one target is row `row` of these columns (which may be appended later).
    /// - Precondition: as for ``feature(_:_:)``, role keys in sorted order.
    public mutating func role(_ key: Name, row: Int) {
        startRole(key)
        targets.append(Int32(row))
    }

    /// Gives the last row a role whose one target is the annotation `id` outside these columns.
    public mutating func role(_ key: Name, id: String) {
        role(key, outside: outside(id))
    }

    /// The annotation `id` outside these columns, for roles: an analyzer naming one annotation in many rows (an
    /// actor in every stance about it) makes this once, so the id is stored and checked once.
    public mutating func outside(_ id: String) -> Outside {
        externalIDs.append(id)
        return Outside(index: Int32(externalIDs.count - 1))
    }

    /// An annotation outside the columns that roles may name (see ``outside(_:)``).
    public struct Outside: Hashable, Sendable {
        let index: Int32
    }

    /// Gives the last row a role whose one target is an annotation outside these columns.
    public mutating func role(_ key: Name, outside target: Outside) {
        startRole(key)
        targets.append(-1 - target.index)
    }

    /// Adds another target to the last row's last role.
    public mutating func addTarget(row: Int) {
        precondition(!targetStarts.isEmpty && Int(roleStarts[starts.count - 1]) < roleKeys.count, "a target before any role")
        targets.append(Int32(row))
    }

    /// Adds another target, an annotation outside these columns, to the last row's last role.
    public mutating func addTarget(outside target: Outside) {
        precondition(!targetStarts.isEmpty && Int(roleStarts[starts.count - 1]) < roleKeys.count, "a target before any role")
        targets.append(-1 - target.index)
    }

    private mutating func startRole(_ key: Name) {
        precondition(!starts.isEmpty, "a role before any row")
        if roleKeys.count > Int(roleStarts[starts.count - 1]) {
            precondition(ranks[Int(roleKeys[roleKeys.count - 1])] < ranks[Int(key.index)], "role '\(string(key))' out of order")
        }
        roleKeys.append(key.index)
        targetStarts.append(Int32(targets.count))
    }

    // MARK: - Reading rows

    /// The span of row `row`.
    public func span(ofRow row: Int) -> TextSpan { TextSpan(starts[row], ends[row]) }

    /// The label of row `row`.
    public func label(ofRow row: Int) -> String { names[Int(labels[row])] }

    /// The confidence of row `row`, if it has one.
    public func confidence(ofRow row: Int) -> Double? {
        let value = confidences[row]
        return value.isNaN ? nil : value
    }

    /// Where row `row`'s features lie in `featureKeys` and `featureValues`.
    @inlinable
    public func featureRange(ofRow row: Int) -> Range<Int> {
        Int(featureStarts[row])..<(row + 1 < count ? Int(featureStarts[row + 1]) : featureKeys.count)
    }

    /// Where row `row`'s roles lie in `roleKeys` and `targetStarts`.
    @inlinable
    public func roleRange(ofRow row: Int) -> Range<Int> {
        Int(roleStarts[row])..<(row + 1 < count ? Int(roleStarts[row + 1]) : roleKeys.count)
    }

    /// Where role entry `role` (an index of `roleKeys`) has its targets in `targets`.
    @inlinable
    public func targetRange(ofRole role: Int) -> Range<Int> {
        Int(targetStarts[role])..<(role + 1 < targetStarts.count ? Int(targetStarts[role + 1]) : targets.count)
    }

    /// A role's target: a row of these columns or an annotation outside them.
    public enum Target: Sendable, Equatable {
        case row(Int)
        case id(String)
    }

    // Flat reading, for writers of many rows: row `row`'s features are the entries `featureRange(ofRow: row)`
    // (``featureKey(at:)``, ``featureValue(at:)``), its roles the entries `roleRange(ofRow: row)` (``roleKey(at:)``),
    // and a role's targets the entries `targetRange(ofRole:)` (``target(at:)``), all in key order.

    /// The number of entries in the name table; ``Name``s count up from 0 in the order added.
    public var nameCount: Int { names.count }

    /// The name of entry `index` of the name table.
    public func name(at index: Int) -> Name { Name(index: UInt16(index)) }

    /// The position of `name` in the name table.
    public func index(of name: Name) -> Int { Int(name.index) }

    /// The label of row `row` as a name.
    @inlinable
    public func labelName(ofRow row: Int) -> Name { Name(index: labels[row]) }

    @inlinable
    public func featureKey(at index: Int) -> Name { Name(index: featureKeys[index]) }

    @inlinable
    public func featureValue(at index: Int) -> FeatureValue { featureValues[index] }

    @inlinable
    public func roleKey(at index: Int) -> Name { Name(index: roleKeys[index]) }

    /// The target at `index` of the flat target column.
    @inlinable
    public func target(at index: Int) -> Target {
        let target = targets[index]
        return target >= 0 ? .row(Int(target)) : .id(externalIDs[Int(-1 - target)])
    }

    /// The features of row `row`.
    public func features(ofRow row: Int) -> Features {
        let range = featureRange(ofRow: row)
        guard !range.isEmpty else { return Features() }
        return Features(ordered: range.map { (names[Int(featureKeys[$0])], featureValues[$0]) })
    }

    /// The roles of row `row`, rows of these columns named by their ids (``id(ofRow:)``).
    public func roles(ofRow row: Int) -> Roles {
        let range = roleRange(ofRow: row)
        guard !range.isEmpty else { return Roles() }
        return Roles(ordered: range.map { role in
            (names[Int(roleKeys[role])], targetRange(ofRole: role).map { targetID(targets[$0]) })
        })
    }

    /// The id of row `row`: `prefix-N` once numbered, before that a local id that only these columns use.
    public func id(ofRow row: Int) -> String {
        // Built from the stem's bytes: a reader of the layer asks for the id of every row.
        isNumbered ? AnnotationStore.id(stem: idStem, number: firstNumber + row) : "#row-\(row)"
    }

    func targetID(_ target: Int32) -> String {
        target >= 0 ? id(ofRow: Int(target)) : externalIDs[Int(-1 - target)]
    }

    /// Row `row` as an annotation.
    public func annotation(ofRow row: Int) -> Annotation {
        Annotation(
            id: id(ofRow: row), layer: layer, label: label(ofRow: row), span: span(ofRow: row), features: features(ofRow: row),
            roles: roles(ofRow: row), producer: producer, confidence: confidence(ofRow: row))
    }

    /// Every row as an annotation, in the order appended: what an analyzer's `analyze` returns. Before numbering,
    /// rows carry local ids that the pipeline renames.
    public var annotations: [Annotation] { (0..<count).map(annotation(ofRow:)) }

    // MARK: - Numbering and storing

    /// Checks the rows against `textEnd` and `isBoundary` (a span outside the text or splitting a character) and
    /// each role target: a row that exists, or an id `isKnown` accepts.
    /// - Throws: ``MarginaliaError`` `.invalidAnnotation` naming the first problem.
    func check(textEnd: Int, isBoundary: (Int) -> Bool, isKnown: (String) -> Bool) throws {
        for row in 0..<count {
            let start = starts[row], end = ends[row]
            guard start >= 0, start <= end, end <= textEnd, isBoundary(start), isBoundary(end) else {
                throw MarginaliaError(
                    .invalidAnnotation,
                    "span \(TextSpan(start, end)) of a '\(label(ofRow: row))' annotation is outside the text or splits a character")
            }
        }
        // Each outside id once, however many roles name it.
        for id in externalIDs where !isKnown(id) {
            throw MarginaliaError(.invalidAnnotation, "a role refers to unknown annotation '\(id)'")
        }
        for role in roleKeys.indices {
            for target in targets[targetRange(ofRole: role)] where target >= count {
                throw MarginaliaError(.invalidAnnotation, "role '\(names[Int(roleKeys[role])])' refers to row \(target), which was never made")
            }
        }
    }

    /// Gives the rows their ids and producer, and puts them in span order (ties by id as text, as
    /// ``AnnotationStore`` orders every layer).
    mutating func number(prefix: String, first: Int, producer: String) {
        precondition(first > 0, "ids are numbered from 1")
        idPrefix = prefix
        idStem = Array((prefix + "-").utf8)
        firstNumber = first
        self.producer = producer
        var keys = (0..<count).map { (start: starts[$0], end: ends[$0], row: Int32($0)) }
        func before(_ a: (start: Int, end: Int, row: Int32), _ b: (start: Int, end: Int, row: Int32)) -> Bool {
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            // Equal spans: "stance-10" sorts before "stance-9", as the ids compare as text.
            return String(first + Int(a.row)) < String(first + Int(b.row))
        }
        // Analyzers often append in text order: one pass checks, a sort only when needed.
        if zip(keys, keys.dropFirst()).contains(where: { !before($0, $1) }) { keys.sort(by: before) }
        order = keys.map(\.row)
    }

    /// The row at `position` in span order (start, end, then id as text), once numbered.
    public func row(atPosition position: Int) -> Int { Int(order[position]) }

    /// The row with this id, if it is one of these numbered rows.
    func row(ofID id: String) -> Int? {
        guard isNumbered else { return nil }
        let stem = idPrefix + "-"
        guard id.hasPrefix(stem) else { return nil }
        let digits = id.utf8.dropFirst(stem.utf8.count)
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            digits.count <= 18, let number = Int(String(decoding: digits, as: UTF8.self))
        else { return nil }
        let row = number - firstNumber
        return row >= 0 && row < count ? row : nil
    }
}
