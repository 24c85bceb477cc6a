/// A map keyed by ``FoldedHash`` values, for word lists looked up once or more per token.
///
/// The keys are already well-mixed 64-bit hashes, so hashing them again with `Hasher` (as `Dictionary` does)
/// only costs time: this table takes a bucket from the key's top bits after one multiply and probes linearly.
/// At most half full, a lookup reads one or two slots.
public struct WordMap<Value> {
    /// 0 marks an empty slot; the key 0 itself lives in `zeroValue`.
    @usableFromInline var keys: [UInt64]
    @usableFromInline var values: [Value?]
    @usableFromInline var zeroValue: Value?
    @usableFromInline var shift: UInt64
    @usableFromInline var storedCount = 0
    public var count: Int { storedCount }

    public init() {
        keys = [UInt64](repeating: 0, count: 8)
        values = [Value?](repeating: nil, count: 8)
        shift = 61
    }

    public var isEmpty: Bool { count == 0 }

    @inlinable @inline(__always)
    func slot(of key: UInt64) -> Int {
        HashSlots.slot(of: key, shift: shift)
    }

    /// The value stored for `key`, if any; assigning nil removes it.
    public subscript(key: UInt64) -> Value? {
        @inlinable get {
            if key == 0 { return zeroValue }
            let mask = keys.count - 1
            var index = slot(of: key)
            while true {
                let stored = keys[index]
                if stored == key { return values[index] }
                if stored == 0 { return nil }
                index = (index + 1) & mask
            }
        }
        // Inlinable too: a module that fills a table of its own value type would otherwise run the generic body.
        @inlinable set {
            if key == 0 {
                storedCount += (zeroValue == nil ? 1 : 0) - (newValue == nil ? 1 : 0)
                zeroValue = newValue
                return
            }
            guard let newValue else {
                remove(key)
                return
            }
            if (storedCount + 1) * 2 > keys.count { grow() }
            let mask = keys.count - 1
            var index = slot(of: key)
            while keys[index] != 0 && keys[index] != key { index = (index + 1) & mask }
            if keys[index] == 0 { storedCount += 1 }
            keys[index] = key
            values[index] = newValue
        }
    }

    /// The value for `key`, or `defaultValue` (stored on assignment).
    public subscript(key: UInt64, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Every key, in no particular order.
    public var allKeys: [UInt64] { (zeroValue == nil ? [] : [0]) + keys.filter { $0 != 0 } }

    /// Every stored value, in no particular order.
    public var allValues: [Value] { (zeroValue.map { [$0] } ?? []) + values.compactMap { $0 } }

    @usableFromInline mutating func remove(_ key: UInt64) {
        let mask = keys.count - 1
        var index = slot(of: key)
        while keys[index] != key {
            if keys[index] == 0 { return }
            index = (index + 1) & mask
        }
        keys[index] = 0
        values[index] = nil
        storedCount -= 1
        // Re-insert the rest of the probe run so no lookup stops early at the new hole.
        var next = (index + 1) & mask
        while keys[next] != 0 {
            let movedKey = keys[next]
            let movedValue = values[next]
            keys[next] = 0
            values[next] = nil
            storedCount -= 1
            self[movedKey] = movedValue
            next = (next + 1) & mask
        }
    }

    // Inlinable with the setter that calls it: filled at start-up, a lexicon's table would otherwise grow
    // through the generic body.
    @inlinable mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Value?](repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        storedCount = zeroValue == nil ? 0 : 1
        for (index, key) in oldKeys.enumerated() where key != 0 {
            self[key] = oldValues[index]
        }
    }
}

extension WordMap: Sendable where Value: Sendable {}

/// A set of ``FoldedHash`` values, with ``WordMap``'s one-multiply lookups.
///
/// Keys only, in one array: a membership test (run several times per token by every analyzer) reads one or two
/// slots of it and nothing else.
public struct WordSet: Sendable, ExpressibleByArrayLiteral {
    /// 0 marks an empty slot; the hash 0 itself is `hasZero`.
    @usableFromInline var keys: [UInt64]
    @usableFromInline var hasZero = false
    @usableFromInline var shift: UInt64
    public private(set) var count = 0

    public init() {
        self.init(minimumCapacity: 4)
    }

    /// An empty set with room for `capacity` hashes before it grows.
    public init(minimumCapacity capacity: Int) {
        let (size, shift) = HashSlots.sizing(capacity: capacity)
        keys = [UInt64](repeating: 0, count: size)
        self.shift = shift
    }

    public init(_ hashes: some Sequence<UInt64>) {
        self.init()
        for hash in hashes { insert(hash) }
    }

    /// The folded hashes of `words`.
    public init(words: some Sequence<String>) {
        self.init(words.map(FoldedHash.of))
    }

    public init(arrayLiteral elements: UInt64...) {
        self.init(elements)
    }

    public var isEmpty: Bool { count == 0 }

    @inlinable @inline(__always)
    public func contains(_ hash: UInt64) -> Bool {
        if hash == 0 { return hasZero }
        let shift = shift
        return keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var index = HashSlots.slot(of: hash, shift: shift)
            while true {
                let stored = keys[index]
                if stored == hash { return true }
                if stored == 0 { return false }
                index = (index + 1) & mask
            }
        }
    }

    public mutating func insert(_ hash: UInt64) {
        if hash == 0 {
            if !hasZero { count += 1 }
            hasZero = true
            return
        }
        if (count + 1) * 2 > keys.count { grow() }
        let shift = shift
        let added = keys.withUnsafeMutableBufferPointer { keys in
            let mask = keys.count - 1
            var index = HashSlots.slot(of: hash, shift: shift)
            while true {
                let stored = keys[index]
                if stored == hash { return false }
                if stored == 0 {
                    keys[index] = hash
                    return true
                }
                index = (index + 1) & mask
            }
        }
        if added { count += 1 }
    }

    private mutating func grow() {
        let old = keys
        keys = [UInt64](repeating: 0, count: old.count * 2)
        shift -= 1
        count = hasZero ? 1 : 0
        for key in old where key != 0 { insert(key) }
    }

    /// The hashes in either set.
    public func union(_ other: WordSet) -> WordSet {
        var result = self
        if other.hasZero { result.insert(0) }
        for hash in other.keys where hash != 0 { result.insert(hash) }
        return result
    }
}

/// The bucketing shared by the tables keyed by ``FoldedHash`` values (``WordMap``, ``WordSet`` and the token
/// table's vocabulary): the keys are already well mixed, so a slot is the top bits of one multiply, in a table of a
/// power-of-two size kept at most half full.
@usableFromInline enum HashSlots {
    /// The smallest power of two (8 at least) that holds `capacity` keys at most half full, and the shift that
    /// takes a slot of that size from a key.
    static func sizing(capacity: Int) -> (size: Int, shift: UInt64) {
        var size = 8
        var shift: UInt64 = 61
        while size < capacity * 2 {
            size *= 2
            shift -= 1
        }
        return (size, shift)
    }

    @inlinable @inline(__always)
    static func slot(of key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}

/// A map keyed by ``FoldedHash`` values that keeps each key and its value in one slot, for a large lexicon
/// asked once per distinct word of a document.
///
/// ``WordMap`` keeps keys and values apart, so its keys stay dense for tables probed mostly for absent words. A
/// table of thousands of words is larger than the processor's nearest caches, though, and then a probe waits on
/// memory: here the key and its value share a line, one wait where ``WordMap`` has two. Fill it once; it has no
/// removal. Absent keys read as `absent`.
public struct PackedWordMap<Value>: Sendable where Value: Sendable {
    @usableFromInline struct Slot: Sendable {
        /// 0 marks an empty slot (the key 0 itself is `zeroValue`).
        @usableFromInline var key: UInt64
        @usableFromInline var value: Value
        @usableFromInline init(key: UInt64, value: Value) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline var slots: [Slot]
    @usableFromInline var zeroValue: Value
    @usableFromInline let absent: Value
    @usableFromInline var shift: UInt64
    @usableFromInline var storedCount = 0
    public var count: Int { storedCount }

    /// An empty map whose missing keys read as `absent`.
    public init(absent: Value) {
        self.absent = absent
        zeroValue = absent
        slots = [Slot](repeating: Slot(key: 0, value: absent), count: 8)
        shift = 61
    }

    /// The values for `keys`, in order (`absent` for a missing one): a document's vocabulary at once.
    ///
    /// In two passes: the first reads the slot where each key's probe starts, the second finishes each probe from
    /// there. The first pass's reads depend on nothing before them, so the processor has many of them waiting on
    /// memory at once, where one probe after another would wait on each in turn; the second then finds the lines
    /// in cache.
    @inlinable
    public func values(for keys: UnsafeBufferPointer<UInt64>) -> [Value] {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let starts = [Int](unsafeUninitializedCapacity: keys.count) { starts, initialized in
                for index in keys.indices { starts[index] = HashSlots.slot(of: keys[index], shift: shift) }
                initialized = keys.count
            }
            let firstKeys = [UInt64](unsafeUninitializedCapacity: keys.count) { firstKeys, initialized in
                for index in keys.indices { firstKeys[index] = slots[starts[index]].key }
                initialized = keys.count
            }
            return [Value](unsafeUninitializedCapacity: keys.count) { values, initialized in
                for index in keys.indices {
                    let key = keys[index]
                    var value = absent
                    if key == 0 {
                        value = zeroValue
                    } else if firstKeys[index] == key {
                        value = slots[starts[index]].value
                    } else if firstKeys[index] != 0 {
                        var slot = (starts[index] + 1) & mask
                        while slots[slot].key != 0 {
                            if slots[slot].key == key {
                                value = slots[slot].value
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                    (values.baseAddress! + index).initialize(to: value)
                    initialized = index + 1
                }
            }
        }
    }

    /// The value for `key`, or `absent`.
    public subscript(key: UInt64) -> Value {
        @inlinable get {
            if key == 0 { return zeroValue }
            return slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var index = HashSlots.slot(of: key, shift: shift)
                while true {
                    let stored = slots[index].key
                    if stored == key { return slots[index].value }
                    if stored == 0 { return absent }
                    index = (index + 1) & mask
                }
            }
        }
        // Inlinable, so that a lexicon filling its table runs code specialised to its value type, not the
        // generic body (which copies each value through the runtime).
        @inlinable set {
            if key == 0 {
                zeroValue = newValue
                return
            }
            if (storedCount + 1) * 2 > slots.count {
                let old = slots
                slots = [Slot](repeating: Slot(key: 0, value: absent), count: old.count * 2)
                shift -= 1
                storedCount = 0
                for slot in old where slot.key != 0 { self[slot.key] = slot.value }
            }
            let mask = slots.count - 1
            var index = HashSlots.slot(of: key, shift: shift)
            while slots[index].key != 0 && slots[index].key != key { index = (index + 1) & mask }
            if slots[index].key == 0 { storedCount += 1 }
            slots[index] = Slot(key: key, value: newValue)
        }
    }
}
