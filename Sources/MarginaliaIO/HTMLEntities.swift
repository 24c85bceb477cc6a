import MarginaliaCore

/// HTML character references (`&amp;`, `&#8217;`, `&#x2014;`), decoded the way browsers do.
///
/// The named references are the HTML5 table, compiled into the binary from `Resources/html-entities.tsv`.
public enum HTMLEntities {
    struct Entry: Sendable {
        var replacement: [UInt8]
        var legacy: Bool
    }

    /// Name (without `&` and `;`) → replacement bytes; parsed once, on first use.
    static let table: [String: Entry] = {
        var table: [String: Entry] = [:]
        let text = String(decoding: PackageResources.html_entities_tsv, as: UTF8.self)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            var replacement: [UInt8] = []
            for hex in fields[1].split(separator: " ") {
                if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                    replacement.append(contentsOf: UTF8.encode(scalar)!)
                }
            }
            table[String(fields[0])] = Entry(replacement: replacement, legacy: fields.count > 2 && fields[2] == "legacy")
        }
        return table
    }()

    /// Windows-1252 meanings that HTML gives to numeric references 0x80–0x9F.
    private static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// The reference starting at `i` (where `bytes[i]` is `&`): its length in bytes and the bytes it stands for.
    /// Nil when no reference starts there, in which case the `&` is literal text.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (length: Int, replacement: [UInt8])? {
        let n = bytes.count
        guard i + 2 < n else { return nil }
        if bytes[i + 1] == UInt8(ascii: "#") {
            var k = i + 2
            let hex = k < n && bytes[k] | 0x20 == UInt8(ascii: "x")
            if hex { k += 1 }
            let digitsStart = k
            var value: UInt32 = 0
            while k < n, k - digitsStart < 8 {
                let byte = bytes[k]
                let digit: UInt32
                if UTF8Scanning.isDigit(byte) {
                    digit = UInt32(byte - UInt8(ascii: "0"))
                } else if hex, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "f") {
                    digit = UInt32((byte | 0x20) - UInt8(ascii: "a") + 10)
                } else {
                    break
                }
                value = value * (hex ? 16 : 10) + digit
                k += 1
            }
            guard k > digitsStart else { return nil }
            if k < n, bytes[k] == UInt8(ascii: ";") { k += 1 }
            if value >= 0x80, value <= 0x9F { value = windows1252[Int(value - 0x80)] }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (k - i, Array(UTF8.encode(scalar ?? "\u{FFFD}")!))
        }
        var k = i + 1
        while k < n, k - i <= 32, UTF8Scanning.isASCIILetter(bytes[k]) || UTF8Scanning.isDigit(bytes[k]) { k += 1 }
        guard k > i + 1 else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<k]), as: UTF8.self)
        if k < n, bytes[k] == UInt8(ascii: ";"), let entry = table[name] {
            return (k + 1 - i, entry.replacement)
        }
        // Legacy references work without the semicolon (`&amp`, `&nbsp`), longest match first.
        var end = k
        while end > i + 1 {
            let prefix = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]), as: UTF8.self)
            if let entry = table[prefix], entry.legacy { return (end - i, entry.replacement) }
            end -= 1
        }
        return nil
    }

    /// Decodes every reference in `text`.
    public static func decodeAll(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "&")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                if buffer[i] == UInt8(ascii: "&"), let (length, replacement) = decode(buffer, at: i) {
                    output.append(contentsOf: replacement)
                    i += length
                } else {
                    output.append(buffer[i])
                    i += 1
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
