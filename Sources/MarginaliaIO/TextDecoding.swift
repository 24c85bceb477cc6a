import MarginaliaCore

/// Turns raw bytes into valid UTF-8 text without silently changing it.
///
/// A leading byte-order mark is stripped (and said so), invalid sequences become U+FFFD with a warning giving
/// the byte offset, and a NUL byte marks the input as binary, which is refused. Nothing else changes: line endings
/// and Unicode forms stay as given, so that callers' offsets still match.
public enum TextDecoding {
    /// The decoded bytes and the warnings to show.
    public struct Result: Sendable {
        public var bytes: [UInt8]
        public var warnings: [String]
    }

    /// At most this many invalid sequences are listed one by one; the rest are counted.
    static let listedInvalidSequences = 3

    /// Decodes `input`.
    /// - Parameter name: the file or document named in warnings and errors.
    /// - Throws: ``MarginaliaError`` `.binaryInput` when the input holds a NUL byte.
    public static func decode(_ input: [UInt8], name: String) throws -> Result {
        var warnings: [String] = []
        var start = 0
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            start = 3
            warnings.append("\(name): removed the UTF-8 byte-order mark at the start")
        }
        if let nul = firstNUL(input) {
            throw MarginaliaError(.binaryInput, "binary file (NUL byte at offset \(nul)): not a text document", location: name)
        }
        let body = input[start...]
        if isValidUTF8(body) {
            return Result(bytes: start == 0 ? input : Array(body), warnings: warnings)
        }
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 16)
        var invalidOffsets: [Int] = []
        var invalidCount = 0
        var iterator = body.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = start
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                output.append(contentsOf: encoded)
                offset += encoded.count
            case .error(let length):
                invalidCount += 1
                if invalidOffsets.count < listedInvalidSequences { invalidOffsets.append(offset) }
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                offset += length
            case .emptyInput:
                break loop
            }
        }
        let listed = invalidOffsets.map(String.init).joined(separator: ", ")
        let more = invalidCount > invalidOffsets.count ? " and \(invalidCount - invalidOffsets.count) more" : ""
        warnings.append(
            "\(name): replaced \(invalidCount) invalid UTF-8 sequence\(invalidCount == 1 ? "" : "s") with U+FFFD (byte offset \(listed)\(more))")
        return Result(bytes: output, warnings: warnings)
    }

    /// Fast validity check: ASCII runs are skipped eight bytes at a time in the common case.
    /// The offset of the first NUL byte, tested eight bytes at a time.
    static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= buffer.count {
                let word = UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
                i += 8
            }
            while i < buffer.count {
                if buffer[i] == 0 { return i }
                i += 1
            }
            return nil
        }
    }

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            while i < n {
                // Eight ASCII bytes at a time: most text is ASCII between its few multi-byte characters.
                while i + 8 <= n,
                    UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    i += 8
                }
                guard i < n else { break }
                let lead = buffer[i]
                if lead < 0x80 {
                    i += 1
                    continue
                }
                let length: Int
                let minimum: UInt32
                var scalar: UInt32
                if lead & 0xE0 == 0xC0 { length = 2; scalar = UInt32(lead & 0x1F); minimum = 0x80 }
                else if lead & 0xF0 == 0xE0 { length = 3; scalar = UInt32(lead & 0x0F); minimum = 0x800 }
                else if lead & 0xF8 == 0xF0 { length = 4; scalar = UInt32(lead & 0x07); minimum = 0x10000 }
                else { return false }
                guard i + length <= n else { return false }
                for k in 1..<length {
                    let byte = buffer[i + k]
                    guard byte & 0xC0 == 0x80 else { return false }
                    scalar = scalar << 6 | UInt32(byte & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return false }
                i += length
            }
            return true
        }
    }
}
