/// English verb inflection for word lists that name verbs by their lemma.
public enum VerbForms {
    /// The base form, third person singular, past, past participle and gerund of a verb.
    ///
    /// `spec` is a regular lemma ("note" → notes, noted, noting), a lemma with `+` when the final consonant doubles
    /// ("admit+" → admitted, admitting), or all five forms separated by `|` for irregular verbs
    /// ("say|says|said|said|saying").
    public static func of(_ spec: String) -> [String] {
        let explicit = spec.split(separator: "|").map(String.init)
        if explicit.count == 5 { return explicit }
        var lemma = spec
        let doubles = lemma.hasSuffix("+")
        if doubles { lemma.removeLast() }
        guard let last = lemma.last else { return [] }
        let third = ["s", "x", "z"].contains(last) || lemma.hasSuffix("ch") || lemma.hasSuffix("sh") ? lemma + "es" : lemma + "s"
        let stem = doubles ? lemma + String(last) : lemma
        if lemma.hasSuffix("e") {
            let gerund = lemma.hasSuffix("ee") ? lemma + "ing" : String(lemma.dropLast()) + "ing"
            return [lemma, third, lemma + "d", lemma + "d", gerund]
        }
        return [lemma, third, stem + "ed", stem + "ed", stem + "ing"]
    }
}
