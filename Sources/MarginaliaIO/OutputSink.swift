#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarginaliaCore

/// Where exported bytes go: standard output, or a file that appears only when complete.
public protocol OutputSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Finishes the output: flushes standard output, or renames a temporary file over its target.
    func finish() throws
    /// Gives up: a file target is left as it was.
    func abandon()
}

extension AtomicFileWriter: OutputSink {
    public func finish() throws { try commit() }
    public func abandon() { abort() }
}

/// Buffered writes to a file descriptor (standard output by default).
public final class FileDescriptorSink: OutputSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let name: String

    public init(descriptor: Int32 = 1, name: String = "standard output") {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: [UInt8]) throws {
        // A large piece (a whole document's JSON) goes straight out: copying it into the buffer costs more than
        // the extra system call.
        if bytes.count >= 1 << 15 {
            try flush()
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw MarginaliaError(.io, "cannot write: \(String(cString: strerror(errno)))", location: name)
            }
            offset += written
        }
    }

    public func finish() throws { try flush() }
    public func abandon() { try? flush() }
}

/// Reads a file descriptor line by line as bytes, in constant memory however long the input.
public final class ByteLineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next newline resumes: bytes before it hold none.
    private var scanned = 0
    private var atEnd = false
    private let name: String

    public init(descriptor: Int32 = 0, name: String = "standard input") {
        self.descriptor = descriptor
        self.name = name
    }

    /// Opens `path` for reading.
    public convenience init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIO.systemError(path, errno, action: "cannot open") }
        if FileIO.isDirectory(path) {
            close(descriptor)
            throw MarginaliaError(.invalidInput, "is a directory, not a document", location: path)
        }
        self.init(descriptor: descriptor, name: path)
    }

    /// The next line without its newline, or nil at the end of input.
    public func nextLine() throws -> [UInt8]? {
        while true {
            if let newline = Self.newline(in: buffer, from: max(start, scanned)) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            // Drop consumed bytes before reading more, so the buffer holds at most one partial line plus a chunk.
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            let oldCount = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 1 << 16))
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + oldCount, 1 << 16) }
            if count < 0 {
                buffer.removeLast(1 << 16)
                if errno == EINTR { continue }
                throw FileIO.systemError(name, errno, action: "cannot read")
            }
            buffer.removeLast((1 << 16) - count)
            if count == 0 { atEnd = true }
        }
    }

    /// The index of the first newline at or after `from` (memchr: lines of whole documents are long).
    private static func newline(in buffer: [UInt8], from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBytes { bytes in
            memchr(bytes.baseAddress! + from, 0x0A, bytes.count - from).map { UnsafeRawPointer($0) - bytes.baseAddress! }
        }
    }

    deinit {
        if descriptor > 2 { close(descriptor) }
    }
}

/// A sink for runs whose output goes elsewhere (files per document): accepts and drops bytes.
public final class DiscardingSink: OutputSink {
    public init() {}
    public func write(_ bytes: [UInt8]) throws {}
    public func finish() throws {}
    public func abandon() {}
}
