import Foundation
public import MarginaliaCore
import MarginaliaIO
import Yams

/// A YAML file of rule-based analyzers: gazetteers and token patterns, for analysts who do not write Swift.
///
/// The format is described in `Docs/writing-analyzers.md`. Every error names the file, line and column.
public struct RuleFile: Sendable {
    /// One analyzer the file defines.
    public struct Definition: Sendable {
        public var descriptor: AnalyzerDescriptor
        var layer: String
        var gazetteers: [Gazetteer]
        var patterns: [Pattern]
    }

    struct Gazetteer: Sendable {
        var label: String
        var caseSensitive: Bool
        /// Each term as its tokens' texts, with their case-folded hashes, by first hash and longest first:
        /// built once when the file is read, not per document.
        var terms: [UInt64: [(texts: [String], hashes: [UInt64])]]
        var features: [String: FeatureValue]
        var line: Int
    }

    struct Pattern: Sendable {
        var label: String
        var pattern: RulePattern
        var source: String
        var features: [String: FeatureValue]
        var line: Int
    }

    public let path: String
    public let definitions: [Definition]

    /// Reads and checks `path`.
    public static func load(_ path: String) throws -> RuleFile {
        let bytes = try FileIO.read(path)
        let text = String(decoding: try TextDecoding.decode(bytes, name: path).bytes, as: UTF8.self)
        return try RuleFile(parsing: text, path: path)
    }

    /// Parses rule-file text; `path` names it in errors and anchors relative gazetteer files.
    public init(parsing text: String, path: String) throws {
        self.path = path
        func fail(_ message: String, _ node: Node?) -> MarginaliaError {
            MarginaliaError(.invalidInput, message, location: path, line: node?.mark?.line, column: node?.mark?.column)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.describe(error, path: path)
        }
        guard let root, let mapping = root.mapping else { throw fail("a rule file is a mapping with an 'analyzers' list", root) }
        for key in mapping.keys where key.string != "analyzers" {
            throw fail("unknown key '\(key.string ?? "?")' (a rule file has 'analyzers')", key)
        }
        guard let list = root["analyzers"], let items = list.sequence, !items.isEmpty else {
            throw fail("'analyzers' must be a non-empty list", root["analyzers"] ?? root)
        }
        let directory = (path as NSString).deletingLastPathComponent
        var definitions: [Definition] = []
        for item in items {
            definitions.append(try Self.definition(item, path: path, directory: directory, fail: fail))
        }
        var seen: Set<String> = []
        for (definition, item) in zip(definitions, items) where !seen.insert(definition.descriptor.name).inserted {
            throw fail("analyzer '\(definition.descriptor.name)' is defined twice", item)
        }
        self.definitions = definitions
    }

    /// Registrations for every analyzer of the file.
    public var registrations: [AnalyzerRegistration] {
        definitions.map { definition in
            AnalyzerRegistration(descriptor: definition.descriptor, origin: .rules(file: path)) { _ in
                RuleAnalyzer(definition: definition)
            }
        }
    }

    static let analyzerKeys: Set<String> = ["name", "version", "summary", "layer", "requires", "produces", "gazetteers", "patterns"]
    static let gazetteerKeys: Set<String> = ["label", "terms", "file", "case-sensitive", "features"]
    static let patternKeys: Set<String> = ["label", "match", "features"]

    private static func definition(
        _ node: Node, path: String, directory: String, fail: (String, Node?) -> MarginaliaError
    ) throws -> Definition {
        guard let mapping = node.mapping else { throw fail("each analyzer is a mapping with at least 'name'", node) }
        try checkKeys(mapping, allowed: analyzerKeys, what: "an analyzer", fail: fail)
        guard let name = node["name"]?.string, AnalyzerRegistry.isValidName(name) else {
            throw fail("'name' must be lower-case letters, digits, '-' or '_'", node["name"] ?? node)
        }
        let layer = node["layer"]?.string ?? name
        var requires = Set(try stringList(node["requires"], fail: fail))
        requires.formUnion(["token", "sentence"])
        var produces = Set(try stringList(node["produces"], fail: fail))
        produces.insert(layer)
        var gazetteers: [Gazetteer] = []
        for item in node["gazetteers"]?.sequence ?? [] {
            guard let entry = item.mapping else { throw fail("a gazetteer is a mapping with 'label' and 'terms' or 'file'", item) }
            try checkKeys(entry, allowed: gazetteerKeys, what: "a gazetteer", fail: fail)
            guard let label = item["label"]?.string, !label.isEmpty else { throw fail("a gazetteer needs a 'label'", item) }
            let caseSensitive = item["case-sensitive"]?.bool ?? false
            var terms = try stringList(item["terms"], fail: fail)
            if let fileNode = item["file"], let file = fileNode.string {
                let full = file.hasPrefix("/") ? file : (directory.isEmpty ? file : directory + "/" + file)
                let bytes: [UInt8]
                do {
                    bytes = try FileIO.read(full)
                } catch {
                    throw fail("cannot read gazetteer file '\(file)': \(error)", fileNode)
                }
                for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    let term = String(line).trimmingSpaces()
                    if !term.isEmpty, !term.hasPrefix("#") { terms.append(term) }
                }
            }
            guard !terms.isEmpty else { throw fail("gazetteer '\(label)' has no terms ('terms' list or 'file')", item) }
            gazetteers.append(
                Gazetteer(
                    label: label, caseSensitive: caseSensitive, terms: Self.termTable(terms),
                    features: try features(item["features"], fail: fail), line: item.mark?.line ?? 0))
        }
        var patterns: [Pattern] = []
        for item in node["patterns"]?.sequence ?? [] {
            guard let entry = item.mapping else { throw fail("a pattern is a mapping with 'label' and 'match'", item) }
            try checkKeys(entry, allowed: patternKeys, what: "a pattern", fail: fail)
            guard let label = item["label"]?.string, !label.isEmpty else { throw fail("a pattern needs a 'label'", item) }
            guard let matchNode = item["match"], let source = matchNode.string else { throw fail("a pattern needs 'match'", item) }
            let compiled: RulePattern
            do {
                compiled = try RulePattern(source)
            } catch {
                // The column inside the pattern, counted from where the YAML value starts (plus a quote if any).
                let quoted = matchNode.scalar?.style == .doubleQuoted || matchNode.scalar?.style == .singleQuoted
                var located = fail("in pattern '\(source)': \(error.message)", matchNode)
                if let column = located.column { located.column = column + error.column - 1 + (quoted ? 1 : 0) }
                throw located
            }
            for layer in compiled.layers where !requires.contains(layer) {
                // A label constraint reads a layer: the analyzer needs it.
                requires.insert(layer)
            }
            patterns.append(
                Pattern(label: label, pattern: compiled, source: source, features: try features(item["features"], fail: fail), line: matchNode.mark?.line ?? 0))
        }
        guard !gazetteers.isEmpty || !patterns.isEmpty else { throw fail("analyzer '\(name)' has no 'gazetteers' or 'patterns'", node) }
        let descriptor = AnalyzerDescriptor(
            name: name, version: node["version"]?.string ?? "1.0.0",
            summary: node["summary"]?.string ?? "rules from \((path as NSString).lastPathComponent)",
            requires: requires, produces: produces)
        return Definition(descriptor: descriptor, layer: layer, gazetteers: gazetteers, patterns: patterns)
    }

    private static func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, what: String, fail: (String, Node?) -> MarginaliaError) throws {
        for key in mapping.keys {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                var message = "unknown key '\(key.string ?? "?")' in \(what) (known: \(known))"
                if let name = key.string, let near = Suggestion.nearest(to: name, among: allowed.sorted()) {
                    message = "unknown key '\(name)' in \(what); did you mean '\(near)'?"
                }
                throw fail(message, key)
            }
        }
    }

    private static func stringList(_ node: Node?, fail: (String, Node?) -> MarginaliaError) throws -> [String] {
        guard let node else { return [] }
        if let single = node.scalar?.string { return [single] }
        guard let items = node.sequence else { throw fail("expected a list of strings", node) }
        return try items.map {
            guard let text = $0.string else { throw fail("expected a string", $0) }
            return text
        }
    }

    private static func features(_ node: Node?, fail: (String, Node?) -> MarginaliaError) throws -> [String: FeatureValue] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw fail("'features' is a mapping of names to values", node) }
        var result: [String: FeatureValue] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("a feature name must be a string", key) }
            result[name] = featureValue(value)
        }
        return result
    }

    private static func featureValue(_ node: Node) -> FeatureValue {
        if let scalar = node.scalar {
            if scalar.style == .plain {
                if let int = node.int { return .int(int) }
                if let double = node.float { return .double(double) }
                if let bool = node.bool { return .bool(bool) }
            }
            return .string(scalar.string)
        }
        if let items = node.sequence { return .list(items.map(featureValue)) }
        if let mapping = node.mapping {
            var members: [String: FeatureValue] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = featureValue(value) }
            return .map(members)
        }
        return .string("")
    }

    static func termTable(_ terms: [String]) -> [UInt64: [(texts: [String], hashes: [UInt64])]] {
        var table: [UInt64: [(texts: [String], hashes: [UInt64])]] = [:]
        for term in terms {
            let texts = termTokens(term)
            guard let first = texts.first else { continue }
            table[FoldedHash.of(first), default: []].append((texts, texts.map { FoldedHash.of($0) }))
        }
        for key in table.keys { table[key]!.sort { $0.texts.count > $1.texts.count } }
        return table
    }

    /// A term split the way the tokenizer splits text, so "U.S.-backed" or "S-300" match as the text has them.
    static func termTokens(_ term: String) -> [String] {
        let bytes = Array(term.utf8)
        return Tokenizer.tokenize(bytes).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
    }

    static func describe(_ error: YamlError, path: String) -> MarginaliaError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let message = [context.map { "\($0.text)" }, problem].compactMap { $0 }.joined(separator: ": ")
            return MarginaliaError(.invalidInput, "invalid YAML: \(message)", location: path, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return MarginaliaError(
                .invalidInput, "duplicate key '\(duplicates.joined(separator: "', '"))'", location: path, line: context.mark.line,
                column: context.mark.column)
        default:
            return MarginaliaError(.invalidInput, "invalid YAML: \(error)", location: path)
        }
    }
}

/// The analyzer a rule-file definition describes.
struct RuleAnalyzer: DocumentAnalyzing {
    let definition: RuleFile.Definition

    func analyze(_ document: Document, store: AnnotationStore) throws -> [Annotation] {
        let layers = definition.patterns.reduce(into: Set<String>()) { $0.formUnion($1.pattern.layers) }
        let matcher = RuleMatcher(document: document, store: store, layers: layers)
        let tokens = matcher.table.tokens
        var result: [Annotation] = []
        func annotation(_ range: ClosedRange<Int>, label: String, features: [String: FeatureValue], rule: String) -> Annotation {
            var features = Features(features)
            features["rule"] = .string(rule)
            return Annotation(
                id: "", layer: definition.layer, label: label, span: TextSpan(tokens[range.lowerBound].start, tokens[range.upperBound].end),
                features: features)
        }
        for gazetteer in definition.gazetteers {
            let rule = "gazetteer \(gazetteer.label) (line \(gazetteer.line))"
            for range in Self.gazetteerMatches(gazetteer, tokens: tokens, sentences: matcher.table.sentences, document: document) {
                result.append(annotation(range, label: gazetteer.label, features: gazetteer.features, rule: rule))
            }
        }
        for pattern in definition.patterns {
            let rule = "pattern \(pattern.label) (line \(pattern.line))"
            for range in matcher.matches(pattern.pattern) {
                result.append(annotation(range, label: pattern.label, features: pattern.features, rule: rule))
            }
        }
        return result
    }

    /// Longest terms first at each token, within sentences, without overlaps.
    static func gazetteerMatches(
        _ gazetteer: RuleFile.Gazetteer, tokens: [TokenTable.Entry], sentences: [Range<Int>], document: Document
    ) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for sentence in sentences {
            var i = sentence.lowerBound
            while i < sentence.upperBound {
                var matched = 0
                for term in gazetteer.terms[tokens[i].hash] ?? [] where i + term.texts.count <= sentence.upperBound {
                    let fits = term.hashes.indices.allSatisfy { offset in
                        let token = tokens[i + offset]
                        guard token.hash == term.hashes[offset] else { return false }
                        return !gazetteer.caseSensitive || document.utf8[token.start..<token.end].elementsEqual(term.texts[offset].utf8)
                    }
                    if fits {
                        matched = term.texts.count
                        break
                    }
                }
                if matched > 0 {
                    result.append(i...(i + matched - 1))
                    i += matched
                } else {
                    i += 1
                }
            }
        }
        return result
    }
}
