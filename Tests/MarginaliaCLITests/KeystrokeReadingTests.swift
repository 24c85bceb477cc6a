import CLineEditShim
import Glibc
import Testing

@testable import LineEditing

/// The editor's own character reader (libedit's is replaced so that no Ctrl-C is lost).
@Suite("Reading keystrokes", .serialized)
struct KeystrokeReadingTests {
    /// The read end of a pipe holding `bytes`, its write end closed.
    private func pipe(holding bytes: [UInt8]) throws -> Int32 {
        var ends: [Int32] = [0, 0]
        try #require(Glibc.pipe(&ends) == 0)
        let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        try #require(written == bytes.count)
        return ends[0]
    }

    @Test func decodesUTF8AndDropsWhatIsNotUTF8() throws {
        try #require(mgl_setup_locale() == 1)
        // "a", "ö", a stray continuation byte (dropped), a lead byte followed by "b" (the lead byte dropped, "b"
        // kept), "€", then the end.
        let descriptor = try pipe(holding: Array("aö".utf8) + [0xB6] + [0xC3] + Array("b€".utf8))
        defer { close(descriptor) }
        var read: [EditLineReader.CharacterRead] = []
        for _ in 0..<6 { read.append(EditLineReader.readCharacter(from: descriptor)) }
        #expect(read == [.character("a"), .character("ö"), .character("b"), .character("€"), .end, .end])
    }

    @Test func aCtrlCThatArrivedBetweenReadsCancelsTheNextRead() throws {
        mgl_install_sigint_handler()
        defer { signal(SIGINT, SIG_DFL) }
        _ = mgl_take_interrupt()
        let descriptor = try pipe(holding: Array("docs\n".utf8))
        defer { close(descriptor) }
        #expect(EditLineReader.readCharacter(from: descriptor) == .character("d"))
        // Raised while no read is waiting, as when the editor is busy redrawing a line typed fast: libedit's own
        // reader would have blocked in its next read and kept the line.
        raise(SIGINT)
        #expect(EditLineReader.readCharacter(from: descriptor) == .interrupted)
        #expect(mgl_take_interrupt() == 1)
        // Once taken, reading goes on where it was.
        #expect(EditLineReader.readCharacter(from: descriptor) == .character("o"))
    }
}
