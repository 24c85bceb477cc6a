/// An analyzer that could not finish on one document; the pipeline goes on without it.
public struct AnalyzerFailure: Hashable, Sendable, CustomStringConvertible {
    public var analyzer: String
    public var document: String
    public var message: String
    /// True when the analyzer did not run because one it requires failed.
    public var skipped: Bool

    public var description: String {
        "analyzer '\(analyzer)' on document '\(document)': \(message)"
    }
}

/// A resolved, ordered set of analyzer instances, ready to run over documents.
///
/// Asking for `stance` alone pulls in the producers of every layer it requires, transitively. Order follows the
/// requires/produces graph; ties are broken by name so runs are reproducible.
public struct Pipeline: Sendable {
    /// One analyzer in run order.
    public struct Step: Sendable {
        public let descriptor: AnalyzerDescriptor
        public let analyzer: any DocumentAnalyzing
        /// The analyzer as the kinds the pipeline stores as columns, cast once here rather than per document (a
        /// cast asks the runtime's conformance tables).
        let segmenter: (any TokenColumnProducing)?
        let columnar: (any ColumnarAnalyzing)?

        init(descriptor: AnalyzerDescriptor, analyzer: any DocumentAnalyzing) {
            self.descriptor = descriptor
            self.analyzer = analyzer
            segmenter = descriptor.produces.contains("token") ? analyzer as? any TokenColumnProducing : nil
            columnar = analyzer as? any ColumnarAnalyzing
        }
    }

    /// Layers a document brings with it from its loader, which no analyzer needs to produce.
    public static let documentLayers: Set<String> = ["markup"]

    public let steps: [Step]
    /// The analyzers asked for by name; the other steps are there because one of these needs their layers, and
    /// run only on documents where they have not run yet.
    public let requested: Set<String>

    /// Builds a pipeline for `requested` analyzers and everything they need.
    ///
    /// - Parameters:
    ///   - requested: analyzer names, in any order.
    ///   - registry: where to find them and their requirements' producers.
    ///   - options: per analyzer, option name → raw value.
    ///   - provided: layers the documents already carry.
    /// - Throws: ``MarginaliaError`` naming an unknown analyzer, a layer nobody produces, an ambiguous producer,
    ///   a cycle (`a → b → a`), or a bad option.
    public init(
        analyzers requested: [String], registry: AnalyzerRegistry, options: [String: [String: String]] = [:],
        provided: Set<String> = Pipeline.documentLayers
    ) throws {
        self.requested = Set(requested)
        let ordered = try Self.plan(requested, registry: registry, provided: provided)
        for name in options.keys where !ordered.contains(where: { $0.descriptor.name == name }) {
            _ = try registry.registration(named: name)
        }
        steps = try ordered.map { registration in
            let descriptor = registration.descriptor
            let parsed = try AnalyzerOptions(
                parsing: options[descriptor.name] ?? [:], specs: descriptor.options, analyzer: descriptor.name)
            do {
                return Step(descriptor: descriptor, analyzer: try registration.make(parsed))
            } catch let error as MarginaliaError {
                throw error
            } catch {
                throw MarginaliaError(.analyzerFailed, "analyzer '\(descriptor.name)' could not start: \(error)")
            }
        }
    }

    /// The analyzers to run, in order, for `requested` and their transitive requirements.
    public static func plan(
        _ requested: [String], registry: AnalyzerRegistry, provided: Set<String> = documentLayers
    ) throws -> [AnalyzerRegistration] {
        var selected: [String: AnalyzerRegistration] = [:]
        var work: [AnalyzerRegistration] = []
        for name in requested where selected[name] == nil {
            let registration = try registry.registration(named: name)
            selected[name] = registration
            work.append(registration)
        }
        while let next = work.popLast() {
            for layer in next.descriptor.requires.sorted() where !provided.contains(layer) {
                if selected.values.contains(where: { $0.descriptor.produces.contains(layer) }) { continue }
                let producers = registry.producers(of: layer)
                switch producers.count {
                case 0:
                    throw MarginaliaError(
                        .missingProducer,
                        "analyzer '\(next.descriptor.name)' requires layer '\(layer)', which no registered analyzer produces")
                case 1:
                    selected[producers[0].descriptor.name] = producers[0]
                    work.append(producers[0])
                default:
                    let names = producers.map { "'\($0.descriptor.name)'" }.joined(separator: ", ")
                    throw MarginaliaError(
                        .ambiguousProducer,
                        "analyzer '\(next.descriptor.name)' requires layer '\(layer)', produced by \(names): name one to run")
                }
            }
        }
        return try order(Array(selected.values))
    }

    /// Topological order (Kahn's algorithm, ready set sorted by name); names the cycle when there is one.
    static func order(_ registrations: [AnalyzerRegistration]) throws -> [AnalyzerRegistration] {
        let byName = Dictionary(uniqueKeysWithValues: registrations.map { ($0.descriptor.name, $0) })
        // Edge a → b when b requires or uses a layer a produces.
        var successors: [String: Set<String>] = [:]
        var indegree: [String: Int] = byName.mapValues { _ in 0 }
        for b in registrations {
            let reads = b.descriptor.requires.union(b.descriptor.uses)
            for a in registrations where a.descriptor.name != b.descriptor.name {
                if !a.descriptor.produces.isDisjoint(with: reads) {
                    if successors[a.descriptor.name, default: []].insert(b.descriptor.name).inserted {
                        indegree[b.descriptor.name, default: 0] += 1
                    }
                }
            }
        }
        var ready = indegree.filter { $0.value == 0 }.keys.sorted()
        var result: [AnalyzerRegistration] = []
        while !ready.isEmpty {
            let name = ready.removeFirst()
            result.append(byName[name]!)
            for next in (successors[name] ?? []).sorted() {
                indegree[next]! -= 1
                if indegree[next] == 0 {
                    ready.append(next)
                    ready.sort()
                }
            }
        }
        if result.count < registrations.count {
            let remaining = Set(byName.keys).subtracting(result.map(\.descriptor.name))
            let cycle = findCycle(in: remaining, successors: successors)
            throw MarginaliaError(.dependencyCycle, "analyzers depend on each other in a cycle: \(cycle.joined(separator: " → "))")
        }
        return result
    }

    private static func findCycle(in nodes: Set<String>, successors: [String: Set<String>]) -> [String] {
        // Every remaining node lies on or leads into a cycle: walk successors until a node repeats.
        var path: [String] = []
        var current = nodes.sorted().first!
        while !path.contains(current) {
            path.append(current)
            current = (successors[current] ?? []).filter(nodes.contains).sorted().first!
        }
        return Array(path[path.firstIndex(of: current)!...]) + [current]
    }

    /// Runs every step on one document, replacing each analyzer's earlier annotations with its new ones.
    ///
    /// A step that throws, or returns annotations that break the model (a layer it does not declare, a span
    /// outside the text or inside a UTF-8 sequence, a role to an unknown id), is reported and its earlier
    /// annotations are kept; steps requiring its layers are skipped; the rest run.
    /// - Parameter shouldCancel: polled between steps; when it returns true the remaining steps are not run.
    /// - Returns: the failures, in run order.
    @discardableResult
    public func run(
        _ annotated: inout AnnotatedDocument, shouldCancel: () -> Bool = { false },
        timing: ((String, Double) -> Void)? = nil
    ) -> [AnalyzerFailure] {
        var failures: [AnalyzerFailure] = []
        var failedLayers: Set<String> = []
        for step in steps {
            if shouldCancel() { break }
            let name = step.descriptor.name
            let missing = step.descriptor.requires.intersection(failedLayers)
            if !missing.isEmpty {
                failures.append(
                    AnalyzerFailure(
                        analyzer: name, document: annotated.id,
                        message: "skipped: layer '\(missing.sorted().joined(separator: "', '"))' failed", skipped: true))
                failedLayers.formUnion(step.descriptor.produces)
                continue
            }
            let hasRun = annotated.store.hasAnnotations(producedBy: name, in: step.descriptor.produces)
            // A requirement met by an earlier run is kept: running it again would give what others read new ids.
            if hasRun, !requested.contains(name) { continue }
            let started = ContinuousClock.now
            do {
                if hasRun {
                    // A re-run: drop its earlier annotations on a copy, so they survive if this run fails.
                    var candidate = annotated.store
                    // They can only be in the layers it declares: the token layer is not scanned again.
                    let removed = candidate.removeAll(inLayers: step.descriptor.produces) { $0.isProduced(by: name) }
                    try add(step.analyzer.analyze(annotated.document, store: candidate), step: step, document: annotated.document, to: &candidate)
                    // Others' roles that named the earlier annotations follow them to their successors.
                    candidate.mendRoles(naming: removed)
                    annotated.store = candidate
                } else if let segmenter = step.segmenter {
                    // The built-in tokens, one per word, go in as columns rather than annotations. It runs first,
                    // on a store holding little more than markup, so keeping the old value to restore is cheap.
                    let (tokens, others) = segmenter.segment(annotated.document)
                    try Self.checkSpans(tokens, in: annotated.document)
                    let before = annotated.store
                    do {
                        if annotated.store.addTokenColumns(tokens, layer: "token", producer: step.descriptor.producer, idPrefix: name) {
                            try add(consume others, step: step, document: annotated.document, to: &annotated.store)
                        } else {
                            try add(step.analyzer.analyze(annotated.document, store: annotated.store), step: step, document: annotated.document, to: &annotated.store)
                        }
                    } catch {
                        annotated.store = before
                        throw error
                    }
                } else if let columnar = step.columnar {
                    // A first run of an analyzer that makes columns: checked whole before anything is stored.
                    let layers = try columnar.analyzeColumns(annotated.document, store: annotated.store)
                    try check(layers, step: step, document: annotated.document, store: annotated.store)
                    for rows in layers
                    where !annotated.store.addColumns(rows, producer: step.descriptor.producer, idPrefix: name) {
                        // The layer already holds annotations (an analyst's), or the ids are taken: as annotations.
                        try add(rows.annotations, step: step, document: annotated.document, to: &annotated.store)
                    }
                } else {
                    // A first run (every run in batch): nothing to keep, and `add` changes nothing when it
                    // throws, so the store is extended in place instead of copied.
                    try add(step.analyzer.analyze(annotated.document, store: annotated.store), step: step, document: annotated.document, to: &annotated.store)
                }
            } catch {
                failures.append(
                    AnalyzerFailure(analyzer: name, document: annotated.id, message: "\(error)", skipped: false))
                failedLayers.formUnion(step.descriptor.produces)
            }
            timing?(name, (ContinuousClock.now - started).seconds)
        }
        return failures
    }

    /// Checks that tokens lie inside the text on character boundaries, as ``finalize`` does for annotations.
    private static func checkSpans(_ tokens: [Token], in document: Document) throws {
        let textEnd = document.utf8.count
        for token in tokens
        where token.start > token.end || token.end > textEnd || !document.isScalarBoundary(token.start)
            || !document.isScalarBoundary(token.end)
        {
            throw MarginaliaError(
                .invalidAnnotation, "span \(token.start)..<\(token.end) of a token is outside the text or splits a character")
        }
    }

    /// The analyzers that have run on `store` and read (require or use) a layer that one of `names` makes,
    /// directly or through each other, in registry order: what running `names` again leaves out of date, to run
    /// again with them.
    public static func dependents(of names: [String], registry: AnalyzerRegistry, in store: AnnotationStore) -> [String] {
        var chosen = Set(names)
        var changed = Set(names.flatMap { registry[$0]?.descriptor.produces ?? [] })
        var result: [String] = []
        var grew = true
        while grew {
            grew = false
            for registration in registry.all where !chosen.contains(registration.descriptor.name) {
                let descriptor = registration.descriptor
                guard !descriptor.requires.union(descriptor.uses).isDisjoint(with: changed),
                    store.hasAnnotations(producedBy: descriptor.name, in: descriptor.produces)
                else { continue }
                chosen.insert(descriptor.name)
                changed.formUnion(descriptor.produces)
                result.append(descriptor.name)
                grew = true
            }
        }
        return result
    }

    /// Finalizes an analyzer's annotations (see ``finalize``) and adds them; ids numbered in turn are registered
    /// from their numbers.
    private func add(
        _ produced: consuming [Annotation], step: Step, document: Document, to store: inout AnnotationStore
    ) throws {
        // A consuming parameter is mutable in place: a `var` copy of it would leave two references to the array,
        // and finalizing in place would then copy every annotation.
        let first = try finalize(&produced, step: step, document: document, store: &store)
        if let first {
            store.add(contentsOf: produced, numberedFrom: first, prefix: step.descriptor.name)
        } else {
            try store.add(contentsOf: produced)
        }
    }

    /// Checks an analyzer's columns against the model as ``finalize`` checks annotations: declared layers, spans
    /// inside the text on character boundaries, role targets that exist.
    private func check(_ layers: [AnnotationColumns], step: Step, document: Document, store: AnnotationStore) throws {
        for rows in layers {
            guard step.descriptor.produces.contains(rows.layer) else {
                throw MarginaliaError(.invalidAnnotation, "made an annotation in layer '\(rows.layer)', which it does not declare")
            }
            try rows.check(
                textEnd: document.utf8.count, isBoundary: document.isScalarBoundary, isKnown: { store.contains(id: $0) })
        }
    }

    /// Gives annotations final ids and the producer, rewrites roles, and checks them against the model.
    ///
    /// Works in place: the analyzer's array is the only copy, so no annotation is copied (and retained) again.
    /// - Returns: the number of the first id when the ids are `name-first`, `name-(first + 1)` … in order.
    private func finalize(
        _ result: inout [Annotation], step: Step, document: Document, store: inout AnnotationStore
    ) throws -> Int? {
        let descriptor = step.descriptor
        var renamed = LocalIDTable(capacity: result.count)
        let (ids, first) = store.makeIDRun(prefix: descriptor.name, count: result.count)
        let textEnd = document.utf8.count
        let producer = descriptor.producer
        // Analyzers write runs of one layer: check the declaration once per run, not per annotation.
        var checkedLayer = ""
        var hasRoles = false
        for index in result.indices {
            let layer = result[index].layer
            if layer != checkedLayer {
                guard descriptor.produces.contains(layer) else {
                    throw MarginaliaError(.invalidAnnotation, "made an annotation in layer '\(layer)', which it does not declare")
                }
                checkedLayer = layer
            }
            let span = result[index].span
            guard span.end <= textEnd, document.isScalarBoundary(span.start), document.isScalarBoundary(span.end)
            else {
                throw MarginaliaError(
                    .invalidAnnotation,
                    "span \(span) of a '\(result[index].label)' annotation is outside the text or splits a character")
            }
            let newID = ids[index]
            if !result[index].id.isEmpty {
                if !renamed.insert(result[index].id, as: newID) {
                    throw MarginaliaError(.invalidAnnotation, "used the local id '\(result[index].id)' twice")
                }
            }
            hasRoles = hasRoles || !result[index].roles.isEmpty
            result[index].id = newID
            result[index].producer = producer
        }
        guard hasRoles else { return first }
        for index in result.indices where !result[index].roles.isEmpty {
            // In place: the role arrays are uniquely held, so no array is rebuilt.
            try result[index].roles.updateValues { role, targets in
                for position in targets.indices {
                    if let mapped = renamed[targets[position]] {
                        targets[position] = mapped
                    } else if !store.contains(id: targets[position]) {
                        throw MarginaliaError(
                            .invalidAnnotation, "role '\(role)' refers to unknown annotation '\(targets[position])'")
                    }
                }
            }
        }
        return first
    }
}
