import Foundation
import MarginaliaIO
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Drives the real binary in a real terminal (tmux), as an analyst would type.
struct TerminalSession {
    let socket: String
    let name = "marginalia"

    static var tmuxAvailable: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(arguments: [String] = [], environment: [String: String]) throws {
        socket = "marginalia-test-\(UUID().uuidString.prefix(8))"
        let env = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "env -u NO_COLOR TERM=xterm-256color \(env) \(Self.quote(CLI.executable.path)) repl \(arguments.map(Self.quote).joined(separator: " "))"
        try Self.tmux(["-L", socket, "new-session", "-d", "-s", name, "-x", "160", "-y", "50", "-c", CLI.packageRoot.path, command])
    }

    static func quote(_ text: String) -> String { "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }

    /// Runs tmux with posix_spawn and waitpid. (Foundation's Process does not always reap a client whose server
    /// daemonises.) The child gets only its three standard descriptors: the long-lived server would otherwise
    /// inherit whatever pipes other tests have open and keep their readers from ever seeing end of file.
    @discardableResult
    static func tmux(_ arguments: [String], capture: Bool = false) throws -> String {
        let spawner = Spawner()
        var fds: [Int32] = [-1, -1]
        spawner.open("/dev/null", as: 0, flags: O_RDONLY)
        spawner.open("/dev/null", as: 2, flags: O_WRONLY)
        if capture {
            guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            spawner.duplicate(fds[1], to: 1)
        } else {
            spawner.open("/dev/null", as: 1, flags: O_WRONLY)
        }
        spawner.closeTheRest()
        let pid = try spawner.spawn(["tmux"] + arguments, searchingPath: true)
        var output = Data()
        if capture {
            Glibc.close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            Glibc.close(fds[0])
        }
        var exitStatus: Int32 = 0
        waitpid(pid, &exitStatus, 0)
        return String(decoding: output, as: UTF8.self)
    }

    func send(_ keys: String...) throws {
        try Self.tmux(["-L", socket, "send-keys", "-t", name] + keys)
    }

    /// Types literal text (no key names).
    func type(_ text: String) throws {
        try Self.tmux(["-L", socket, "send-keys", "-t", name, "-l", text])
    }

    func screen(escapes: Bool = false) throws -> String {
        try Self.tmux(["-L", socket, "capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []), capture: true)
    }

    /// Waits until the screen satisfies `condition`, up to `timeout` seconds; returns the last screen.
    @discardableResult
    func waitFor(timeout: Double = 15, escapes: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return last
    }

    func close() {
        _ = try? Self.tmux(["-L", socket, "kill-server"])
    }
}

@Suite("REPL in a real terminal", .serialized, .enabled(if: TerminalSession.tmuxAvailable, "tmux is not installed"))
struct TerminalTests {
    func historyFile() throws -> String {
        try CLI.temporaryDirectory().appendingPathComponent("history").path
    }

    @Test func tabCompletesCommandsAndAnalyzerNames() throws {
        let terminal = try TerminalSession(environment: ["MARGINALIA_HISTORY": try historyFile()])
        defer { terminal.close() }
        try terminal.waitFor { $0.contains("marginalia>") }
        try terminal.type("analy")
        try terminal.send("Tab")
        // capture-pane drops trailing spaces, so the space completion adds is checked by typing after it.
        try terminal.type("x")
        #expect(try terminal.waitFor { $0.contains("marginalia> analyzers x") }.contains("marginalia> analyzers x"))
        try terminal.send("BSpace")
        try terminal.send("Enter")
        #expect(try terminal.waitFor { $0.contains("1.0.0    built-in") }.contains("segment   1.0.0"))
        try terminal.type("help segm")
        try terminal.send("Tab")
        #expect(try terminal.waitFor { $0.contains("marginalia> help segment") }.contains("marginalia> help segment"))
        try terminal.send("Enter")
        #expect(try terminal.waitFor { $0.contains("segment 1.0.0 (built-in)") }.contains("segment 1.0.0 (built-in)"))
    }

    @Test func historyIsRecalledInANewSession() throws {
        let history = try historyFile()
        let first = try TerminalSession(environment: ["MARGINALIA_HISTORY": history])
        try first.waitFor { $0.contains("marginalia>") }
        try first.type("help undo")
        try first.send("Enter")
        try first.waitFor { $0.contains("example: undo") }
        try first.send("C-d")
        Thread.sleep(forTimeInterval: 0.5)
        first.close()

        let second = try TerminalSession(environment: ["MARGINALIA_HISTORY": history])
        defer { second.close() }
        try second.waitFor { $0.contains("marginalia>") }
        try second.send("Up")
        #expect(try second.waitFor { $0.contains("marginalia> help undo") }.contains("marginalia> help undo"))
        try second.send("Enter")
        #expect(try second.waitFor { $0.contains("example: undo") }.contains("example: undo"))
    }

    @Test func ctrlCCancelsTheLineAndKeepsTheSession() throws {
        let terminal = try TerminalSession(environment: ["MARGINALIA_HISTORY": try historyFile()])
        defer { terminal.close() }
        try terminal.waitFor { $0.contains("marginalia>") }
        try terminal.type("load /this/line/is/cancelled")
        try terminal.send("C-c")
        try terminal.waitFor { $0.contains("^C") }
        try terminal.type("docs")
        try terminal.send("Enter")
        let screen = try terminal.waitFor { $0.contains("no documents loaded") }
        #expect(screen.contains("no documents loaded"))
        #expect(!screen.contains("cannot open"))
    }

    @Test func nonASCIIInputRoundTripsEvenUnderTheCLocale() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("malmo.txt")
        try Data("A lecture at Malmö University on Tehran’s policy.".utf8).write(to: file)
        let terminal = try TerminalSession(arguments: [file.path], environment: ["MARGINALIA_HISTORY": try historyFile(), "LANG": "C", "LC_ALL": "C"])
        defer { terminal.close() }
        try terminal.waitFor { $0.contains("marginalia (malmo)>") }
        try terminal.type("find Malmö")
        try terminal.send("Enter")
        let screen = try terminal.waitFor { $0.contains("1 match") }
        #expect(screen.contains("find Malmö"))
        #expect(screen.contains("1 match"))
    }

    @Test func showHighlightsAnEntityInColour() throws {
        let terminal = try TerminalSession(arguments: [sample], environment: ["MARGINALIA_HISTORY": try historyFile()])
        defer { terminal.close() }
        try terminal.waitFor { $0.contains("marginalia (caspian-corridor)>") }
        for command in ["set pager off", "add GPE \"Ankara\" entity all", "show entity"] {
            try terminal.type(command)
            try terminal.send("Enter")
        }
        let screen = try terminal.waitFor(escapes: true) { $0.contains("Ankara") && $0.contains("\u{1B}[") && $0.contains("GPE") }
        // Ankara is drawn on a coloured background, followed by its label.
        #expect(screen.contains(try Regex(#"\x1B\[[0-9;]*m(\x1B\[[0-9;]*m)*Ankara\x1B\[[0-9;]*m"#)))
        #expect(screen.contains("GPE"))
    }
}
