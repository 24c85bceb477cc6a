import ArgumentParser
import MarginaliaCore
import MarginaliaExtensions
import MarginaliaIO

/// `--format` values: the export formats by name.
func parseExportFormat(_ text: String) throws -> ExportFormat {
    guard let format = ExportFormat(rawValue: text) else {
        throw ValidationError("unknown format '\(text)' (\(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return format
}

/// `marginalia annotate`: batch annotation of files or standard input.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Annotate documents and write Marginalia JSON.",
        discussion: """
            With no FILES, or `-`, reads standard input. `--input jsonl` streams requests
            {"id", "text", "mediaType"?} one per line and writes one document per line, in input order, in
            constant memory. Several files are annotated in parallel; output order follows the arguments.
            A file that cannot be read, or an analyzer that fails, is reported on standard error as one line;
            the other documents are still written and the exit status is 1.
            """)

    @Argument(help: "Files to annotate (text, Markdown, HTML, Marginalia JSON, JSON lines); '-' for standard input.")
    var files: [String] = []

    @Option(help: "Comma-separated analyzers to run, with what they require ('all' for every one).")
    var analyzers: String = "all"

    @Option(help: """
        Output format: json (pretty, one document or an array), jsonl (one document per line), w3c (Web Annotation \
        JSON-LD), spacy (Doc.from_json), conll (token/IOB2), html (a report), brat and csv (files in the -o directory).
        """, transform: parseExportFormat)
    var format: ExportFormat = .json

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Input format: auto, text, markdown, html, json or jsonl.", transform: parseInputFormat)
    var input: InputFormat = .auto

    @Option(name: .customLong("option"), help: "An analyzer option as ANALYZER.NAME=VALUE; repeatable.")
    var options: [String] = []

    @Option(help: "Comma-separated layers to write (default: all).")
    var layers: String?

    @Option(help: "Documents annotated at once (default: the number of processors).")
    var jobs: Int?

    @OptionGroup var extensionOptions: ExtensionOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        keepLargeAllocationsInHeap()
        let extensions = ExtensionSet()
        defer { extensions.stopAll() }
        let registry = try extensionOptions.registryOrExit(extensions: extensions)
        let requested = analyzers == "all"
            ? registry.names
            : analyzers.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        let pipeline: Pipeline
        do {
            pipeline = try Pipeline(analyzers: requested, registry: registry, options: try parseOptions())
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        let chosenLayers = layers.map { Set($0.split(separator: ",").map { $0.trimmingSpaces() }) }
        let writeOptions = MarginaliaJSON.WriteOptions(layers: chosenLayers, pretty: format == .json)
        let format = self.format
        let runner = BatchRunner(pipeline: pipeline, jobs: jobs ?? processorCount()) { document in
            switch format {
            case .json, .jsonl: [ExportedFile(suffix: "", bytes: MarginaliaJSON.encode(document, options: writeOptions))]
            default: Exporters.export(document, format: format, layers: chosenLayers)
            }
        }
        let sources = files.isEmpty ? ["-"] : files
        // Formats with several files per document, and HTML reports of several documents, go into a directory.
        let several = sources.count > 1 || input == .jsonl || sources.contains { InputFormat.fromExtension(of: $0) == .jsonl }
        let directory: String?
        if format.writesSeveralFiles || (format == .html && several) {
            guard let output else {
                printError("--format \(format.rawValue) writes files per document: give -o DIRECTORY")
                throw ExitCode(2)
            }
            do {
                try FileIO.createDirectory(output)
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            directory = output
        } else {
            directory = nil
        }

        let sink: any OutputSink
        do {
            sink = try directory == nil ? (output.map { try AtomicFileWriter(path: $0) } ?? FileDescriptorSink()) : DiscardingSink()
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        // Several documents in `json` format make an array; one makes a bare object.
        let asArray = format == .json
            && (sources.count > 1 || input == .jsonl || sources.contains { InputFormat.fromExtension(of: $0) == .jsonl })
        var failed = false
        var written = 0
        let progress = Progress(enabled: isTerminal(2))
        do {
            if asArray { try sink.write(Array("[\n".utf8)) }
            var itemSource = try ItemSource(paths: sources, format: input)
            try runner.run(next: { try itemSource.next() }) { outcome in
                for warning in outcome.warnings { printError("warning: \(warning)") }
                for error in outcome.errors {
                    printError(error)
                    failed = true
                }
                for encoded in outcome.encoded {
                    if let directory {
                        for file in encoded.files {
                            try FileIO.writeAtomically(file.bytes, to: directory + "/" + FileIO.safeFileName(encoded.id) + file.suffix)
                        }
                        written += 1
                        continue
                    }
                    if asArray, written > 0 { try sink.write(Array(",\n".utf8)) }
                    for file in encoded.files { try sink.write(file.bytes) }
                    // Stream formats end each document with a newline (jsonl, w3c and spacy are then JSON lines).
                    if !asArray, format != .conll { try sink.write([UInt8(ascii: "\n")]) }
                    written += 1
                }
                progress.update(documents: outcome.documents, words: outcome.words)
            }
            progress.finish()
            if asArray { try sink.write(Array("\n]\n".utf8)) }
            try sink.finish()
        } catch {
            progress.finish()
            sink.abandon()
            printError("\(error)")
            throw ExitCode(1)
        }
        if failed { throw ExitCode(1) }
    }

    private func parseOptions() throws -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for raw in options {
            guard let equals = raw.firstIndex(of: "="), let dot = raw[..<equals].firstIndex(of: ".") else {
                throw MarginaliaError(.invalidOption, "option '\(raw)' must look like ANALYZER.NAME=VALUE")
            }
            let analyzer = String(raw[..<dot])
            let name = String(raw[raw.index(after: dot)..<equals])
            result[analyzer, default: [:]][name] = String(raw[raw.index(after: equals)...])
        }
        return result
    }
}

/// Yields batch items from paths: whole files, or one item per line of a JSON-lines stream.
struct ItemSource {
    private var paths: [String]
    private let format: InputFormat
    private var lines: ByteLineReader?
    private var linesName = ""
    private var linesRead = 0

    init(paths: [String], format: InputFormat) throws {
        self.paths = paths.reversed()
        self.format = format
    }

    mutating func next() throws -> BatchRunner.Item? {
        while true {
            if let reader = lines {
                guard let line = try reader.nextLine() else {
                    lines = nil
                    continue
                }
                // Lines are counted here, in order; parsing runs on the workers.
                linesRead += 1
                let (name, number) = (linesName, linesRead)
                return BatchRunner.Item(label: "\(name):\(number)") {
                    var reader = JSONLinesReader(name: name, linesRead: number - 1)
                    return try reader.document(fromLine: line).map { [$0] } ?? []
                }
            }
            guard let path = paths.popLast() else { return nil }
            let chosen = format == .auto ? (path == "-" ? .auto : InputFormat.fromExtension(of: path) ?? .auto) : format
            if chosen == .jsonl {
                lines = path == "-" ? ByteLineReader() : try ByteLineReader(path: path)
                linesName = path == "-" ? "stdin" : path
                linesRead = 0
                continue
            }
            return BatchRunner.Item(label: path) {
                if path == "-" {
                    let bytes = try FileIO.read("/dev/stdin")
                    return try DocumentLoader.load(bytes: bytes, id: "stdin", source: "-", format: chosen)
                }
                return try DocumentLoader.load(path: path, format: chosen)
            }
        }
    }
}

/// A progress line on standard error, redrawn at most five times a second, when it is a terminal.
final class Progress {
    private let enabled: Bool
    private var documents = 0
    private var words = 0
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    func update(documents: Int, words: Int) {
        self.documents += documents
        self.words += words
        guard enabled, (ContinuousClock.now - lastDrawn).seconds > 0.2 else { return }
        lastDrawn = ContinuousClock.now
        draw()
    }

    private func draw() {
        let elapsed = max((ContinuousClock.now - started).seconds, 1e-9)
        let line = "\r\u{1B}[Kannotated \(counted(documents, "document")), \(words) words, \(Int(Double(words) / elapsed)) words/s"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { writeToStandardError($0.baseAddress!, $0.count) }
    }

    func finish() {
        guard enabled, documents > 0 else { return }
        draw()
        _ = writeToStandardError([UInt8(ascii: "\n")], 1)
    }
}


/// Parses `--input`.
func parseInputFormat(_ text: String) throws -> InputFormat {
    guard let format = InputFormat(rawValue: text.lowercased()) else {
        throw ValidationError("unknown input format '\(text)' (use: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return format
}
