import ArgumentParser
import MarginaliaCore
import MarginaliaIO

/// `marginalia eval --gold GOLD --system SYSTEM`: precision, recall and F1 of one layer against gold.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compare a layer of system annotations with gold ones: P/R/F1 per label, strict and lenient.",
        discussion: """
            GOLD and SYSTEM are brat standoff (.ann beside its .txt), CoNLL columns (.conll, .testa, ...), or
            Marginalia JSON / JSON lines. Documents are paired by id (a single pair is paired whatever the ids),
            and their texts must be equal. --errors lists every miss and false alarm, like an annotation diff.
            """)

    @Option(help: "The gold annotations.")
    var gold: String

    @Option(help: "The system annotations.")
    var system: String

    @Option(help: "The layer compared (brat and CoNLL files are read into it).")
    var layer: String = "entity"

    @Option(help: "Matching for the list of errors: exact or overlap.", transform: { text in
        guard let matching = Evaluation.Matching(rawValue: text) else { throw ValidationError("--match takes exact or overlap") }
        return matching
    })
    var match: Evaluation.Matching = .exact

    @Flag(help: "List the misses and false alarms.")
    var errors = false

    func run() throws {
        let evaluation: Evaluation
        do {
            evaluation = try Self.evaluate(gold: gold, system: system, layer: layer)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        var text = TextTable.render(evaluation.table())
        if errors {
            let list = evaluation.differences[match]!
            text += "\n\(list.count) differences (\(match.rawValue) match)\n"
            for difference in list {
                text += "\(difference.kind.rawValue)\t\(difference.document)\t\(difference.label)\t\(difference.span.start)-\(difference.span.end)\t\(difference.text)\n"
            }
        }
        print(text, terminator: "")
    }

    static func evaluate(gold: String, system: String, layer: String) throws -> Evaluation {
        let golds = try AnnotatedFiles.load(gold, layer: layer)
        let systems = try AnnotatedFiles.load(system, layer: layer)
        var evaluation = Evaluation()
        if golds.count == 1, systems.count == 1 {
            try evaluation.add(gold: golds[0], system: systems[0], layer: layer)
            return evaluation
        }
        let byID = Dictionary(systems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for document in golds {
            guard let counterpart = byID[document.id] else {
                throw MarginaliaError(.invalidInput, "no system document with id '\(document.id)'", location: system)
            }
            try evaluation.add(gold: document, system: counterpart, layer: layer)
        }
        return evaluation
    }
}
