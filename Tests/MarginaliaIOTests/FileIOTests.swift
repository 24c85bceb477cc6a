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
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = #expect(throws: MarginaliaError.self) { try FileIO.read(directory + "/absent.txt") }
        #expect(missing?.description == "\(directory)/absent.txt: cannot open: No such file or directory")
        #expect(missing?.code == .notFound)
        let isDirectory = #expect(throws: MarginaliaError.self) { try DocumentLoader.load(path: directory) }
        #expect(isDirectory?.description == "\(directory): is a directory, not a document")
    }

    @Test func atomicWritesReplaceOnlyOnCommit() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
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
        defer { try? FileManager.default.removeItem(atPath: directory) }
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

    /// Small pieces are buffered and large ones written straight through; either way the bytes arrive in order.
    @Test func descriptorSinkKeepsOrderAcrossSmallAndLargePieces() throws {
        let path = try temporaryDirectory() + "/out.bin"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(descriptor >= 0)
        let sink = FileDescriptorSink(descriptor: descriptor, name: path)
        let pieces: [[UInt8]] = [
            Array("head,".utf8), [UInt8](repeating: UInt8(ascii: "L"), count: 100_000), Array("mid,".utf8),
            [UInt8](repeating: UInt8(ascii: "s"), count: 40_000), [UInt8](repeating: UInt8(ascii: "M"), count: 1 << 15),
            Array("tail".utf8),
        ]
        for piece in pieces { try sink.write(piece) }
        try sink.finish()
        close(descriptor)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == pieces.flatMap { $0 })
    }
}
