import Dispatch
import MarginaliaCore
import MarginaliaIO
import Synchronization

/// Annotates a stream of inputs on several cores through a bounded window, emitting results in input order.
///
/// Workers take items as they are read, load, annotate and encode them; outputs are written in input order as
/// soon as every earlier one is. At most `jobs × 8` items are in flight, so memory is bounded whatever the length
/// of the stream.
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

    /// Runs `next` to exhaustion, handing each item's outcome, in input order, to `emit`.
    ///
    /// With one job everything runs on the calling thread. With more, `jobs` workers annotate while the calling
    /// thread reads ahead and writes finished outcomes in order: at most `jobs × 8` items are read but not yet
    /// written, so memory stays bounded, and no worker waits for a whole window to finish before taking more.
    func run(next: () throws -> Item?, emit: (Outcome) throws -> Void) throws {
        if jobs == 1 {
            while let item = try next() { try emit(process(item)) }
            return
        }
        let windowSize = max(2, jobs * 8)
        let queue = WorkQueue()
        let finished = DispatchSemaphore(value: 0)
        let results = Mutex<[Int: Outcome]>([:])
        let workers = DispatchGroup()
        for _ in 0..<jobs {
            DispatchQueue.global().async(group: workers) {
                while let (index, item) = queue.take() {
                    let outcome = process(item)
                    results.withLock { $0[index] = outcome }
                    finished.signal()
                }
            }
        }
        defer {
            queue.close(workers: jobs)
            workers.wait()
        }
        var read = 0
        var written = 0
        var exhausted = false
        while true {
            while !exhausted, read - written < windowSize {
                guard let item = try next() else {
                    exhausted = true
                    break
                }
                queue.put(read, item)
                read += 1
            }
            if written == read { return }
            finished.wait()
            while let outcome = results.withLock({ $0.removeValue(forKey: written) }) {
                try emit(outcome)
                written += 1
            }
        }
    }
}

/// Items waiting for a worker, in input order; `take` blocks until there is one or the queue is closed.
private final class WorkQueue: Sendable {
    private let items = Mutex<(pending: [(Int, BatchRunner.Item)], head: Int, closed: Bool)>(([], 0, false))
    private let available = DispatchSemaphore(value: 0)

    func put(_ index: Int, _ item: BatchRunner.Item) {
        items.withLock { $0.pending.append((index, item)) }
        available.signal()
    }

    /// Wakes every worker for the last time: each `take` then returns nil once the queue is empty.
    func close(workers: Int) {
        items.withLock { $0.closed = true }
        for _ in 0..<workers { available.signal() }
    }

    func take() -> (Int, BatchRunner.Item)? {
        while true {
            available.wait()
            let taken: (Int, BatchRunner.Item)?? = items.withLock { state in
                if state.head < state.pending.count {
                    let item = state.pending[state.head]
                    state.head += 1
                    // Drop the taken prefix now and then so the array does not grow with the stream.
                    if state.head >= 64, state.head * 2 >= state.pending.count {
                        state.pending.removeFirst(state.head)
                        state.head = 0
                    }
                    return .some(item)
                }
                return state.closed ? .some(nil) : nil
            }
            if let taken { return taken }
        }
    }
}

/// Whitespace-separated words, as the evaluation harness counts them.
func wordCount(_ bytes: [UInt8]) -> Int { UTF8Scanning.wordCount(bytes) }

#if os(Linux)
/// glibc's `mallopt`, which the Glibc module does not export (it lives in malloc.h).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Each document's JSON (hundreds of kilobytes) would otherwise get fresh pages from the kernel on every
/// allocation and give them back on free; keeping large blocks in the heap lets the next document reuse pages
/// already mapped.
func keepLargeAllocationsInHeap() {
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
    _ = glibcMallopt(mmapThreshold, 64 << 20)
    _ = glibcMallopt(trimThreshold, 128 << 20)
}
#else
func keepLargeAllocationsInHeap() {}
#endif
