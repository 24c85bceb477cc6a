/// Appends JSON to a byte buffer without building intermediate objects.
///
/// The buffer is raw memory grown by doubling, so each piece is a bounds-free copy: writing a document's
/// annotations (mostly short keys, ids and numbers) costs a few nanoseconds a piece rather than the generic
/// `Array.append(contentsOf:)` path. Strings are escaped in one pass that copies unescaped runs as they are.
/// Not copyable: one writer owns its buffer.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0

    /// False while writing into memory the caller lent (see ``init(writingInto:)``); true once grown out of it.
    private var ownsBuffer = true

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    /// A writer that starts in `buffer` (not taken over) and moves to memory of its own only if it outgrows it,
    /// so output written into an array's uninitialised storage needs no copy when the size was estimated well.
    public init(writingInto buffer: UnsafeMutableBufferPointer<UInt8>) {
        if let start = buffer.baseAddress, buffer.count >= 64 {
            base = start
            capacity = buffer.count
            ownsBuffer = false
        } else {
            capacity = 64
            base = .allocate(capacity: capacity)
        }
    }

    deinit { if ownsBuffer { base.deallocate() } }

    /// True while every byte written so far sits in the buffer given to ``init(writingInto:)``.
    public var isInLentBuffer: Bool { !ownsBuffer }

    /// The bytes written so far.
    public var bytes: [UInt8] { [UInt8](UnsafeBufferPointer(start: base, count: count)) }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if ownsBuffer { base.deallocate() }
        ownsBuffer = true
        base = newBase
        capacity = newCapacity
    }

    /// Raw bytes, written as they are.
    @inline(__always)
    public mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        reserve(bytes.count)
        count += Self.copy(bytes, to: base + count)
    }

    /// Copies `bytes` to `target` and returns how many. Most pieces are keys and short values: overlapping
    /// 8-byte moves beat a call to memmove up to 64 bytes.
    @inline(__always)
    static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) -> Int {
        guard let start = bytes.baseAddress else { return 0 }
        let n = bytes.count
        let from = UnsafeRawPointer(start)
        let to = UnsafeMutableRawPointer(target)
        if n >= 8 && n <= 64 {
            var offset = 0
            while offset + 8 < n {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n > 64 {
            target.update(from: start, count: n)
        } else if n >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else {
            for offset in 0..<n { target[offset] = start[offset] }
        }
        return n
    }

    /// Room for `extra` more bytes, as a pointer to the end of the output: for writers of many small pieces
    /// that check the space once. ``commit(_:)`` then adds what was written.
    @inline(__always)
    mutating func space(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        reserve(extra)
        return base + count
    }

    /// The last `count` bytes written (at most 24), in three words: a short piece kept to be written again with
    /// ``words(_:count:)``.
    func lastWords(_ count: Int) -> (UInt64, UInt64, UInt64) {
        precondition(count <= 24 && count <= self.count)
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base + self.count - count, byteCount: count) }
        return words
    }

    /// Writes the first `count` bytes of `words` (as ``lastWords(_:)`` kept them) with three word stores.
    @inline(__always)
    mutating func words(_ words: (UInt64, UInt64, UInt64), count: Int) {
        let target = UnsafeMutableRawPointer(space(24))
        target.storeBytes(of: words.0, as: UInt64.self)
        target.storeBytes(of: words.1, toByteOffset: 8, as: UInt64.self)
        target.storeBytes(of: words.2, toByteOffset: 16, as: UInt64.self)
        commit(count)
    }

    /// Counts `written` bytes put at the pointer ``space(_:)`` returned.
    @inline(__always)
    mutating func commit(_ written: Int) {
        count += written
    }

    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        raw(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public mutating func byte(_ value: UInt8) {
        reserve(1)
        base[count] = value
        count += 1
    }

    /// An integer in decimal.
    public mutating func int(_ value: Int) {
        reserve(20)
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        count += Self.digits(value.magnitude, to: base + count)
    }

    /// Writes `magnitude` in decimal at `target` (up to 20 bytes) and returns how many digits.
    @inline(__always)
    static func digits(_ magnitude: UInt, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = magnitude
        if magnitude < 10 {
            target[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            return 1
        }
        // The digit count from the bit length (1233/4096 ≈ log10 2), corrected by one comparison with a power of
        // ten (a table of ten: offsets and ids rarely pass a billion); then the digits are written from the end two
        // at a time from a table of pairs.
        let powers: (UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt) = (
            1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000)
        var digits: Int
        let estimate = ((64 - magnitude.leadingZeroBitCount) &* 1233) >> 12
        if estimate < 10 {
            let power = withUnsafeBytes(of: powers) { $0.load(fromByteOffset: estimate &* 8, as: UInt.self) }
            digits = estimate + (magnitude >= power ? 1 : 0)
        } else {
            digits = 10
            var bound: UInt = 10_000_000_000
            while digits < 20, magnitude >= bound {
                digits += 1
                if digits == 20 { break }
                bound &*= 10
            }
        }
        let pairs: StaticString =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        let table = pairs.utf8Start
        var position = digits
        while magnitude >= 100 {
            let pair = Int(magnitude % 100) &* 2
            magnitude /= 100
            position -= 2
            target[position] = table[pair]
            target[position + 1] = table[pair + 1]
        }
        if magnitude >= 10 {
            let pair = Int(magnitude) &* 2
            target[position - 2] = table[pair]
            target[position - 1] = table[pair + 1]
        } else {
            target[position - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        return digits
    }

    /// A number; NaN and infinities, which JSON cannot hold, become `null`.
    public mutating func double(_ value: Double) {
        guard value.isFinite else {
            raw("null")
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            int(Int(value))
            raw(".0")
            return
        }
        // Scores and confidences are mostly exact thousandths: write those digits directly. A double equal to
        // k/1000 has no shorter round-tripping form than k/1000 itself, so the text matches `description`.
        let thousandths = (value * 1000).rounded()
        if abs(value) < 1e9, thousandths / 1000 == value {
            if value < 0 { raw("-") }
            let magnitude = Int(abs(thousandths))
            int(magnitude / 1000)
            var fraction = magnitude % 1000
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            raw(".")
            // Leading zeros of the fraction (0.05 is "05" in two digits).
            if digits >= 2, fraction < 10 { raw("0") }
            if digits == 3, fraction < 100 { raw("0") }
            int(fraction)
            return
        }
        var text = value.description
        text.withUTF8 { raw($0) }
    }

    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// A string, quoted and escaped.
    public mutating func string(_ value: String) {
        // Read in place (a copy to call `withUTF8` on costs a retain and release per string).
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ string($0) }) { return done }
        var copy = value
        copy.withUTF8 { string($0) }
    }

    /// UTF-8 bytes as a JSON string, quoted and escaped.
    public mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) {
        // The common case, nothing to escape, is one scan, one reservation and one copy.
        let n = utf8.count
        reserve(n + 2)
        base[count] = UInt8(ascii: "\"")
        if JSONBytes.plainRunEnd(utf8, from: 0) == n {
            count += 1 + Self.copy(utf8, to: base + count + 1)
            base[count] = UInt8(ascii: "\"")
            count += 1
            return
        }
        count += 1
        stringContents(utf8)
        byte(UInt8(ascii: "\""))
    }

    /// A string escaped, without the quotes around it.
    public mutating func stringContents(_ value: String) {
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ stringContents($0) }) { return done }
        var copy = value
        copy.withUTF8 { stringContents($0) }
    }

    /// UTF-8 bytes escaped for the inside of a JSON string, without the quotes.
    public mutating func stringContents(_ utf8: UnsafeBufferPointer<UInt8>) {
        let n = utf8.count
        var runStart = 0
        // Plain runs are copied whole; only the bytes between them are looked at one by one.
        var i = JSONBytes.plainRunEnd(utf8, from: 0)
        while i < n {
            if runStart < i { raw(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            let b = utf8[i]
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                let hex: StaticString = "0123456789abcdef"
                raw("\\u00")
                byte(hex.utf8Start[Int(b >> 4)])
                byte(hex.utf8Start[Int(b & 0xF)])
            }
            runStart = i + 1
            i = JSONBytes.plainRunEnd(utf8, from: runStart)
        }
        if runStart < n { raw(UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
    }

    /// True when one of the eight bytes of `word` is below 0x20, a quote or a backslash.

    /// Any ``JSONValue``, objects with sorted keys.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .int(let number): int(number)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let elements):
            byte(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                self.value(element)
            }
            byte(UInt8(ascii: "]"))
        case .object(let members):
            byte(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                string(key)
                byte(UInt8(ascii: ":"))
                self.value(members[key]!)
            }
            byte(UInt8(ascii: "}"))
        }
    }
}

/// Byte tests shared by the JSON writer and parser.
enum JSONBytes {
    /// True when one of the eight bytes of `word` is a control byte, '"' or '\\': the bytes a JSON string
    /// cannot hold as they are. Eight at a time: runs of plain text are most of what either side handles.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte b has its high bit set in (b - k) & ~b exactly when b < k (for k <= 0x80).
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (control | zeroQuote | zeroBackslash) & highs != 0
    }

    /// The index of the first byte at or after `start` that a JSON string cannot hold as it is, or `bytes.count`.
    @inline(__always)
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let n = bytes.count
        var i = start
        while i + 8 <= n, !needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
        // The last few bytes: one overlapping word when the text is long enough, else one at a time.
        if i < n, n >= 8, n - i < 8, !needsEscape(UnsafeRawPointer(base + n - 8).loadUnaligned(as: UInt64.self)) { return n }
        // Short texts (most tokens): two overlapping 4-byte words, padded with plain letters to eight.
        if i == 0, n >= 4, n < 8 {
            let padding: UInt64 = 0x4141_4141_0000_0000
            let head = UInt64(UnsafeRawPointer(base).loadUnaligned(as: UInt32.self)) | padding
            let tail = UInt64(UnsafeRawPointer(base + n - 4).loadUnaligned(as: UInt32.self)) | padding
            if !needsEscape(head), !needsEscape(tail) { return n }
        }
        while i < n {
            let b = base[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return i
    }
}
