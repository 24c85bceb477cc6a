/// Compares system annotations of one layer with gold ones, per label, like GATE's annotation diff: precision,
/// recall and F1 under exact (strict) and overlapping (lenient) matching, with the misses and false alarms.
///
/// Counting follows the evaluation harness: a prediction is correct when it matches any gold annotation of the
/// same label, a gold annotation is found when any prediction matches it, and identical predictions (same span,
/// same label) count once.
public struct Evaluation: Sendable {
    public enum Matching: String, Sendable, CaseIterable {
        case exact, overlap
    }

    /// Counts for one label (or all labels) under one matching.
    public struct Counts: Sendable, Equatable {
        public var gold = 0
        public var predicted = 0
        /// Predictions that match a gold annotation.
        public var correct = 0
        /// Gold annotations some prediction matches.
        public var found = 0

        public init(gold: Int = 0, predicted: Int = 0, correct: Int = 0, found: Int = 0) {
            self.gold = gold
            self.predicted = predicted
            self.correct = correct
            self.found = found
        }

        public var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
        public var recall: Double { gold == 0 ? 0 : Double(found) / Double(gold) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        mutating func add(_ other: Counts) {
            gold += other.gold
            predicted += other.predicted
            correct += other.correct
            found += other.found
        }
    }

    /// A gold annotation no prediction matched, or a prediction no gold annotation matched.
    public struct Difference: Sendable, Equatable {
        public enum Kind: String, Sendable { case miss, falseAlarm = "false alarm" }
        public var kind: Kind
        public var document: String
        public var label: String
        public var span: TextSpan
        public var text: String
    }

    public private(set) var byLabel: [Matching: [String: Counts]] = [.exact: [:], .overlap: [:]]
    public private(set) var differences: [Matching: [Difference]] = [.exact: [], .overlap: []]

    public init() {}

    /// All labels together.
    public func overall(_ matching: Matching) -> Counts {
        var total = Counts()
        for counts in byLabel[matching]!.values { total.add(counts) }
        return total
    }

    public var labels: [String] { Array(byLabel[.exact]!.keys).sorted() }

    /// Adds one document's comparison for `layer`.
    public mutating func add(gold: AnnotatedDocument, system: AnnotatedDocument, layer: String) throws {
        guard gold.document.utf8 == system.document.utf8 else {
            throw MarginaliaError(
                .invalidInput, "the gold and system texts of document '\(gold.id)' differ, so their offsets cannot be compared")
        }
        func unique(_ list: [Annotation]) -> [Annotation] {
            var seen: Set<String> = []
            return list.filter { seen.insert("\($0.label)\t\($0.span.start)\t\($0.span.end)").inserted }
        }
        let goldList = unique(gold.store.annotations(in: layer))
        let systemList = unique(system.store.annotations(in: layer))
        for matching in Matching.allCases {
            func matches(_ a: Annotation, _ b: Annotation) -> Bool {
                a.label == b.label && (matching == .exact ? a.span == b.span : a.span.overlaps(b.span))
            }
            for label in Set(goldList.map(\.label) + systemList.map(\.label)) {
                let g = goldList.filter { $0.label == label }
                let s = systemList.filter { $0.label == label }
                var counts = Counts(gold: g.count, predicted: s.count)
                for prediction in s {
                    if g.contains(where: { matches($0, prediction) }) {
                        counts.correct += 1
                    } else {
                        differences[matching]!.append(Difference(kind: .falseAlarm, document: gold.id, label: label, span: prediction.span, text: system.document.text(of: prediction.span)))
                    }
                }
                for item in g {
                    if s.contains(where: { matches(item, $0) }) {
                        counts.found += 1
                    } else {
                        differences[matching]!.append(Difference(kind: .miss, document: gold.id, label: label, span: item.span, text: gold.document.text(of: item.span)))
                    }
                }
                byLabel[matching]![label, default: Counts()].add(counts)
            }
        }
        for matching in Matching.allCases {
            differences[matching]!.sort {
                ($0.document, $0.span.start, $0.span.end, $0.kind.rawValue, $0.label) < ($1.document, $1.span.start, $1.span.end, $1.kind.rawValue, $1.label)
            }
        }
    }

    /// The table `eval` and the REPL's `diff` print: per label and overall, strict and lenient.
    public func table() -> [[String]] {
        func percent(_ value: Double) -> String {
            let scaled = (value * 1000).rounded() / 10
            return String(scaled)
        }
        var rows = [["LABEL", "GOLD", "SYSTEM", "STRICT P", "R", "F1", "LENIENT P", "R", "F1"]]
        for label in labels + ["overall"] {
            let exact = label == "overall" ? overall(.exact) : byLabel[.exact]![label]!
            let overlap = label == "overall" ? overall(.overlap) : byLabel[.overlap]![label]!
            rows.append([
                label, String(exact.gold), String(exact.predicted),
                percent(exact.precision), percent(exact.recall), percent(exact.f1),
                percent(overlap.precision), percent(overlap.recall), percent(overlap.f1),
            ])
        }
        return rows
    }
}
