import LineEditing
import MarginaliaCore

/// Tab completion for the REPL: commands, analyzers, layers, labels, ids, documents, paths, formats, settings.
final class ReplCompletion: CompletionSource {
    weak var session: ReplSession?

    func complete(_ linePrefix: String) -> Completion {
        let (previous, word) = CommandWords.completionContext(linePrefix)
        return Completion(word: word, candidates: candidates(previous: previous, word: word).filter { $0.hasPrefix(word) })
    }

    func candidates(previous: [String], word: String) -> [String] {
        guard let session, let command = previous.first else { return ReplCommandTable.names.sorted() }
        let document = session.current.map { session.documents[$0] }
        let layers = document?.store.layerNames ?? []
        let analyzers = session.registry.names
        switch command {
        case "load", "save", "open", "source":
            return PathExpansion.complete(word)
        case "export":
            return previous.count == 1 ? ReplCommandTable.exportFormats : PathExpansion.complete(word)
        case "run":
            if previous.last == "on" { return ["all"] + session.documents.map(\.id) }
            return analyzers + ["all", "on"]
        case "help":
            return ReplCommandTable.names + analyzers
        case "use", "close":
            return session.documents.map(\.id) + (command == "close" ? ["all"] : [])
        case "show", "list":
            if previous.count == 1 { return layers }
            if previous.count == 2, let document {
                return Array(Set(document.store.annotations(in: previous[1]).map(\.label))).sorted() + (command == "list" ? ["where"] : [])
            }
            if command == "list", previous.contains("where"), let document {
                let keys = Set(document.store.annotations(in: previous[1]).flatMap { $0.features.keys })
                return keys.sorted().map { $0 + "=" }
            }
            return []
        case "context", "remove", "relabel":
            return previous.count == 1 ? (document?.store.all.filter { !ReplSession.backgroundLayers.contains($0.layer) }.map(\.id) ?? []) : []
        case "add":
            if previous.count == 1, let document {
                return Array(Set(document.store.all.filter { !ReplSession.backgroundLayers.contains($0.layer) }.map(\.label))).sorted()
            }
            return previous.count == 2 ? layers : []
        case "plugin":
            if previous.count == 1 { return ["add", "list", "load", "reload"] }
            return previous[1] == "load" ? PathExpansion.complete(word) : []
        case "gold":
            return previous.count == 1 ? PathExpansion.complete(word) : layers
        case "diff":
            return previous.count == 1 ? layers : ["exact", "overlap"]
        case "stance":
            return ["all", "corpus"]
        case "set":
            if previous.count == 1 {
                return ReplCommandTable.settings + session.registry.all.flatMap { entry in entry.descriptor.options.map { "\(entry.descriptor.name).\($0.name)" } }
            }
            return ["on", "off"]
        default:
            return []
        }
    }
}
