import MarginaliaCore

/// What the gazetteers know about a name: its label, the actor it stands for, and where that fact came from.
struct KnowledgeEntry: Sendable {
    let label: String
    let kind: String
    let canonical: String
    /// The list the entry came from: `curated`, `countries`, `cities`, or a user gazetteer's path.
    let source: String
    /// For a capital city: the country its name can stand for ("Tehran" acting for Iran).
    let governs: String?
    let confidence: Double
    /// What metonymy reads from `kind` and `label`, settled once here rather than by comparing strings at every
    /// mention.
    let isCapital: Bool
    let isGovernmentPlace: Bool

    init(label: String, kind: String, canonical: String, source: String, governs: String? = nil, confidence: Double) {
        self.label = label
        self.kind = kind
        self.canonical = canonical
        self.source = source
        self.governs = governs
        self.confidence = confidence
        isCapital = kind == "capital"
        isGovernmentPlace = kind == "government" && label == "GPE"
    }
}

/// A token trie over every name in the knowledge base, keyed by case-folded token hashes so that matching
/// allocates nothing per token.
///
/// Matching reads two flat arrays: one table of every edge (a parent node and a token's hash, probed linearly
/// from one multiply), and per node what a match ending there needs (its best entry and the capitalisation its
/// tokens ask for, packed in a word). A step of a match then waits on one line of memory or two, where a table
/// of children per node meant a node, its keys and its values, each a separate allocation.
struct PhraseTrie: Sendable {
    struct Node: Sendable {
        /// Entries ending here, best first.
        var entries: [Int32] = []
        /// The name's tokens as written.
        var surface: [String] = [] {
            didSet { casing = surface.map(Casing.init) }
        }
        /// Per token of `surface`, the capitalisation a mention must show (see ``Casing``).
        var casing: [Casing] = []
    }

    /// What a listed name's token asks of the text: acronyms ("NATO") must be in capitals, capitalised words
    /// ("Iran") capitalised or in capitals, other words (a digit, "al-") nothing.
    enum Casing: UInt8, Sendable {
        case any, capitalised, acronym

        init(_ word: String) {
            let utf8 = word.utf8
            guard let lead = utf8.first else {
                self = .any
                return
            }
            if utf8.count >= 2, utf8.allSatisfy({ !UTF8Scanning.isLower($0) }), utf8.contains(where: { UTF8Scanning.isUpper($0) }) {
                self = .acronym
            } else {
                self = UTF8Scanning.isUpper(lead) ? .capitalised : .any
            }
        }
    }

    /// A node's match in one word: its best entry, and its name's length and casing (2 bits a token).
    struct Match: Sendable {
        /// -1 when no name ends at the node.
        var entry: Int32 = -1
        /// The name's token count; 0 when it is longer than `packed` holds (``Node/casing`` then says).
        var length: UInt8 = 0
        var packed: UInt64 = 0
        /// Names of up to this many tokens have their casing packed.
        static let packedLimit = 32
    }

    /// An edge from `parent` by a token's `hash` to `child` (0 marks an empty slot: the root is no one's child).
    struct Edge: Sendable {
        var hash: UInt64 = 0
        var parent: Int32 = 0
        var child: Int32 = 0
    }

    private(set) var nodes: [Node] = [Node()]
    private(set) var matches: [Match] = [Match()]
    private var edges = [Edge](repeating: Edge(), count: 16)
    private var edgeCount = 0
    private var shift: UInt64 = 60

    mutating func insert(_ tokens: [String], entry: Int32) {
        var node = 0
        for token in tokens {
            let key = FoldedHash.of(token)
            if let child = child(of: node, key) {
                node = child
            } else {
                nodes.append(Node())
                matches.append(Match())
                addEdge(from: node, key, to: nodes.count - 1)
                node = nodes.count - 1
            }
        }
        if nodes[node].entries.isEmpty {
            nodes[node].surface = tokens
            let casing = nodes[node].casing
            var match = Match(entry: entry, length: 0, packed: 0)
            if casing.count <= Match.packedLimit {
                match.length = UInt8(casing.count)
                for (offset, value) in casing.enumerated() { match.packed |= UInt64(value.rawValue) << UInt64(2 * offset) }
            }
            matches[node] = match
        }
        if !nodes[node].entries.contains(entry) { nodes[node].entries.append(entry) }
    }

    /// The child of `node` by a token's folded hash.
    @inline(__always)
    func child(of node: Int, _ key: UInt64) -> Int? {
        edges.withUnsafeBufferPointer { edges in
            let mask = edges.count - 1
            var slot = Self.slot(node, key, shift)
            while true {
                let edge = edges[slot]
                if edge.child == 0 { return nil }
                if edge.hash == key, edge.parent == Int32(truncatingIfNeeded: node) { return Int(edge.child) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The root's child for each of `keys` (-1 for none): the first step of every match a document's tokens
    /// can start, taken at once. As in ``PackedWordMap/values(for:)``, the first pass reads each probe's first
    /// slot, reads that depend on nothing before them and so wait on memory together; the second finishes the
    /// probes from lines in cache.
    func rootChildren(_ keys: [UInt64]) -> [Int32] {
        edges.withUnsafeBufferPointer { edges in
            let starts = keys.map { Self.slot(0, $0, shift) }
            let first = starts.map { edges[$0] }
            return keys.indices.map { index in
                var edge = first[index]
                var slot = starts[index]
                while edge.child != 0 {
                    if edge.hash == keys[index], edge.parent == 0 { return edge.child }
                    slot = (slot + 1) & (edges.count - 1)
                    edge = edges[slot]
                }
                return -1
            }
        }
    }

    @inline(__always)
    private static func slot(_ node: Int, _ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ UInt64(truncatingIfNeeded: node) &* 0xD6E8_FEB8_6659_FD93) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func addEdge(from parent: Int, _ key: UInt64, to child: Int) {
        if (edgeCount + 1) * 2 > edges.count {
            let old = edges
            edges = [Edge](repeating: Edge(), count: old.count * 2)
            shift -= 1
            edgeCount = 0
            for edge in old where edge.child != 0 { addEdge(from: Int(edge.parent), edge.hash, to: Int(edge.child)) }
        }
        let mask = edges.count - 1
        var slot = Self.slot(parent, key, shift)
        while edges[slot].child != 0 { slot = (slot + 1) & mask }
        edges[slot] = Edge(hash: key, parent: Int32(parent), child: Int32(child))
        edgeCount += 1
    }
}

/// The entity analyzer's knowledge: curated actors, countries, capitals and cities, given names.
struct KnowledgeBase: Sendable {
    var entries: [KnowledgeEntry] = []
    var trie = PhraseTrie()
    var firstNames = WordSet()

    /// The built-in knowledge base, parsed once from the resources compiled into the binary.
    static let builtIn: KnowledgeBase = {
        var base = KnowledgeBase()
        let curated = String(decoding: PackageResources.curated_tsv, as: UTF8.self)
        let renames = base.addCurated(curated, source: "curated")
        base.addCountries(String(decoding: PackageResources.countries_tsv, as: UTF8.self), renames: renames)
        base.addCities(String(decoding: PackageResources.cities_tsv, as: UTF8.self), renames: renames)
        for line in String(decoding: PackageResources.first_names_tsv, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            base.firstNames.insert(FoldedHash.of(String(line)))
        }
        return base
    }()

    /// Adds a name for an entry; a leading lower-case "the" is dropped (the name is what is capitalised).
    mutating func addName(_ name: String, entry: Int32) {
        var tokens = Self.tokens(of: name)
        if tokens.first == "the", tokens.count > 1 { tokens.removeFirst() }
        guard let first = tokens.first, let lead = first.utf8.first, !(lead >= 0x61 && lead <= 0x7A) else { return }
        trie.insert(tokens, entry: entry)
    }

    static func tokens(of name: String) -> [String] {
        let bytes = Array(name.utf8)
        return Tokenizer.tokenize(bytes).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    mutating func append(_ entry: KnowledgeEntry) -> Int32 {
        entries.append(entry)
        return Int32(entries.count - 1)
    }

    /// Curated rows: `LABEL<TAB>kind<TAB>canonical<TAB>names|...`; `RENAME` rows return generated → curated names.
    /// Malformed rows are skipped here; ``parseErrors(_:source:)`` reports them for user files before loading.
    @discardableResult
    mutating func addCurated(_ text: String, source: String, confidence: Double = 0.95) -> [String: String] {
        var renames: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3 else { continue }
            if fields[0] == "RENAME", fields.count >= 4 {
                renames[fields[3]] = fields[2]
                continue
            }
            let index = append(KnowledgeEntry(label: fields[0], kind: fields[1], canonical: fields[2], source: source, confidence: confidence))
            // A nationality's canonical name is its country's, which is not itself a nationality.
            if fields[0] != "NORP" { addName(fields[2], entry: index) }
            if fields.count > 3 {
                for alias in fields[3].split(separator: "|") where !alias.isEmpty { addName(String(alias), entry: index) }
            }
        }
        return renames
    }

    /// Problems in a user gazetteer, as `path:line: message`.
    static func parseErrors(_ text: String, source: String) -> [String] {
        var errors: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.hasPrefix("#") && !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count < 3 || fields[0].isEmpty || fields[2].isEmpty {
                errors.append("\(source):\(number + 1): expected LABEL<TAB>kind<TAB>canonical<TAB>names, got \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
        }
        return errors
    }

    mutating func addCountries(_ text: String, renames: [String: String]) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6 else { continue }
            let canonical = renames[fields[0]] ?? fields[0]
            let state = append(KnowledgeEntry(label: "GPE", kind: "state", canonical: canonical, source: "countries", confidence: 0.9))
            addName(fields[0], entry: state)
            for name in fields[3].split(separator: "|") { addName(String(name), entry: state) }
            if !fields[4].isEmpty {
                let people = append(KnowledgeEntry(label: "NORP", kind: "nationality", canonical: canonical, source: "countries", confidence: 0.9))
                for demonym in fields[4].split(separator: "|") { addName(String(demonym), entry: people) }
            }
            if !fields[5].isEmpty {
                let capital = fields[5].hasSuffix(" D.C.") ? String(fields[5].dropLast(5)) : fields[5]
                let city = append(KnowledgeEntry(label: "GPE", kind: "capital", canonical: capital, source: "countries", governs: canonical, confidence: 0.9))
                addName(capital, entry: city)
            }
        }
    }

    mutating func addCities(_ text: String, renames: [String: String]) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            let index = append(KnowledgeEntry(label: "GPE", kind: "city", canonical: fields[0], source: "cities", confidence: 0.85))
            addName(fields[0], entry: index)
        }
    }
}
