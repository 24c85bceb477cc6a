#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `~` and glob expansion for `load`, and directory listing for path completion.
enum PathExpansion {
    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }

    static func hasGlob(_ path: String) -> Bool {
        path.contains("*") || path.contains("?") || path.contains("[")
    }

    /// Paths matching a shell pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }

    /// Completions of a partial path: entries of its directory starting with its last component; directories
    /// end in `/`.
    static func complete(_ partial: String) -> [String] {
        let expanded = expandTilde(partial)
        let directoryPart: String
        let base: String
        if let slash = expanded.lastIndex(of: "/") {
            directoryPart = String(expanded[...slash])
            base = String(expanded[expanded.index(after: slash)...])
        } else {
            directoryPart = ""
            base = expanded
        }
        guard let directory = opendir(directoryPart.isEmpty ? "." : directoryPart) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix("."), !base.hasPrefix(".") { continue }
            guard name.hasPrefix(base) else { continue }
            let full = directoryPart + name
            var info = stat()
            let isDirectory = stat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            // Keep what the user typed (`~/`) rather than the expansion.
            let shown = String(partial.dropLast(base.count)) + name
            names.append(isDirectory ? shown + "/" : shown)
        }
        return names.sorted()
    }
}
