import ArgumentParser
import Dispatch
import LineEditing
import MarginaliaCore
import MarginaliaIO
#if canImport(Glibc)
import Glibc
#endif

/// `marginalia bench`: throughput and latency figures on a corpus generated from the bundled samples.
///
/// The corpus is the sample documents repeated (with numbered variations so no two documents are identical)
/// up to the requested number of words. Each figure is the median of several runs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure segmentation, analyzers, JSON export, REPL start-up and `run all` (figures, not pass/fail).")

    @Option(help: "A sample document to build the corpus from (default: the bundled sample).")
    var sample: String = "Docs/samples/caspian-corridor.md"

    @Option(help: "Words per generated document.")
    var documentWords: Int = 10_000

    @Option(help: "Documents in the generated corpus.")
    var documents: Int = 20

    @Option(name: .customLong("repeat"), help: "Repetitions of each measurement; the median is reported.")
    var repetitions: Int = 5

    func run() throws {
        keepLargeAllocationsInHeap()
        let base = try DocumentLoader.load(path: sample).first!.document.text
        let corpus = (0..<documents).map { index in Self.makeDocument(from: base, words: documentWords, seed: index) }
        let totalWords = corpus.reduce(0) { $0 + wordCount($1.document.utf8) }
        let registry = Marginalia.registry
        print("corpus: \(corpus.count) documents, \(totalWords) words (from \(sample))")

        let segment = try Pipeline(analyzers: ["segment"], registry: registry)
        report("segmentation", words: totalWords, seconds: median { for var document in corpus { segment.run(&document) } })

        for name in registry.names where name != "segment" {
            // Prepare every requirement once, then time the analyzer alone (its requirements count as provided), on
            // documents it has not run on: a first run, as in batch, not a run again.
            let requirementSteps = try Pipeline.plan([name], registry: registry).map(\.descriptor).filter { $0.name != name }
            var prepared = corpus
            if !requirementSteps.isEmpty {
                let prepare = try Pipeline(analyzers: requirementSteps.map(\.name), registry: registry)
                for index in prepared.indices { prepare.run(&prepared[index]) }
            }
            let requirements = requirementSteps.flatMap(\.produces)
            let only = try Pipeline(analyzers: [name], registry: registry, provided: Pipeline.documentLayers.union(requirements))
            report(name, words: totalWords, seconds: median { for var document in prepared { only.run(&document) } })
        }

        let all = try Pipeline(analyzers: registry.names, registry: registry)
        report("pipeline, 1 core", words: totalWords, seconds: median { for var document in corpus { all.run(&document) } })
        let twoCores = median {
            DispatchQueue.concurrentPerform(iterations: corpus.count) { index in
                var document = corpus[index]
                all.run(&document)
            }
        }
        report("pipeline, \(processorCount()) cores", words: totalWords, seconds: twoCores)

        var annotated = corpus
        for index in annotated.indices { all.run(&annotated[index]) }
        var bytes = 0
        let export = median {
            bytes = 0
            for document in annotated { bytes += MarginaliaJSON.encode(document).count }
        }
        report("JSON export (all layers)", words: totalWords, seconds: export, extra: String(format2(Double(bytes) / 1e6 / export)) + " MB/s")

        // The REPL's `run all` on one 10,000-word document, through the session as an analyst runs it.
        let runAll = median {
            let reader = ScriptedLineReader([])
            let session = ReplSession(registry: registry, reader: reader, output: CapturedOutput(), colour: false)
            session.documents = [Self.makeDocument(from: base, words: 10_000, seed: 99)]
            session.current = 0
            session.execute("run all")
        }
        print("REPL `run all`, 10,000 words: \(format2(runAll * 1000)) ms")

        let startup = median(times: max(repetitions, 10)) { Self.spawnAndWait(["repl", "-c", "quit"]) }
        print("REPL start-up to first command (`repl -c quit`): \(format2(startup * 1000)) ms")
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        print("peak memory of this benchmark: \(usage.ru_maxrss / 1024) MB")
    }

    func median(times: Int? = nil, _ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<(times ?? repetitions) {
            let start = ContinuousClock.now
            body()
            samples.append((ContinuousClock.now - start).seconds)
        }
        return samples.sorted()[samples.count / 2]
    }

    func report(_ name: String, words: Int, seconds: Double, extra: String = "") {
        let rate = Double(words) / seconds
        print("\(name.padding(28)) \(String(Int(rate)).padding(12, left: true)) words/s  \(format2(seconds * 1000)) ms\(extra.isEmpty ? "" : "  " + extra)")
    }

    func format2(_ value: Double) -> String {
        String(Double(Int((value * 100).rounded())) / 100)
    }

    /// A document of about `words` words: the sample's paragraphs repeated, each copy numbered.
    static func makeDocument(from base: String, words: Int, seed: Int) -> AnnotatedDocument {
        let paragraphs = base.split(separator: "\n\n").map(String.init)
        var text = ""
        var count = 0
        var index = seed
        while count < words {
            let paragraph = paragraphs[index % paragraphs.count]
            text += paragraph + " (\(index))\n\n"
            count += wordCount(Array(paragraph.utf8)) + 1
            index += 1
        }
        return AnnotatedDocument(document: Document(id: "bench-\(seed)", text: text))
    }

    /// Runs this executable with `arguments` and waits for it.
    static func spawnAndWait(_ arguments: [String]) {
        let path = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "/proc/self/exe"
        let spawner = Spawner()
        spawner.open("/dev/null", as: 0, flags: O_RDONLY)
        spawner.open("/dev/null", as: 1, flags: O_WRONLY)
        spawner.closeTheRest()
        guard let pid = try? spawner.spawn([path] + arguments) else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

extension String {
    fileprivate func padding(_ width: Int, left: Bool = false) -> String {
        let pad = String(repeating: " ", count: max(0, width - count))
        return left ? pad + self : self + pad
    }
}
