import Foundation
import MarginaliaIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `marginalia` binary as a user would and captures what it prints.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    /// The `marginalia` executable beside the test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the tests run from `<build>/debug/<Package>PackageTests.xctest`; the binary sits beside it.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("marginalia")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/marginalia")
    }

    /// The package root, found from this source file.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The shared folder beside the project, when present.
    static var shared: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, stdinFile: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdinFile {
            process.standardInput = try FileHandle(forReadingFrom: stdinFile)
        } else {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try input.fileHandleForWriting.close()
            return finish(process, out, err)
        }
        try process.run()
        return finish(process, out, err)
    }

    /// Runs `marginalia` with standard input from `stdinFile` and reports its exit status and its own peak
    /// resident size in kilobytes (wait4's rusage, so other children of the test process do not count).
    static func peakMemory(_ arguments: [String], stdinFile: URL) throws -> (status: Int32, kilobytes: Int) {
        let spawner = Spawner()
        spawner.open(stdinFile.path, as: 0, flags: O_RDONLY)
        spawner.open("/dev/null", as: 1, flags: O_WRONLY)
        spawner.open("/dev/null", as: 2, flags: O_WRONLY)
        spawner.closeTheRest()
        let pid = try spawner.spawn([executable.path] + arguments)
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        return ((status >> 8) & 0xFF, usage.ru_maxrss)
    }

    /// Runs another program (Python, Chromium) from the package root. Without `capture`, its output goes to
    /// /dev/null: a browser's helper processes would otherwise hold the pipes open.
    @discardableResult
    static func runTool(_ executable: String, _ arguments: [String], capture: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.standardInput = FileHandle.nullDevice
        guard capture else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, stdout: "", stderr: "", stdoutBytes: Data())
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return finish(process, out, err)
    }

    /// Reads both pipes to their end while the child runs. Once it has exited, a pipe that stays open (its write
    /// end inherited by some other long-lived process) is read for what is there and then left, so a stray
    /// descriptor elsewhere turns into a failing expectation instead of a test run that never ends.
    private static func finish(_ process: Process, _ out: Pipe, _ err: Pipe) -> Result {
        let descriptors = [out.fileHandleForReading.fileDescriptor, err.fileHandleForReading.fileDescriptor]
        var data = [Data(), Data()]
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var quietSinceExit = 0
        while open.contains(true) {
            var polled = descriptors.indices.map { pollfd(fd: open[$0] ? descriptors[$0] : -1, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polled, nfds_t(polled.count), 100)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 {
                // Nothing to read: after the child has gone, wait two seconds for stragglers, then stop.
                if !process.isRunning { quietSinceExit += 1 }
                if quietSinceExit >= 20 { break }
                continue
            }
            for index in descriptors.indices where open[index] && polled[index].revents != 0 {
                let count = read(descriptors[index], &buffer, buffer.count)
                if count > 0 { data[index].append(contentsOf: buffer[0..<count]) } else if count == 0 || errno != EINTR { open[index] = false }
            }
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: data[0], as: UTF8.self),
            stderr: String(decoding: data[1], as: UTF8.self), stdoutBytes: data[0])
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("marginalia-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }
}

extension String {
    /// Slices by Unicode-scalar offsets, as Python does.
    func scalarSlice(_ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: Array(unicodeScalars)[start..<end])
        return String(view)
    }
}
