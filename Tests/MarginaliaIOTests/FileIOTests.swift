import Testing
import Foundation
import MarginaliaCore
@testable import MarginaliaIO

@Suite("Files")
struct FileIOTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "marginalia-io-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func readErrorsNameTheFileAndReason() throws {
        let directory = try temporaryDirectory()
        let missing = #expect(throws: MarginaliaError.self) { try FileIO.read(directory + "/absent.txt") }
        #expect(missing?.description == "\(directory)/absent.txt: cannot open: No such file or directory")
        #expect(missing?.code == .notFound)
        let isDirectory = #expect(throws: MarginaliaError.self) { try DocumentLoader.load(path: directory) }
        #expect(isDirectory?.description == "\(directory): is a directory, not a document")
    }

    @Test func atomicWritesReplaceOnlyOnCommit() throws {
        let directory = try temporaryDirectory()
        let target = directory + "/out.json"
        try FileIO.writeAtomically(Array("first".utf8), to: target)
        #expect(try FileIO.read(target) == Array("first".utf8))
        let writer = try AtomicFileWriter(path: target)
        try writer.write("second, partial")
        writer.abort()
        #expect(try FileIO.read(target) == Array("first".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.json"])
    }

    @Test func writingIntoAMissingDirectoryFailsClearly() throws {
        let error = #expect(throws: MarginaliaError.self) { try FileIO.writeAtomically([1], to: "/nonexistent-dir/out.json") }
        #expect(error?.description.hasPrefix("/nonexistent-dir/out.json: cannot write") == true)
    }

    @Test func lineReaderStreamsLongAndShortLines() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/lines.txt"
        let long = String(repeating: "x", count: 200_000)
        try FileIO.writeAtomically(Array("a\n\(long)\r\n\nlast".utf8), to: path)
        let reader = try ByteLineReader(path: path)
        var lines: [[UInt8]] = []
        while let line = try reader.nextLine() { lines.append(line) }
        #expect(lines.count == 4)
        #expect(lines[1].count == 200_001)
        #expect(lines[3] == Array("last".utf8))
    }
}
