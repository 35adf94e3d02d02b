/// A path that failed client-side validation. `message` is the text of Java's
/// IllegalArgumentException (`Invalid path string "a/b" caused by …`, or the bare sentence for the
/// first three checks); `reason` is the rule that failed; `path` is the path as given.
public struct PathError: Error, Equatable, Sendable {
    public var path: String
    public var reason: String
    public var message: String

    public init(path: String, reason: String, message: String) {
        self.path = path
        self.reason = reason
        self.message = message
    }
}

/// Znode path helpers. Validation follows ZooKeeper's `PathUtils.validatePath` (zookeeper.md §3
/// "Tree and node kinds": absolute slash paths, no `.`/`..`).
public enum ZKPath {
    /// Validates `path` as `PathUtils.validatePath(path, isSequential)` does, in its order:
    /// 1. empty → `Path length must be > 0`
    /// 2. not starting with `/` → `Path must start with / character`
    /// 3. `/` alone is valid
    /// 4. ending with `/` → `Path must not end with / character`
    /// 5. scanning UTF-16 code units from index 1, the first of: NUL → `null character not allowed @i`;
    ///    `//` → `empty node name specified @i`; a `.` or `..` segment → `relative paths not allowed @i`;
    ///    U+0001–U+001F, U+007F–U+009F, U+D800–U+F8FF (so any surrogate pair), U+FFF0–U+FFFF →
    ///    `invalid character @i`. These four are reported as `Invalid path string "<path>" caused by <reason>`.
    ///
    /// Like Java, a sequential path is validated with `"1"` appended, so `/app/` is valid for
    /// `create -s` and the message of a sequential failure quotes the path with that `1`.
    public static func validate(_ path: String, sequential: Bool = false) throws(PathError) {
        let checked = sequential ? path + "1" : path
        let units = Array(checked.utf16)
        let slash: UInt16 = 0x2F, dot: UInt16 = 0x2E
        guard !units.isEmpty else {
            throw PathError(path: path, reason: "Path length must be > 0", message: "Path length must be > 0")
        }
        guard units[0] == slash else {
            let text = "Path must start with / character"
            throw PathError(path: path, reason: text, message: text)
        }
        if units.count == 1 { return }
        if units[units.count - 1] == slash {
            let text = "Path must not end with / character"
            throw PathError(path: path, reason: text, message: text)
        }
        var reason: String?
        for i in 1..<units.count {
            let c = units[i], lastc = units[i - 1]
            let segmentEndsAfter = i + 1 == units.count || units[i + 1] == slash
            if c == 0 {
                reason = "null character not allowed @\(i)"
            } else if c == slash && lastc == slash {
                reason = "empty node name specified @\(i)"
            } else if c == dot && lastc == dot {
                if units[i - 2] == slash && segmentEndsAfter { reason = "relative paths not allowed @\(i)" }
            } else if c == dot {
                if lastc == slash && segmentEndsAfter { reason = "relative paths not allowed @\(i)" }
            } else if (c > 0 && c <= 0x1F) || (c >= 0x7F && c <= 0x9F)
                        || (c >= 0xD800 && c <= 0xF8FF) || c >= 0xFFF0 {
                reason = "invalid character @\(i)"
            }
            if reason != nil { break }
        }
        if let reason {
            throw PathError(path: path, reason: reason,
                            message: "Invalid path string \"\(checked)\" caused by \(reason)")
        }
    }

    /// Whether `validate` accepts the path.
    public static func isValid(_ path: String, sequential: Bool = false) -> Bool {
        do { try validate(path, sequential: sequential); return true } catch { return false }
    }

    /// The parent path: everything before the last `/`, with `""` mapped to `/` as ZooKeeper does
    /// (`/` for `/a`; `/a` for `/a/`). `parent(of: "/")` is `/`.
    public static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "/" }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }

    /// The last segment: everything after the last `/` (`""` for `/`).
    public static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// `parent + "/" + child`, without doubling the root's slash.
    public static func join(_ parent: String, _ child: String) -> String {
        parent == "/" ? "/" + child : parent + "/" + child
    }

    /// Whether `ancestor` is a strict ancestor of `path` (`/` is an ancestor of every other path).
    public static func isAncestor(_ ancestor: String, of path: String) -> Bool {
        if ancestor == path { return false }
        if ancestor == "/" { return path.utf8.first == UInt8(ascii: "/") }
        return path.utf8.starts(with: (ancestor + "/").utf8)
    }
}

/// Java's `String.compareTo` order (UTF-16 code units), which zkCli's sorted `ls` uses.
/// Compares UTF-8 bytes, which give the same order for every character below U+E000; only when
/// the first difference involves a lead byte ≥ 0xEE (U+E000…U+FFFF against a supplementary
/// character, where UTF-16 and scalar order disagree) does it fall back to UTF-16 units.
func javaPrecedes(_ a: String, _ b: String) -> Bool {
    var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case let (x?, y?):
            if x == y { continue }
            if x >= 0xEE || y >= 0xEE { return a.utf16.lexicographicallyPrecedes(b.utf16) }
            return x < y
        case (nil, .some): return true
        default: return false
        }
    }
}
