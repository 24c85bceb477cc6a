import MarginaliaIO

/// The REPL's commands with their usage, summary and an example: `help` prints these and Tab completes them.
struct ReplCommandInfo: Sendable {
    var name: String
    var usage: String
    var summary: String
    var example: String
}

enum ReplCommandTable {
    static let all: [ReplCommandInfo] = [
        .init(name: "load", usage: "load PATH|GLOB...", summary: "Load documents (text, Markdown, HTML, Marginalia JSON, JSON lines).", example: "load Docs/samples/*.md"),
        .init(name: "docs", usage: "docs", summary: "List loaded documents with sizes and annotations per layer.", example: "docs"),
        .init(name: "use", usage: "use DOC", summary: "Make DOC (an id or its number in `docs`) the current document.", example: "use 2"),
        .init(name: "close", usage: "close DOC|all", summary: "Unload a document (undo brings it back).", example: "close caspian-corridor"),
        .init(name: "analyzers", usage: "analyzers", summary: "List analyzers with what they require and produce.", example: "analyzers"),
        .init(name: "run", usage: "run [ANALYZER...|all] [on DOC|all]", summary: "Run analyzers and what they require, timing each; Ctrl-C stops.", example: "run segment on all"),
        .init(name: "show", usage: "show [LAYER] [LABEL]", summary: "The text with annotations highlighted inline.", example: "show entity GPE"),
        .init(name: "list", usage: "list LAYER [LABEL] [where FEATURE=VALUE]", summary: "Annotations as a table: id, label, span, text, features.", example: "list entity where canonical=Iran"),
        .init(name: "context", usage: "context ID", summary: "The sentence around an annotation.", example: "context entity-3"),
        .init(name: "find", usage: "find TEXT|/REGEX/", summary: "Matches in the text with the annotations over them.", example: "find /Tehran|Moscow/"),
        .init(name: "entities", usage: "entities", summary: "Actors grouped by canonical name, with counts and surface forms.", example: "entities"),
        .init(name: "citations", usage: "citations", summary: "Who said what: source, cue and content of each attribution.", example: "citations"),
        .init(name: "gold", usage: "gold PATH [LAYER]", summary: "Load gold annotations (brat .ann, CoNLL, Marginalia JSON) to compare with; brat and CoNLL go into LAYER (entity).", example: "gold gold/caspian-corridor.ann"),
        .init(name: "diff", usage: "diff LAYER [exact|overlap]", summary: "Compare the current document's LAYER with the gold: P/R/F1 per label, then each miss and false alarm in context.", example: "diff entity overlap"),
        .init(name: "plugin", usage: "plugin load FILE | plugin reload | plugin add NAME=COMMAND | plugin list", summary: "Load a rule file, reload rule files (showing what changed), start an external analyzer, or list them.", example: "plugin load ~/rules/sanctions.yaml"),
        .init(name: "stance", usage: "stance [all] [corpus]", summary: "Holder × target matrix with net polarity; hedges and boosters per 1,000 words (corpus: all documents; all: with the author's evaluations from word valence and reported events).", example: "stance corpus"),
        .init(name: "add", usage: "add LABEL LAYER START END | add LABEL \"exact text\" [LAYER] [all]", summary: "Add an analyst annotation (offsets in characters, as exported).", example: "add ORG \"Human Rights Watch\" entity"),
        .init(name: "remove", usage: "remove ID", summary: "Remove an annotation; an analyzer's stays removed when it runs again.", example: "remove entity-4"),
        .init(name: "relabel", usage: "relabel ID LABEL", summary: "Change an annotation's label; kept when analyzers run again.", example: "relabel entity-2 ORG"),
        .init(name: "undo", usage: "undo", summary: "Undo the last change (load, close, run, add, remove, relabel, open).", example: "undo"),
        .init(name: "export", usage: "export FORMAT PATH", summary: "Write annotations: json, w3c, brat, spacy, conll, csv or html (current document), jsonl (all documents).", example: "export html /tmp/caspian.html"),
        .init(name: "save", usage: "save PATH", summary: "Save the whole session (documents, annotations, corrections, settings).", example: "save analysis.mgs"),
        .init(name: "open", usage: "open PATH", summary: "Restore a saved session.", example: "open analysis.mgs"),
        .init(name: "set", usage: "set OPTION VALUE", summary: "color on|off, pager on|off, or ANALYZER.OPTION VALUE.", example: "set color off"),
        .init(name: "history", usage: "history", summary: "The commands entered, oldest first.", example: "history"),
        .init(name: "source", usage: "source FILE", summary: "Run the commands in FILE, one per line.", example: "source analysis.mgl"),
        .init(name: "help", usage: "help [COMMAND|ANALYZER]", summary: "This list, or one command or analyzer explained.", example: "help run"),
        .init(name: "quit", usage: "quit", summary: "Leave the session (also `exit` or Ctrl-D).", example: "quit"),
    ]

    static let names: [String] = all.map(\.name) + ["exit"]

    static func info(_ name: String) -> ReplCommandInfo? {
        all.first { $0.name == name } ?? (name == "exit" ? all.first { $0.name == "quit" } : nil)
    }

    static let exportFormats = ExportFormat.allCases.map(\.rawValue)
    static let settings = ["color", "pager"]
}
