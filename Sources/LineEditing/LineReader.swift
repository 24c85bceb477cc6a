/// What reading a line produced.
public enum LineInput: Equatable, Sendable {
    /// A line, without its trailing newline.
    case line(String)
    /// Ctrl-C: the line was cancelled; the session goes on.
    case interrupted
    /// Ctrl-D or the end of a script.
    case endOfInput
}

/// Completion candidates for the word under the cursor.
public struct Completion: Equatable, Sendable {
    /// The word being completed (the text after the last unquoted space before the cursor).
    public var word: String
    /// Full replacements for `word`. A candidate ending in `/` is a directory and gets no trailing space.
    public var candidates: [String]

    public init(word: String, candidates: [String]) {
        self.word = word
        self.candidates = candidates
    }

    /// The longest prefix all candidates share.
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// Computes completions for the text before the cursor.
public protocol CompletionSource: AnyObject {
    func complete(_ linePrefix: String) -> Completion
}

/// A source of command lines: the terminal, a script, or a test's list.
///
/// The REPL talks only to this protocol, so its commands are tested with ``ScriptedLineReader`` and the libedit
/// reader is tested end to end in a real terminal.
public protocol LineReader: AnyObject {
    /// Reads one line after showing `prompt` (when interactive).
    func readLine(prompt: String) -> LineInput
    /// Records a line in the history (and its file, when there is one).
    func addHistory(_ line: String)
    /// The history, oldest first.
    var history: [String] { get }
    /// True when a person is typing: prompts, colours and editing apply.
    var isInteractive: Bool { get }
    /// True when Ctrl-C was pressed since the last call; clears the flag. Long commands poll it.
    func takeInterrupt() -> Bool
}

/// Lines from a list, for tests and `-c` commands.
public final class ScriptedLineReader: LineReader {
    private var lines: [LineInput]
    public private(set) var history: [String] = []
    public private(set) var prompts: [String] = []
    public let isInteractive: Bool
    /// Interrupts to report from ``takeInterrupt()``, one per call, for testing cancellation.
    public var pendingInterrupts = 0
    /// Called with each line as it is read; returns the line to run (tests use it to act between commands).
    public var onLine: ((String) -> String)?

    public init(_ lines: [String], interactive: Bool = false) {
        self.lines = lines.map { .line($0) }
        self.isInteractive = interactive
    }

    public init(inputs: [LineInput], interactive: Bool = false) {
        self.lines = inputs
        self.isInteractive = interactive
    }

    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        guard !lines.isEmpty else { return .endOfInput }
        let next = lines.removeFirst()
        if case .line(let text) = next, let onLine { return .line(onLine(text)) }
        return next
    }

    public func addHistory(_ line: String) { history.append(line) }

    public func takeInterrupt() -> Bool {
        guard pendingInterrupts > 0 else { return false }
        pendingInterrupts -= 1
        return true
    }
}
