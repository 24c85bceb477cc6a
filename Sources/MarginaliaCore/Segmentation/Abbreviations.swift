/// Abbreviations that keep their final period as part of the token, and those that may also end a sentence.
///
/// Titles and name parts ("Gen.", "Dr.") never end a sentence; "Inc." or "etc." may. Matched on ASCII bytes,
/// case-sensitively for the capitalised ones, so "no." at a sentence end is not taken for "No. 5".
enum Abbreviations {
    /// Titles and other abbreviations that are followed by more of the same sentence.
    static let titles: Set<String> = [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Sgt", "Adm", "Gov", "Sen",
        "Rep", "Rev", "Hon", "Pres", "Amb", "Brig", "Cpl", "Pvt", "Supt", "Fr", "Sr", "Jr", "St", "Mt", "Ft", "No",
        "Nos", "Vol", "Vols", "pp", "vs", "cf", "approx", "Fig", "Figs", "Art", "Sec", "Jan", "Feb", "Apr", "Aug",
        "Sep", "Sept", "Oct", "Nov", "Dec", "Mar", "Jun", "Jul", "Ave", "Blvd", "Rd", "Dept", "Univ", "Assn",
        "Bros", "Ph", "Messrs", "Mme", "Mlle", "Gens", "Reps", "Sens",
    ]
    /// Abbreviations that often close a sentence as well.
    static let sentenceFinal: Set<String> = ["Inc", "Ltd", "Co", "Corp", "etc", "Jr", "Sr", "Bros", "LLC", "Plc", "plc", "al"]

    static let all: Set<String> = titles.union(sentenceFinal)

    private static let longest = all.map(\.utf8.count).max() ?? 0

    /// True when bytes `start..<end` spell a known abbreviation (without its period).
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start <= longest else { return false }
        return all.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
    }

    /// True when the token (with its period) may end a sentence: a sentence-final abbreviation or a letter-dot
    /// sequence such as "U.S.".
    static func mayEndSentence(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2, bytes[end - 1] == UInt8(ascii: ".") else { return false }
        if end - start >= 4, bytes[start + 1] == UInt8(ascii: ".") { return true }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(end - 1)]), as: UTF8.self)
        return sentenceFinal.contains(word)
    }
}
