#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarginaliaCore

/// Reading and writing whole files with errors that name the file and the system's reason.
public enum FileIO {
    /// The bytes of the file at `path`.
    /// - Throws: ``MarginaliaError`` naming `path`: not found, a directory, unreadable, or a read error.
    public static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(path, errno, action: "cannot open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw systemError(path, errno, action: "cannot read") }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw MarginaliaError(.invalidInput, "is a directory, not a document", location: path)
        }
        var result: [UInt8] = []
        result.reserveCapacity(max(Int(info.st_size), 0))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw systemError(path, errno, action: "cannot read")
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// True when `path` names a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Writes `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed over it.
    /// A failure leaves any earlier file at `path` untouched and no temporary file behind.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        do {
            try writer.write(bytes)
            try writer.commit()
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Creates `path` and missing parents; an existing directory is fine, an existing file is an error.
    public static func createDirectory(_ path: String) throws {
        if isDirectory(path) { return }
        if exists(path) { throw MarginaliaError(.io, "exists and is not a directory", location: path) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if !isDirectory(prefix), mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw systemError(prefix, errno, action: "cannot create directory")
            }
            prefix += "/"
        }
    }

    /// A document id as a file name: path separators and control characters replaced, never empty or hidden.
    public static func safeFileName(_ id: String) -> String {
        var name = String(String.UnicodeScalarView(id.unicodeScalars.map { $0 == "/" || $0 == "\\" || $0.value < 0x20 ? "_" : $0 }))
        if name.isEmpty || name.hasPrefix(".") { name = "document" + name }
        return name
    }

    static func systemError(_ path: String, _ code: Int32, action: String) -> MarginaliaError {
        let reason = String(cString: strerror(code))
        let kind: MarginaliaError.Code = code == ENOENT ? .notFound : .io
        return MarginaliaError(kind, "\(action): \(reason)", location: path)
    }
}

/// Streams bytes into a temporary file and renames it over the target only on ``commit()``.
///
/// Used for every export and saved session, so a full disk or a crash never leaves a truncated file at the target.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    /// Creates the temporary file beside `path`.
    public init(path: String) throws {
        self.path = path
        let directory: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            name = path
        }
        guard !name.isEmpty else { throw MarginaliaError(.invalidInput, "not a file name", location: path) }
        if FileIO.isDirectory(path) { throw MarginaliaError(.invalidInput, "is a directory", location: path) }
        var template = Array("\(directory)/.\(name).tmp-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileIO.systemError(path, errno, action: "cannot write") }
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // mkstemp makes 0600; an export is an ordinary file: 0666 less the umask, or the mode of the file it replaces.
        var existing = stat()
        if stat(path, &existing) == 0 {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            _ = fchmod(descriptor, 0o666 & ~mask)
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if !finished { abort() }
    }

    /// Appends bytes; they reach the disk in 64 KiB chunks.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileIO.systemError(path, errno, action: "cannot write")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file over the target.
    public func commit() throws {
        try flush()
        guard fsync(descriptor) == 0 else { throw FileIO.systemError(path, errno, action: "cannot write") }
        guard close(descriptor) == 0 else {
            descriptor = -1
            throw FileIO.systemError(path, errno, action: "cannot write")
        }
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else { throw FileIO.systemError(path, errno, action: "cannot write") }
        finished = true
    }

    /// Drops the temporary file; the target is left as it was.
    public func abort() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        finished = true
    }
}

/// `write(2)`, named apart from the writer's own `write` methods.
@inline(__always)
func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}

/// `read(2)`, named apart from ``FileIO/read(_:)``.
@inline(__always)
func systemRead(_ descriptor: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, pointer, count)
}
