import Testing

@testable import MarginaliaCore

struct PassedByAddressTests {
    /// A struct holding the marker is not plain data (so not loaded and copied bitwise), and the marker costs no
    /// more than one existential's room.
    @Test func makesItsHolderNonTrivialAndHoldsNothingElse() {
        struct Finder {
            var counts = [Int](repeating: 0, count: 4)
            let passedByAddress = PassedByAddress()
        }
        struct Plain { var counts: (Int, Int, Int, Int) = (0, 0, 0, 0) }
        #expect(_isPOD(Plain.self))
        #expect(!_isPOD(PassedByAddress.self))
        #expect(!_isPOD(Finder.self))
        #expect(MemoryLayout<PassedByAddress>.size == MemoryLayout<any Sendable>.size)
    }
}
