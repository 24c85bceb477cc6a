import Foundation
import Testing
@testable import MarginaliaIO
#if canImport(Glibc)
import Glibc
#endif

/// Serialized: a child that one test spawns without closing the rest (on purpose) inherits every open pipe of
/// this process for its five seconds, the other test's too, which then never sees end of file.
@Suite("Spawning children", .serialized)
struct SpawnerTests {
    /// Spawns `sleep 5` with `Spawner` while this process holds an inheritable pipe, and reports whether the
    /// pipe's reader sees end of file once our own write end is closed (it does only if the child did not
    /// inherit the write end).
    func readerSeesEndOfFile(closingTheRest: Bool) throws -> Bool {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let spawner = Spawner()
        spawner.open("/dev/null", as: 0, flags: O_RDONLY)
        spawner.open("/dev/null", as: 1, flags: O_WRONLY)
        if closingTheRest { spawner.closeTheRest() }
        let pid = try spawner.spawn(["sleep", "5"], searchingPath: true)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(fds[1])
        var polled = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        guard poll(&polled, 1, 2_000) == 1 else { return false }
        var byte: UInt8 = 0
        return read(fds[0], &byte, 1) == 0
    }

    @Test func childrenDoNotInheritOtherDescriptors() throws {
        #expect(try readerSeesEndOfFile(closingTheRest: true))
    }

    @Test func withoutClosingTheRestTheChildHoldsThePipe() throws {
        // The failure the helper exists for: a pipe opened without close-on-exec stays open in the child.
        #expect(try !readerSeesEndOfFile(closingTheRest: false))
    }

    @Test func childrenStartWithNoSignalBlockedOrIgnored() throws {
        // Test runners block signals in their threads and this process ignores SIGPIPE; neither may reach a child.
        var hangUp = sigset_t()
        sigemptyset(&hangUp)
        sigaddset(&hangUp, SIGHUP)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &hangUp, &previous)
        let previousPipe = signal(SIGPIPE, SIG_IGN)
        defer {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            signal(SIGPIPE, previousPipe)
        }
        let spawner = Spawner()
        spawner.closeTheRest()
        let pid = try spawner.spawn(["sleep", "5"], searchingPath: true)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        kill(pid, SIGHUP)
        var exit: Int32 = 0
        waitpid(pid, &exit, 0)
        #expect(exit & 0x7F == SIGHUP, "the child was not ended by the hang-up")
        let ignored = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }.flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
        #expect(ignored.map { $0 & (1 << (UInt64(SIGPIPE) - 1)) == 0 } == true)
    }

    @Test func aProgramThatCannotStartIsNamed() {
        let error = #expect(throws: Spawner.Failure.self) { try Spawner().spawn(["/nonexistent/analyzer"]) }
        #expect(error?.description == "cannot start '/nonexistent/analyzer': No such file or directory")
        #expect(error?.reason == "No such file or directory")
    }

    @Test func standardDescriptorsGoWhereTheyAreSent() throws {
        let path = NSTemporaryDirectory() + "marginalia-spawn-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spawner = Spawner()
        spawner.open("/dev/null", as: 0, flags: O_RDONLY)
        spawner.open(path, as: 1, flags: O_WRONLY | O_CREAT | O_TRUNC)
        spawner.closeTheRest()
        let pid = try spawner.spawn(["/bin/sh", "-c", "ls /proc/self/fd"])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        // ls sees its three standard descriptors plus the one it opened to list the directory.
        let listed = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(listed.filter { $0 > 2 }.count <= 1)
        #expect(listed.contains(1))
    }
}
