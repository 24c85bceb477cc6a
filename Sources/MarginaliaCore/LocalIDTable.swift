/// The local ids of one analyzer's batch, mapped to the final ids the pipeline gives them.
///
/// Built once per batch and read once per role target. Local ids are short ("c3", "t12"); `Dictionary` hashes
/// each with SipHash, which cost more than everything else the pipeline does to the batch. Here a local id's
/// bytes are hashed with FNV-1a into an open-addressed table at most half full, and a hit is confirmed by
/// comparing the strings.
struct LocalIDTable {
    private var slots: [Int32]
    private var locals: [String] = []
    private var finals: [String] = []
    private var mask: Int

    init(capacity: Int) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        locals.reserveCapacity(capacity)
        finals.reserveCapacity(capacity)
    }

    private static func hash(_ id: String) -> Int {
        var id = id
        return id.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }

    /// Records that `local` becomes `final`; false when `local` was already recorded.
    mutating func insert(_ local: String, as final: String) -> Bool {
        if (locals.count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(local) & mask
        while slots[slot] >= 0 {
            if locals[Int(slots[slot])] == local { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(locals.count)
        locals.append(local)
        finals.append(final)
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (index, local) in locals.enumerated() {
            var slot = Self.hash(local) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// The final id given to `local`, if it is one of the batch's local ids.
    subscript(local: String) -> String? {
        var slot = Self.hash(local) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if locals[index] == local { return finals[index] }
            slot = (slot + 1) & mask
        }
        return nil
    }
}
