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
        public var descriptor: AnalyzerDescriptor
        public var analyzer: any DocumentAnalyzing
    }

    /// Layers a document brings with it from its loader, which no analyzer needs to produce.
    public static let documentLayers: Set<String> = ["markup"]

    public let steps: [Step]

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
            let started = ContinuousClock.now
            var candidate = annotated.store
            // Its earlier annotations can only be in the layers it declares: the token layer is not scanned again.
            candidate.removeAll(inLayers: step.descriptor.produces) { $0.isProduced(by: name) }
            do {
                let produced = try step.analyzer.analyze(annotated.document, store: candidate)
                let finished = try finalize(produced, step: step, document: annotated.document, store: &candidate)
                try candidate.add(contentsOf: finished)
                annotated.store = candidate
            } catch {
                failures.append(
                    AnalyzerFailure(analyzer: name, document: annotated.id, message: "\(error)", skipped: false))
                failedLayers.formUnion(step.descriptor.produces)
            }
            timing?(name, (ContinuousClock.now - started).seconds)
        }
        return failures
    }

    /// Gives annotations final ids and the producer, rewrites roles, and checks them against the model.
    private func finalize(
        _ produced: [Annotation], step: Step, document: Document, store: inout AnnotationStore
    ) throws -> [Annotation] {
        let descriptor = step.descriptor
        var renamed: [String: String] = [:]
        var result = produced
        let ids = store.makeIDs(prefix: descriptor.name, count: result.count)
        for index in result.indices {
            let annotation = result[index]
            guard descriptor.produces.contains(annotation.layer) else {
                throw MarginaliaError(.invalidAnnotation, "made an annotation in layer '\(annotation.layer)', which it does not declare")
            }
            let span = annotation.span
            guard span.end <= document.utf8.count, document.isScalarBoundary(span.start), document.isScalarBoundary(span.end)
            else {
                throw MarginaliaError(
                    .invalidAnnotation,
                    "span \(span) of a '\(annotation.label)' annotation is outside the text or splits a character")
            }
            let newID = ids[index]
            if !annotation.id.isEmpty {
                if renamed[annotation.id] != nil {
                    throw MarginaliaError(.invalidAnnotation, "used the local id '\(annotation.id)' twice")
                }
                renamed[annotation.id] = newID
            }
            result[index].id = newID
            result[index].producer = descriptor.producer
        }
        for index in result.indices where !result[index].roles.isEmpty {
            for (role, targets) in result[index].roles {
                result[index].roles[role] = try targets.map { target in
                    if let mapped = renamed[target] { return mapped }
                    guard store.contains(id: target) else {
                        throw MarginaliaError(.invalidAnnotation, "role '\(role)' refers to unknown annotation '\(target)'")
                    }
                    return target
                }
            }
        }
        return result
    }
}
