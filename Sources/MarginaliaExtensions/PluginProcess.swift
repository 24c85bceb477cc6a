#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MarginaliaCore
import MarginaliaIO

/// A child process spoken to in lines of JSON over its standard input and output.
///
/// Started through `/bin/sh -c` so that a command line may hold arguments, quotes and environment settings, in a
/// process group of its own so that a timeout kills the shell and everything it started. Not thread-safe: the
/// owner serialises calls.
final class PluginProcess {
    enum Failure: Error, Equatable {
        case timedOut
        case exited(String)
    }

    let command: String
    private(set) var pid: pid_t = 0
    private var input: Int32 = -1
    private var output: Int32 = -1
    private var buffer: [UInt8] = []

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    init(command: String) throws {
        self.command = command
        Self.ignoreSIGPIPE
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            throw MarginaliaError(.io, "cannot create pipes for '\(command)': \(String(cString: strerror(errno)))")
        }
        // Our ends are close-on-exec at once, so a child another thread spawns meanwhile cannot inherit them
        // (a second plugin would otherwise hold this one's stdin open); dup2 clears the flag on the child's copies.
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let spawner = Spawner(newProcessGroup: true)
        spawner.duplicate(toChild[0], to: 0)
        spawner.duplicate(fromChild[1], to: 1)
        spawner.closeTheRest()
        defer {
            close(toChild[0])
            close(fromChild[1])
        }
        do {
            pid = try spawner.spawn(["/bin/sh", "-c", command])
        } catch {
            close(toChild[1])
            close(fromChild[0])
            throw MarginaliaError(.io, "cannot start '\(command)': \(error.reason)")
        }
        input = toChild[1]
        output = fromChild[0]
    }

    deinit { stop() }

    /// Writes one line (a newline is added).
    func send(_ line: [UInt8]) throws {
        var bytes = line
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure.exited(exitDescription(fallback: "closed its input"))
            }
            offset += written
        }
    }

    /// Reads one line (without its newline), waiting at most `timeout` seconds in all.
    func receive(timeout: Double) throws -> [UInt8] {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            scanned = buffer.count
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(clamping: max(0, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            if milliseconds <= 0 { throw Failure.timedOut }
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure.exited("cannot be read: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { throw Failure.timedOut }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(output, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { throw Failure.exited(exitDescription(fallback: "closed its output")) }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Closes the pipes and ends the process group: politely (EOF on stdin), then by force.
    func stop() {
        guard pid > 0 else { return }
        if input >= 0 { close(input) }
        if output >= 0 { close(output) }
        input = -1
        output = -1
        var status: Int32 = 0
        for _ in 0..<20 {
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                return
            }
            usleep(5_000)
        }
        signalGroup(pid, SIGKILL)
        waitpid(pid, &status, 0)
        pid = 0
    }

    /// Kills the process group at once (after a timeout or garbage).
    func kill() {
        guard pid > 0 else { return }
        signalGroup(pid, SIGKILL)
        stop()
    }

    /// "exited with status 3", "was killed by signal 9", or `fallback` while it still runs.
    private func exitDescription(fallback: String) -> String {
        guard pid > 0 else { return fallback }
        var status: Int32 = 0
        for _ in 0..<40 {
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                if status & 0x7F == 0 { return "exited with status \((status >> 8) & 0xFF)" }
                return "was killed by signal \(status & 0x7F)"
            }
            usleep(5_000)
        }
        return fallback
    }
}

/// Sends `signal` to the process group led by `leader`.
private func signalGroup(_ leader: pid_t, _ signal: Int32) {
    _ = kill(-leader, signal)
}
