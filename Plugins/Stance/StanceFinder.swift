import MarginaliaCore

/// One document's stance search over tokens, entity mentions and attributions.
struct StanceFinder {
    typealias Tok = TokenTable.Entry

    /// An actor mention: an `entity` annotation over tokens `first...last`.
    struct Actor {
        var first: Int
        var last: Int
        var id: String
        var canonical: String
    }

    /// Where an attribution's content lies, and whose it is.
    /// A class, so that the copy every stance inside reported speech takes is one retain, not one per string.
    final class Attributed {
        let span: TextSpan
        let attribution: String
        let source: String?
        let sourceEntity: String?

        init(span: TextSpan, attribution: String, source: String?, sourceEntity: String?) {
            self.span = span
            self.attribution = attribution
            self.source = source
            self.sourceEntity = sourceEntity
        }
    }

    /// Actor mentions that act together ("Iran and Russia"), in text order. Most are one actor, held without an
    /// array: a group is made for every predicate, event and evaluation, and an array each was a third of the
    /// search's allocations.
    struct ActorGroup: RandomAccessCollection {
        private var first = -1
        private var rest: [Int] = []

        /// No actor.
        init() {}
        /// One actor.
        init(_ actor: Int) { first = actor }
        /// `members`, in order.
        init(_ members: [Int]) {
            guard let head = members.first else { return }
            first = head
            rest = Array(members.dropFirst())
        }

        var startIndex: Int { 0 }
        var endIndex: Int { first < 0 ? 0 : 1 + rest.count }
        subscript(position: Int) -> Int { position == 0 ? first : rest[position - 1] }
    }

    /// One holder–target pair of a cue (a struct: an array of tuples holding strings is destroyed through the
    /// runtime's generic tuple witness).
    struct Pair {
        var holder: Int?
        var target: Int
        var holderName: String
        var sourceEntity: String?
    }

    let document: Document
    let store: AnnotationStore
    let lexicon: StanceLexicon
    /// Lends the finder to its helpers by address instead of copying it into every call (see ``PassedByAddress``).
    private let passedByAddress = PassedByAddress()
    let evaluations: Bool
    let window: Int
    let positiveWindow: Int
    let threshold: Double
    var toks: [Tok]
    var sentences: [Range<Int>]
    var actors: [Actor] = []
    /// Per token, the actor mention covering it, or -1.
    var actorAt: [Int32]
    /// Per token, the lexicon's ``StanceLexicon/wordBits`` for its word: which passes it can start something in.
    var wordBits: [UInt8]
    /// Per token, the valence an evaluation reads from its word (``readValence(_:)``), 0 for none: looked up once
    /// per distinct word, and only when evaluations are on.
    var evaluative: [Double] = []
    var attributed: [Attributed] = []
    var cueSpans: [Attributed] = []
    /// `attributed` and `cueSpans` by position, so a stance or marker finds its attribution without a scan of
    /// them all (a long report has tens of thousands).
    var attributedIndex = SpanLookup([])
    var cueIndex = SpanLookup([])
    /// What the finder makes, appended as rows (see ``Names`` for the labels and keys).
    var result = AnnotationColumns(layer: "stance")
    let names: Names
    /// Per actor, the first token of the last sentence where a predicate gave it a role, and of the last where
    /// its evaluation was read: marks instead of a set per sentence.
    var involvedIn: [Int] = []
    var evaluatedIn: [Int] = []
    /// Per actor mention, the contents of the attributions it is the source of: what a source says is not
    /// about the source.
    var spokenBy: [[TextSpan]] = []
    /// The current sentence's valued words (``readValence(_:)``), kept to reuse its storage.
    var valued: [(index: Int, value: Double)] = []
    /// The pairs of one cue's stances, kept to reuse the storage (see ``emit``).
    var pairs: [Pair] = []
    /// The current sentence's cue rows by span and basis: a word that grounds stances toward several actors
    /// ("the brutal regimes of Iran and Syria") is one cue, named by each of them, not one cue per stance.
    var sentenceCues: [(start: Int, end: Int, basis: String, row: Int)] = []
    /// Per actor mention, its entity as a role target of the columns, once a stance has named it.
    var actorTargets: [AnnotationColumns.Outside?] = []

    /// The labels and keys of the layer, looked up in the columns' name table once.
    struct Names {
        let support, oppose, cue, hedge, booster: AnnotationColumns.Name
        let attribution, basis, category, holder, polarity, scope, strength, target: AnnotationColumns.Name

        init(_ columns: inout AnnotationColumns) {
            (support, oppose, cue, hedge, booster) =
                (columns.name("support"), columns.name("oppose"), columns.name("cue"), columns.name("hedge"), columns.name("booster"))
            (attribution, basis, category, holder) =
                (columns.name("attribution"), columns.name("basis"), columns.name("category"), columns.name("holder"))
            (polarity, scope, strength, target) =
                (columns.name("polarity"), columns.name("scope"), columns.name("strength"), columns.name("target"))
        }
    }

    init(
        document: Document, store: AnnotationStore, lexicon: StanceLexicon, evaluations: Bool, window: Int, positiveWindow: Int,
        threshold: Double
    ) {
        self.document = document
        self.store = store
        self.lexicon = lexicon
        self.evaluations = evaluations
        self.window = window
        self.positiveWindow = positiveWindow
        self.threshold = threshold
        names = Names(&result)
        let table = store.tokenTable(for: document)
        toks = table.tokens
        sentences = table.sentences
        actorAt = [Int32](repeating: -1, count: table.tokens.count)
        // One probe per distinct word answers both questions (see ``StanceLexicon/words``).
        let info = table.types.withUnsafeBufferPointer { lexicon.words.values(for: $0) }
        (wordBits, evaluative) = info.withUnsafeBufferPointer { info in
            table.tokens.withUnsafeBufferPointer { tokens in
                let bits = [UInt8](unsafeUninitializedCapacity: tokens.count) { bits, initialized in
                    for index in tokens.indices { bits[index] = info[Int(tokens[index].type)].bits }
                    initialized = tokens.count
                }
                // Read only when evaluations are on.
                guard evaluations else { return (bits, []) }
                let valence = [Double](unsafeUninitializedCapacity: tokens.count) { valence, initialized in
                    for index in tokens.indices { valence[index] = info[Int(tokens[index].type)].valence }
                    initialized = tokens.count
                }
                return (bits, valence)
            }
        }
        // Read in place: binding each entity would copy it, retaining and releasing its strings and features.
        store.annotations(in: "entity").withUnsafeBufferPointer { entities in
            // The layer is in text order: each mention's first token is found by walking on from the last one's
            // rather than by a binary search (whose branches no predictor learns).
            var first = 0
            for position in entities.indices where Self.isActorLabel(entities[position].label) {
                let span = entities[position].span
                if first > 0, toks[first - 1].start >= span.start {
                    first = table.firstToken(atOrAfter: span.start)
                }
                while first < toks.count, toks[first].start < span.start { first += 1 }
                guard first < toks.count, toks[first].start < span.end else { continue }
                var last = first
                while last + 1 < toks.count, toks[last + 1].end <= span.end { last += 1 }
                let canonical = entities[position].features["canonical"]?.stringValue ?? document.text(of: span)
                for index in first...last where actorAt[index] < 0 { actorAt[index] = Int32(actors.count) }
                actors.append(Actor(first: first, last: last, id: entities[position].id, canonical: canonical))
            }
        }
        addPronounMentions()
        let citations = store.annotations(in: "citation")
        // An attribution's roles name annotations of its own layer: their spans by id from one pass over the layer,
        // a lookup a few times cheaper than the store's by-id search (the store answers for any other target).
        var citationSpans = [String: TextSpan](minimumCapacity: citations.count)
        citations.withUnsafeBufferPointer { citations in
            for index in citations.indices where citations[index].label != "attribution" {
                citationSpans[citations[index].id] = citations[index].span
            }
        }
        func span(of id: String) -> TextSpan? { citationSpans[id] ?? store.span(of: id) }
        var spoken: [(actor: Int, span: TextSpan)] = []
        // The author's own "I think" / "we believe" is a citation but not a cited source: what it covers stays
        // in the author's scope.
        for attribution in citations where attribution.label == "attribution" && attribution.features["sourceKind"]?.stringValue != "author" {
            // Role targets are read for their spans only, in place.
            let sourceSpan = attribution.roles["source"]?.first.flatMap { span(of: $0) }
            let source = attribution.features["sourceCanonical"]?.stringValue ?? sourceSpan.map { document.text(of: $0) }
            let entity = sourceSpan.flatMap { sourceSpan in
                store.overlapping(sourceSpan, in: "entity").first { Self.isActorLabel($0.label) }
            }
            let sourceEntity = entity?.id
            // The source's mention, by token: what it says is not about it (see `evaluate`).
            let sourceToken = entity.map { table.firstToken(atOrAfter: $0.span.start) }
            let sourceActor = sourceToken.flatMap { $0 < actorAt.count && actorAt[$0] >= 0 ? Int(actorAt[$0]) : nil }
            for id in attribution.roles["content"] ?? [] {
                if let content = span(of: id) {
                    attributed.append(Attributed(span: content, attribution: attribution.id, source: source, sourceEntity: sourceEntity))
                    if let sourceActor { spoken.append((sourceActor, content)) }
                }
            }
            for id in attribution.roles["cue"] ?? [] {
                if let cue = span(of: id) {
                    cueSpans.append(Attributed(span: cue, attribution: attribution.id, source: source, sourceEntity: sourceEntity))
                }
            }
        }
        spokenBy = [[TextSpan]](repeating: [], count: actors.count)
        for (actor, span) in spoken { spokenBy[actor].append(span) }
        involvedIn = [Int](repeating: -1, count: actors.count)
        evaluatedIn = involvedIn
        actorTargets = [AnnotationColumns.Outside?](repeating: nil, count: actors.count)
        attributedIndex = SpanLookup(attributed.map(\.span))
        cueIndex = SpanLookup(cueSpans.map(\.span))
    }

    /// Whether an entity label names an actor (a person, nationality, organisation or state): four comparisons of
    /// short strings, cheaper than hashing the label for a set.
    static func isActorLabel(_ label: String) -> Bool {
        label == "GPE" || label == "ORG" || label == "PERSON" || label == "NORP"
    }

    /// Third-person singular pronouns as mentions of the last person named before them (their token is the
    /// mention), so "he was praised" reaches the person; with no person before, the pronoun stands for itself.
    mutating func addPronounMentions() {
        var lastPerson: String? = nil
        var personEnds: [(end: Int, canonical: String)] = []
        store.annotations(in: "entity").withUnsafeBufferPointer { entities in
            for position in entities.indices where entities[position].label == "PERSON" {
                let span = entities[position].span
                personEnds.append((span.end, entities[position].features["canonical"]?.stringValue ?? document.text(of: span)))
            }
        }
        var next = 0
        // Built-in tokens are columns in the table's order: the pronoun's id is read from them without building
        // the token annotations around it.
        let columns = store.tokenColumns(in: "token")
        for index in toks.indices where wordBits[index] & StanceLexicon.WordBit.pronoun != 0 && actorAt[index] < 0 {
            while next < personEnds.count, personEnds[next].end <= toks[index].start {
                lastPerson = personEnds[next].canonical
                next += 1
            }
            // The pronoun's token annotation is the mention the stance's role points to.
            let span = TextSpan(toks[index].start, toks[index].end)
            let tokenID: String
            if let columns, index < columns.count, columns.span(at: index) == span {
                tokenID = columns.id(at: index)
            } else {
                guard let token = store.inside(span, in: "token").first(where: { $0.span == span }) else { continue }
                tokenID = token.id
            }
            actorAt[index] = Int32(actors.count)
            let text = document.text(of: span).lowercased()
            actors.append(Actor(first: index, last: index, id: tokenID, canonical: lastPerson ?? text))
        }
    }

    // MARK: - Helpers

    func isIn(_ index: Int, _ set: WordSet) -> Bool { set.contains(toks[index].hash) }

    func span(_ first: Int, _ last: Int) -> TextSpan { TextSpan(toks[first].start, toks[last].end) }

    /// The attribution whose content holds `span`, if any (the innermost).
    func attribution(containing span: TextSpan) -> Attributed? {
        // The shortest, the earliest of equals: visited without building arrays (this runs for every stance).
        var best: (length: Int, index: Int)? = nil
        attributedIndex.forEachCandidate(startingAtOrBefore: span.start, endingAtOrAfter: span.end) { index in
            let candidate = attributed[index].span
            guard candidate.start <= span.start, candidate.end >= span.end else { return }
            if best == nil || candidate.length < best!.length || candidate.length == best!.length && index < best!.index {
                best = (candidate.length, index)
            }
        }
        return best.map { attributed[$0.index] }
    }

    /// The first cue (in attribution order) that overlaps `span`.
    func cue(overlapping span: TextSpan) -> Attributed? {
        var first: Int? = nil
        cueIndex.forEachCandidate(startingAtOrBefore: span.end, endingAtOrAfter: span.start) { index in
            if cueSpans[index].span.overlaps(span), index < first ?? Int.max { first = index }
        }
        return first.map { cueSpans[$0] }
    }

    /// A negator within three words before `index`, not crossing punctuation ("not only" does not count).
    func isNegated(_ index: Int, sentence: Range<Int>) -> Bool {
        var k = index - 1
        while k >= sentence.lowerBound, k >= index - 4 {
            // The token's bits say whether it is a negator ("n't", the one that is not a word, among them).
            let negator = wordBits[k] & StanceLexicon.WordBit.negator != 0
            if !toks[k].isWord && !negator { return false }
            if negator {
                return !(k + 1 < toks.count && toks[k + 1].hash == StanceWords.only)
            }
            k -= 1
        }
        return false
    }

    /// Actor mentions coordinated with the one at `index`: "Russia and China", "both Iran, Turkey and Russia".
    /// Commas join mentions only in a list that "and" or "or" closes, so "between Iran and the U.S., Russia will"
    /// does not make the U.S. act with Russia.
    func group(at actor: Int) -> ActorGroup {
        // The members before and after the actor: empty, as for most actors, they allocate nothing.
        var before: [Int] = []
        var after: [Int] = []
        var pending: [Int] = []
        var next = actors[actor].last + 1
        while next < toks.count, isIn(next, StanceWords.coordinators) || toks[next].hash == StanceWords.comma {
            let isComma = toks[next].hash == StanceWords.comma
            var candidate = next + 1
            if candidate < toks.count, isIn(candidate, StanceWords.coordinators) { candidate += 1 }  // ", and"
            if candidate < toks.count, isIn(candidate, StanceWords.determinersLight) { candidate += 1 }
            guard candidate < toks.count, actorAt[candidate] >= 0, toks[candidate].sentence == toks[next].sentence else { break }
            let member = Int(actorAt[candidate])
            if isComma && !isIn(next + 1, StanceWords.coordinators) {
                pending.append(member)
            } else {
                after += pending
                after.append(member)
                pending.removeAll()
            }
            next = actors[member].last + 1
        }
        var previous = actors[actor].first - 1
        while previous > 0, isIn(previous, StanceWords.coordinators) {
            var candidate = previous - 1
            if isIn(candidate, StanceWords.determinersLight), candidate > 0 { candidate -= 1 }
            guard actorAt[candidate] >= 0, toks[candidate].sentence == toks[previous].sentence else { break }
            let member = Int(actorAt[candidate])
            before.insert(member, at: 0)
            previous = actors[member].first - 1
            // "Iran, Turkey and Russia": the commas before the last "and" belong to the list.
            while previous > 0, toks[previous].hash == StanceWords.comma, actorAt[previous - 1] >= 0 {
                let earlier = Int(actorAt[previous - 1])
                before.insert(earlier, at: 0)
                previous = actors[earlier].first - 1
            }
        }
        return before.isEmpty && after.isEmpty ? ActorGroup(actor) : ActorGroup(before + [actor] + after)
    }

    /// The nearest actor before `index` in the sentence, not across a semicolon or a relative clause boundary.
    /// Mentions inside a prepositional phrase ("in the UN Security Council") are passed over: a holder is a subject.
    func actorBefore(_ index: Int, sentence: Range<Int>) -> Int? {
        var k = index - 1
        while k >= sentence.lowerBound {
            if actorAt[k] >= 0 {
                let actor = Int(actorAt[k])
                var before = actors[actor].first - 1
                if before >= sentence.lowerBound, isIn(before, StanceWords.determinersLight) { before -= 1 }
                // "in Iran's efforts to combat": a possessor is the agent even inside a phrase.
                let possessor = actors[actor].last + 1 < toks.count && isIn(actors[actor].last + 1, StanceWords.possessives)
                if before >= sentence.lowerBound, isIn(before, StanceWords.prepositions), !possessor {
                    k = actors[actor].first - 1
                    continue
                }
                return actor
            }
            if toks[k].hash == StanceWords.semicolon { return nil }
            k -= 1
        }
        return nil
    }

    /// The sentence's first actor that is not inside a prepositional phrase: the subject of a passive whose
    /// verb is coordinated ("Russia is trying to help Iran ... and has been hailed by Iran").
    func subjectActor(before index: Int, sentence: Range<Int>) -> Int? {
        var k = sentence.lowerBound
        while k < index {
            if actorAt[k] >= 0 {
                let actor = Int(actorAt[k])
                var before = actors[actor].first - 1
                if before >= sentence.lowerBound, isIn(before, StanceWords.determinersLight) { before -= 1 }
                if before < sentence.lowerBound || !isIn(before, StanceWords.prepositions) { return actor }
                k = actors[actor].last + 1
                continue
            }
            k += 1
        }
        return nil
    }

    /// The nearest actor after `index`, within `limit` tokens and the sentence.
    func actorAfter(_ index: Int, sentence: Range<Int>, limit: Int = 10) -> Int? {
        var k = index
        while k < sentence.upperBound, k < index + limit {
            if actorAt[k] >= 0 { return Int(actorAt[k]) }
            if toks[k].hash == StanceWords.semicolon || toks[k].hash == StanceWords.period { return nil }
            k += 1
        }
        return nil
    }

    // MARK: - Passes

    mutating func find() {
        // News prose gives about one stance annotation for every seven tokens: room for one in six made once,
        // rather than by doubling (each time moving every annotation made so far).
        result.reserveCapacity(rows: toks.count / 6, featuresPerRow: 4)
        // Stances need an actor: sentences without one get their markers only.
        var hasActor = [Bool](repeating: false, count: sentences.count)
        for actor in actors where toks[actor.first].sentence < hasActor.count { hasActor[toks[actor.first].sentence] = true }
        for (index, sentence) in sentences.enumerated() where !sentence.isEmpty {
            sentenceCues.removeAll(keepingCapacity: true)
            markers(in: sentence)
            guard hasActor[index] else { continue }
            stances(in: sentence)
            if evaluations {
                events(in: sentence)
                evaluate(sentence)
            }
        }
    }

    /// Hedges and boosters, in their epistemic senses only.
    mutating func markers(in sentence: Range<Int>) {
        var i = sentence.lowerBound
        while i < sentence.upperBound {
            // Most words start no marker: settled by the token's bit.
            guard wordBits[i] & StanceLexicon.WordBit.marker != 0, toks[i].isWord, let (length, phrase) = lexicon.markers.match(at: i, in: toks, end: sentence.upperBound),
                isEpistemic(at: i, length: length, sentence: sentence)
            else {
                i += 1
                continue
            }
            let marker = lexicon.markers.values[phrase]
            let markerSpan = span(i, i + length - 1)
            // A belief verb that is itself an attribution's cue ("Iran believes that") is the source's, not the author's.
            let ownCue = marker.category == "doxastic" ? cue(overlapping: markerSpan) : nil
            let owner = attribution(containing: markerSpan) ?? ownCue
            // Keys in sorted order, as the columns take them.
            result.append(label: marker.isBooster ? names.booster : names.hedge, span: markerSpan)
            if let owner { result.feature(names.attribution, .string(owner.attribution)) }
            result.feature(names.category, .string(marker.category))
            if let owner {
                if let source = owner.source { result.feature(names.holder, .string(source)) }
            } else {
                result.feature(names.holder, "author")
            }
            result.feature(names.scope, owner == nil ? "author" : "attributed")
            result.feature(names.strength, .double(marker.strength))
            i += length
        }
    }

    /// Rules that keep modal and perception words to their epistemic sense.
    func isEpistemic(at i: Int, length: Int, sentence: Range<Int>) -> Bool {
        guard length == 1 else { return true }
        let hash = toks[i].hash
        let next = i + 1 < sentence.upperBound ? toks[i + 1].hash : 0
        let previous = i > sentence.lowerBound ? toks[i - 1].hash : 0
        switch hash {
        case StanceWords.may:
            // "May 2019", "in May": the month; "you may": permission.
            if toks[i].capitalised, i > sentence.lowerBound || (i + 1 < toks.count && !toks[i + 1].isWord) { return false }
            if i + 1 < toks.count, !toks[i + 1].isWord, toks[i + 1].hash != StanceWords.negativeContraction { return false }
            return previous != StanceWords.you
        case StanceWords.could, StanceWords.would:
            return StanceWords.epistemicModalFollowers.contains(next)
        case StanceWords.appear, StanceWords.appears, StanceWords.appeared:
            return next == StanceWords.to || next == StanceWords.that || next == StanceWords.as
        default:
            return true
        }
    }

    /// Support and oppose from predicates; the actors they involve, as holders or targets, are marked in
    /// ``involvedIn``.
    mutating func stances(in sentence: Range<Int>) {
        var i = sentence.lowerBound
        while i < sentence.upperBound {
            // The token's bits settle most words before any call or lookup.
            let bits = wordBits[i]
            if bits & StanceLexicon.WordBit.desire != 0, let next = desireForState(at: i, sentence: sentence) {
                i = next
                continue
            }
            guard bits & StanceLexicon.WordBit.predicate != 0, toks[i].isWord, actorAt[i] < 0,
                let (length, phrase) = lexicon.predicates.match(at: i, in: toks, end: sentence.upperBound)
            else {
                i += 1
                continue
            }
            let predicate = lexicon.predicates.values[phrase]
            var last = i + length - 1
            // "being too close to": no one in particular holds it.
            if i > sentence.lowerBound, toks[i - 1].hash == StanceWords.being || i > sentence.lowerBound + 1 && toks[i - 2].hash == StanceWords.being {
                i = last + 1
                continue
            }
            var polarity = predicate.polarity
            if isNegated(i, sentence: sentence) { polarity = -polarity }
            // "vetoed resolutions against Iran", "opposed sanctions on Iran": opposing what opposes X supports X.
            if predicate.polarity < 0, predicate.form == .verb {
                var k = last + 1
                while k < sentence.upperBound, k <= last + 3, actorAt[k] < 0 {
                    if let (innerLength, inner) = lexicon.predicates.match(at: k, in: toks, end: sentence.upperBound),
                        lexicon.predicates.values[inner].polarity < 0, lexicon.predicates.values[inner].form != .verb
                    {
                        polarity = -polarity
                        last = k + innerLength - 1
                        break
                    }
                    k += 1
                }
            }
            var holders = ActorGroup()
            var targets = ActorGroup()
            let passive = predicate.isParticiple && i > sentence.lowerBound && isIn(i - 1, StanceWords.beForms)
                && last + 1 < sentence.upperBound && toks[last + 1].hash == StanceWords.by
            if passive {
                // "was hailed by Iran": the agent holds the stance toward the subject.
                if let agent = actorAfter(last + 2, sentence: sentence, limit: 12) { holders = group(at: agent) }
                if let subject = subjectActor(before: i, sentence: sentence) { targets = group(at: subject) }
            } else if predicate.form == .noun || i > sentence.lowerBound && isIn(i - 1, StanceWords.nounMarkers),
                last + 2 < sentence.upperBound, isIn(last + 1, StanceWords.agentLinks),
                let agent = actorAfter(last + 2, sentence: sentence, limit: 3), !isIn(i, StanceWords.mutualNouns)
            {
                // "the support of the Russians", "pressure from Washington": the agent after the noun holds it,
                // toward the subject before.
                holders = group(at: agent)
                if let subject = actorBefore(i, sentence: sentence) { targets = group(at: subject) }
            } else {
                if predicate.form == .noun, i > sentence.lowerBound, actorAt[i - 1] >= 0 || i > sentence.lowerBound + 1 && actorAt[i - 2] >= 0 {
                    // "Russian reluctance", "Iran's support".
                    holders = group(at: Int(actorAt[i - 1] >= 0 ? actorAt[i - 1] : actorAt[i - 2]))
                } else if let subject = actorBefore(i, sentence: sentence) {
                    holders = group(at: subject)
                }
                if let object = actorAfter(last + 1, sentence: sentence) { targets = group(at: object) }
                if predicate.form == .noun || predicate.form == .phrase, targets.count >= 2,
                    holders.isEmpty || isIn(last + 1, StanceWords.mutualLinks)
                {
                    // "cooperation between Iran and China": each toward the other.
                    holders = targets
                }
            }
            if !targets.isEmpty {
                emit(cue: i...last, polarity: polarity, holders: holders, targets: targets, basis: "predicate", confidence: 0.7)
                markInvolved(targets, holders, sentence: sentence)
            }
            i = last + 1
        }
    }

    /// "want a weak Turkey", "not guided by a desire to see a powerful Armenia": the valence of
    /// the state wished for the target gives the polarity.
    /// - Returns: the token after the targets, which are marked in ``involvedIn`` with the holders.
    mutating func desireForState(at i: Int, sentence: Range<Int>) -> Int? {
        guard isIn(i, StanceWords.desires) else { return nil }
        var k = i + 1
        if k < sentence.upperBound, toks[k].hash == StanceWords.to { k += 1 }
        if k < sentence.upperBound, isIn(k, StanceWords.desires) { k += 1 }
        var valence = 0.0
        var adjectives = 0
        while k < sentence.upperBound, k < i + 9, actorAt[k] < 0 {
            guard toks[k].isWord || toks[k].hash == StanceWords.comma else { return nil }
            if let value = lexicon.valence[toks[k].hash] {
                valence += value
                adjectives += 1
            } else if !isIn(k, StanceWords.determinersLight) && !isIn(k, StanceWords.degree) && !isIn(k, StanceWords.coordinators)
                && !isIn(k, StanceWords.desires) && toks[k].hash != StanceWords.to && toks[k].hash != StanceWords.comma
            {
                if adjectives == 0 { return nil }
            }
            k += 1
        }
        guard adjectives > 0, valence != 0, k < sentence.upperBound, actorAt[k] >= 0 else { return nil }
        var polarity = valence > 0 ? 1 : -1
        if isNegated(i, sentence: sentence) { polarity = -polarity }
        let targets = group(at: Int(actorAt[k]))
        var holders = ActorGroup()
        if let subject = actorBefore(i, sentence: sentence) { holders = group(at: subject) }
        emit(cue: i...(k - 1), polarity: polarity, holders: holders, targets: targets, basis: "desired-state", confidence: 0.6)
        markInvolved(targets, holders, sentence: sentence)
        return actors[targets.last!].last + 1
    }

    /// How reported events portray their participants ("X was indicted", "X lied", "allegations against X",
    /// "X's victory"): a stance toward the participant with no holder, like an evaluation, whose basis is
    /// "event". The one harmed by violence is a victim: no stance. Actors reached here are not evaluated again.
    mutating func events(in sentence: Range<Int>) {
        let events = lexicon.events  // once, not a copy of the table per token
        for k in sentence where wordBits[k] & StanceLexicon.WordBit.event != 0 && toks[k].isWord && actorAt[k] < 0 {
            guard let word = events[toks[k].hash] else { continue }
            if let noun = word.noun, reportNoun(noun, at: k, sentence: sentence) { continue }
            // "did not criticize X" says nothing for or against X, unlike "did not support X" between actors.
            guard let verb = word.verb, !isNegated(k, sentence: sentence) else { continue }
            let (subject, passive) = subject(of: k, participle: verb.isParticiple, sentence: sentence)
            if passive {
                // "X was charged": the subject is the patient; "X was killed": a victim, portrayed neither way.
                if let subject {
                    if verb.harm { spare(subject, sentence: sentence) } else if verb.patient != 0 { portray(subject, polarity: verb.patient, cue: k, sentence: sentence) }
                }
                continue
            }
            if let subject, verb.agent != 0 { portray(subject, polarity: verb.agent, cue: k, sentence: sentence) }
            if verb.harm || verb.patient != 0, let object = object(after: k, sentence: sentence) {
                if verb.harm { spare(object, sentence: sentence) } else { portray(object, polarity: verb.patient, cue: k, sentence: sentence) }
            }
        }
    }

    /// The actor a verb at `k` has for subject, and whether the verb is passive there. Between them may stand
    /// auxiliaries, "who", adverbs, "himself", attempts ("X tried to steal"), and an apposition or relative
    /// clause between commas ("X, a four-term senator, lost"); a participle right after "X," before a preposition
    /// is a passive without its auxiliary ("X, charged with fraud, ...").
    func subject(of k: Int, participle: Bool, sentence: Range<Int>) -> (actor: Int?, passive: Bool) {
        var j = k - 1
        var passive = false
        while j >= sentence.lowerBound {
            if participle, isIn(j, StanceWords.passiveAuxiliaries) { passive = true }
            if isIn(j, StanceWords.verbGroup) || isIn(j, StanceWords.reflexives) || isAdverb(j) {
                j -= 1
            } else if toks[j].hash == StanceWords.to, j > sentence.lowerBound, isIn(j - 1, StanceWords.attempts) {
                j -= 2
            } else {
                break
            }
        }
        guard j >= sentence.lowerBound else { return (nil, passive) }
        if toks[j].hash == StanceWords.comma, j > sentence.lowerBound {
            if actorAt[j - 1] >= 0 {
                // "X, who was charged", "X, charged with fraud".
                if participle, j == k - 1, k + 1 < sentence.upperBound, isIn(k + 1, StanceWords.prepositions) { passive = true }
                return (Int(actorAt[j - 1]), passive)
            }
            // "X, a four-term senator, lost": back over the apposition to the comma after the actor.
            var c = j - 1
            while c > sentence.lowerBound, c >= j - 12 {
                if toks[c].hash == StanceWords.comma { return actorAt[c - 1] >= 0 ? (Int(actorAt[c - 1]), passive) : (nil, passive) }
                if !toks[c].isWord && toks[c].kind != .number { break }
                c -= 1
            }
            return (nil, passive)
        }
        // "his capture": a possessive is not a subject.
        guard actorAt[j] >= 0, !isIn(j, StanceWords.possessivePronouns) else { return (nil, passive) }
        return (Int(actorAt[j]), passive)
    }

    /// "allegations against X" (the patient), "X's downfall", "his victory", "the defeat of X" (the agent).
    /// - Returns: whether the noun found its participant.
    mutating func reportNoun(_ noun: EventRole, at k: Int, sentence: Range<Int>) -> Bool {
        if noun.harm {
            // "X's murder", "the shooting of X": a victim.
            if let victim = possessor(of: k, sentence: sentence) {
                spare(victim, sentence: sentence)
                return true
            }
            return false
        }
        if noun.agent != 0 {
            if let owner = possessor(of: k, sentence: sentence) {
                portray(owner, polarity: noun.agent, cue: k, sentence: sentence)
                return true
            }
        }
        guard noun.patient != 0 else { return false }
        // "X faces backlash", "X drew criticism", "X came under investigation"; or "allegations against X".
        let patient = bearer(of: k, sentence: sentence)
            ?? (k + 1 < sentence.upperBound && isIn(k + 1, StanceWords.aboutLinks) ? object(after: k + 1, sentence: sentence) : nil)
        guard let patient else { return false }
        portray(patient, polarity: noun.patient, cue: k, sentence: sentence)
        return true
    }

    /// The actor a noun at `k` belongs to or befalls: "X's downfall", "his victory", "the defeat of X", "a victory for X".
    func possessor(of k: Int, sentence: Range<Int>) -> Int? {
        // One modifier may stand between: "X's sudden downfall", "his narrow victory".
        for p in stride(from: k - 1, through: k - 2, by: -1)
        where p > sentence.lowerBound && (p == k - 1 || toks[k - 1].isWord && !toks[k - 1].capitalised && actorAt[k - 1] < 0) {
            if p - 1 >= sentence.lowerBound, isIn(p, StanceWords.possessives), actorAt[p - 1] >= 0 { return Int(actorAt[p - 1]) }
            if actorAt[p] >= 0, isIn(p, StanceWords.possessivePronouns) { return Int(actorAt[p]) }
        }
        // "the defeat of X", "a victory for X".
        if k + 1 < sentence.upperBound, toks[k + 1].hash == StanceWords.of || toks[k + 1].hash == StanceWords.for {
            return object(after: k + 1, sentence: sentence)
        }
        return nil
    }

    /// A victim of violence: no stance, and no evaluation from the words of what was done to it.
    mutating func spare(_ actor: Int, sentence: Range<Int>) {
        for member in group(at: actor) { involvedIn[member] = sentence.lowerBound }
    }

    /// The actor who faces, draws or comes under what the noun at `k` names: "X faces backlash", "X, who drew
    /// sharp criticism", "X under investigation".
    func bearer(of k: Int, sentence: Range<Int>) -> Int? {
        var j = k - 1
        // One adjective or article between: "faces a backlash", "drew sharp criticism".
        if j > sentence.lowerBound, !isIn(j, StanceWords.bearing), toks[j].isWord, actorAt[j] < 0 { j -= 1 }
        guard j > sentence.lowerBound, isIn(j, StanceWords.bearing) else { return nil }
        if toks[j].hash == StanceWords.under, isIn(j - 1, StanceWords.cameUnder) { j -= 1 }
        j -= 1
        while j >= sentence.lowerBound, isIn(j, StanceWords.verbGroup) || isAdverb(j) { j -= 1 }
        return j >= sentence.lowerBound && actorAt[j] >= 0 ? Int(actorAt[j]) : nil
    }

    /// The actor a verb or link at `k` acts on: right after it, after an article or title ("the former
    /// president X"), or after a particle and its preposition ("lashed out at X").
    func object(after k: Int, sentence: Range<Int>) -> Int? {
        var o = k + 1
        if o < sentence.upperBound, isIn(o, StanceWords.particles) {
            o += 1
            guard o < sentence.upperBound, isIn(o, StanceWords.particlePrepositions) else { return nil }
            o += 1
        }
        while o < sentence.upperBound, o <= k + 3, actorAt[o] < 0, isIn(o, StanceWords.objectLead) { o += 1 }
        return o < sentence.upperBound && actorAt[o] >= 0 ? Int(actorAt[o]) : nil
    }

    /// A lowercase word ending in "ly" ("angrily", "publicly"): an adverb between a subject and its verb.
    func isAdverb(_ index: Int) -> Bool {
        let token = toks[index]
        guard token.isWord, !token.capitalised, token.end - token.start >= 4 else { return false }
        return document.utf8[token.end - 2] == UInt8(ascii: "l") && document.utf8[token.end - 1] == UInt8(ascii: "y")
    }

    /// A stance of the author's (or the source's) toward the actor and those coordinated with it, from an event.
    mutating func portray(_ actor: Int, polarity: Int, cue: Int, sentence: Range<Int>) {
        let group = group(at: actor)
        emit(cue: cue...cue, polarity: polarity, holders: ActorGroup(), targets: group, basis: "event", confidence: 0.6)
        for member in group { involvedIn[member] = sentence.lowerBound }
    }

    /// The author's (or a cited source's) evaluation of actors the predicates did not reach: the valence of the
    /// words around each mention.
    mutating func evaluate(_ sentence: Range<Int>) {
        // An actor alone in its sentence is what the sentence's blame is about, however far off.
        var alone: String? = nil
        for index in sentence where actorAt[index] >= 0 {
            let canonical = actors[Int(actorAt[index])].canonical
            if alone == nil {
                alone = canonical
            } else if alone != canonical {
                alone = nil
                break
            }
        }
        let reach = alone == nil ? window : sentence.count
        var read = false
        for index in sentence where actorAt[index] >= 0 {
            let actor = Int(actorAt[index])
            guard involvedIn[actor] != sentence.lowerBound, evaluatedIn[actor] != sentence.lowerBound else { continue }
            evaluatedIn[actor] = sentence.lowerBound
            if !read {
                readValence(sentence)
                read = true
            }
            let mention = actors[actor]
            var score = 0.0
            var strongest: (index: Int, value: Double)? = nil
            let low = max(sentence.lowerBound, mention.first - reach)
            let high = min(sentence.upperBound - 1, mention.last + reach)
            // Read in place: a copy of the list would be retained and released for every mention.
            let speaks = !spokenBy[actor].isEmpty
            for (k, value) in valued where k >= low && k <= high {
                if speaks, spokenBy[actor].contains(where: { $0.start <= toks[k].start && toks[k].end <= $0.end }) { continue }
                // Praise further off is seldom about this actor (see `readValence`).
                if value > 0, k < mention.first ? mention.first - k > positiveWindow : k - mention.last > positiveWindow { continue }
                score += value
                if abs(value) > abs(strongest?.value ?? 0) { strongest = (k, value) }
            }
            guard abs(score) >= threshold, let cue = strongest else { continue }
            // In thousandths, as every other confidence is given: the sum of valences carries binary fractions
            // ("0.45999999999999996") that say nothing and make the output harder to read.
            emit(
                cue: cue.index...cue.index, polarity: score > 0 ? 1 : -1, holders: ActorGroup(), targets: ActorGroup(actor), basis: "sentiment",
                confidence: (min(0.9, 0.3 + abs(score) / 10) * 1000).rounded() / 1000)
        }
    }

    /// The sentence's words with a valence that may speak of an actor, in order, into ``valued``: read once per
    /// sentence, not once per actor.
    mutating func readValence(_ sentence: Range<Int>) {
        valued.removeAll(keepingCapacity: true)
        for k in sentence where evaluative[k] != 0 && actorAt[k] < 0 && (!toks[k].capitalised || k == sentence.lowerBound) {
            var value = evaluative[k]
            if isNegated(k, sentence: sentence) { value = -value * 0.74 }
            // News praises less than it blames: positive words say less about an actor than negative ones.
            if value > 0 { value *= 0.6 }
            valued.append((k, value))
        }
    }

    /// Writes one stance per holder–target pair, with a shared cue annotation.
    mutating func emit(cue: ClosedRange<Int>, polarity: Int, holders: ActorGroup, targets: ActorGroup, basis: String, confidence: Double) {
        let cueSpan = span(cue.lowerBound, cue.upperBound)
        let owner = attribution(containing: cueSpan)
        // The pairs first: the cue's row follows its stances', and each stance names it (or the cue already written
        // for this word in this sentence).
        pairs.removeAll(keepingCapacity: true)
        // Holder positions, with -1 for "no holder" when there are none (no list of optionals built per cue).
        for holderPosition in (holders.isEmpty ? -1..<0 : 0..<holders.count) {
            let holder: Int? = holderPosition < 0 ? nil : holders[holderPosition]
            for target in targets {
                let targetActor = actors[target]
                if let holder, actors[holder].canonical == targetActor.canonical { continue }
                if let holder {
                    pairs.append(Pair(holder: holder, target: target, holderName: actors[holder].canonical, sourceEntity: nil))
                } else if let owner, let source = owner.source {
                    if source == targetActor.canonical { continue }
                    // Unheld stance inside reported speech: the cited source's evaluation.
                    pairs.append(Pair(holder: nil, target: target, holderName: source, sourceEntity: owner.sourceEntity))
                } else {
                    pairs.append(Pair(holder: nil, target: target, holderName: "author", sourceEntity: nil))
                }
            }
        }
        guard !pairs.isEmpty else { return }
        let written = sentenceCues.first { $0.start == cueSpan.start && $0.end == cueSpan.end && $0.basis == basis }?.row
        let cueRow = written ?? result.count + pairs.count
        let basisValue = FeatureValue.string(basis)
        for pair in pairs {
            let targetActor = actors[pair.target]
            let targetSpan = span(targetActor.first, targetActor.last)
            let extent = TextSpan(min(cueSpan.start, targetSpan.start), max(cueSpan.end, targetSpan.end))
            // Keys in sorted order, as the columns take them.
            result.append(label: polarity > 0 ? names.support : names.oppose, span: extent, confidence: confidence)
            if let owner { result.feature(names.attribution, .string(owner.attribution)) }
            result.feature(names.basis, basisValue)
            result.feature(names.holder, .string(pair.holderName))
            result.feature(names.polarity, .int(polarity))
            result.feature(names.scope, owner == nil ? "author" : "attributed")
            result.feature(names.target, .string(targetActor.canonical))
            result.role(names.cue, row: cueRow)
            if let holder = pair.holder {
                result.role(names.holder, outside: actorTarget(holder))
            } else if let source = pair.sourceEntity {
                result.role(names.holder, id: source)
            }
            result.role(names.target, outside: actorTarget(pair.target))
        }
        guard written == nil else { return }
        result.append(label: names.cue, span: cueSpan)
        result.feature(names.basis, basisValue)
        sentenceCues.append((cueSpan.start, cueSpan.end, basis, cueRow))
    }

    /// Marks the actors of a predicate's stances as involved in the sentence (two loops: the two lists joined
    /// would be a new array per predicate).
    mutating func markInvolved(_ targets: ActorGroup, _ holders: ActorGroup, sentence: Range<Int>) {
        for actor in targets { involvedIn[actor] = sentence.lowerBound }
        for actor in holders { involvedIn[actor] = sentence.lowerBound }
    }

    /// The actor mention's entity as a role target, made at the first stance that names it.
    mutating func actorTarget(_ actor: Int) -> AnnotationColumns.Outside {
        if let target = actorTargets[actor] { return target }
        let target = result.outside(actors[actor].id)
        actorTargets[actor] = target
        return target
    }
}

/// Spans sorted by start with the greatest end so far, for "which spans reach this far" queries in
/// O(log n + k) when spans nest little, as attributions do.
struct SpanLookup {
    private var order: [Int] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var maxEndSoFar: [Int] = []

    init(_ spans: [TextSpan]) {
        order = spans.indices.sorted { spans[$0].start < spans[$1].start }
        starts = order.map { spans[$0].start }
        ends = order.map { spans[$0].end }
        var greatest = Int.min
        maxEndSoFar = ends.map { end in
            greatest = max(greatest, end)
            return greatest
        }
    }

    /// Calls `body` with the index, into the array given at creation, of each span that starts at or before
    /// `maxStart` and ends at or after `minEnd`, in no particular order.
    func forEachCandidate(startingAtOrBefore maxStart: Int, endingAtOrAfter minEnd: Int, _ body: (Int) -> Void) {
        var low = 0
        var high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= maxStart { low = mid + 1 } else { high = mid }
        }
        var position = low - 1
        // Nothing at or before `position` ends late enough once the greatest end so far falls short.
        while position >= 0, maxEndSoFar[position] >= minEnd {
            if ends[position] >= minEnd { body(order[position]) }
            position -= 1
        }
    }
}
