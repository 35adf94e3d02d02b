// A stage's filesystem while it is built: absolute path -> entry, with directories explicit.
// Paths are kept clean (`/a/b`, root is `/`), so prefix tests decide what a directory holds.

struct BuildFileSystem: Equatable, Sendable {
    private(set) var entries: [String: FileEntry] = ["/": FileEntry(path: "/", size: 0, isDirectory: true)]

    init() {}

    init(files: [FileEntry]) {
        for file in files { put(file) }
    }

    subscript(path: String) -> FileEntry? { entries[path] }

    func isDirectory(_ path: String) -> Bool { entries[path]?.isDirectory == true }

    /// Every entry, sorted by path.
    var sorted: [FileEntry] { entries.values.sorted { $0.path < $1.path } }

    /// Creates `path` and its missing parents as directories (`mkdir -p`).
    mutating func makeDirectory(_ path: String, owner: String = "root:root") {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if entries[current] == nil {
                entries[current] = FileEntry(path: current, size: 0, isDirectory: true, owner: owner)
            } else if entries[current]?.isDirectory == false {
                // A file in the way is replaced, as a later layer's directory would shadow it.
                entries[current] = FileEntry(path: current, size: 0, isDirectory: true, owner: owner)
            }
        }
    }

    /// Writes one entry, creating its parent directories.
    mutating func put(_ entry: FileEntry) {
        makeDirectory(Self.parent(of: entry.path))
        if entry.isDirectory, entries[entry.path]?.isDirectory == true {
            entries[entry.path]?.owner = entry.owner
            entries[entry.path]?.mode = entry.mode
            return
        }
        entries[entry.path] = entry
    }

    /// The entry and everything below it, sorted by path.
    func tree(at path: String) -> [FileEntry] {
        guard let entry = entries[path] else { return [] }
        guard entry.isDirectory else { return [entry] }
        let prefix = path == "/" ? "/" : path + "/"
        return entries.values.filter { $0.path == path || $0.path.hasPrefix(prefix) }.sorted { $0.path < $1.path }
    }

    /// Removes `path` and everything below it; returns what was removed.
    @discardableResult
    mutating func remove(_ path: String) -> [FileEntry] {
        let removed = tree(at: path)
        for entry in removed where entry.path != "/" { entries[entry.path] = nil }
        return removed.filter { $0.path != "/" }
    }

    /// The direct children's names of a directory, sorted.
    func children(of path: String) -> [String] {
        let prefix = path == "/" ? "/" : path + "/"
        return entries.keys.filter { $0.hasPrefix(prefix) && $0 != path && !$0.dropFirst(prefix.count).contains("/") }
            .map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    /// Expands a path whose last components may hold `*` and `?` (shell globbing, no `/` crossing).
    func glob(_ path: String) -> [String] {
        guard Self.hasGlob(path) else { return entries[path] == nil ? [] : [path] }
        var matches = ["/"]
        for part in path.split(separator: "/") {
            var next: [String] = []
            for directory in matches {
                if Self.hasGlob(String(part)) {
                    for child in children(of: directory) where Self.globMatch(String(part), child) {
                        next.append(Self.join(directory, child))
                    }
                } else {
                    let candidate = Self.join(directory, String(part))
                    if entries[candidate] != nil { next.append(candidate) }
                }
            }
            matches = next
        }
        return matches.sorted()
    }

    /// The bytes and entries that differ from `before`: added or changed files (by digest, size,
    /// owner or mode), and paths that are gone (whiteouts).
    func diff(from before: BuildFileSystem) -> (bytes: Int, changed: [FileEntry], removed: [String]) {
        var bytes = 0
        var changed: [FileEntry] = []
        for (path, entry) in entries where before.entries[path] != entry {
            changed.append(entry)
            if !entry.isDirectory { bytes += entry.size }
        }
        let removed = before.entries.keys.filter { entries[$0] == nil }.sorted()
        return (bytes, changed.sorted { $0.path < $1.path }, removed)
    }

    // MARK: Paths

    static func hasGlob(_ text: String) -> Bool { text.contains("*") || text.contains("?") }

    /// A clean absolute path: `.` and empty parts dropped, `..` applied, no trailing slash.
    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` resolved against `directory` when relative, then cleaned.
    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? clean(path) : clean(directory + "/" + path)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), path != "/" else { return "/" }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? ""
    }

    /// Shell/filepath.Match globbing of one name: `*` any run, `?` one character.
    static func globMatch(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern), n = Array(name)
        var pi = 0, ni = 0, star = -1, mark = 0
        while ni < n.count {
            if pi < p.count, p[pi] == "?" || p[pi] == n[ni] {
                pi += 1; ni += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ni; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ni = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
