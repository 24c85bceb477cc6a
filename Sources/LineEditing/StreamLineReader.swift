#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines from a non-terminal standard input (a piped script): no prompt, no editing, history in memory only.
public final class StreamLineReader: LineReader {
    public private(set) var history: [String] = []
    public let isInteractive = false
    private var buffer: [UInt8] = []
    private var atEnd = false
    private let descriptor: Int32

    public init(descriptor: Int32 = 0) {
        self.descriptor = descriptor
    }

    public func readLine(prompt: String) -> LineInput {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if atEnd {
                guard !buffer.isEmpty else { return .endOfInput }
                let line = buffer
                buffer.removeAll()
                return .line(String(decoding: line, as: UTF8.self))
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                atEnd = true
            } else if count == 0 {
                atEnd = true
            } else {
                buffer.append(contentsOf: chunk[0..<count])
            }
        }
    }

    public func addHistory(_ line: String) { history.append(line) }

    public func takeInterrupt() -> Bool { false }
}
