import MarginaliaCore

/// Text that `analyzers` and `help ANALYZER` print, shared by the CLI and the REPL.
enum AnalyzerHelp {
    /// A table of every registered analyzer.
    static func table(_ registry: AnalyzerRegistry) -> String {
        var rows: [[String]] = [["NAME", "VERSION", "ORIGIN", "REQUIRES", "PRODUCES", "SUMMARY"]]
        for entry in registry.all {
            let d = entry.descriptor
            rows.append([
                d.name, d.version, entry.origin.description,
                d.requires.isEmpty ? "-" : d.requires.sorted().joined(separator: ","),
                d.produces.sorted().joined(separator: ","), d.summary,
            ])
        }
        return TextTable.render(rows)
    }

    /// The full description of one analyzer: requirements, options, examples.
    static func describe(_ entry: AnalyzerRegistration) -> String {
        let d = entry.descriptor
        var text = "\(d.name) \(d.version) (\(entry.origin))\n  \(d.summary)\n\n"
        text += "  requires: \(d.requires.isEmpty ? "nothing" : d.requires.sorted().joined(separator: ", "))\n"
        text += "  produces: \(d.produces.sorted().joined(separator: ", "))\n"
        if d.options.isEmpty {
            text += "\n  options: none\n"
        } else {
            text += "\n  options (set with --option \(d.name).NAME=VALUE, or `set \(d.name).NAME VALUE` in the REPL):\n"
            for option in d.options {
                text += "    \(option.name) (\(option.kind.rawValue), default \(option.defaultValue.displayText.isEmpty ? "none" : option.defaultValue.displayText)): \(option.help)\n"
            }
        }
        if !d.examples.isEmpty {
            text += "\n  examples:\n"
            for example in d.examples {
                text += "    \"\(example.text)\"\n"
                for expected in example.expected {
                    var line = "      \(expected.layer)/\(expected.label): \"\(expected.text)\""
                    if !expected.features.isEmpty {
                        line += " " + expected.features.map { "\($0.key)=\($0.value.displayText)" }.joined(separator: " ")
                    }
                    text += line + "\n"
                }
            }
        }
        return text
    }
}

/// `count` and `noun`, plural unless the count is one: "1 link", "4 quotations".
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}

/// Plain-text tables with columns padded to their widest cell (by scalar count, close enough for terminals).
enum TextTable {
    static func render(_ rows: [[String]], separator: String = "  ") -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.unicodeScalars.count) }
        }
        var text = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 {
                    line += String(repeating: " ", count: widths[index] - cell.unicodeScalars.count) + separator
                }
            }
            text += line + "\n"
        }
        return text
    }
}
