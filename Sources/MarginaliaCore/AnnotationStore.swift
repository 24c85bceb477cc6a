import Synchronization

/// All annotations of one document, by layer, with span queries.
///
/// A value type: analyzers receive a copy that cannot change under them, and the REPL's `undo` keeps earlier
/// values. Queries run in O(log n + k); adding a batch re-sorts the layers it touches.
///
/// ```swift
/// var store = AnnotationStore()
/// try store.add(Annotation(id: "e1", layer: "entity", label: "GPE", span: TextSpan(0, 4)))
/// store.overlapping(TextSpan(2, 3), in: "entity").map(\.id)   // ["e1"]
/// ```
public struct AnnotationStore: Sendable {
    private var layers: [String: LayerIndex] = [:]
    /// The token table of the `token` and `sentence` layers, built by the first analyzer that asks and shared
    /// with the later ones (entity, citation and stance all read it). A change to either layer starts a new
    /// cache; copies made before it keep the old one, which still describes their layers.
    private var segmentation = SegmentationCache()
    /// Where each id lives: its layer and start, so a lookup is a binary search in that layer (no second map
    /// from id to position to keep up to date on every insertion).
    private var locations = IDLocations()

    private typealias Location = IDLocations.Location
    private var counters: [String: Int] = [:]

    public init() {}

    /// Creates a store holding `annotations`, which must have distinct, non-empty ids.
    public init(_ annotations: [Annotation]) throws {
        try add(contentsOf: annotations)
    }

    /// The names of the layers that hold at least one annotation, sorted.
    public var layerNames: [String] { layers.filter { $0.value.count > 0 }.keys.sorted() }

    /// The number of annotations in all layers.
    public var count: Int { locations.count }

    /// The number of annotations in `layer`.
    public func count(in layer: String) -> Int { layers[layer]?.count ?? 0 }

    /// The annotations of `layer`, in span order.
    public func annotations(in layer: String) -> [Annotation] { layers[layer]?.items ?? [] }

    /// Every annotation, layer by layer (layers sorted by name), each layer in span order.
    public var all: [Annotation] { layerNames.flatMap { layers[$0]!.items } }

    /// The annotation with this id.
    public subscript(id: String) -> Annotation? {
        guard let location = locations[id] else { return nil }
        return layers[location.layer]?.find(id: id, start: location.start)
    }

    /// The span of the annotation with this id, read in place: for a caller that needs only where a role's
    /// target lies, a copy of the whole annotation would retain and release each of its strings and arrays.
    public func span(of id: String) -> TextSpan? {
        guard let location = locations[id] else { return nil }
        return layers[location.layer]?.span(id: id, start: location.start)
    }

    /// True when an annotation has this id.
    public func contains(id: String) -> Bool { locations[id] != nil }

    /// The layer of the annotation with this id, found without making the annotation.
    public func layer(of id: String) -> String? { locations[id]?.layer }

    /// Annotations of `layer` that share at least one byte with `span`.
    public func overlapping(_ span: TextSpan, in layer: String) -> [Annotation] {
        layers[layer]?.overlapping(span) ?? []
    }

    /// Annotations of `layer` that lie entirely inside `span`.
    public func inside(_ span: TextSpan, in layer: String) -> [Annotation] {
        layers[layer]?.inside(span) ?? []
    }

    /// Annotations of `layer` that contain the whole of `span`, e.g. the sentence around an entity.
    public func containing(_ span: TextSpan, in layer: String) -> [Annotation] {
        layers[layer]?.containing(span) ?? []
    }

    /// `count` fresh ids `prefix-N`, never used in this store, in increasing N.
    public mutating func makeIDs(prefix: String, count: Int) -> [String] {
        makeIDRun(prefix: prefix, count: count).ids
    }

    /// Fresh ids as ``makeIDs(prefix:count:)`` makes them, with the first number when they are consecutive
    /// (`prefix-first` … `prefix-(first + count - 1)`, the usual case), for ``add(contentsOf:numberedFrom:prefix:)``.
    mutating func makeIDRun(prefix: String, count: Int) -> (ids: [String], first: Int?) {
        var next = counters[prefix, default: 0]
        var ids: [String] = []
        ids.reserveCapacity(count)
        let stem = Array((prefix + "-").utf8)
        var first: Int? = nil
        // Usually the next `count` numbers are all free: one check of the run, not a lookup per id.
        if count > 0, locations.areFree(prefix: prefix, numbers: (next + 1)...(next + count)) {
            ids = (next + 1...next + count).map { Self.id(stem: stem, number: $0) }
            first = next + 1
            next += count
        }
        while ids.count < count {
            next += 1
            if locations.isFree(prefix: prefix, number: next) { ids.append(Self.id(stem: stem, number: next)) }
        }
        counters[prefix] = next
        return (ids, first)
    }

    /// `stem` followed by `number` in decimal, built in place (ids up to 15 bytes need no allocation): cheaper
    /// than interpolating, which goes through `description` and an append.
    /// - Precondition: `number` is not negative.
    public static func id(stem: [UInt8], number: Int) -> String {
        precondition(number >= 0, "a negative id number")
        var digits = 1
        var rest = number
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return String(unsafeUninitializedCapacity: stem.count + digits) { buffer in
            // The stem as one copy of memory (initializing from the array as a sequence goes byte by byte
            // through its iterator).
            stem.withUnsafeBufferPointer { stem in
                buffer.baseAddress!.initialize(from: stem.baseAddress!, count: stem.count)
            }
            var value = number
            var position = stem.count + digits
            while position > stem.count {
                position -= 1
                buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            }
            return stem.count + digits
        }
    }

    /// Adds `tokens` to the empty layer `layer` as columns (see ``TokenColumns``), with ids `prefix-N` for the
    /// next consecutive N. Returns false, changing nothing, when the layer holds annotations or those ids are
    /// not all free; the caller then adds annotations instead.
    public mutating func addTokenColumns(_ tokens: [Token], layer: String, producer: String, idPrefix prefix: String) -> Bool {
        guard count(in: layer) == 0, !tokens.isEmpty else { return tokens.isEmpty }
        let first = counters[prefix, default: 0] + 1
        guard locations.areFree(prefix: prefix, numbers: first...(first + tokens.count - 1)) else { return false }
        let columns = TokenColumns(tokens, layer: layer, producer: producer, idPrefix: prefix, firstNumber: first)
        locations.insertRun(prefix: prefix, first: first, layer: layer, starts: columns.starts)
        counters[prefix] = first + tokens.count - 1
        layers[layer] = LayerIndex(columns: columns)
        layerChanged(layer)
        return true
    }

    /// Adds an analyzer's rows (see ``AnnotationColumns``) to their empty layer as they are, with ids `prefix-N`
    /// for the next consecutive N in the order the rows were appended. Returns false, changing nothing, when the
    /// layer holds annotations or those ids are not all free; the caller then adds the rows as annotations.
    /// - Precondition: the rows were checked (``AnnotationColumns/check(textEnd:isBoundary:isKnown:)``).
    mutating func addColumns(_ rows: consuming AnnotationColumns, producer: String, idPrefix prefix: String) -> Bool {
        guard count(in: rows.layer) == 0, rows.count > 0 else { return rows.count == 0 }
        let first = counters[prefix, default: 0] + 1
        guard locations.areFree(prefix: prefix, numbers: first...(first + rows.count - 1)) else { return false }
        var rows = rows
        rows.number(prefix: prefix, first: first, producer: producer)
        locations.insertRun(prefix: prefix, first: first, layer: rows.layer, starts: rows.starts)
        counters[prefix] = first + rows.count - 1
        let layer = rows.layer
        layers[layer] = LayerIndex(rows: rows)
        layerChanged(layer)
        return true
    }

    /// The layer's rows when it is held as an analyzer's columns: for the JSON writer, which writes them without
    /// making annotations.
    public func annotationColumns(in layer: String) -> AnnotationColumns? { layers[layer]?.rows }

    /// The ``TokenTable`` of this store's `token` and `sentence` layers over `document`, built once and shared by
    /// every analyzer that reads this store (or a copy of it) until either layer changes.
    public func tokenTable(for document: Document) -> TokenTable {
        segmentation.table(for: document) { TokenTable(document: document, store: self) }
    }

    private mutating func layerChanged(_ layer: String) {
        if layer == "token" || layer == "sentence" { segmentation = SegmentationCache() }
    }

    /// The layer's tokens when it is held as columns: for readers of every token (analyzers' token tables,
    /// exports) that need no ``Annotation`` values.
    public func tokenColumns(in layer: String) -> TokenColumns? { layers[layer]?.columns }

    /// The `layer` as plain tokens in span order, read from columns when it is held that way. A label that is
    /// not a ``Token/Kind`` (an imported layer's) reads as `symbol`.
    public func tokens(in layer: String = "token") -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(count(in: layer))
        forEachToken(in: layer) { tokens.append(Token(start: $0, end: $1, kind: $2)) }
        return tokens
    }

    /// Calls `body` with the start, end and kind of each token of `layer` in span order, read in place from columns
    /// when the layer is held that way (no array of tokens made for a reader that walks them once). A label that
    /// is not a ``Token/Kind`` reads as `symbol`.
    func forEachToken(in layer: String = "token", _ body: (Int, Int, Token.Kind) -> Void) {
        if let columns = tokenColumns(in: layer) {
            for index in 0..<columns.count { body(Int(columns.starts[index]), Int(columns.ends[index]), columns.kinds[index]) }
        } else {
            for annotation in annotations(in: layer) {
                body(annotation.span.start, annotation.span.end, Token.Kind(rawValue: annotation.label) ?? .symbol)
            }
        }
    }

    /// A fresh id `prefix-N`, never used in this store.
    public mutating func makeID(prefix: String) -> String {
        var next = counters[prefix, default: 0]
        var candidate: String
        repeat {
            next += 1
            candidate = "\(prefix)-\(next)"
        } while locations[candidate] != nil
        counters[prefix] = next
        return candidate
    }

    /// Adds one annotation. Throws when its id is empty or already used.
    public mutating func add(_ annotation: Annotation) throws {
        try add(contentsOf: [annotation])
    }

    /// Adds a batch of annotations, re-sorting each touched layer once.
    /// - Throws: ``MarginaliaError`` with code `.invalidAnnotation` on an empty or duplicate id; nothing is added then.
    public mutating func add(contentsOf annotations: consuming [Annotation]) throws {
        var batch = annotations
        // Register ids first; on a bad one, take back those registered so the store is unchanged.
        // By index: binding each annotation would copy it (six reference counts up and down).
        for index in batch.indices {
            let problem: String?
            if batch[index].id.isEmpty {
                problem = "annotation in layer '\(batch[index].layer)' has no id"
            } else if !locations.insert(
                batch[index].id, Location(layer: batch[index].layer, start: batch[index].span.start))
            {
                problem = "duplicate annotation id '\(batch[index].id)'"
            } else {
                problem = nil
            }
            if let problem {
                for earlier in batch[..<index] { locations.remove(earlier.id) }
                throw MarginaliaError(.invalidAnnotation, problem)
            }
        }
        place(&batch, runs: Self.layerRuns(batch))
    }

    /// Adds annotations whose ids are `prefix-first`, `prefix-(first + 1)` … in order, as
    /// ``makeIDRun(prefix:count:)`` gave them out: registered a layer's run at a time from the numbers, without
    /// reading each id back.
    mutating func add(contentsOf annotations: consuming [Annotation], numberedFrom first: Int, prefix: String) {
        var batch = annotations
        let runs = Self.layerRuns(batch)
        for run in runs {
            let starts = batch.withUnsafeBufferPointer { batch in run.range.map { UInt32(batch[$0].span.start) } }
            locations.insertRun(prefix: prefix, first: first + run.range.lowerBound, layer: run.layer, starts: starts)
        }
        place(&batch, runs: runs)
    }

    /// The batch's runs of one layer, in order. Analyzers write each layer as one run (tokens, then sentences).
    private static func layerRuns(_ batch: [Annotation]) -> [(layer: String, range: Range<Int>)] {
        var runs: [(layer: String, range: Range<Int>)] = []
        var runStart = 0
        for index in batch.indices.dropFirst() where batch[index].layer != batch[index - 1].layer {
            runs.append((batch[runStart].layer, runStart..<index))
            runStart = index
        }
        if !batch.isEmpty { runs.append((batch[runStart].layer, runStart..<batch.count)) }
        return runs
    }

    /// Puts registered annotations into their layers: runs are handed over, and grouped only when a layer comes
    /// back after another.
    private mutating func place(_ batch: inout [Annotation], runs: [(layer: String, range: Range<Int>)]) {
        for run in runs { layerChanged(run.layer) }
        if Set(runs.map(\.layer)).count == runs.count {
            // Later runs are cut off the end; the first run keeps the batch's own storage, so the largest layer
            // (tokens) moves into the store without copying an annotation.
            for run in runs.reversed() {
                if run.range.lowerBound == 0 {
                    // Consumed, not copied: a second reference to the storage would make the layer's first sort
                    // copy every annotation.
                    layers[run.layer, default: LayerIndex()].insert(contentsOf: consume batch)
                    batch = []
                } else {
                    let tail = Array(batch[run.range])
                    batch.removeSubrange(run.range)
                    layers[run.layer, default: LayerIndex()].insert(contentsOf: tail)
                }
            }
        } else {
            var groups: [String: [Annotation]] = [:]
            for run in runs { groups[run.layer, default: []].append(contentsOf: batch[run.range]) }
            for (layer, group) in groups {
                layers[layer, default: LayerIndex()].insert(contentsOf: group)
            }
        }
    }

    /// Removes and returns the annotation with this id.
    @discardableResult
    public mutating func remove(id: String) -> Annotation? {
        guard let location = locations.remove(id) else { return nil }
        layerChanged(location.layer)
        return layers[location.layer]?.remove { $0.id == id }.first
    }

    /// Removes every annotation `shouldRemove` accepts and returns them.
    @discardableResult
    public mutating func removeAll(where shouldRemove: (Annotation) -> Bool) -> [Annotation] {
        removeAll(inLayers: Array(layers.keys), where: shouldRemove)
    }

    /// Removes the annotations of `names` layers that `shouldRemove` accepts; other layers are not scanned.
    @discardableResult
    public mutating func removeAll(inLayers names: some Sequence<String>, where shouldRemove: (Annotation) -> Bool) -> [Annotation] {
        var removed: [Annotation] = []
        for layer in names where layers[layer] != nil {
            // Scan before mutating: a layer with nothing to remove is not copied (it may be shared with the
            // value an analyzer or `undo` holds).
            guard layers[layer]!.items.contains(where: shouldRemove) else { continue }
            removed += layers[layer]!.remove(where: shouldRemove)
            layerChanged(layer)
        }
        for annotation in removed { locations.remove(annotation.id) }
        return removed
    }

    /// True when the analyzer `name` (any version) made at least one annotation in one of `layers`.
    public func hasAnnotations(producedBy name: String, in layers: some Sequence<String>) -> Bool {
        layers.contains { self.layers[$0]?.hasAnnotations(producedBy: name) ?? false }
    }

    /// Mends the roles that pointed to `removed`, annotations that have left the store. With `followingSuccessors`
    /// (an analyzer's earlier annotations, replaced when it ran again) a target becomes the annotation now at the
    /// same place (same layer, span and label, by the same analyzer), as a re-run of an unchanged analyzer puts it
    /// back under a new id; otherwise (an analyst's removal), and when there is no such successor, the target is
    /// dropped, and a role left without targets with it. No role then names an annotation the store does not hold.
    /// - Returns: the number of targets dropped.
    @discardableResult
    public mutating func mendRoles(naming removed: [Annotation], followingSuccessors: Bool = true) -> Int {
        guard !removed.isEmpty else { return 0 }
        let gone = Dictionary(removed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // The annotations whose roles name one of them: layers of tokens held as columns have no roles.
        var affected: [Annotation] = []
        for name in layerNames where tokenColumns(in: name) == nil {
            for annotation in annotations(in: name) where annotation.roles.values.contains(where: { $0.contains { gone[$0] != nil } }) {
                affected.append(annotation)
            }
        }
        var successors: [String: String?] = [:]
        func successor(of id: String) -> String? {
            guard followingSuccessors else { return nil }
            if let known = successors[id] { return known }
            let old = gone[id]!
            let found = overlapping(old.span, in: old.layer).first {
                $0.span == old.span && $0.label == old.label && $0.producerName == old.producerName
            }?.id
            successors[id] = found
            return found
        }
        var dropped = 0
        for var annotation in affected {
            var roles = Roles()
            for (role, targets) in annotation.roles {
                let mended = targets.compactMap { target -> String? in
                    guard gone[target] != nil else { return target }
                    let next = successor(of: target)
                    if next == nil { dropped += 1 }
                    return next
                }
                if !mended.isEmpty { roles[role] = mended }
            }
            annotation.roles = roles
            try? replace(annotation)
        }
        return dropped
    }

    /// Replaces the annotation with the same id (its layer may not change).
    /// - Throws: when no annotation has that id or the layer differs.
    public mutating func replace(_ annotation: Annotation) throws {
        guard let location = locations[annotation.id] else {
            throw MarginaliaError(.notFound, "no annotation with id '\(annotation.id)'")
        }
        guard location.layer == annotation.layer else {
            throw MarginaliaError(.invalidAnnotation, "annotation '\(annotation.id)' cannot move from layer '\(location.layer)' to '\(annotation.layer)'")
        }
        layers[location.layer]!.replace(annotation, previousStart: location.start)
        layerChanged(location.layer)
        locations.update(annotation.id, Location(layer: location.layer, start: annotation.span.start))
    }
}

/// One store's token table, keyed by the document it was built over.
private final class SegmentationCache: Sendable {
    private let entry = Mutex<(id: String, length: Int, table: TokenTable)?>(nil)

    func table(for document: Document, build: () -> TokenTable) -> TokenTable {
        if let hit = entry.withLock({ $0 }), hit.id == document.id, hit.length == document.utf8.count { return hit.table }
        // Built outside the lock: two threads asking at once both build, and the tables are equal.
        let table = build()
        entry.withLock { $0 = (document.id, document.utf8.count, table) }
        return table
    }
}
