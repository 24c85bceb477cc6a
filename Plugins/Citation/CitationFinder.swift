import MarginaliaCore

/// One document's citation search: tokens hashed once, quotations paired, then each sentence scanned for
/// reporting cues whose source and content are found around them.
struct CitationFinder {
    typealias Tok = TokenTable.Entry

    /// An attribution before it becomes annotations: token ranges, or byte spans for content.
    struct Found {
        var cue: Range<Int>
        var source: Range<Int>?
        var content: TextSpan
        var direct: Bool
        var cueKind: String
    }

    let document: Document
    let store: AnnotationStore
    let lexicon: ReportingLexicon
    /// Lends the finder to its helpers by address instead of copying it into every call (see ``PassedByAddress``).
    private let passedByAddress = PassedByAddress()
    let scareWords: Int
    var toks: [Tok] = []
    var sentenceRanges: [Range<Int>] = []
    var quotes: [Quotation] = []
    var found: [Found] = []

    /// Per token, the `Words` trigger bits of its word (with `Words.activeBit` when the scan acts on it), and
    /// `quotedBit` when it lies inside a quotation longer than a scare quote (unless nested attributions are asked
    /// for): a report within quoted speech ("“he told me, ‘...’”") is part of what the quoted speaker said, as
    /// PolNeAR's guidelines annotate it.
    var flags: [UInt8] = []
    static let quotedBit: UInt8 = 0x80

    init(document: Document, store: AnnotationStore, lexicon: ReportingLexicon, scareWords: Int, nested: Bool = false) {
        self.document = document
        self.scareWords = scareWords
        self.store = store
        self.lexicon = lexicon
        let table = store.tokenTable(for: document)
        toks = table.tokens
        sentenceRanges = table.sentences
        let quotes = document.utf8.withUnsafeBufferPointer { QuoteScanner.scan($0) }
        self.quotes = quotes
        let scanBits = lexicon.scanBits
        var flags = table.perToken { scanBits[$0] ?? 0 }
        toks.withUnsafeBufferPointer { toks in
            guard !nested else { return }
            var t = 0
            for quote in quotes where !quote.nested && quote.words > scareWords {
                while t < toks.count, toks[t].start < quote.inner.start { t += 1 }
                var k = t
                while k < toks.count, toks[k].end <= quote.inner.end {
                    flags[k] |= Self.quotedBit
                    k += 1
                }
            }
        }
        self.flags = flags
    }

    @inline(__always) func isQuoted(_ index: Int) -> Bool { flags[index] & Self.quotedBit != 0 }

    // MARK: - Word classes

    func isIn(_ index: Int, _ set: WordSet) -> Bool { set.contains(toks[index].hash) }
    func isComma(_ index: Int) -> Bool { toks[index].hash == Words.comma }
    func isPossessive(_ index: Int) -> Bool { toks[index].hash == Words.possessive || toks[index].hash == Words.possessiveTypographic }
    func isPunct(_ index: Int) -> Bool { !toks[index].isWord && toks[index].hash != Words.ampersand && document.utf8[toks[index].start] < 0x30 || isQuoteMark(index) }

    func isQuoteMark(_ index: Int) -> Bool {
        let bytes = document.utf8
        let start = toks[index].start
        if bytes[start] == 0x22 { return true }
        // Two apostrophes standing for one double mark, whether the tokenizer kept them together or not.
        if bytes[start] == 0x27, start + 1 < bytes.count && bytes[start + 1] == 0x27 || start > 0 && bytes[start - 1] == 0x27 { return true }
        return start + 2 < bytes.count && bytes[start] == 0xE2 && bytes[start + 1] == 0x80 && (0x98...0x9D).contains(bytes[start + 2])
    }

    /// The predicate a word is a form of, when it is used as a verb here.
    @inline(__always) func predicate(at index: Int) -> PredicateForm? {
        guard toks[index].isWord, let form = lexicon.forms[toks[index].hash] else { return nil }
        return form.needsAuxiliary && !followsAuxiliaryDo(index) && !reportsAsVerb(index) && !afterInfinitiveLeadIn(index) ? nil : form
    }

    /// "The New York Post reports that ...", "..., The Wall Street Journal reports.": the base or -s form of a
    /// mostly-noun verb after a name or pronoun and before "that", or after a name at the end of its sentence.
    func reportsAsVerb(_ index: Int) -> Bool {
        let sentence = sentenceRanges[toks[index].sentence]
        guard index > sentence.lowerBound, index + 1 <= sentence.upperBound else { return false }
        let next = index + 1
        // After a name, a pronoun or a document only: "rules that promise", "to reports that" are nouns with a
        // relative clause. A cue adverb between is stepped over ("The ad then references ...").
        var before = index - 1
        if before > sentence.lowerBound, isIn(before, Words.cueAdverbs) { before -= 1 }
        // "A document on the website states that ...": a document or outlet noun before "that".
        if next < sentence.upperBound, toks[next].hash == Words.that, isIn(before, Words.documentNouns) || isIn(before, Words.outletNouns) {
            return true
        }
        // "The ad then references ...": with an adverb between, a document noun is the subject.
        if isIn(before, Words.documentNouns), before < index - 1 { return true }
        guard toks[before].capitalised && toks[before].isWord || isIn(before, Words.pronouns) else { return false }
        if next < sentence.upperBound, toks[next].hash == Words.that { return true }
        // "Mr. Clarke hopes to offset ...": before an infinitive.
        if next + 1 < sentence.upperBound, toks[next].hash == Words.to, toks[next + 1].isWord, !toks[next + 1].capitalised,
            !isIn(next + 1, Words.determiners), !isIn(next + 1, Words.nonHeads)
        {
            return true
        }
        return !isIn(index - 1, Words.pronouns) && (next == sentence.upperBound || isPunct(next) && !isComma(next))
    }

    /// "did not respond": the bare form of a mostly-noun verb after auxiliary "do"; "support" also right after its
    /// subject ("Russia and China support the government", "cities that support the rules").
    func followsAuxiliaryDo(_ index: Int) -> Bool {
        var k = index - 1
        while k >= 0, isIn(k, Words.negations) || isLyAdverb(k) { k -= 1 }
        guard k >= 0 else { return false }
        if isIn(k, Words.bareVerbAuxiliaries) { return true }
        guard toks[index].hash == Words.support, k == index - 1 else { return false }
        // "and 1 percent support Stein", but "sits at 85 percent support": a share of people opening its clause.
        if toks[k].hash == Words.percent {
            return k >= 2 && isNumberToken(k - 1) && (k - 2 < sentenceRanges[toks[k].sentence].lowerBound || isComma(k - 2)
                || isIn(k - 2, Words.coordinators) || isIn(k - 2, Words.subordinators))
        }
        return isIn(k, Words.pluralSubjects) || isPluralNoun(k) || toks[k].capitalised && toks[k].isWord && k > sentenceRanges[toks[k].sentence].lowerBound
    }

    // MARK: - Search

    mutating func find() {
        for range in sentenceRanges where !range.isEmpty {
            scanSentence(range)
        }
    }

    mutating func scanSentence(_ range: Range<Int>) {
        let headline = isHeadline(range)
        // Read once per sentence: each static word hash is a lazily made global, checked on every access.
        let (colonHash, putHash, itHash, accordingHash, toHash) = (Words.colon, Words.put, Words.it, Words.according, Words.to)
        let hedgeAdverbs = (Words.reportedly, Words.allegedly, Words.purportedly)
        var t = range.lowerBound
        while t < range.upperBound {
            // Most tokens start nothing the checks below look for.
            if flags[t] & Words.activeBit == 0 {
                t += 1
                continue
            }
            let hash = toks[t].hash
            if isQuoted(t), hash != colonHash {  // transcript labels ("\"PENCE: ...") stay speakers
                t += 1
                continue
            }
            if hash == putHash, t + 1 < range.upperBound, toks[t + 1].hash == itHash, let next = asPutIt(at: t, sentence: range) {
                t = next
                continue
            }
            if hash == accordingHash, t + 1 < range.upperBound, toks[t + 1].hash == toHash {
                according(cue: t..<(t + 2), sentence: range)
                t += 2
                continue
            }
            if hash == hedgeAdverbs.0 || hash == hedgeAdverbs.1 || hash == hedgeAdverbs.2 {
                let content = span(from: range.lowerBound, to: range.upperBound)
                if let content { found.append(Found(cue: t..<(t + 1), source: nil, content: content, direct: false, cueKind: "adverb")) }
                t += 1
                continue
            }
            // ("Said Ellis: “...”" is the verb's, whose source ends at the colon.)
            if hash == colonHash, found.last?.source?.upperBound != t, let quote = quoteOpening(at: t + 1),
                let source = nounPhrase(endingAt: t - 1, in: range),
                source.lowerBound == range.lowerBound || isComma(source.lowerBound - 1)
            {
                found.append(Found(cue: t..<(t + 1), source: source, content: quote.inner, direct: true, cueKind: "colon"))
                t += 1
                continue
            }
            if isIn(t, Words.dashes), t > range.lowerBound || t > 0, t + 1 < range.upperBound + 3,
                let quote = quotes.last(where: { $0.outer.end <= toks[t].start && $0.outer.end + 2 >= toks[t].start && !$0.nested }),
                let name = nounPhrase(startingAt: t + 1, in: toks[t].sentence < sentenceRanges.count ? t..<max(range.upperBound, t + 1) : range, allowPrepositions: false),
                name.lowerBound == t + 1, toks[t + 1].capitalised
            {
                // "“...” ― Name": the dash introduces who said the quotation above it.
                found.append(Found(cue: t..<(t + 1), source: name, content: quote.inner, direct: true, cueKind: "dash"))
                t = name.upperBound
                continue
            }
            if hash == colonHash, t > range.lowerBound, t + 1 < range.upperBound, quoteOpening(at: t + 1) == nil,
                let source = nounPhrase(endingAt: t - 1, in: range),
                source.lowerBound == range.lowerBound || source.lowerBound == range.lowerBound + 1 && isQuoteMark(range.lowerBound),
                (source.lowerBound..<source.upperBound).allSatisfy({ toks[$0].capitalised || !toks[$0].isWord }),
                source.count <= 4, source.count == 1 || !isAllCaps(source.lowerBound),
                !isIn(source.lowerBound, Words.determiners), !isIn(source.upperBound - 1, Words.labelWords),
                let content = span(from: t + 1, to: turnEnd(after: range))
            {
                // "Pat Caddell: voters are worried", "WALLACE: ...": a name, a colon, and what the named said, to the
                // end of the speaker's turn (the paragraph).
                found.append(Found(cue: t..<(t + 1), source: source, content: content, direct: false, cueKind: "colon"))
                t += 1
                continue
            }
            let trigger = t > range.lowerBound ? flags[t] : 0
            if trigger & Words.attitudeBit != 0, t + 1 < range.upperBound,
                toks[t + 1].hash == Words.that || toks[t - 1].hash != Words.that
                    && (isIn(t, Words.certaintyAdjectives) || isIn(t, Words.convictionAdjectives)) && startsClause(t + 1, range),
                let next = attitudeCue(at: t, sentence: range)
            {
                t = next
                continue
            }
            if trigger & Words.stanceBit != 0, t + 1 < range.upperBound, isIn(t + 1, Words.stancePrepositions),
                toks[t + 1].hash != Words.to || isIn(t, Words.stanceAdjectivesWithTo),
                let next = stanceCue(at: t, sentence: range)
            {
                t = next
                continue
            }
            if trigger & Words.receivingBit != 0, let next = criticismCue(at: t, sentence: range) {
                t = next
                continue
            }
            if trigger & Words.lightVerbBit != 0, let next = lightVerbCue(at: t, sentence: range) {
                t = next
                continue
            }
            if trigger & Words.cueNounBit != 0, let next = nounCue(at: t, sentence: range) {
                t = next
                continue
            }
            // Capitalised verbs are names ("Mr. Said") except in a headline ("Poll Shows Clinton Ahead, Aide Says").
            if let form = predicate(at: t), !(toks[t].capitalised && t > range.lowerBound && !headline) {
                if let next = verbCue(at: t, form: form, sentence: range) {
                    t = next
                    continue
                }
            }
            t += 1
        }
    }

    /// "Trump's claim that ...", "her decision to ...", "North Korea's claims about ...": a reporting noun whose
    /// owner is the source, followed by what was claimed or intended.
    /// - Returns: the token after the cue when it was one.
    mutating func nounCue(at t: Int, sentence: Range<Int>) -> Int? {
        let e = sentence.upperBound
        guard t + 1 < e else { return nil }
        let next = toks[t + 1].hash
        guard next == Words.that || next == Words.to || next == Words.about else { return nil }
        let source: Range<Int>
        if isIn(t - 1, Words.possessiveDeterminers) {
            source = (t - 1)..<t
        } else if isPossessive(t - 1), t - 2 >= sentence.lowerBound, toks[t - 2].capitalised {
            // The owner is a name: the run of capitalised words before the "'s", kept with it as the owner is marked.
            var first = t - 2
            while first > sentence.lowerBound, toks[first - 1].capitalised || toks[first - 1].hash == Words.of && first - 2 >= sentence.lowerBound
                && toks[first - 2].capitalised
            {
                first -= 1
            }
            source = first..<t
        } else {
            return nil
        }
        let contentStart = next == Words.that ? t + 1 : t + 2
        guard contentStart < e, let content = contentAfter(contentStart, sentence: sentence) else { return nil }
        found.append(Found(cue: t..<(t + 1), source: source, content: content, direct: isQuotation(content), cueKind: "noun"))
        return t + 1
    }

    /// "Sanders made the following comment: ...", "the council issued a statement calling ...", "has made the case
    /// for ...": a light verb and a reporting noun are the cue together; the subject is the source.
    /// - Returns: the token after the cue when it was one.
    mutating func lightVerbCue(at t: Int, sentence: Range<Int>) -> Int? {
        let e = sentence.upperBound
        var noun = t + 1
        while noun < e, noun < t + 5, isIn(noun, Words.lightVerbFillers) || isLyAdverb(noun) || isGerund(noun) && !isIn(noun, Words.reportNouns) {
            // "made it clear (that) ...": "clear" is the report itself unless a report noun follows ("a clear warning").
            if toks[noun].hash == Words.clear, noun + 1 < e, !isIn(noun + 1, Words.reportNouns) { break }
            noun += 1
        }
        guard noun < e, isIn(noun, Words.reportNouns), noun + 1 < e else { return nil }
        // "was made clear by the cables", "was given a warning": in the passive the subject is not the speaker.
        if t > sentence.lowerBound, isIn(t - 1, Words.beForms), !isGerund(t) { return nil }
        let makes = isIn(t, Words.makeForms)
        if toks[noun].hash == Words.case, !makes { return nil }  // "sent the case back"
        // "Trump made the comments Friday": a definite noun points back to a statement reported elsewhere; only
        // "made the case" and "the following ..." introduce one here.
        let definite = (t + 1..<noun).contains { isIn($0, Words.definiteDeterminers) }
        if definite, toks[noun].hash != Words.case, !(t + 1..<noun).contains(where: { toks[$0].hash == Words.following }) { return nil }
        let cueStart = auxiliariesStart(before: t, sentence: sentence)
        guard cueStart > sentence.lowerBound, let source = subject(before: cueStart, sentence: sentence), isPlausibleSubject(source),
            let content = contentAfter(noun + 1, sentence: sentence)
        else { return nil }
        found.append(Found(cue: cueStart..<(noun + 1), source: source, content: content, direct: isQuotation(content), cueKind: "speech"))
        return noun + 1
    }

    /// "Many Democrats are afraid that ...", "it is clear that ...", "growing concerns that ...": a feeling or
    /// certainty adjective after "be", or a belief noun, before a "that" clause.
    /// - Returns: the token after the cue when it was one.
    mutating func attitudeCue(at t: Int, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        if isIn(t, Words.attitudeAdjectives) {
            var cueStart = t
            while cueStart > s, isIn(cueStart - 1, Words.cueAdverbs) || isLyAdverb(cueStart - 1) || toks[cueStart - 1].hash == Words.so
                || toks[cueStart - 1].hash == Words.very
            {
                cueStart -= 1
            }
            // "Nor is it clear that ...": "be" before "it".
            if cueStart - 2 >= s, toks[cueStart - 1].hash == Words.it, isIn(cueStart - 2, Words.beForms),
                let content = contentAfter(toks[t + 1].hash == Words.that ? t + 2 : t + 1, sentence: sentence)
            {
                found.append(Found(cue: (cueStart - 2)..<(t + 1), source: nil, content: content, direct: isQuotation(content), cueKind: "cognition"))
                return t + 1
            }
            // "it’s obvious that": "’s" after a pronoun is "is".
            let contracted = cueStart - 2 >= s && isPossessive(cueStart - 1) && isIn(cueStart - 2, Words.pronouns)
            guard cueStart > s, isIn(cueStart - 1, Words.beForms) || isIn(cueStart - 1, Words.linkingVerbs) || contracted else { return nil }
            cueStart = auxiliariesStart(before: cueStart - 1, sentence: sentence)
            var source: Range<Int>? = nil
            if cueStart > s, toks[cueStart - 1].hash != Words.it, let subject = subject(before: cueStart, sentence: sentence),
                isPlausibleSubject(subject)
            {
                source = subject
            }
            if source == nil, !(cueStart > s && toks[cueStart - 1].hash == Words.it) { return nil }
            // "it was clear Clinton is ...": without "that", only after "it".
            let that = toks[t + 1].hash == Words.that
            if !that, source != nil, !isIn(t, Words.convictionAdjectives) { return nil }
            guard let content = contentAfter(that ? t + 2 : t + 1, sentence: sentence) else { return nil }
            let cueRange = source == nil ? (cueStart - 1)..<(t + 1) : cueStart..<(t + 1)  // "it is clear"
            found.append(Found(cue: cueRange, source: source, content: content, direct: isQuotation(content), cueKind: "cognition"))
            return t + 1
        }
        // "expressed concern that ...": the noun is the object of a cue already found.
        if isIn(t, Words.attitudeNouns), enclosingAttribution(of: t) == nil, !isIn(t - 1, Words.possessiveDeterminers), !isPossessive(t - 1),
            let content = contentAfter(t + 2, sentence: sentence)
        {
            found.append(Found(cue: t..<(t + 1), source: nil, content: content, direct: isQuotation(content), cueKind: "noun"))
            return t + 1
        }
        return nil
    }

    /// "Trump is drawing criticism", "the clip has faced ridicule online", "took heat for his questions": criticism
    /// received, from no one named; the one criticised (the subject) is the content.
    /// - Returns: the token after the cue when it was one.
    mutating func criticismCue(at t: Int, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        var noun = t + 1
        while noun < sentence.upperBound, noun < t + 4, isIn(noun, Words.criticismFillers) || isLyAdverb(noun) { noun += 1 }
        guard noun < sentence.upperBound, isIn(noun, Words.criticismNouns), t > s, enclosingAttribution(of: t) == nil else { return nil }
        var cueEnd = noun + 1
        // "has faced questions about ...", but "took questions from veterans": questions only about something.
        if toks[noun].hash == Words.questions, !(cueEnd < sentence.upperBound && (toks[cueEnd].hash == Words.about || toks[cueEnd].hash == Words.over)) {
            return nil
        }
        if cueEnd < sentence.upperBound, toks[cueEnd].hash == Words.for || toks[cueEnd].hash == Words.over || toks[noun].hash == Words.questions {
            cueEnd += 1
        }
        let cueStart = auxiliariesStart(before: t, sentence: sentence)
        guard cueStart > s, let subject = subject(before: cueStart, sentence: sentence), isPlausibleSubject(subject) || toks[subject.upperBound - 1].isWord,
            let content = span(from: subject.lowerBound, to: subject.upperBound)
        else { return nil }
        var source: Range<Int>? = nil
        if cueEnd + 1 < sentence.upperBound, toks[cueEnd].hash == Words.from {  // "faced heavy criticism from outlets"
            source = nounPhrase(startingAt: cueEnd + 1, in: sentence, allowPrepositions: false)
        }
        found.append(Found(cue: cueStart..<cueEnd, source: source, content: content, direct: false, cueKind: "evaluate"))
        return source?.upperBound ?? cueEnd
    }

    /// "is critical of the deal", "were coy about it", "is a staunch opponent of the treaty", "has been a supporter
    /// of ...": a stance adjective or a partisan noun after "be" and before its preposition. The cue runs from the
    /// verb to the preposition; the subject is the source, the preposition's object the content.
    /// - Returns: the token after the cue when it was one.
    mutating func stanceCue(at t: Int, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        guard t > s, enclosingAttribution(of: t) == nil else { return nil }
        let noun = isIn(t, Words.partisanNouns)
        // Between "be" and the word: adverbs, and for a noun its article and adjectives ("a consistent and outspoken").
        var k = t - 1
        while k > s, t - k <= 6, !isIn(k, Words.beForms) && !isIn(k, Words.linkingVerbs) {
            let degree = isIn(k, Words.intensifiers)
            let word = toks[k].isWord && !isIn(k, Words.nonHeads) || toks[k].hash == Words.and || isIn(k, Words.cueAdverbs) || degree
            guard word, noun || isLyAdverb(k) || isIn(k, Words.cueAdverbs) || degree else { return nil }
            k -= 1
        }
        guard k > s, isIn(k, Words.beForms) || isIn(k, Words.linkingVerbs) else { return nil }
        if noun, !(k + 1..<t).contains(where: { isIn($0, Words.indefinite) }) { return nil }  // "is the opponent of": a role, not a view
        let cueStart = auxiliariesStart(before: k, sentence: sentence)
        // The view's object ends at the clause's end or its first comma ("committed to their alliance, Tehran is ...").
        let objectEnd = clauseEnd(from: t + 2, sentence: sentence)
        guard cueStart > s, toks[cueStart - 1].hash != Words.it, let source = subject(before: cueStart, sentence: sentence), isPlausibleSubject(source),
            let content = contentAfter(t + 2, sentence: t + 2..<((t + 2..<objectEnd).first(where: { isComma($0) }) ?? objectEnd))
        else { return nil }
        found.append(Found(cue: cueStart..<(t + 2), source: source, content: content, direct: isQuotation(content), cueKind: "evaluate"))
        return t + 2
    }

    /// The tokens of auxiliaries and cue adverbs just before `index` ("has also", "had repeatedly"): where a cue
    /// that ends with the word at `index` starts.
    func auxiliariesStart(before index: Int, sentence: Range<Int>) -> Int {
        var start = index
        while start > sentence.lowerBound, isIn(start - 1, Words.auxiliaries) || isIn(start - 1, Words.cueAdverbs) { start -= 1 }
        return start
    }

    /// The attribution found last, when its content, in the same sentence, covers token `t`.
    func enclosingAttribution(of t: Int) -> Found? {
        guard let outer = found.last, toks[outer.cue.lowerBound].sentence == toks[t].sentence,
            outer.content.start <= toks[t].start, outer.content.end >= toks[t].end
        else { return nil }
        return outer
    }

    /// A headline: a short sentence in title case, where verbs are capitalised too.
    func isHeadline(_ range: Range<Int>) -> Bool {
        var words = 0
        var capitalised = 0
        for index in range where toks[index].isWord {
            words += 1
            if toks[index].capitalised { capitalised += 1 }
        }
        return words >= 3 && words <= 25 && capitalised * 10 >= words * 7
    }

    /// The token after the last sentence of the paragraph that `sentence` starts: a speaker's turn in a transcript
    /// goes on until a line break or the next "NAME:" label.
    func turnEnd(after sentence: Range<Int>) -> Int {
        var end = sentence.upperBound
        var index = toks[sentence.lowerBound].sentence + 1
        let bytes = document.utf8
        while index < sentenceRanges.count, end < toks.count {
            let next = sentenceRanges[index]
            guard !next.isEmpty, !bytes[toks[end - 1].end..<toks[next.lowerBound].start].contains(0x0A) else { break }
            var label = next.lowerBound
            if isQuoteMark(label) { label += 1 }
            if label + 1 < next.upperBound, toks[label + 1].hash == Words.colon, isAllCaps(label) { break }
            end = next.upperBound
            index += 1
        }
        return end
    }

    /// "..., as a Homeland Security memo put it", "As Ms. Simonyan put it, ...": the phrase after "as" is the
    /// source; the content is the clause the "as" phrase is attached to.
    mutating func asPutIt(at t: Int, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        var cueStart = t
        while cueStart > s, isIn(cueStart - 1, Words.cueAdverbs) || isLyAdverb(cueStart - 1) { cueStart -= 1 }
        var asIndex = cueStart - 1
        while asIndex >= s, asIndex > cueStart - 8, toks[asIndex].hash != Words.as { asIndex -= 1 }
        guard asIndex >= s, toks[asIndex].hash == Words.as, asIndex + 1 < cueStart,
            let source = nounPhrase(startingAt: asIndex + 1, in: asIndex..<cueStart, allowPrepositions: false), isPlausibleSubject(source)
        else { return nil }
        var content: TextSpan?
        if asIndex == s {
            var j = t + 2
            while j < sentence.upperBound, !isComma(j), j < t + 12 { j += 1 }  // "in a statement to ...,"
            content = contentAfter(j, sentence: sentence)
        } else {
            content = contentBefore(asIndex, sentence: sentence)
        }
        guard let content else { return nil }
        found.append(Found(cue: cueStart..<(t + 2), source: source, content: content, direct: isQuotation(content), cueKind: "speech"))
        return t + 2
    }

    /// "According to X, Y" and "Y, according to X".
    mutating func according(cue: Range<Int>, sentence: Range<Int>) {
        let source = nounPhrase(startingAt: cue.upperBound, in: sentence, allowPrepositions: true)
        let after = (source?.upperBound ?? cue.upperBound)
        var content: TextSpan? = nil
        if after < sentence.upperBound, isComma(after), after + 1 < sentence.upperBound {
            content = span(from: after + 1, to: sentence.upperBound)
        }
        if cue.lowerBound > sentence.lowerBound {
            let before = span(from: sentence.lowerBound, to: cue.lowerBound)
            if let before, content == nil || before.length > content!.length { content = before }
        }
        guard let content else { return }
        found.append(Found(cue: cue, source: source, content: content, direct: isQuotation(content), cueKind: "according-to"))
    }

    /// A reporting verb at `t`: decides whether it is a cue here and finds its source and content.
    /// - Returns: the token after the cue when it was one.
    mutating func verbCue(at t: Int, form: PredicateForm, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        let e = sentence.upperBound
        // "As stated in X, ...", "... as predicted": the "as" phrase has a reading of its own.
        if t > s, toks[t - 1].hash == Words.as, form.isParticiple, !isGerund(t) { return asReported(at: t, sentence: sentence) }
        // A noun or adjective use: "the report", "a stated aim", "Iran's fears"; a gerund after a preposition
        // ("by saying that") is a cue whose speaker is the sentence's subject.
        let afterPreposition = t > s && isIn(t - 1, Words.prepositions) && toks[t - 1].hash != Words.to
        // "he’s sought", "it’s denouncing": after a pronoun, "’s" is "has" or "is".
        let contracted = t - 2 >= s && isPossessive(t - 1) && isIn(t - 2, Words.pronouns) && (form.isParticiple || isGerund(t))
        if t > s, isIn(t - 1, Words.determiners) && !quantifierSubject(before: t, form: form, sentence: sentence) || isPossessive(t - 1) && !contracted
            || afterPreposition && !isGerund(t)
        {
            return nil
        }
        // "his recently revealed strategies": an adverb between a determiner and a participle makes an adjective.
        if t > s + 1, form.isParticiple, isLyAdverb(t - 1),
            isIn(t - 2, Words.determiners) && !isIn(t - 2, Words.standaloneQuantifiers) || isPossessive(t - 2)
        {
            return nil
        }
        // "by one estimate", "more detailed records", "(Reporting by ...)", "additional reporting by", "contributed
        // reporting": noun, adjective and credit-line uses.
        if t > s, isIn(t - 1, Words.nounModifiers) || toks[t - 1].hash == Words.openParen,
            !(toks[t - 1].hash == Words.one && t - 1 > s && isIn(t - 2, Words.quantifiersBeforeOne))  // "no one expected"
        {
            return nil
        }
        // "a group called Lashkar-e-Taiba", "The program, called EB-5, ...": a name given, not a report.
        if form.lemma == "call" || form.lemma == "name", form.isParticiple, isNamingModifier(t, sentence: sentence) { return nil }
        // "compared with 32 percent": a comparison of figures, not of views (those name what is compared: "compared
        // the deal to a trap").
        if form.lemma == "compare", t + 1 < e, toks[t + 1].hash == Words.with || toks[t + 1].hash == Words.to { return nil }
        // "Reports say", "polls show": the first word is the subject of the second ("noted published reports" is not).
        if form.isPresent, t + 1 < e, let next = predicate(at: t + 1), next.predicateClass == .speech || next.predicateClass == .evidence,
            !isIn(t + 1, Words.particles)
        {
            return nil
        }
        var cueStart = t
        var passive = false
        while cueStart > s, isIn(cueStart - 1, Words.auxiliaries) || isIn(cueStart - 1, Words.cueAdverbs) || isLyAdverb(cueStart - 1) {
            if isIn(cueStart - 1, Words.beForms) { passive = true }
            cueStart -= 1
        }
        passive = passive && form.isParticiple
        var cueEnd = t + 1
        if cueEnd < e, particleBelongs(cueEnd, to: form) {
            cueEnd += 1
        } else if form.lemma == "speak" || form.lemma == "talk" {
            // "spoke emotionally of", "speaks more frequently in public about": the particle after adverbs.
            var k = cueEnd
            while k < e, k - cueEnd < 4, isLyAdverb(k) || isIn(k, Words.degreeWords) || toks[k].hash == Words.in && k + 1 < e && toks[k + 1].hash == Words.public {
                k += toks[k].hash == Words.in ? 2 : 1
            }
            if k > cueEnd, k < e, particleBelongs(k, to: form) { cueEnd = k + 1 }
        }
        let nextHash = cueEnd < e ? toks[cueEnd].hash : 0
        let clauseFollows = nextHash == Words.that || nextHash == Words.colon || quoteOpening(at: cueEnd) != nil
            || cueEnd + 1 < e && nextHash == Words.comma && quoteOpening(at: cueEnd + 1) != nil
        let gerundAfterComma = cueStart > s && (isComma(cueStart - 1) || isIn(cueStart - 1, Words.dashes) || afterPreposition) && isGerund(t)

        if passive {
            return agentless(cue: cueStart..<cueEnd, sentence: sentence, clauseFollows: clauseFollows)
        }
        // "a commentary written for ...", "the figures shown here": a participle with no auxiliary modifies a noun.
        if form.isParticipleOnly, cueStart == t, t > s, !isComma(t - 1) { return nil }
        if t == s, let next = openingParticiple(at: t, form: form, cueEnd: cueEnd, sentence: sentence) { return next }

        var source: Range<Int>? = nil
        var inverted = false
        if gerundAfterComma {
            // ", saying that ...": the speaker is the subject of the main clause, or, after an inverted cue
            // ("“...,” the mayor said, adding that ..."), the source just found.
            if let previous = found.last, let previousSource = previous.source, previousSource.lowerBound >= s,
                previous.cue.upperBound <= cueStart
            {
                source = previousSource
            } else {
                source = sentenceSubject(sentence)
            }
        } else if cueStart > s {
            source = subject(before: cueStart, sentence: sentence)
        }
        var cueStartWithTo = cueStart
        if source == nil, form.predicateClass == .speech || form.predicateClass == .evaluate, let leadIn = infinitiveLeadIn(before: t, sentence: sentence) {
            // "Ham went on to explain how ...", "leaders gathered Friday to discuss ...": the subject of the verb
            // before the infinitive speaks.
            source = leadIn
            cueStartWithTo = t - 1
        }
        if source == nil, cueStart == s || isComma(cueStart - 1) || isQuoteMark(cueStart - 1) {
            var rightStart = cueEnd
            while rightStart < e, isIn(rightStart, Words.temporal) { rightStart += 1 }
            if let right = nounPhrase(startingAt: rightStart, in: sentence, allowPrepositions: false),
                right.upperBound == e || isPunct(right.upperBound) || toks[right.upperBound].hash == Words.colon
                    || isIn(right.upperBound, Words.prepositions), isPlausibleSubject(right)
            {
                source = right
                inverted = true
            }
        }

        if let found = source, form.predicateClass != .speech || form.isPresent, !isPlausibleSubject(found) { source = nil }
        if let found = source, form.predicateClass == .cognition, found.count == 1, toks[found.lowerBound].hash == Words.you {
            return nil  // "you know", "you see": conversational, not attribution. The author's "I think" is kept.
        }
        // "She said she plans to ...": a belief or plan inside reported speech belongs to the outer attribution;
        // but a verb coordinated with the outer cue ("she attacked the police and called for calm") starts its own.
        // A clause of its own also starts after "but", "although", "when", "because" and the like with its own
        // subject ("..., although he again refused to pledge ...").
        let afterConjunction = cueStart > s && (isIn(cueStart - 1, Words.coordinators) || isIn(cueStart - 1, Words.contrastive))
        let coordinated = cueStart > s + 1 && afterConjunction
            || source.map { $0.lowerBound > s + 1 && (isIn($0.lowerBound - 1, Words.subordinators) || isIn($0.lowerBound - 1, Words.contrastive)) } == true
        var trimOuter = false
        if let outer = enclosingAttribution(of: t), outer.cue.upperBound <= cueStart {
            if coordinated, outer.source != nil, !isQuotation(outer.content) {
                trimOuter = true
            } else if form.predicateClass != .speech {
                return nil
            }
        }
        switch form.predicateClass {
        case .speech:
            // A finite "said"/"says" whose speaker the phrase reader could not delimit ("X, of Springfield, Va.,
            // said he ...", "said 9/11 widow Terry Strada") still reports speech when a clause or a quotation
            // goes with it.
            let finite = !isGerund(t) && (!form.isPresent || document.utf8[toks[t].end - 1] == UInt8(ascii: "s"))
            let quoteBefore = cueStart > s && (isQuoteMark(cueStart - 1) || isComma(cueStart - 1) && cueStart - 1 > s && isQuoteMark(cueStart - 2))
            guard source != nil || clauseFollows || finite && (startsClause(cueEnd, sentence) || quoteBefore) else { return nil }
            // "continue to have": only "she continued: ..." or "..., he continued" reports speech.
            if form.lemma == "continue", !(clauseFollows || inverted || cueEnd == e || isPunct(cueEnd)) { return nil }
            // "spoke at a rally", "at one point": these report only with their particle ("spoke of", "pointed out").
            if form.lemma == "speak" || form.lemma == "talk" || form.lemma == "point" || form.lemma == "weigh", cueEnd == t + 1, !clauseFollows {
                return nil
            }
        case .cognition, .evidence:
            // "see the deal as a trap", "viewed communists as terrorists": a view of something as something.
            let seesAs = Words.seeingAs.contains(form.lemma) && seesAs(after: cueEnd, sentence: sentence)
            if form.lemma == "see" || form.lemma == "regard", !seesAs { return nil }
            // "hopes to offset", "expects to win": a hope or expectation for oneself.
            let hopesTo = Words.hopingTo.contains(form.lemma)
                && (nextHash == Words.to || cueEnd + 1 < e && isIn(cueEnd, Words.objectPronouns) && toks[cueEnd + 1].hash == Words.to)  // "expects them to"
            // "He doesn't think so.": "so" stands for the clause.
            let thinksSo = nextHash == Words.so && (cueEnd + 1 == e || isPunct(cueEnd + 1))
            // ", The Post has learned.", ", an analysis of filings shows.": the content is before the speaker.
            let endsSentence = (cueEnd == e || isPunct(cueEnd) && !isComma(cueEnd)) && source.map { $0.lowerBound > s && isComma($0.lowerBound - 1) } == true
            guard source != nil, clauseFollows || startsClause(cueEnd, sentence) || inverted || seesAs || hopesTo || endsSentence || thinksSo
            else { return nil }
            // "assumed a new role", "considered the matter": these are beliefs only before "that".
            if Words.beliefOnlyBeforeThat.contains(form.lemma), !clauseFollows { return nil }
        case .intent:
            // "plans to", "wants to", "called for": the present forms only before "to", where they are verbs.
            // "Democrats want lower taxes": "want" takes an object too, after a subject that names people.
            let wantsObject = form.lemma == "want" && cueEnd < e && (isIn(cueEnd, Words.determiners) || toks[cueEnd].isWord && !isIn(cueEnd, Words.nonHeads))
                && source.map { isIn($0.lowerBound, Words.pronouns) || toks[$0.upperBound - 1].capitalised || Words.anonymousNouns.contains(toks[$0.upperBound - 1].hash) } == true
            // "voted Thursday to hold ...": a time between the verb and its infinitive.
            var afterTime = cueEnd
            while afterTime < e, isIn(afterTime, Words.temporal) { afterTime += 1 }
            let toAfterTime = afterTime > cueEnd && afterTime < e && toks[afterTime].hash == Words.to
            guard source != nil, nextHash == Words.to || cueEnd > t + 1 || wantsObject || !form.isPresent && (clauseFollows || form.lemma == "call")
                || form.lemma == "call" && namesWithQuotation(after: cueEnd, sentence: sentence) || toAfterTime
            else { return nil }
        case .evaluate:
            // "... the dynamics that the invasion has unleashed?": an evaluation needs its object after it.
            guard let source, !inverted, source.count >= 1, cueEnd < e, !isPunct(cueEnd), toks[cueEnd].hash != Words.questionMark else { return nil }
        }

        var content: TextSpan? = nil
        var direct = false
        if inverted, let right = source {
            content = contentBefore(cueStart, sentence: sentence)
            if content == nil { content = contentAfter(right.upperBound, sentence: sentence) }
        } else {
            var j = cueEnd
            if (form.lemma == "tell" || form.lemma == "ask" || form.lemma == "urge" || form.lemma == "warn" || form.lemma == "inform"
                || form.lemma == "assure" || form.lemma == "advise"),
                let object = nounPhrase(startingAt: j, in: sentence, allowPrepositions: false)
            {
                j = object.upperBound
            }
            while j < e, isIn(j, Words.cueAdverbs) || isLyAdverb(j) { j += 1 }
            // With no speaker found, the quotation is looked for before the cue itself.
            let speakerStart = source?.lowerBound ?? cueStart
            if speakerStart > s, !clauseFollows, j >= e || toks[j].hash != Words.that, source != nil || form.predicateClass == .speech,
                let quote = quoteEnding(before: speakerStart, sentence: sentence) ?? quoteOpening(sentence, endingBefore: speakerStart)
            {
                // "“...,” the mayor said in a statement, adding ...": the quotation before the speaker is what was
                // said; the words after the cue say where or when.
                content = quote.inner
            } else {
                // Beliefs, plans and praise reach their object, not a clause coordinated after it ("supported Iran, and
                // Iran may thank Russia").
                var end = form.predicateClass != .speech ? clauseEnd(from: j, sentence: sentence) : e
                // "In a statement announcing the pick, the union called ...": a report inside an opening phrase
                // ends with the phrase.
                if isGerund(t), isIn(s, Words.prepositions), !(s..<t).contains(where: { isComma($0) }),
                    let comma = (j..<end).first(where: { isComma($0) }), comma > j
                {
                    end = comma
                }
                content = contentAfter(j, sentence: j..<end)
            }
            if content == nil, let source { content = contentBefore(source.lowerBound, sentence: sentence) }
        }
        guard let content else { return nil }
        direct = isQuotation(content)
        if source == nil, form.predicateClass != .speech { return nil }
        if trimOuter {
            // The outer content ends before ", and" / ", although he".
            let outer = found[found.count - 1]
            let conjunction = afterConjunction ? cueStart - 1 : (source?.lowerBound ?? cueStart) - 1
            var end = conjunction - 1
            while end > outer.cue.upperBound, isComma(end) || isIn(end, Words.cueAdverbs) { end -= 1 }
            var first = end
            while first > outer.cue.upperBound, toks[first - 1].start >= outer.content.start { first -= 1 }
            if first <= end, let trimmed = span(from: first, to: end + 1), trimmed.start == outer.content.start {
                found[found.count - 1].content = trimmed
            }
        }
        found.append(Found(cue: cueStartWithTo..<cueEnd, source: source, content: content, direct: direct, cueKind: form.predicateClass.rawValue))
        return cueEnd
    }

    /// Whether "called" at `t` modifies the noun before it with the name after it: after an indefinite noun phrase
    /// ("a stream called Miracle Run") or between commas ("The program, called EB-5, allows").
    func isNamingModifier(_ t: Int, sentence: Range<Int>) -> Bool {
        guard t + 1 < sentence.upperBound, toks[t + 1].capitalised || isQuoteMark(t + 1) else { return false }
        if t > sentence.lowerBound, isComma(t - 1) {
            var k = t + 1
            while k < sentence.upperBound, k - t <= 5, !isComma(k) { k += 1 }
            return k < sentence.upperBound && isComma(k)
        }
        var k = t - 1
        while k > sentence.lowerBound, t - k <= 4, toks[k].isWord, !toks[k].capitalised, !isIn(k, Words.indefinite), !isIn(k, Words.nonHeads) { k -= 1 }
        return isIn(k, Words.indefinite) && k < t - 1
    }

    /// "As stated in Davis' commentary, ...", "Patriot failed as predicted.": what was reported is the clause the
    /// "as" phrase goes with; a source follows "in" or "by" when one is named.
    mutating func asReported(at t: Int, sentence: Range<Int>) -> Int? {
        let s = sentence.lowerBound
        let e = sentence.upperBound
        var end = t + 1
        var source: Range<Int>? = nil
        if end + 1 < e, toks[end].hash == Words.in || toks[end].hash == Words.by,
            let named = agentPhrase(startingAt: end + 1, in: sentence)
        {
            source = named
            end = named.upperBound
        }
        let content: TextSpan?
        if t - 1 == s {
            // The phrase opens the sentence: the clause after its comma.
            guard let comma = (end..<min(e, end + 8)).first(where: { isComma($0) }) else { return nil }
            if let named = source { source = named.lowerBound..<comma }  // "in Davis' commentary"
            content = contentAfter(comma + 1, sentence: sentence)
        } else {
            // The phrase closes a clause: the clause before it.
            // "The deal, as said, was late": between commas, "as said" only points back.
            guard end == e || isPunct(end), t - 1 > s, toks[t - 2].isWord || isComma(t - 2) && !(end < e && isComma(end)) else { return nil }
            var first = t - 2
            while first > s, !isComma(first - 1) || first - 1 == t - 2 { first -= 1 }
            content = span(from: first, to: isComma(t - 2) ? t - 2 : t - 1)
        }
        guard let content else { return nil }
        found.append(Found(cue: (t - 1)..<(t + 1), source: source, content: content, direct: isQuotation(content), cueKind: "passive"))
        return end
    }

    /// "went on to discuss": a mostly-noun verb is a verb as an infinitive after a lead-in verb.
    func afterInfinitiveLeadIn(_ index: Int) -> Bool {
        index > 1 && toks[index - 1].hash == Words.to && infinitiveLeadIn(before: index, sentence: sentenceRanges[toks[index].sentence]) != nil
    }

    /// The subject of "went on", "gathered", "met" ... when an infinitive at `t` follows it ("went on to explain",
    /// "gathered Friday to discuss").
    func infinitiveLeadIn(before t: Int, sentence: Range<Int>) -> Range<Int>? {
        let s = sentence.lowerBound
        guard t - 2 > s, toks[t - 1].hash == Words.to else { return nil }
        var k = t - 2
        while k > s, isIn(k, Words.temporal) { k -= 1 }
        if toks[k].hash == Words.on, k > s { k -= 1 }
        guard isIn(k, Words.infinitiveLeadIns) else { return nil }
        let verbStart = auxiliariesStart(before: k, sentence: sentence)
        guard verbStart > s, let subject = subject(before: verbStart, sentence: sentence), isPlausibleSubject(subject) else { return nil }
        return subject
    }

    /// "calls Obamacare ‘a crazy system’": an object, then a quotation naming it.
    func namesWithQuotation(after index: Int, sentence: Range<Int>) -> Bool {
        guard let object = nounPhrase(startingAt: index, in: sentence, allowPrepositions: false) else { return false }
        var k = object.upperBound
        if k < sentence.upperBound, isIn(k, Words.indefinite) || toks[k].hash == Words.the { k += 1 }
        return quoteOpening(at: k) != nil
    }

    /// "Some believe ...", "all agreed that ...": a quantifier standing alone as the subject of a verb form that is
    /// not also a plural noun ("some reports", "many estimates" stay nouns).
    func quantifierSubject(before t: Int, form: PredicateForm, sentence: Range<Int>) -> Bool {
        guard isIn(t - 1, Words.standaloneQuantifiers), !(form.isPresent && document.utf8[toks[t].end - 1] == UInt8(ascii: "s")) else { return false }
        return t - 1 == sentence.lowerBound || !isIn(t - 2, Words.determiners) && !isPossessive(t - 2)
    }

    /// "Asked about the plan, Clinton said ...", "Citing the report, the minister ...": a participle opening the
    /// sentence, its content up to the comma. A question put to someone has no source named; a gerund's source is
    /// the subject of the main clause.
    mutating func openingParticiple(at t: Int, form: PredicateForm, cueEnd: Int, sentence: Range<Int>) -> Int? {
        let gerund = isGerund(t)
        guard gerund || form.isParticiple && !form.isPresent, cueEnd < sentence.upperBound, !isComma(cueEnd) else { return nil }
        // "Speaking at a rally in Novi, Trump says ...": where the main verb reports, not what was said.
        if form.lemma == "speak" || form.lemma == "talk", cueEnd == t + 1 { return nil }
        var comma = cueEnd
        while comma < sentence.upperBound, !isComma(comma) { comma += 1 }
        // "Bemoaning the “phony system,” Trump ...": the comma inside the closing quotation mark.
        let subjectStart = comma + 1 < sentence.upperBound && isQuoteMark(comma + 1) ? comma + 2 : comma + 1
        guard comma < sentence.upperBound, comma - cueEnd <= 15,
            let subject = nounPhrase(startingAt: subjectStart, in: sentence, allowPrepositions: false), isPlausibleSubject(subject),
            let content = span(from: cueEnd, to: comma)
        else { return nil }
        found.append(Found(cue: t..<cueEnd, source: gerund ? subject : nil, content: content, direct: isQuotation(content), cueKind: "participle"))
        return cueEnd
    }

    /// "It was stated that ...", "was reported by X": the source, if any, is a "by" phrase or the document named
    /// by an opening "In an article ..." phrase.
    mutating func agentless(cue: Range<Int>, sentence: Range<Int>, clauseFollows: Bool) -> Int? {
        let s = sentence.lowerBound
        let e = sentence.upperBound
        var source: Range<Int>? = nil
        var j = cue.upperBound
        if j < e, toks[j].hash == Words.by, let agent = agentPhrase(startingAt: j + 1, in: sentence) {
            source = agent
            j = agent.upperBound
        }
        let impersonal = cue.lowerBound > s && toks[cue.lowerBound - 1].hash == Words.it
        if source == nil, !impersonal, isIn(cue.upperBound - 1, Words.namingParticiples), j < e, !isIn(j, Words.nonHeads) || isQuoteMark(j),
            let name = namingComplement(from: j, sentence: sentence)
        {
            // "was labeled “Mostly True”", "has been called a charlatan by fellow physicians": the name given is
            // the content, the agent (when named) the source.
            var agent: Range<Int>? = nil
            if name.upperBound < e, toks[name.upperBound].hash == Words.by {
                agent = agentPhrase(startingAt: name.upperBound + 1, in: sentence)
            }
            guard let content = span(from: name.lowerBound, to: name.upperBound) else { return nil }
            found.append(Found(cue: cue, source: agent, content: content, direct: isQuotation(content), cueKind: "passive"))
            return agent?.upperBound ?? name.upperBound
        }
        if source == nil, !impersonal, j < e, toks[j].hash == Words.for || toks[j].hash == Words.of || toks[j].hash == Words.as,
            isIn(cue.upperBound - 1, Words.blameParticiples), let content = contentAfter(j + 1, sentence: sentence)
        {
            // "was accused of using funds", "has been criticized for its policies": blame with no one named.
            found.append(Found(cue: cue, source: nil, content: content, direct: false, cueKind: "passive"))
            return cue.upperBound
        }
        if source == nil, !impersonal, j < e, toks[j].hash == Words.to || toks[j].hash == Words.as, isIn(cue.upperBound - 1, Words.raisingParticiples),
            let content = contentAfter(j, sentence: sentence)
        {
            // "Turnout is expected to rise", "the test is considered a threat": a belief held by no one named.
            found.append(Found(cue: cue, source: nil, content: content, direct: false, cueKind: "passive"))
            return cue.upperBound
        }
        if let agent = source, !impersonal, j >= e || toks[j].hash != Words.that && !clauseFollows, cue.lowerBound > s,
            let subjectTokens = subject(before: cue.lowerBound, sentence: sentence),
            let subject = span(from: subjectTokens.lowerBound, to: subjectTokens.upperBound)
        {
            // "The issue was first reported by The Post", "She is supported by fewer papers": what the agent said
            // or backed is the subject.
            found.append(Found(cue: cue.lowerBound..<(agent.lowerBound), source: agent, content: subject, direct: false, cueKind: "passive"))
            return agent.upperBound
        }
        guard source != nil || impersonal, j < e, toks[j].hash == Words.that || clauseFollows else { return nil }
        if source == nil, toks[s].hash == Words.in || toks[s].hash == Words.according {
            // "In a recent article on the front page of X, it was stated": the phrase up to the first comma.
            var k = s + 1
            while k < cue.lowerBound, !isComma(k) { k += 1 }
            if k < cue.lowerBound, k > s + 1 { source = (s + 1)..<k }
        }
        guard let content = contentAfter(j, sentence: sentence) else { return nil }
        let cueRange = impersonal ? (cue.lowerBound - 1)..<cue.upperBound : cue
        found.append(Found(cue: cueRange, source: source, content: content, direct: isQuotation(content), cueKind: "passive"))
        return cue.upperBound
    }

    /// The agent after a passive's "by": a noun phrase, or a share of people ("by 42 percent of voters").
    func agentPhrase(startingAt index: Int, in sentence: Range<Int>) -> Range<Int>? {
        if index + 1 < sentence.upperBound, isNumberToken(index), let phrase = nounPhrase(startingAt: index + 1, in: sentence, allowPrepositions: false) {
            return index..<phrase.upperBound
        }
        return nounPhrase(startingAt: index, in: sentence, allowPrepositions: false)
    }

    /// The name given after a naming participle ("labeled “Mostly True”", "dubbed the debate winner"): a quotation,
    /// or a noun phrase up to "by", a comma or the clause's end.
    func namingComplement(from index: Int, sentence: Range<Int>) -> Range<Int>? {
        if let quote = quoteOpening(at: index) {
            var last = index
            while last + 1 < sentence.upperBound, toks[last + 1].end <= quote.outer.end { last += 1 }
            return index..<(last + 1)
        }
        guard let phrase = nounPhrase(startingAt: index, in: sentence, allowPrepositions: false), isIn(index, Words.determiners) || isIn(index, Words.indefinite)
        else { return nil }
        return phrase
    }

    // MARK: - Sources

    /// The subject of a verb starting at `cueStart`: a pronoun or noun phrase just before it, the head of a
    /// phrase interrupted by relative clauses and appositions ("The X agency, which is close to Y, has said"),
    /// or the sentence's subject when the verb is coordinated ("... and has stated").
    func subject(before cueStart: Int, sentence: Range<Int>) -> Range<Int>? {
        let s = sentence.lowerBound
        var k = cueStart - 1
        // "Trump on Monday said": step over a time phrase.
        if isIn(k, Words.temporal) {
            var j = k
            while j > s, isIn(j, Words.temporal) || isIn(j, Words.determiners) || toks[j].hash == Words.on || toks[j].hash == Words.last
                || toks[j].hash == Words.this || toks[j].hash == Words.earlier
            {
                j -= 1
            }
            if j < k, j >= s { k = j }
        }
        // "an arbitration panel in 2001 found", "who in 2010 said": step over a year after "in".
        if k > s + 1, isNumberToken(k), toks[k - 1].hash == Words.in, toks[k].end - toks[k].start == 4 { k -= 2 }
        // "Scott Safon -- the network's chief -- told me": step over an apposition between dashes.
        if isIn(k, Words.dashes) {
            var j = k - 1
            while j > s, !isIn(j, Words.dashes) { j -= 1 }
            guard j > s, isIn(j, Words.dashes) else { return nil }
            k = j - 1
        }
        // "Rep. Gwen Moore (D-Wis.) said": step over a parenthesis.
        if toks[k].hash == Words.closeParen {
            var j = k - 1
            while j > s, toks[j].hash != Words.openParen { j -= 1 }
            guard j > s else { return nil }
            k = j - 1
        }
        if isIn(k, Words.coordinators) || toks[k].hash == Words.yet {
            return sentenceSubject(sentence)
        }
        // "cities that support the rules": a relative "that" stands for the noun before it.
        if toks[k].hash == Words.that, k - 1 > s, isPluralNoun(k - 1) || toks[k - 1].capitalised && toks[k - 1].isWord {
            return nounPhrase(endingAt: k - 1, in: sentence)
        }
        if isQuoteMark(k) { return nil }
        guard let phrase = isComma(k) ? headBeforeCommas(k, sentence: sentence) : nounPhrase(endingAt: k, in: sentence) else {
            return nil
        }
        // "1 percent support": the number goes with its share.
        if toks[phrase.lowerBound].hash == Words.percent, phrase.lowerBound > s, isNumberToken(phrase.lowerBound - 1) {
            return (phrase.lowerBound - 1)..<phrase.upperBound
        }
        // "..., this week, said X": a time phrase is not a speaker.
        // "..., this week, said X", "the first known ...": a time phrase or a bare determiner is not a speaker, but a
        // quantifier standing alone is ("Some believe", "all agreed").
        if phrase.allSatisfy({ isIn($0, Words.temporal) || isIn($0, Words.determiners) || toks[$0].hash == Words.last }),
            !(phrase.count == 1 && isIn(phrase.lowerBound, Words.standaloneQuantifiers))
        {
            return nil
        }
        return phrase
    }

    /// Walks back over comma-separated segments: relative clauses and participial phrases are skipped, an
    /// apposition after a relative clause belongs to that clause, and an apposition right after the head is
    /// kept with it ("The author, a professor at ..., concluded").
    func headBeforeCommas(_ comma: Int, sentence: Range<Int>) -> Range<Int>? {
        let s = sentence.lowerBound
        var segments: [Range<Int>] = []
        var end = comma
        var k = comma - 1
        while k >= s {
            if isComma(k) {
                segments.append((k + 1)..<end)
                end = k
            }
            k -= 1
        }
        segments.append(s..<end)
        var index = 0
        var skippedClause = false
        while index < segments.count {
            let segment = segments[index]
            guard !segment.isEmpty else { return nil }
            let first = segment.lowerBound
            if isIn(first, Words.relatives) || isIn(first, Words.participialOpeners) || isGerund(first) || isIn(first, Words.cueAdverbs)
                || segment.allSatisfy({ isNumberToken($0) }) || toks[first].hash == Words.openParen
                || isIn(first, Words.prepositions) || isIn(first, Words.sentenceAdverbs) || isLyAdverb(first) && segment.count == 1
            {
                skippedClause = true
                index += 1
                continue
            }
            if skippedClause, isIn(first, Words.indefinite), index + 1 < segments.count {
                index += 1
                continue
            }
            // A name in apposition after a description, or a description after a name.
            if index + 1 < segments.count, !skippedClause {
                let previous = segments[index + 1]
                let appositive = isIn(first, Words.determiners) || segment.allSatisfy { toks[$0].capitalised || !toks[$0].isWord }
                if appositive, previous.count <= 6, !previous.isEmpty, previous.lowerBound == s || isComma(previous.lowerBound - 1),
                    let head = nounPhrase(endingAt: previous.upperBound - 1, in: sentence), head.lowerBound == previous.lowerBound
                {
                    return head.lowerBound..<segment.upperBound
                }
            }
            guard let head = nounPhrase(endingAt: segment.upperBound - 1, in: sentence) else { return nil }
            return head
        }
        return nil
    }

    /// The subject of a sentence: its first noun phrase, after an opening phrase that ends in a comma.
    func sentenceSubject(_ sentence: Range<Int>) -> Range<Int>? {
        var start = sentence.lowerBound
        if isIn(start, Words.prepositions) || isIn(start, Words.subordinators) {
            while start < sentence.upperBound, !isComma(start) { start += 1 }
            start += 1
        }
        guard start < sentence.upperBound, let phrase = nounPhrase(startingAt: start, in: sentence, allowPrepositions: true) else { return nil }
        // "The Iranian foreign minister, Mohammad Javad Zarif, has ...": keep the name in apposition.
        var end = phrase.upperBound
        if end + 1 < sentence.upperBound, isComma(end), let name = nounPhrase(startingAt: end + 1, in: sentence, allowPrepositions: false),
            (name.lowerBound..<name.upperBound).allSatisfy({ toks[$0].capitalised }), name.upperBound < sentence.upperBound, isComma(name.upperBound)
        {
            end = name.upperBound
        }
        return phrase.lowerBound..<end
    }

    /// A noun phrase ending at `last`, read leftwards up to a determiner, a pronoun, or a word that cannot be
    /// inside one.
    func nounPhrase(endingAt last: Int, in sentence: Range<Int>) -> Range<Int>? {
        let s = sentence.lowerBound
        guard last >= s, toks[last].isWord || isName(last) else { return nil }
        if isIn(last, Words.pronouns) { return last..<(last + 1) }
        if isIn(last, Words.nonHeads) || predicate(at: last) != nil && !toks[last].capitalised { return nil }
        var first = last
        while first > s, last - first < 8 {
            let p = first - 1
            if isIn(p, Words.determiners) {
                first = p
                break
            }
            if toks[p].hash == Words.of || toks[p].hash == Words.ampersand || isPossessive(p) || isName(p) {
                first = p
                continue
            }
            // "the Georgian Foundation for Strategic Studies", "Council on Foreign Relations": one name.
            if toks[p].hash == Words.for || toks[p].hash == Words.on, p > s, toks[p - 1].capitalised, toks[first].capitalised {
                first = p
                continue
            }
            // "Obama and Clinton": names joined by "and" are one subject.
            if toks[p].hash == Words.and, p > s, toks[p - 1].capitalised, toks[p - 1].isWord, toks[first].capitalised {
                first = p
                continue
            }
            if !toks[p].isWord || isIn(p, Words.nonHeads) || isIn(p, Words.pronouns) || predicate(at: p) != nil && !toks[p].capitalised {
                break
            }
            first = p
        }
        while first < last, toks[first].hash == Words.of || toks[first].hash == Words.and { first += 1 }
        return first..<(last + 1)
    }

    /// A noun phrase starting at `first`: a pronoun, or words up to punctuation or a word that ends one.
    func nounPhrase(startingAt first: Int, in sentence: Range<Int>, allowPrepositions: Bool) -> Range<Int>? {
        let e = sentence.upperBound
        guard first < e, toks[first].isWord || isName(first) else { return nil }
        if isIn(first, Words.pronouns) { return first..<(first + 1) }
        guard isIn(first, Words.determiners) || toks[first].capitalised || !isIn(first, Words.nonHeads) && predicate(at: first) == nil
        else { return nil }
        var last = first
        while last + 1 < e, last - first < 10 {
            let n = last + 1
            if toks[n].hash == Words.of || toks[n].hash == Words.ampersand || isPossessive(n) || isName(n) {
                last = n
                continue
            }
            if !toks[n].isWord || isIn(n, Words.pronouns) || isIn(n, Words.relatives) { break }
            if isIn(n, Words.nonHeads) {
                guard allowPrepositions, isIn(n, Words.prepositions), n + 1 < e, toks[n + 1].isWord else { break }
                last = n
                continue
            }
            if predicate(at: n) != nil, !toks[n].capitalised { break }
            last = n
        }
        while last > first, toks[last].hash == Words.of || isIn(last, Words.nonHeads) { last -= 1 }
        return first..<(last + 1)
    }

    /// "pointed out", "called for", "pointed to": particles that belong to the cue rather than to the content.
    func particleBelongs(_ index: Int, to form: PredicateForm) -> Bool {
        let hash = toks[index].hash
        if hash == Words.out { return true }
        switch form.lemma {
        case "call", "press", "push": return hash == Words.for || hash == Words.on
        case "point": return hash == Words.to
        case "vote": return hash == Words.against || hash == Words.for
        case "rail", "protest": return hash == Words.against
        case "balk", "bristle": return hash == Words.at
        case "weigh": return hash == Words.in
        case "talk", "speak": return hash == Words.about || hash == Words.of
        case "decide": return hash == Words.against
        case "lay": return hash == Words.out
        default: return false
        }
    }

    /// A subject a reporting verb can have: a pronoun, a name, a phrase with a determiner, or a noun for people,
    /// groups or documents ("officials", "the report").
    func isPlausibleSubject(_ range: Range<Int>) -> Bool {
        let first = range.lowerBound
        let head = toks[range.upperBound - 1].hash
        if isIn(first, Words.pronouns) || isIn(first, Words.determiners) || isIn(first, Words.indefinite) { return true }
        if range.contains(where: { toks[$0].capitalised }) { return true }
        return Words.anonymousNouns.contains(head) || Words.personNouns.contains(head) || Words.documentNouns.contains(head)
            || Words.outletNouns.contains(head) || isPluralNoun(range.upperBound - 1)
    }

    /// A lowercase word in -s (not -ss or -us): as the subject of a reporting verb, mostly a group of people
    /// ("environmentalists worry", "economists say").
    func isPluralNoun(_ index: Int, capitalised: Bool = false) -> Bool {
        let token = toks[index]
        guard token.isWord, capitalised || !token.capitalised, token.end - token.start > 4 else { return false }
        let bytes = document.utf8
        let last = bytes[token.end - 1]
        let before = bytes[token.end - 2]
        return last == 0x73 && before != 0x73 && before != 0x75 && before != 0x27
    }

    /// Tokens like "Mr." or "U.S." that the tokenizer keeps with their dots.
    func isName(_ index: Int) -> Bool { toks[index].capitalised && !toks[index].isWord && toks[index].end - toks[index].start > 1 }

    func isAllCaps(_ index: Int) -> Bool {
        let token = toks[index]
        guard token.end - token.start > 1 else { return false }
        return document.utf8[token.start..<token.end].allSatisfy { !UTF8Scanning.isLower($0) }
    }

    func isLyAdverb(_ index: Int) -> Bool {
        let token = toks[index]
        guard token.isWord, !token.capitalised, token.end - token.start > 4 else { return false }
        let bytes = document.utf8
        return bytes[token.end - 2] == 0x6C && bytes[token.end - 1] == 0x79 && !isIn(index, Words.notAdverbs)
    }

    func isGerund(_ index: Int) -> Bool {
        let token = toks[index]
        guard token.isWord, token.end - token.start > 4 else { return false }
        let bytes = document.utf8
        return bytes[token.end - 3] == 0x69 && bytes[token.end - 2] == 0x6E && bytes[token.end - 1] == 0x67
    }

    /// Whether "as" follows an object of at most six words, with no punctuation between: "see X as Y".
    func seesAs(after index: Int, sentence: Range<Int>) -> Bool {
        var k = index + 1
        while k < sentence.upperBound, k - index <= 7, toks[k].isWord || isPossessive(k) {
            if toks[k].hash == Words.as { return true }
            if isIn(k, Words.prepositions) { return false }  // "see their incomes go up by as much as ...
            k += 1
        }
        return false
    }

    /// Whether a clause seems to start at `index` ("polls show Clinton leads", "I think he ...", "wondered whether
    /// ...", "hoped electric utilities would ...").
    func startsClause(_ index: Int, _ sentence: Range<Int>) -> Bool {
        guard index < sentence.upperBound else { return false }
        if isIn(index, Words.pronouns) || isIn(index, Words.determiners) || toks[index].capitalised || toks[index].hash == Words.there
            || isIn(index, Words.questionWords)
        {
            return true
        }
        // A short subject of plain words, then its auxiliary.
        guard toks[index].isWord, !isIn(index, Words.auxiliaries), !isIn(index, Words.nonHeads) else { return false }
        var k = index + 1
        while k < sentence.upperBound, k - index <= 4, toks[k].isWord {
            if isIn(k, Words.auxiliaries) { return k > index }
            // "believe bigotry and xenophobia are acceptable": a coordinated subject.
            if isIn(k, Words.nonHeads), !isIn(k, Words.coordinators) { return false }
            k += 1
        }
        return false
    }

    // MARK: - Contents

    /// The quotation that opens at token `index`, if any.
    func quoteOpening(at index: Int) -> Quotation? {
        guard index < toks.count else { return nil }
        let start = toks[index].start
        return quotes.first { $0.outer.start == start && !$0.nested }
    }

    func isQuotation(_ span: TextSpan) -> Bool {
        quotes.contains { $0.inner.start >= span.start - 3 && $0.inner.end <= span.end + 3 && $0.inner.length * 10 >= span.length * 8 }
    }

    /// What follows a cue: a quotation (over sentence breaks if it goes on), or the rest of the sentence.
    func contentAfter(_ index: Int, sentence: Range<Int>) -> TextSpan? {
        var j = index
        let e = sentence.upperBound
        while j < e, toks[j].hash == Words.colon || toks[j].hash == Words.comma || toks[j].hash == Words.that { j += 1 }
        // "He said:" ending its sentence: the quotation that opens the next one.
        if j == e, e > index, toks[e - 1].hash == Words.colon, let quote = quoteOpening(at: e) { return quote.inner }
        guard j < e else { return nil }
        if let quote = quoteOpening(at: j) {
            // The quotation alone when the sentence ends with it.
            return quote.inner
        }
        guard var content = span(from: j, to: e) else { return nil }
        // A report inside a quotation ends where the quotation does.
        let start = toks[j].start
        if let outer = quotes.first(where: { !$0.nested && $0.inner.start <= start && $0.inner.end > start && $0.inner.end < content.end }) {
            var last = j
            while last + 1 < e, toks[last + 1].end <= outer.inner.end { last += 1 }
            return span(from: j, to: last + 1)
        }
        // A quotation that opens in the content and runs on past the sentence.
        if let quote = quotes.first(where: { $0.outer.start >= content.start && $0.outer.start < content.end && $0.outer.end > content.end }) {
            content = TextSpan(content.start, quote.inner.end)
        }
        return content
    }

    /// The token where the clause running from `index` ends: a comma before a coordinator or subordinator, a
    /// semicolon, or the end of the sentence.
    func clauseEnd(from index: Int, sentence: Range<Int>) -> Int {
        var k = index
        while k < sentence.upperBound {
            if toks[k].hash == Words.semicolon { return k }
            if isComma(k), k + 1 < sentence.upperBound, isIn(k + 1, Words.coordinators) || isIn(k + 1, Words.subordinators) { return k }
            k += 1
        }
        return sentence.upperBound
    }

    /// The quotation that ends just before token `index`, past a comma or dash.
    func quoteEnding(before index: Int, sentence: Range<Int>) -> Quotation? {
        var k = index - 1
        while k >= sentence.lowerBound, isComma(k) || isIn(k, Words.dashes) { k -= 1 }
        guard k >= sentence.lowerBound, isQuoteMark(k) else { return nil }
        return quotes.last { $0.outer.end == toks[k].end && !$0.nested }
    }

    /// The quotation that opens `sentence` and ends before token `index`, with no reporting verb between
    /// ("“...,” Rep. Jordan (R-Ohio), a panel member, said").
    func quoteOpening(_ sentence: Range<Int>, endingBefore index: Int) -> Quotation? {
        let start = toks[sentence.lowerBound].start
        guard let quote = quotes.first(where: { $0.outer.start >= start && $0.outer.start <= start + 3 && !$0.nested }),
            quote.outer.end <= toks[index].start
        else { return nil }
        var k = index - 1
        while k > sentence.lowerBound, toks[k].start >= quote.outer.end {
            if predicate(at: k) != nil, !toks[k].capitalised { return nil }
            k -= 1
        }
        return quote
    }

    /// What precedes a cue and its source: the quotation that ends there, or the clause from the sentence start.
    func contentBefore(_ index: Int, sentence: Range<Int>) -> TextSpan? {
        var k = index - 1
        let s = sentence.lowerBound
        while k >= s, isComma(k) || toks[k].hash == Words.dash { k -= 1 }
        guard k >= s else {
            // The cue opens its sentence: the content may be the quotation just before.
            if s > 0, let quote = quotes.last(where: { $0.outer.end <= toks[s].start && $0.outer.end >= toks[s - 1].start }) {
                return quote.inner
            }
            return nil
        }
        if let quote = quotes.last(where: { $0.outer.end == toks[k].end && !$0.nested }) ?? quotes.last(where: {
            $0.outer.end >= toks[k].start && $0.outer.end <= toks[k].end + 3 && !$0.nested
        }) {
            return quote.inner
        }
        // Back to the sentence start, or to an opening quotation mark inside it.
        return span(from: s, to: k + 1)
    }

    /// Bytes from token `from` up to token `to` (exclusive), without trailing sentence punctuation.
    func span(from: Int, to: Int) -> TextSpan? {
        var last = to - 1
        while last >= from, !toks[last].isWord, !isName(last), toks[last].hash != Words.percentSign { last -= 1 }
        guard last >= from else { return nil }
        var first = from
        while first < last, !toks[first].isWord, !isName(first), !isQuoteMark(first), !isNumberToken(first) { first += 1 }
        return TextSpan(toks[first].start, toks[last].end)
    }

    func isNumberToken(_ index: Int) -> Bool { UTF8Scanning.isDigit(document.utf8[toks[index].start]) }

    // MARK: - Output

    func annotations() -> [Annotation] {
        var result: [Annotation] = []
        // Room for every quotation and the four annotations of each attribution made once, not by doubling.
        result.reserveCapacity(quotes.count + 4 * found.count + 8)
        // Local ids ("c12") built in place, not interpolated: four for each attribution.
        let stems = (quote: [UInt8(ascii: "q")], cue: [UInt8(ascii: "c")], content: [UInt8(ascii: "t")], source: [UInt8(ascii: "s")], attribution: [UInt8(ascii: "a")])
        var attributedQuotes: Set<Int> = []
        for item in found where item.direct {
            for (index, quote) in quotes.enumerated() where quote.inner.overlaps(item.content) { attributedQuotes.insert(index) }
        }
        for (index, quote) in quotes.enumerated() {
            let id = AnnotationStore.id(stem: stems.quote, number: index)
            let scare = quote.words <= scareWords && !quote.endsSentence && !attributedQuotes.contains(index)
            var features: Features = ["scare": .bool(scare)]
            if quote.nested { features["nested"] = .bool(true) }
            if quote.spansParagraphs { features["spansParagraphs"] = .bool(true) }
            result.append(Annotation(id: id, layer: "citation", label: "quote", span: quote.inner, features: features))
        }
        for (index, item) in found.enumerated() {
            let cueSpan = TextSpan(toks[item.cue.lowerBound].start, toks[item.cue.upperBound - 1].end)
            var roles = Roles(minimumCapacity: 3)
            let cueID = AnnotationStore.id(stem: stems.cue, number: index)
            let contentID = AnnotationStore.id(stem: stems.content, number: index)
            roles["cue"] = [cueID]
            roles["content"] = [contentID]
            result.append(Annotation(id: cueID, layer: "citation", label: "cue", span: cueSpan))
            result.append(Annotation(id: contentID, layer: "citation", label: "content", span: item.content))
            var features = Features(minimumCapacity: 4)
            features["cueType"] = .string(item.cueKind)
            features["direct"] = .bool(item.direct)
            var extent = TextSpan(min(cueSpan.start, item.content.start), max(cueSpan.end, item.content.end))
            if let source = item.source {
                let sourceSpan = TextSpan(toks[source.lowerBound].start, toks[source.upperBound - 1].end)
                let sourceID = AnnotationStore.id(stem: stems.source, number: index)
                roles["source"] = [sourceID]
                result.append(Annotation(id: sourceID, layer: "citation", label: "source", span: sourceSpan))
                extent = TextSpan(min(extent.start, sourceSpan.start), max(extent.end, sourceSpan.end))
                let (canonical, kind) = describeSource(source, span: sourceSpan)
                if let canonical { features["sourceCanonical"] = .string(canonical) }
                features["sourceKind"] = .string(kind)
            } else {
                features["sourceKind"] = .string("anonymous")
            }
            result.append(Annotation(id: AnnotationStore.id(stem: stems.attribution, number: index), layer: "citation", label: "attribution", span: extent, features: features, roles: roles))
        }
        result.append(contentsOf: links())
        return result
    }

    /// Whether `text` holds `part` byte for byte: a plain scan, where Foundation's `contains` and the standard
    /// library's generic `firstRange(of:)` cost thousands of instructions a call.
    static func holds(_ text: String, _ part: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: part.utf8Start, count: part.utf8CodeUnitCount)
        let haystack = Array(text.utf8)
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    /// Every hyperlink of the `markup` layer, with the sentence it supports.
    func links() -> [Annotation] {
        var result: [Annotation] = []
        for link in store.annotations(in: "markup") where link.label == "link" {
            let href = link.features["href"]?.stringValue ?? ""
            let trimmed = href.trimmingSpaces()
            var features: Features = ["href": .string(href), "anchor": .string(document.text(of: link.span))]
            features["unresolved"] = .bool(trimmed.isEmpty || trimmed == "#")
            var roles: Roles = [:]
            if let sentence = store.overlapping(link.span, in: "sentence").first {
                roles["supports"] = [sentence.id]
            }
            result.append(Annotation(id: "", layer: "citation", label: "link", span: link.span, features: features, roles: roles))
        }
        return result
    }

    /// The entity a source names, and what kind of source it is.
    func describeSource(_ source: Range<Int>, span: TextSpan) -> (String?, String) {
        // The head is the last word before any comma: "The author, a professor at ...": "author".
        var headIndex = source.upperBound - 1
        if let comma = source.first(where: { isComma($0) }), comma > source.lowerBound { headIndex = comma - 1 }
        let head = toks[headIndex].hash
        let inside = store.overlapping(span, in: "entity").filter { $0.span.start >= span.start && $0.span.end <= span.end }
        let covering = inside.first { $0.span.start <= toks[headIndex].start && $0.span.end >= toks[headIndex].end }
        let person = inside.first { $0.label == "PERSON" }
        if let entity = covering ?? person ?? (Words.personNouns.contains(head) ? nil : inside.max(by: { $0.span.length < $1.span.length })) {
            let canonical = entity.features["canonical"]?.stringValue ?? document.text(of: entity.span)
            let kind = entity.features["kind"]?.stringValue ?? ""
            switch entity.label {
            case "PERSON": return (canonical, "person")
            case "ORG": return (canonical, Self.holds(kind, "media") || Words.outletNouns.contains(head) ? "outlet" : "organisation")
            case "GPE", "NORP": return (canonical, Words.documentNouns.contains(head) ? "document" : "government")
            default: break
            }
            if Words.documentNouns.contains(head) { return (canonical, "document") }
            return (canonical, "organisation")
        }
        if source.count == 1, isIn(source.lowerBound, Words.firstPerson) { return (nil, "author") }
        if source.count == 1, isIn(source.lowerBound, Words.personalPronouns) { return (nil, "person") }
        if Words.documentNouns.contains(head) { return (nil, "document") }
        if Words.outletNouns.contains(head) { return (nil, "outlet") }
        if Words.anonymousNouns.contains(head) || isIn(source.lowerBound, Words.indefinite) && !toks[source.upperBound - 1].capitalised {
            return (nil, "anonymous")
        }
        // "Environmentalists worry": a plural that is capitalised only because it opens the sentence.
        if source.count == 1, headIndex == sentenceRanges[toks[headIndex].sentence].lowerBound, isPluralNoun(headIndex, capitalised: true) {
            return (nil, "anonymous")
        }
        if toks[headIndex].capitalised { return (nil, "person") }
        return (nil, Words.personNouns.contains(head) ? "person" : "anonymous")
    }
}
