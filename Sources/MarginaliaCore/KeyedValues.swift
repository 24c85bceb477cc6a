/// A small map from string keys to values, kept sorted by key: the features and roles of an annotation.
///
/// An annotation carries a handful of features and roles. A dictionary costs a hash table allocation and a
/// hash of every key on every insert and lookup, and iterates in an order that must be sorted again before
/// writing; here one array of pairs is kept in key order, so building one is a few comparisons, lookups are a
/// short scan, and iteration is already the order JSON writes. The API mirrors `Dictionary`'s where both
/// apply, so code reads the same.
public struct KeyedValues<Value: Hashable & Sendable>: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: Value)

    /// The pairs, sorted by key, keys unique.
    @usableFromInline var entries: [Element]

    @inlinable public init() { entries = [] }

    /// An empty collection with room for `capacity` keys, for building one key by key without regrowing.
    @inlinable public init(minimumCapacity capacity: Int) {
        entries = []
        entries.reserveCapacity(capacity)
    }

    /// A later duplicate key replaces the earlier value.
    @inlinable public init(dictionaryLiteral elements: (String, Value)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (key, value) in elements { self[key] = value }
    }

    /// The pairs of `dictionary`, sorted by key.
    /// Entries whose keys are distinct and already in increasing order, as analyzers write them: taken as they
    /// are, without finding each key's place or copying each value into it.
    /// - Precondition: every key sorts after the one before it.
    @inlinable public init(ordered entries: [Element]) {
        for index in entries.indices.dropFirst() {
            precondition(entries[index - 1].key < entries[index].key, "key '\(entries[index].key)' out of order")
        }
        self.entries = entries
    }

    @inlinable public init(_ dictionary: [String: Value]) {
        entries = dictionary.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// Pairs whose keys are unique; a later duplicate replaces the earlier value.
    @inlinable public init<S: Sequence>(uniqueKeysWithValues pairs: S) where S.Element == (String, Value) {
        entries = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Calls `body` with the pairs in key order, in place: iterating the collection instead copies (and retains)
    /// each key and value, which writers of many annotations feel.
    @inlinable public func withEntries<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try entries.withUnsafeBufferPointer(body)
    }

    @inlinable public var isEmpty: Bool { entries.isEmpty }
    @inlinable public var count: Int { entries.count }
    /// The keys in sorted order.
    @inlinable public var keys: [String] { entries.map(\.key) }
    /// The values in key order.
    @inlinable public var values: [Value] { entries.map(\.value) }
    /// The same pairs as a dictionary.
    @inlinable public var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    }

    /// Where `key` is, or where it would go to keep the keys sorted.
    @inlinable func position(of key: String) -> (index: Int, found: Bool) {
        var index = 0
        while index < entries.count {
            let candidate = entries[index].key
            if candidate == key { return (index, true) }
            if key < candidate { break }
            index += 1
        }
        return (index, false)
    }

    @inlinable public subscript(key: String) -> Value? {
        get {
            // Most lookups hit: equality alone on the few keys is cheaper than finding the sorted position.
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            // Built key by key in sorted order (literals, analyzers' features): the new key usually goes last.
            if let value = newValue, entries.isEmpty || entries[entries.count - 1].key < key {
                entries.append((key, value))
                return
            }
            let (index, found) = position(of: key)
            switch (newValue, found) {
            case (let value?, true): entries[index].value = value
            case (let value?, false): entries.insert((key, value), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
        }
    }

    @inlinable public subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    /// Removes `key` and returns its value, if it had one.
    @discardableResult
    @inlinable public mutating func removeValue(forKey key: String) -> Value? {
        let (index, found) = position(of: key)
        return found ? entries.remove(at: index).value : nil
    }

    /// The same keys with transformed values.
    @inlinable public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> KeyedValues<T> {
        var result = KeyedValues<T>()
        result.entries = try entries.map { (key: $0.key, value: try transform($0.value)) }
        return result
    }

    /// Transforms every value in place.
    @inlinable public mutating func updateValues(_ transform: (String, inout Value) throws -> Void) rethrows {
        for index in entries.indices { try transform(entries[index].key, &entries[index].value) }
    }

    @inlinable public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    @inlinable public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}

extension KeyedValues: Sequence {
    /// Iterates the pairs in key order.
    @inlinable public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }
    @inlinable public var underestimatedCount: Int { entries.count }
}

extension KeyedValues: CustomStringConvertible {
    public var description: String {
        entries.isEmpty ? "[:]" : "[" + entries.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// An annotation's features by name.
public typealias Features = KeyedValues<FeatureValue>
/// An annotation's roles: names to the ids of the annotations that fill them.
public typealias Roles = KeyedValues<[String]>
