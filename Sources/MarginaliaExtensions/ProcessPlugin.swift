public import MarginaliaCore
import MarginaliaIO
import Synchronization

/// An analyzer that is an external program speaking the JSON-lines protocol of `Docs/plugin-protocol.md`.
///
/// The program is started once, sends its descriptor, and then answers one request per document. Requests are
/// serialised (one process, one conversation). A timeout, a crash, malformed JSON or a malformed answer fails that
/// document with a one-line error naming the plugin; the process is stopped and started afresh for the next
/// document, and nothing else is lost.
public final class ProcessPlugin: Sendable {
    /// The protocol version a plugin must announce.
    public static let protocolName = "marginalia-plugin/1"

    public let name: String
    public let command: String
    /// The descriptor the program sent, plus the host's `timeout` option.
    public let descriptor: AnalyzerDescriptor
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var process: PluginProcess?
        var restarts = 0
    }

    /// How long the program has to send its descriptor.
    public static let handshakeTimeout = 10.0

    /// Starts `command` and reads its descriptor.
    /// - Parameter name: the name the user declared; the descriptor must agree with it when it names itself.
    public init(name: String, command: String) throws {
        self.name = name
        self.command = command
        let process = try PluginProcess(command: command)
        let descriptor = try Self.handshake(process, name: name)
        self.descriptor = descriptor
        state = Mutex(State(process: process))
    }

    /// The registration that puts this plugin beside the other analyzers.
    public var registration: AnalyzerRegistration {
        AnalyzerRegistration(descriptor: descriptor, origin: .process(command: command)) { [self] options in
            ProcessAnalyzer(plugin: self, options: options)
        }
    }

    /// How many times the program was started again after a failure.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// Stops the program (it sees end of input).
    public func stop() {
        state.withLock { state in
            state.process?.stop()
            state.process = nil
        }
    }

    static func handshake(_ process: PluginProcess, name: String) throws -> AnalyzerDescriptor {
        func fail(_ message: String) -> MarginaliaError {
            process.kill()
            return MarginaliaError(.analyzerFailed, "plugin '\(name)': \(message)")
        }
        let line: [UInt8]
        do {
            line = try process.receive(timeout: handshakeTimeout)
        } catch PluginProcess.Failure.timedOut {
            throw fail("sent no descriptor within \(Int(handshakeTimeout)) s")
        } catch PluginProcess.Failure.exited(let how) {
            throw fail("\(how) before sending its descriptor")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw fail("sent malformed JSON instead of its descriptor (\(error))")
        }
        guard value["protocol"]?.stringValue == protocolName else {
            throw fail("the first line must be a descriptor with \"protocol\": \"\(protocolName)\"")
        }
        let pluginName = value["name"]?.stringValue ?? name
        guard pluginName == name else { throw fail("calls itself '\(pluginName)'; declare it under that name") }
        guard let produces = value["produces"]?.arrayValue?.compactMap(\.stringValue), !produces.isEmpty else {
            throw fail("the descriptor needs \"produces\": a list of layers")
        }
        var options: [OptionSpec] = []
        for option in value["options"]?.arrayValue ?? [] {
            guard let optionName = option["name"]?.stringValue else { throw fail("an option without a \"name\"") }
            let kind = OptionSpec.Kind(rawValue: option["type"]?.stringValue ?? "string") ?? .string
            let defaultValue = option["default"]?.featureValue ?? .string("")
            options.append(OptionSpec(optionName, kind, default: defaultValue, help: option["help"]?.stringValue ?? ""))
        }
        if !options.contains(where: { $0.name == "timeout" }) {
            options.append(OptionSpec("timeout", .double, default: 30.0, help: "seconds the plugin may take per document"))
        }
        return AnalyzerDescriptor(
            name: name, version: value["version"]?.stringValue ?? "0.0.0",
            summary: value["summary"]?.stringValue ?? "external plugin: \(name)",
            requires: Set(value["requires"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            uses: Set(value["uses"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            produces: Set(produces), options: options)
    }

    /// One request–response exchange; restarts a stopped program first.
    func annotate(_ document: Document, store: AnnotationStore, options: AnalyzerOptions, timeout: Double) throws -> [Annotation] {
        var request = JSONWriter(capacity: document.utf8.count * 2 + 256)
        request.raw("{\"type\":\"annotate\",\"options\":{")
        for (index, spec) in descriptor.options.enumerated() {
            if index > 0 { request.raw(",") }
            request.string(spec.name)
            request.raw(":")
            MarginaliaJSON.writeFeature(options[spec.name] ?? spec.defaultValue, into: &request)
        }
        request.raw("},\"document\":")
        let shared = AnnotatedDocument(document: document, store: store)
        MarginaliaJSON.encode(shared, options: .init(layers: descriptor.requires.union(descriptor.uses)), into: &request)
        request.raw("}")
        let line: [UInt8] = try state.withLock { state in
            do {
                if state.process == nil {
                    let process = try PluginProcess(command: command)
                    _ = try Self.handshake(process, name: name)
                    state.process = process
                    state.restarts += 1
                }
                try state.process!.send(request.bytes)
                return try state.process!.receive(timeout: timeout)
            } catch PluginProcess.Failure.timedOut {
                state.process?.kill()
                state.process = nil
                throw MarginaliaError(.analyzerFailed, "plugin '\(name)' timed out after \(formatSeconds(timeout)) s; it is restarted for the next document")
            } catch PluginProcess.Failure.exited(let how) {
                state.process?.kill()
                state.process = nil
                throw MarginaliaError(.analyzerFailed, "plugin '\(name)' \(how); it is restarted for the next document")
            }
        }
        do {
            return try Self.decodeResponse(line, document: document, plugin: name)
        } catch let reported as ReportedError {
            // The plugin is in step and said why: keep it running.
            throw reported.error
        } catch let error as MarginaliaError {
            // The conversation is out of step once a line is not an answer: start afresh.
            state.withLock { state in
                state.process?.kill()
                state.process = nil
            }
            throw error
        }
    }

    /// Annotations from `{"annotations": [...]}`, offsets in Unicode scalars; or the plugin's `{"error": "..."}`.
    static func decodeResponse(_ line: [UInt8], document: Document, plugin: String) throws -> [Annotation] {
        func fail(_ message: String) -> MarginaliaError {
            MarginaliaError(.analyzerFailed, "plugin '\(plugin)' \(message)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            let preview = String(decoding: line.prefix(60), as: UTF8.self)
            throw fail("sent malformed JSON (\(error)): \(preview)")
        }
        if let message = value["error"]?.stringValue { throw ReportedError(error: fail("reported an error: \(message)")) }
        guard let list = value["annotations"]?.arrayValue else { throw fail("answered without an \"annotations\" list") }
        var scalars: [Int] = []
        for item in list {
            if let start = item["start"]?.intValue { scalars.append(start) }
            if let end = item["end"]?.intValue { scalars.append(end) }
        }
        let toBytes = ScalarOffsets.byteOffsets(utf8: document.utf8, scalarOffsets: scalars)
        return try list.enumerated().map { index, item in
            guard let layer = item["layer"]?.stringValue, let label = item["label"]?.stringValue else {
                throw fail("sent annotation \(index + 1) without \"layer\" and \"label\"")
            }
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start <= end,
                let byteStart = toBytes[start], let byteEnd = toBytes[end]
            else {
                throw fail("sent annotation \(index + 1) with offsets outside the text (\(item["start"]?.intValue ?? -1)–\(item["end"]?.intValue ?? -1))")
            }
            var roles: Roles = [:]
            for (role, target) in item["roles"]?.objectValue ?? [:] {
                if let id = target.stringValue {
                    roles[role] = [id]
                } else if let ids = target.arrayValue?.compactMap(\.stringValue) {
                    roles[role] = ids
                }
            }
            return Annotation(
                id: item["id"]?.stringValue ?? "", layer: layer, label: label, span: TextSpan(byteStart, byteEnd),
                features: item["features"]?.objectValue.map { Features($0.compactMapValues(\.featureValue)) } ?? [:], roles: roles,
                confidence: item["confidence"]?.doubleValue)
        }
    }
}

/// A plugin's own `{"error": ...}` answer, which leaves the conversation in step.
struct ReportedError: Error {
    var error: MarginaliaError
}

/// One configured use of a ``ProcessPlugin``.
struct ProcessAnalyzer: DocumentAnalyzing {
    let plugin: ProcessPlugin
    let options: AnalyzerOptions

    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        try plugin.annotate(document, store: store, options: options, timeout: options.double("timeout") ?? 30)
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
