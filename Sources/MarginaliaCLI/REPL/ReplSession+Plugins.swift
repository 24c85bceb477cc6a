import MarginaliaCore
import MarginaliaExtensions

extension ReplSession {
    /// `plugin load FILE | plugin reload | plugin add NAME=COMMAND | plugin list`.
    func plugin(_ arguments: [String]) throws {
        guard let verb = arguments.first else { throw usage("plugin") }
        let rest = Array(arguments.dropFirst())
        switch verb {
        case "load":
            guard rest.count == 1 else { throw usage("plugin") }
            let path = PathExpansion.expandTilde(rest[0])
            let names = try extensions.loadRules(path, into: &registry)
            output.write("loaded \(path): \(names.joined(separator: ", "))\n")
        case "reload":
            guard rest.isEmpty else { throw usage("plugin") }
            guard !extensions.ruleFiles.isEmpty else { throw ReplError("no rule files loaded: `plugin load FILE` first") }
            try reloadRules()
        case "add":
            guard !rest.isEmpty else { throw usage("plugin") }
            let (name, command) = try ExtensionSet.parsePluginDeclaration(rest.joined(separator: " "))
            try extensions.addPlugin(name: name, command: command, into: &registry)
            let descriptor = registry[name]!.descriptor
            output.write("added plugin \(name) \(descriptor.version): produces \(descriptor.produces.sorted().joined(separator: ","))\n")
        case "list":
            guard rest.isEmpty else { throw usage("plugin") }
            var rows = [["KIND", "SOURCE", "ANALYZERS"]]
            for file in extensions.ruleFiles { rows.append(["rules", file.path, file.names.joined(separator: ", ")]) }
            for (name, plugin) in extensions.plugins.sorted(by: { $0.key < $1.key }) { rows.append(["process", plugin.command, name]) }
            output.write(rows.count == 1 ? "no rule files or plugins loaded\n" : TextTable.render(rows))
        default:
            throw ReplError("unknown plugin command '\(verb)' (load, reload, add, list)")
        }
    }

    /// Re-reads every loaded rule file, re-runs its analyzers on the documents they had annotated (and the
    /// current one), and prints what changed: annotations added (+) and removed (−).
    private func reloadRules() throws {
        let before = extensions.ruleFiles.flatMap(\.names)
        try extensions.reloadRules(into: &registry)
        let names = extensions.ruleFiles.flatMap(\.names)
        for removed in before where !names.contains(removed) {
            output.write("analyzer \(removed) is gone from its file\n")
        }
        var targets = Set(documents.indices.filter { index in
            documents[index].store.all.contains { annotation in names.contains { annotation.isProduced(by: $0) } }
        })
        if let current { targets.insert(current) }
        guard !targets.isEmpty else {
            output.write("reloaded \(names.joined(separator: ", ")); no document to re-run them on\n")
            return
        }
        let pipeline = try Pipeline(analyzers: names, registry: registry, options: analyzerOptions)
        checkpoint()
        for index in targets.sorted() {
            var document = documents[index]
            func key(_ annotation: Annotation) -> String { "\(annotation.layer)\t\(annotation.label)\t\(annotation.span.start)\t\(annotation.span.end)" }
            let old = document.store.all.filter { annotation in names.contains { annotation.isProduced(by: $0) } }
            // An edited file may have moved an analyzer to another layer: clear its old annotations everywhere.
            document.store.removeAll { annotation in names.contains { annotation.isProduced(by: $0) } }
            let failures = pipeline.run(&document)
            applyCorrections(to: &document)
            documents[index] = document
            for failure in failures { fail(failure.description) }
            let new = document.store.all.filter { annotation in names.contains { annotation.isProduced(by: $0) } }
            let oldKeys = Set(old.map(key)), newKeys = Set(new.map(key))
            let added = new.filter { !oldKeys.contains(key($0)) }
            let removed = old.filter { !newKeys.contains(key($0)) }
            var text = "\(document.id): +\(added.count) −\(removed.count) (\(new.count) now)\n"
            for annotation in added.sorted(by: { $0.span < $1.span }) {
                text += "  + \(annotation.layer)/\(annotation.label) \"\(snippet(document, annotation.span, limit: 60))\"\n"
            }
            for annotation in removed.sorted(by: { $0.span < $1.span }) {
                text += "  − \(annotation.layer)/\(annotation.label) \"\(snippet(document, annotation.span, limit: 60))\"\n"
            }
            output.write(text)
        }
    }
}
