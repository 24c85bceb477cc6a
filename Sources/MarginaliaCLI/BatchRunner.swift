import Dispatch
import MarginaliaCore
import MarginaliaIO
import Synchronization

/// Annotates a stream of inputs on several cores through a bounded window, emitting results in input order.
///
/// Inputs are read a window at a time (`jobs × 8` items); workers take items from the window, load, annotate and
/// encode them; the window's outputs are then written in order. Memory is bounded by the window whatever the
/// length of the stream.
struct BatchRunner: Sendable {
    /// One unit of work: how to load its document(s).
    struct Item: Sendable {
        var label: String
        var load: @Sendable () throws -> [AnnotatedDocument]
    }

    /// One document's output: its id and the files of the chosen format (one for stream formats).
    struct Encoded: Sendable {
        var id: String
        var files: [ExportedFile]
    }

    /// What became of one item: encoded documents, and messages for standard error.
    struct Outcome: Sendable {
        var encoded: [Encoded] = []
        var documents = 0
        var words = 0
        var errors: [String] = []
        var warnings: [String] = []
    }

    let pipeline: Pipeline
    let jobs: Int
    let encode: @Sendable (AnnotatedDocument) -> [ExportedFile]

    /// Processes one item: load, annotate, encode. Never throws: failures become messages.
    func process(_ item: Item) -> Outcome {
        var outcome = Outcome()
        let documents: [AnnotatedDocument]
        do {
            documents = try item.load()
        } catch {
            outcome.errors.append("\(error)")
            return outcome
        }
        for var document in documents {
            outcome.warnings += document.warnings
            let failures = pipeline.run(&document)
            outcome.errors += failures.map(\.description)
            outcome.encoded.append(Encoded(id: document.id, files: encode(document)))
            outcome.documents += 1
            outcome.words += wordCount(document.document.utf8)
        }
        return outcome
    }

    /// Runs `next` to exhaustion, handing each window's outcomes, in order, to `emit`.
    func run(next: () throws -> Item?, emit: (Outcome) throws -> Void) throws {
        let windowSize = max(1, jobs * 8)
        while true {
            var window: [Item] = []
            while window.count < windowSize, let item = try next() { window.append(item) }
            if window.isEmpty { return }
            for outcome in processWindow(window) { try emit(outcome) }
        }
    }

    private func processWindow(_ window: [Item]) -> [Outcome] {
        if jobs == 1 || window.count == 1 { return window.map(process) }
        let results = Mutex<[Int: Outcome]>([:])
        let nextIndex = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(jobs, window.count)) { _ in
            while true {
                let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < window.count else { return }
                let outcome = process(window[index])
                results.withLock { $0[index] = outcome }
            }
        }
        return results.withLock { collected in (0..<window.count).map { collected[$0]! } }
    }
}

/// Whitespace-separated words, as the evaluation harness counts them.
func wordCount(_ bytes: [UInt8]) -> Int { UTF8Scanning.wordCount(bytes) }
