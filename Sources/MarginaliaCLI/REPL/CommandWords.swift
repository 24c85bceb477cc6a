import MarginaliaCore

/// Splits a command line into words the way a shell would: spaces separate, quotes group, backslash escapes.
enum CommandWords {
    struct UnterminatedQuote: Error {}

    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\", quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
                continue
            }
            if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
                continue
            }
            current.append(character)
            inWord = true
        }
        if quote != nil { throw UnterminatedQuote() }
        if escaped { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }

    /// Splits `-c` text into commands at semicolons outside quotes.
    static func commands(_ text: String) -> [String] {
        var commands: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
                current.append(character)
                continue
            }
            if character == "\\" { escaped = true }
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == ";" {
                commands.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        commands.append(current)
        return commands.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// The word under the cursor for completion: the text after the last unquoted space, and the words before it.
    static func completionContext(_ prefix: String) -> (previous: [String], word: String) {
        var words = (try? split(prefix)) ?? prefix.split(separator: " ").map(String.init)
        let endsWithSpace = prefix.last == " " || prefix.last == "\t"
        if endsWithSpace || words.isEmpty { return (words, "") }
        let word = words.removeLast()
        return (words, word)
    }
}
