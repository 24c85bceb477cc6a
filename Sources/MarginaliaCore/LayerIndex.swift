/// The annotations of one layer, sorted by span, with an implicit interval tree for overlap queries.
///
/// The array is sorted by `(start, end, id)`. Each position also records the greatest `end` in the balanced
/// subtree rooted there (the subtree over `lo..<hi` is rooted at `(lo + hi) / 2`), which lets an overlap query skip
/// whole subtrees: O(log n + k) for k results. Building is O(n log n) for the sort and O(n) for the tree.
///
/// A layer of the built-in tokens may instead be held as ``TokenColumns`` (ordered, disjoint spans: queries are
/// two binary searches), and an analyzer's layer as ``AnnotationColumns`` (the tree is built over its rows in span
/// order); any change turns either into annotations first.
struct LayerIndex: Sendable {
    private var stored: [Annotation] = []
    private var subtreeMaxEnd: [Int] = []
    private(set) var columns: TokenColumns?
    private(set) var rows: AnnotationColumns?

    init(_ annotations: [Annotation] = []) {
        stored = annotations
        rebuild()
    }

    init(columns: TokenColumns) {
        self.columns = columns
    }

    /// An analyzer's numbered rows (see ``AnnotationColumns/number(prefix:first:producer:)``).
    init(rows: AnnotationColumns) {
        self.rows = rows
        var maxEnd = (0..<rows.count).map { rows.span(ofRow: rows.row(atPosition: $0)).end }
        maxEnd.withUnsafeMutableBufferPointer { _ = Self.buildMaxEnd($0, 0, $0.count) }
        subtreeMaxEnd = maxEnd
    }

    /// The annotations in span order (built afresh from columns).
    var items: [Annotation] {
        if let columns { return columns.annotations }
        if let rows { return (0..<rows.count).map { rows.annotation(ofRow: rows.row(atPosition: $0)) } }
        return stored
    }

    var count: Int { columns?.count ?? rows?.count ?? stored.count }

    /// True when the analyzer `name` made at least one of these annotations; columns answer from their producer,
    /// without making annotations.
    func hasAnnotations(producedBy name: String) -> Bool {
        if let columns { return columns.count > 0 && Annotation.producer(columns.producer, isNamed: name) }
        if rows != nil { return rows!.count > 0 && Annotation.producer(rows!.producer, isNamed: name) }
        return stored.withUnsafeBufferPointer { stored in stored.contains { $0.isProduced(by: name) } }
    }

    /// Turns columns into annotations before a change.
    private mutating func expand() {
        guard columns != nil || rows != nil else { return }
        stored = items
        columns = nil
        rows = nil
        rebuild()
    }

    mutating func insert(contentsOf annotations: consuming [Annotation]) {
        expand()
        // Into an empty layer the array itself moves in: no annotation is copied.
        if stored.isEmpty { stored = annotations } else { stored.append(contentsOf: annotations) }
        rebuild()
    }

    mutating func remove(where shouldRemove: (Annotation) -> Bool) -> [Annotation] {
        expand()
        var removed: [Annotation] = []
        stored.removeAll { annotation in
            guard shouldRemove(annotation) else { return false }
            removed.append(annotation)
            return true
        }
        if !removed.isEmpty { rebuild() }
        return removed
    }

    /// Replaces the annotation with the same id, which started at `previousStart`.
    mutating func replace(_ annotation: Annotation, previousStart: Int) {
        expand()
        guard let position = position(of: annotation.id, start: previousStart) else { return }
        stored[position] = annotation
        rebuild()
    }

    /// The annotation with this id, which starts at `start`: a binary search, then a scan of equal starts.
    func find(id: String, start: Int) -> Annotation? {
        if let columns {
            guard let index = columns.index(ofID: id), Int(columns.starts[index]) == start else { return nil }
            return columns.annotation(at: index)
        }
        if let rows {
            guard let row = rows.row(ofID: id), rows.span(ofRow: row).start == start else { return nil }
            return rows.annotation(ofRow: row)
        }
        return position(of: id, start: start).map { stored[$0] }
    }

    /// The span of annotation `id`, which starts at `start`, without copying the annotation.
    func span(id: String, start: Int) -> TextSpan? {
        if let columns {
            guard let index = columns.index(ofID: id), Int(columns.starts[index]) == start else { return nil }
            return TextSpan(start, Int(columns.ends[index]))
        }
        if let rows {
            guard let row = rows.row(ofID: id), rows.span(ofRow: row).start == start else { return nil }
            return rows.span(ofRow: row)
        }
        return position(of: id, start: start).map { stored[$0].span }
    }

    /// The column tokens near `span` that `accepts`.
    private func fromColumns(_ columns: TokenColumns, near span: TextSpan, where accepts: (TextSpan) -> Bool) -> [Annotation] {
        columns.candidates(near: span).compactMap { index in
            accepts(columns.span(at: index)) ? columns.annotation(at: index) : nil
        }
    }

    private func position(of id: String, start: Int) -> Int? {
        var lo = 0
        var hi = stored.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if stored[mid].span.start < start { lo = mid + 1 } else { hi = mid }
        }
        while lo < stored.count, stored[lo].span.start == start {
            if stored[lo].id == id { return lo }
            lo += 1
        }
        return nil
    }

    private static func ordered(_ lhs: Annotation, _ rhs: Annotation) -> Bool {
        if lhs.span != rhs.span { return lhs.span < rhs.span }
        return lhs.id < rhs.id
    }

    private mutating func rebuild() {
        // Analyzers usually emit in text order: an O(n) check spares the sort. Read in place: subscripting the
        // array of wide annotations copies each one, retaining and releasing its strings.
        let sorted = stored.withUnsafeBufferPointer { annotations in
            var index = 1
            while index < annotations.count {
                if Self.ordered(annotations[index], annotations[index - 1]) { return false }
                index += 1
            }
            return true
        }
        if !sorted { sortStored() }
        // Each end in one pass, then the tree's maxima over plain integers, in place.
        var maxEnd = [Int](repeating: 0, count: stored.count)
        stored.withUnsafeBufferPointer { annotations in
            maxEnd.withUnsafeMutableBufferPointer { maxEnd in
                for index in annotations.indices { maxEnd[index] = annotations[index].span.end }
                _ = Self.buildMaxEnd(maxEnd, 0, maxEnd.count)
            }
        }
        subtreeMaxEnd = maxEnd
    }

    /// Sorts on integer keys and then moves each annotation once into place: comparing and moving whole
    /// annotations in the sort cost more than the analyzers that made them.
    private mutating func sortStored() {
        var keys = stored.indices.map { (start: stored[$0].span.start, end: stored[$0].span.end, index: $0) }
        keys.sort { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end < b.end }
            return stored[a.index].id < stored[b.index].id
        }
        // Position p takes the annotation from source[p]; follow each cycle with swaps, which move without copying.
        // (Array's own swapAt copies both elements, retaining and releasing every string in them; the buffer's
        // moves them.)
        var source = keys.map(\.index)
        stored.withUnsafeMutableBufferPointer { stored in
            for cycleStart in source.indices {
                var current = cycleStart
                while source[current] != cycleStart {
                    let next = source[current]
                    stored.swapAt(current, next)
                    source[current] = current
                    current = next
                }
                source[current] = current
            }
        }
    }

    /// Turns each node's end into the largest end in its subtree (the node `mid` of `lo..<hi` is the root).
    private static func buildMaxEnd(_ values: UnsafeMutableBufferPointer<Int>, _ lo: Int, _ hi: Int) -> Int {
        guard lo < hi else { return Int.min }
        let mid = (lo + hi) / 2
        let value = max(values[mid], buildMaxEnd(values, lo, mid), buildMaxEnd(values, mid + 1, hi))
        values[mid] = value
        return value
    }

    /// Annotations sharing at least one byte with `span`, in span order.
    func overlapping(_ span: TextSpan) -> [Annotation] {
        if let columns { return fromColumns(columns, near: span) { $0.overlaps(span) } }
        if let rows { return collect(rows, minimumEnd: span.start, maximumStart: span.end) { $0.overlaps(span) } }
        return collect(minimumEnd: span.start, maximumStart: span.end) { $0.overlaps(span) }
    }

    /// Annotations containing the whole of `span` (empty spans included), in span order.
    func containing(_ span: TextSpan) -> [Annotation] {
        if let columns { return fromColumns(columns, near: span) { $0.contains(span) } }
        if let rows { return collect(rows, minimumEnd: span.end, maximumStart: span.start) { $0.end >= span.end } }
        return collect(minimumEnd: span.end, maximumStart: span.start) { $0.end >= span.end }
    }

    /// Walks the implicit tree in order, skipping subtrees whose greatest end is below `minimumEnd` and stopping
    /// at the first start past `maximumStart` (everything after it starts later still).
    private func collect(minimumEnd: Int, maximumStart: Int, where accepts: (TextSpan) -> Bool) -> [Annotation] {
        stored.withUnsafeBufferPointer { stored in
            collect(Stored(annotations: stored), minimumEnd: minimumEnd, maximumStart: maximumStart, where: accepts)
        }
    }

    /// `collect` over an analyzer's rows: the tree is over their span order.
    private func collect(
        _ rows: AnnotationColumns, minimumEnd: Int, maximumStart: Int, where accepts: (TextSpan) -> Bool
    ) -> [Annotation] {
        collect(Rows(columns: rows), minimumEnd: minimumEnd, maximumStart: maximumStart, where: accepts)
    }

    private func collect<Source: SpanOrdered>(
        _ source: Source, minimumEnd: Int, maximumStart: Int, where accepts: (TextSpan) -> Bool
    ) -> [Annotation] {
        var result: [Annotation] = []
        func visit(_ lo: Int, _ hi: Int) -> Bool {
            guard lo < hi else { return true }
            let mid = (lo + hi) / 2
            if subtreeMaxEnd[mid] < minimumEnd { return true }
            if !visit(lo, mid) { return false }
            // The span alone until the annotation is taken: a copy retains every string in it.
            let span = source.span(at: mid)
            if span.start > maximumStart { return false }
            if accepts(span) { result.append(source.annotation(at: mid)) }
            return visit(mid + 1, hi)
        }
        _ = visit(0, source.count)
        return result
    }

    /// Annotations lying entirely inside `span`, in span order: a binary search for the first start, then a scan
    /// of the annotations that start inside the span.
    func inside(_ span: TextSpan) -> [Annotation] {
        if let columns { return fromColumns(columns, near: span) { span.contains($0) } }
        // A row inside the span ends at or after its start and starts at or before its end: the tree's walk finds it.
        if let rows { return collect(rows, minimumEnd: span.start, maximumStart: span.end) { span.contains($0) } }
        var lo = 0
        var hi = stored.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if stored[mid].span.start < span.start { lo = mid + 1 } else { hi = mid }
        }
        var result: [Annotation] = []
        var position = lo
        while position < stored.count, stored[position].span.start <= span.end {
            if stored[position].span.end <= span.end { result.append(stored[position]) }
            position += 1
        }
        return result
    }
}

/// Annotations in span order, for the tree's walk: stored ones, or an analyzer's rows.
private protocol SpanOrdered {
    var count: Int { get }
    func span(at position: Int) -> TextSpan
    func annotation(at position: Int) -> Annotation
}

private struct Stored: SpanOrdered {
    let annotations: UnsafeBufferPointer<Annotation>
    var count: Int { annotations.count }
    func span(at position: Int) -> TextSpan { annotations[position].span }
    func annotation(at position: Int) -> Annotation { annotations[position] }
}

private struct Rows: SpanOrdered {
    let columns: AnnotationColumns
    var count: Int { columns.count }
    func span(at position: Int) -> TextSpan { columns.span(ofRow: columns.row(atPosition: position)) }
    func annotation(at position: Int) -> Annotation { columns.annotation(ofRow: columns.row(atPosition: position)) }
}
