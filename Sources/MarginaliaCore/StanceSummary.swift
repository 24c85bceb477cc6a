/// The aggregates of the `stance` layer that views and exports share: who stands with or against whom, and how
/// sure the author and the cited sources sound.
public struct StanceSummary: Sendable, Equatable {
    /// Support and oppose counts from one holder to one target.
    public struct Cell: Sendable, Equatable {
        public var support = 0
        public var oppose = 0
        public init() {}
        /// Support minus oppose.
        public var net: Int { support - oppose }
    }

    /// Hedges and boosters of one scope ("author" or "attributed").
    public struct Certainty: Sendable, Equatable {
        public var hedges = 0
        public var boosters = 0
        public init() {}
    }

    /// Holders and targets in order of first appearance.
    public private(set) var holders: [String] = []
    public private(set) var targets: [String] = []
    public private(set) var cells: [String: [String: Cell]] = [:]
    public private(set) var certainty: [String: Certainty] = ["author": Certainty(), "attributed": Certainty()]
    /// Words of the documents summarised (whitespace-separated), for rates per 1,000 words.
    public private(set) var words = 0
    /// Evaluations (from word valence or reported events) that were left out of the matrix.
    public private(set) var omittedEvaluations = 0

    /// - Parameter includeEvaluations: count in the matrix the author's evaluations, whose `basis` is "sentiment"
    ///   (word valence) or "event" (how a reported event portrays its participant); by default the matrix holds
    ///   alignments only.
    public init(includeEvaluations: Bool = false) {
        self.includeEvaluations = includeEvaluations
    }

    private let includeEvaluations: Bool

    /// Adds one document's stance layer.
    public mutating func add(_ document: AnnotatedDocument) {
        words += UTF8Scanning.wordCount(document.document.utf8)
        for stance in document.store.annotations(in: "stance") {
            switch stance.label {
            case "hedge", "booster":
                let scope = stance.features["scope"]?.stringValue ?? "author"
                if stance.label == "hedge" { certainty[scope, default: Certainty()].hedges += 1 } else { certainty[scope, default: Certainty()].boosters += 1 }
            case "support", "oppose":
                if !includeEvaluations, let basis = stance.features["basis"]?.stringValue, basis == "sentiment" || basis == "event" {
                    omittedEvaluations += 1
                    continue
                }
                let holder = stance.features["holder"]?.stringValue ?? "author"
                let names: [String]
                if let list = stance.features["target"]?.listValue {
                    names = list.compactMap(\.stringValue)
                } else if let name = stance.features["target"]?.stringValue {
                    names = [name]
                } else {
                    names = (stance.roles["target"] ?? []).compactMap { document.store[$0] }.map { document.document.text(of: $0.span) }
                }
                let positive = (stance.features["polarity"]?.intValue ?? (stance.label == "support" ? 1 : -1)) > 0
                if !holders.contains(holder) { holders.append(holder) }
                for target in names {
                    if !targets.contains(target) { targets.append(target) }
                    if positive { cells[holder, default: [:]][target, default: Cell()].support += 1 } else { cells[holder, default: [:]][target, default: Cell()].oppose += 1 }
                }
            default:
                break
            }
        }
    }

    /// Markers per 1,000 words.
    public func rate(_ count: Int) -> Double { Double(count) * 1000 / Double(max(words, 1)) }
}
