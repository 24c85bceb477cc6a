#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where each annotation id lives: its layer and start, so a lookup is a binary search in that layer.
///
/// Almost every id has the form `prefix-N` that ``AnnotationStore/makeIDs(prefix:count:)`` gives out, so those
/// sit in one dense array per prefix, indexed by N: storing or finding one parses a dozen bytes instead of hashing
/// the whole id, which matters with one annotation per token. Any other id (`T1`, `e-07`, a user's choice) goes to
/// an ordinary dictionary.
struct IDLocations: Sendable {
    struct Location: Sendable, Equatable {
        var layer: String
        var start: Int
    }

    /// A number far past a prefix's table goes to `named` rather than growing the table by that much.
    private static let maximumGap = 65_536

    /// A table entry: the layer as an index into `layerNames` (-1 for a free number) and the start. Plain
    /// integers, so that filling, copying and freeing a table of a hundred thousand tokens is a memory copy
    /// rather than a retain, release and enum check per entry.
    private struct Slot: Sendable {
        var layer: Int32
        var start: Int
        static let free = Slot(layer: -1, start: 0)
        var isFree: Bool { layer < 0 }
    }

    /// Each table's prefix as UTF-8 bytes.
    private var prefixes: [[UInt8]] = []
    private var tables: [[Slot]] = []
    private var layerNames: [String] = []
    private var lastLayer = 0
    private var named: [String: Location] = [:]
    private(set) var count = 0

    /// `id` as `prefix-N` (N without leading zeros, at most nine digits): the table of its prefix (nil when
    /// there is none yet) and N; nil when the id has another form.
    private func parse(_ id: String) -> (table: Int?, number: Int)? {
        var id = id
        return id.withUTF8 { bytes -> (Int?, Int)? in
            // Scan back over the digits to the dash.
            var position = bytes.count - 1
            var number = 0
            var scale = 1
            while position >= 0, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                guard scale <= 100_000_000 else { return nil }
                number += Int(bytes[position] - UInt8(ascii: "0")) * scale
                scale *= 10
                position -= 1
            }
            guard position > 0, position < bytes.count - 1, bytes[position] == UInt8(ascii: "-"),
                bytes[position + 1] != UInt8(ascii: "0")
            else { return nil }
            let prefix = UnsafeBufferPointer(rebasing: bytes[..<position])
            // (The prefix is not returned: a copy of it would cost a retain, or an allocation, on every lookup.)
            for index in prefixes.indices where prefixes[index].count == prefix.count {
                if prefixes[index].withUnsafeBufferPointer({ memcmp($0.baseAddress!, prefix.baseAddress!, prefix.count) == 0 }) {
                    return (index, number)
                }
            }
            return (nil, number)
        }
    }

    /// The prefix of an id `prefix-N`: what comes before its last dash.
    private static func prefix(of id: String) -> [UInt8] {
        let bytes = Array(id.utf8)
        return Array(bytes[..<(bytes.lastIndex(of: UInt8(ascii: "-")) ?? bytes.endIndex)])
    }

    /// Stores the locations of `prefix-first` … `prefix-(first + starts.count - 1)`, all in `layer`; the caller
    /// has made sure (with ``AnnotationStore/makeIDs(prefix:count:)``) that none is in use.
    mutating func insertRun<Start: BinaryInteger>(prefix: String, first: Int, layer: String, starts: [Start]) {
        let bytes = Array(prefix.utf8)
        let table: Int
        if let existing = prefixes.firstIndex(of: bytes) {
            table = existing
        } else {
            prefixes.append(bytes)
            tables.append([])
            table = tables.count - 1
        }
        let last = first + starts.count - 1
        if last > tables[table].count { tables[table].append(contentsOf: repeatElement(.free, count: last - tables[table].count)) }
        let layerIndex = index(ofLayer: layer)
        tables[table].withUnsafeMutableBufferPointer { slots in
            for (offset, start) in starts.enumerated() {
                precondition(slots[first + offset - 1].isFree, "id \(prefix)-\(first + offset) is in use")
                slots[first + offset - 1] = Slot(layer: layerIndex, start: Int(start))
            }
        }
        count += starts.count
    }

    /// The index of `layer` in `layerNames`, added when new. A store holds a handful of layers, and ids arrive
    /// layer by layer: the last one found is tried first (equal short strings compare in one step, unequal ones
    /// take a call).
    private mutating func index(ofLayer layer: String) -> Int32 {
        if lastLayer < layerNames.count, layerNames[lastLayer] == layer { return Int32(lastLayer) }
        if let existing = layerNames.firstIndex(of: layer) {
            lastLayer = existing
            return Int32(existing)
        }
        layerNames.append(layer)
        lastLayer = layerNames.count - 1
        return Int32(lastLayer)
    }

    private mutating func slot(_ location: Location) -> Slot {
        Slot(layer: index(ofLayer: location.layer), start: location.start)
    }

    private func location(in table: Int?, _ number: Int) -> Location? {
        guard let table, number <= tables[table].count else { return nil }
        let slot = tables[table][number - 1]
        return slot.isFree ? nil : Location(layer: layerNames[Int(slot.layer)], start: slot.start)
    }

    private func isInUse(_ table: Int?, _ number: Int) -> Bool {
        guard let table, number <= tables[table].count else { return false }
        return !tables[table][number - 1].isFree
    }

    subscript(id: String) -> Location? {
        if let (table, number) = parse(id), let location = location(in: table, number) { return location }
        return named.isEmpty ? nil : named[id]
    }

    /// True when `prefix-number` is not in use.
    func isFree(prefix: String, number: Int) -> Bool {
        let bytes = Array(prefix.utf8)
        if let table = prefixes.firstIndex(of: bytes), isInUse(table, number) { return false }
        return named.isEmpty || named["\(prefix)-\(number)"] == nil
    }

    /// True when no id `prefix-N` with N in `numbers` is in use.
    func areFree(prefix: String, numbers: ClosedRange<Int>) -> Bool {
        if let table = prefixes.firstIndex(of: Array(prefix.utf8)) {
            let slots = tables[table]
            for number in numbers where number <= slots.count && !slots[number - 1].isFree { return false }
        }
        return named.isEmpty || numbers.allSatisfy { named["\(prefix)-\($0)"] == nil }
    }

    /// Stores `location` for a new id; returns false, changing nothing, when the id is in use.
    mutating func insert(_ id: String, _ location: Location) -> Bool {
        let parsed = parse(id)
        if let parsed, isInUse(parsed.table, parsed.number) { return false }
        if !named.isEmpty, named[id] != nil { return false }
        if let (existing, number) = parsed {
            let table: Int
            if let existing {
                table = existing
            } else {
                prefixes.append(Self.prefix(of: id))
                tables.append([])
                table = tables.count - 1
            }
            let size = tables[table].count
            if number == size + 1 {
                // The usual case: ids numbered in turn.
                tables[table].append(slot(location))
                count += 1
                return true
            }
            if number <= size + Self.maximumGap {
                if number > size { tables[table].append(contentsOf: repeatElement(.free, count: number - size)) }
                tables[table][number - 1] = slot(location)
                count += 1
                return true
            }
        }
        named[id] = location
        count += 1
        return true
    }

    /// Changes the location of an id in use.
    mutating func update(_ id: String, _ location: Location) {
        if let (table, number) = parse(id), let table, isInUse(table, number) {
            tables[table][number - 1] = slot(location)
        } else if named[id] != nil {
            named[id] = location
        }
    }

    /// Forgets an id; returns where it was.
    @discardableResult
    mutating func remove(_ id: String) -> Location? {
        if let (table, number) = parse(id), let table, let location = location(in: table, number) {
            tables[table][number - 1] = .free
            count -= 1
            return location
        }
        guard let location = named.removeValue(forKey: id) else { return nil }
        count -= 1
        return location
    }
}
