import CLibEdit
import CLineEditShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal line editor: libedit with emacs keys, persistent history and Tab completion.
///
/// Ctrl-C cancels the line being typed (``LineInput/interrupted``); Ctrl-D on an empty line ends the session.
/// Non-ASCII input works under any locale: the locale is taken from the environment, falling back to C.UTF-8.
public final class EditLineReader: LineReader {
    private let editor: OpaquePointer
    private let historyHandle: OpaquePointer
    private let historyPath: String?
    private let completionSource: (any CompletionSource)?
    public let isInteractive = true

    /// - Parameters:
    ///   - program: the name libedit reads settings for in `~/.editrc`.
    ///   - historyPath: the history file, loaded now and saved after every line; nil keeps history in memory.
    ///   - completion: what Tab completes.
    public init?(program: String, historyPath: String?, completion: (any CompletionSource)?) {
        _ = mgl_setup_locale()
        guard let editor = mgl_el_init(program), let history = mgl_history_init(2000) else { return nil }
        self.editor = editor
        self.historyHandle = history
        self.historyPath = historyPath
        self.completionSource = completion
        mgl_el_set_editor(editor, "emacs")
        mgl_el_set_history(editor, history)
        if let historyPath { _ = mgl_history_load(history, historyPath) }
        mgl_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        mgl_el_add_function(editor, "marginalia-complete", "Complete the word under the cursor", completeCallback)
        mgl_el_bind(editor, "^I", "marginalia-complete")
        mgl_install_sigint_handler()
    }

    deinit {
        mgl_el_end(editor)
        mgl_history_end(historyHandle)
    }

    public func readLine(prompt: String) -> LineInput {
        mgl_el_set_prompt(editor, prompt)
        _ = mgl_take_interrupt()
        var count: Int32 = 0
        guard let raw = mgl_el_gets(editor, &count) else {
            if count < 0, mgl_take_interrupt() != 0 {
                // libedit left the cancelled line on screen: move below it.
                writeOut("^C\n")
                return .interrupted
            }
            // Ctrl-D: libedit echoes nothing useful; end the prompt line.
            writeOut("\n")
            return .endOfInput
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    public func addHistory(_ line: String) {
        guard !line.isEmpty else { return }
        _ = mgl_history_enter(historyHandle, line)
        if let historyPath { _ = mgl_history_save(historyHandle, historyPath) }
    }

    public var history: [String] {
        final class Collector { var lines: [String] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        mgl_history_each(historyHandle, { line, context in
            guard let line, let context else { return }
            var text = String(cString: line)
            if text.hasSuffix("\n") { text.removeLast() }
            Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().lines.append(text)
        }, context)
        return collector.lines
    }

    public func takeInterrupt() -> Bool { mgl_take_interrupt() != 0 }

    /// What the editor's character reader returned.
    enum CharacterRead: Equatable {
        case character(Unicode.Scalar)
        case end
        case interrupted
        case failed
    }

    /// One character from `descriptor`, read as the editor reads keystrokes: decoded in the locale's encoding, and
    /// ``CharacterRead/interrupted`` when a Ctrl-C is pending, however long ago it arrived.
    static func readCharacter(from descriptor: Int32) -> CharacterRead {
        var character: wchar_t = 0
        switch mgl_read_character(descriptor, &character) {
        case 1: return Unicode.Scalar(UInt32(bitPattern: Int32(character))).map { .character($0) } ?? .failed
        case 0: return .end
        default: return mgl_interrupt_pending() != 0 ? .interrupted : .failed
        }
    }

    /// Handles Tab: completes a unique candidate, extends to the common prefix, or lists the candidates.
    fileprivate func complete(_ editor: OpaquePointer) -> UInt8 {
        guard let source = completionSource, let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let length = cursor - buffer
        let prefixBytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
        let prefix = String(decoding: prefixBytes, as: UTF8.self)
        let completion = source.complete(prefix)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if completion.candidates.count == 1 {
            let candidate = completion.candidates[0]
            var insertion = String(candidate.dropFirst(completion.word.count))
            if !candidate.hasSuffix("/") { insertion += " " }
            _ = el_insertstr(editor, insertion)
            return UInt8(CC_REFRESH)
        }
        let common = completion.commonPrefix
        if common.count > completion.word.count {
            _ = el_insertstr(editor, String(common.dropFirst(completion.word.count)))
            return UInt8(CC_REFRESH)
        }
        writeOut("\n" + Self.columns(completion.candidates) + "\n")
        return UInt8(CC_REDISPLAY)
    }

    /// Candidates laid out in columns across an 80-column terminal.
    static func columns(_ items: [String]) -> String {
        let width = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, 80 / width)
        var text = ""
        for (index, item) in items.enumerated() {
            text += item.padding(to: width)
            if (index + 1) % perRow == 0 || index == items.count - 1 { text += "\n" }
        }
        return String(text.dropLast())
    }
}

private func completeCallback(_ editor: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editor, let data = mgl_el_get_clientdata(editor) else { return UInt8(CC_ERROR) }
    return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().complete(editor)
}

private func writeOut(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
        _ = write(1, buffer.baseAddress, buffer.count)
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
