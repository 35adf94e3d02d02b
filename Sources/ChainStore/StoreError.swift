/// A failure of the chain database, as one line a learner can act on: it names the file, the
/// problem and the fix (for example "no blockchain database at /tmp/c.db; create one first with
/// chain createblockchain --db /tmp/c.db").
public struct StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong, so callers can branch without parsing `message`.
    public enum Kind: String, Equatable, Sendable {
        /// The file does not exist and `create` was false (or its directory does not exist).
        case missing
        /// The path names a directory or another non-regular file.
        case notAFile
        /// The file (or a directory on its path) cannot be read.
        case unreadable
        /// The file is not a workbench chain database: not SQLite, empty, or SQLite without our meta row.
        case notChainDatabase
        /// A workbench chain database of another format version.
        case wrongVersion
        /// SQLite reported SQLITE_CORRUPT / SQLITE_NOTADB on a file that had opened as ours.
        case damaged
        /// Another connection held the lock for longer than the 2 s busy timeout.
        case locked
        /// The file or its directory is not writable.
        case readOnly
        /// A disk or operating-system error (I/O error, disk full).
        case io
        /// The API was used wrongly: bad bucket name, empty key, writer used outside `update`,
        /// nested `update`, store already closed.
        case misuse
        /// Anything else SQLite reported.
        case other
    }

    public let kind: Kind
    /// One line: the file, the problem, the fix.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = StoreError.oneLine(message)
    }

    public var description: String { message }

    /// Control characters (a newline in a path, garbage read from a damaged meta row) would break
    /// the one-line promise; they are shown escaped instead.
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
