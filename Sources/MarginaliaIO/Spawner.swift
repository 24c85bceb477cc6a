#if canImport(Glibc)
public import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif

/// Starts child processes with exactly the descriptors they are given and a clean signal state.
///
/// Descriptors opened elsewhere in the process without `O_CLOEXEC` (Foundation's `Pipe` among them) are
/// otherwise inherited by every child spawned meanwhile: a long-lived child (an external analyzer, a daemon)
/// then holds the write end of someone else's pipe, and that reader never sees end of file. Likewise a child
/// inherits the spawning thread's blocked signals and ignored ones (this process ignores `SIGPIPE`), so a
/// plugin or a REPL could never be stopped by a hang-up or a broken pipe.
public struct Spawner: ~Copyable {
    private let actions: UnsafeMutablePointer<posix_spawn_file_actions_t>
    private let attributes: UnsafeMutablePointer<posix_spawnattr_t>

    /// - Parameter newProcessGroup: start the child in a process group of its own, so that a signal to the
    ///   group reaches everything it starts.
    public init(newProcessGroup: Bool = false) {
        actions = .allocate(capacity: 1)
        posix_spawn_file_actions_init(actions)
        attributes = .allocate(capacity: 1)
        posix_spawnattr_init(attributes)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(attributes, 0)
        }
        posix_spawnattr_setflags(attributes, Int16(flags))
    }

    deinit {
        posix_spawn_file_actions_destroy(actions)
        actions.deallocate()
        posix_spawnattr_destroy(attributes)
        attributes.deallocate()
    }

    /// Makes `descriptor` the child's `target` (0, 1 or 2).
    public func duplicate(_ descriptor: Int32, to target: Int32) {
        posix_spawn_file_actions_adddup2(actions, descriptor, target)
    }

    /// Opens `path` as the child's `target`.
    public func open(_ path: String, as target: Int32, flags: Int32) {
        posix_spawn_file_actions_addopen(actions, target, path, flags, 0)
    }

    /// Closes every descriptor from 3 up in the child, after the actions added before it. Call it last.
    public func closeTheRest() {
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(actions, 3)
        } else {
            // Without closefrom (glibc < 2.34), close what is open now; a descriptor opened by another thread
            // after this scan can still leak, which is no worse than before.
            for descriptor in Self.openDescriptors() where descriptor > 2 {
                posix_spawn_file_actions_addclose(actions, descriptor)
            }
        }
    }

    /// Why a program could not be started: its name and the system's reason.
    public struct Failure: Error, CustomStringConvertible {
        public let program: String
        public let reason: String
        public var description: String { "cannot start '\(program)': \(reason)" }
    }

    /// Starts `arguments[0]` (looked up on `PATH` when `searchingPath`) with these actions.
    /// - Returns: the child's process id.
    /// - Throws: ``Failure`` naming the program and the system's reason.
    public func spawn(_ arguments: [String], searchingPath: Bool = false) throws(Failure) -> pid_t {
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = searchingPath
            ? posix_spawnp(&pid, arguments[0], actions, attributes, argv, environ)
            : posix_spawn(&pid, arguments[0], actions, attributes, argv, environ)
        guard status == 0 else {
            throw Failure(program: arguments[0], reason: String(cString: strerror(status)))
        }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np`, looked up at run time: Swift's Glibc module does not export
    /// it, and older C libraries lack it.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var result: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name), descriptor != own { result.append(descriptor) }
        }
        return result
    }
}
