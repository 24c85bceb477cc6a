#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ANSI styling, applied only when colour is on.
struct Style {
    var enabled: Bool

    /// Background colours for highlighted spans, chosen per label so a label keeps its colour.
    private static let palette: [String] = ["\u{1B}[30;46m", "\u{1B}[30;43m", "\u{1B}[30;42m", "\u{1B}[30;45m", "\u{1B}[30;44m", "\u{1B}[30;41m", "\u{1B}[30;47m"]

    func highlight(_ text: String, label: String) -> String {
        guard enabled else { return label.isEmpty ? "[\(text)]" : "[\(text)]{\(label)}" }
        let colour = Self.palette[Int(Self.stableHash(label) % UInt64(Self.palette.count))]
        return "\(colour)\(text)\u{1B}[0m\u{1B}[2m\(label)\u{1B}[0m"
    }

    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func error(_ text: String) -> String { enabled ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func positive(_ text: String) -> String { enabled ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func negative(_ text: String) -> String { enabled ? "\u{1B}[31m\(text)\u{1B}[0m" : text }

    /// FNV-1a: stable across runs, unlike `hashValue`.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

enum TerminalSize {
    /// Rows of the terminal on standard output, or nil when it is not a terminal.
    static func rows() -> Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }
}

/// Where the REPL's output goes.
protocol ReplOutput: AnyObject {
    func write(_ text: String)
    /// Long text: shown through a pager when that is on and the text is taller than the terminal.
    func page(_ text: String)
}

/// Standard output, with `$PAGER` (default `less -R`) for long output on a terminal.
final class StandardOutput: ReplOutput {
    var usePager: Bool

    init(usePager: Bool) { self.usePager = usePager }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeToStandardOutput(buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    func page(_ text: String) {
        let lines = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        guard usePager, let rows = TerminalSize.rows(), lines >= rows - 1 else {
            write(text)
            return
        }
        let pager = getenv("PAGER").map { String(cString: $0) } ?? "less -R"
        guard let pipe = popen(pager, "w") else {
            write(text)
            return
        }
        fputs(text, pipe)
        pclose(pipe)
    }
}

/// Output kept in memory, for tests and `-c` captures.
final class CapturedOutput: ReplOutput {
    private(set) var text = ""
    func write(_ text: String) { self.text += text }
    func page(_ text: String) { self.text += text }
}
