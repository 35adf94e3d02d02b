import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bolt-style buckets of byte keys and values, kept in one SQLite file a learner can open with
/// `sqlite3 FILE`.
///
/// Layout (see reference §1.3 and §1.7): one table per bucket, named exactly like the bucket,
/// `CREATE TABLE blocks (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID`, created on the
/// first `put` into it; plus `meta(format, version)` holding one row `('workbench-chain', 1)`
/// written when the file is created. The store knows nothing about blocks: the caller serializes,
/// and stores the tip under key `"l"` (the byte 0x6C) in bucket `blocks`, as Jeiwan does in Bolt.
///
/// Files use SQLite's default rollback journal (no WAL, so the learner sees one file between
/// commands) with `synchronous=FULL`, a 2 s busy timeout, `cell_size_check=ON` and the defensive
/// flag. Every SQLite failure, including a damaged file, surfaces as a one-line `StoreError`.
///
/// Reading a bucket that was never written is not an error: `get` gives nil, `keys`/`all` give
/// `[]`, `count` gives 0 (like a Bolt bucket that is empty).
///
/// A 0-byte file is rejected as "not a workbench chain database" in both modes, although SQLite
/// itself would treat it as a new empty database: a workbench database always has its meta row,
/// and an empty file at the --db path is more likely a mistake (`touch`, a failed copy) than a
/// chain; the learner deletes it and creates the chain again.
///
/// Not `Sendable`: one store is one SQLite connection with cached statements and transaction
/// state, meant for the single thread that opened it. Open a second store for a second thread.
public final class BucketStore {
    /// The path as given to `open`, used in every message.
    public let path: String

    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Serial number of the running `update` (0: none). A `BucketWriter` is valid only while its
    /// serial is the running one.
    private var activeSerial: UInt64 = 0
    private var lastSerial: UInt64 = 0
    /// The first writer failure inside the running `update`; set so that a body which swallows a
    /// write error still cannot commit a partial transaction.
    private var failure: StoreError?
    /// Buckets whose table is known to exist inside the running `update`.
    private var ensured: Set<String> = []
    /// True while `open` runs: SQLITE_NOTADB then means "not our file" rather than "damaged".
    private var opening = true

    /// The format written to and required in `meta`.
    public static let formatName = "workbench-chain"
    public static let formatVersion: Int64 = 1
    /// How long a statement waits for another connection's lock before failing.
    public static let busyTimeoutMilliseconds: Int32 = 2000

    private init(path: String, db: OpaquePointer) {
        self.path = path
        self.db = db
    }

    deinit {
        closeConnection()
    }

    // MARK: - Opening

    /// Opens the chain database at `path`. With `create` a missing file is created with its meta
    /// row; an existing file is opened either way and must already be a workbench chain database
    /// of format version 1 (it is never converted or overwritten).
    public static func open(path: String, create: Bool) throws(StoreError) -> BucketStore {
        guard !path.isEmpty else {
            throw StoreError(.missing, "empty database path; pass a file path such as --db blockchain.db")
        }
        let existed = try checkPath(path, create: create)
        var flags = SQLITE_OPEN_READWRITE
        if !existed { flags |= SQLITE_OPEN_CREATE }
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard let db = handle else {
            throw StoreError(.other, "cannot open \(path) (SQLite could not allocate a connection)")
        }
        let store = BucketStore(path: path, db: db)
        guard rc == SQLITE_OK else {
            let error = store.error(rc, "opening the database")
            store.closeConnection()
            throw error
        }
        do {
            try store.configure()
            if !existed { try store.initialize() }
            try store.validate()
        } catch {
            store.closeConnection()
            if !existed { removeIfEmpty(path) }
            throw error
        }
        store.opening = false
        return store
    }

    /// Checks the path before SQLite sees it; returns whether the file exists.
    private static func checkPath(_ path: String, create: Bool) throws(StoreError) -> Bool {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw StoreError(.notAFile, "\(path) is a directory, not a chain database file; pass a file path such as \(joined(path, "blockchain.db"))")
            }
            if (info.st_mode & S_IFMT) != S_IFREG {
                throw StoreError(.notAFile, "\(path) is not a regular file; pass the path of a chain database file")
            }
            if access(path, R_OK) != 0 {
                throw StoreError(.unreadable, "cannot read \(path) (\(errnoText(errno))); check its permissions")
            }
            if info.st_size == 0 {
                throw StoreError(.notChainDatabase, "\(path) is not a workbench chain database (empty file); delete it or choose another --db path")
            }
            return true
        }
        let code = errno
        switch code {
        case ENOENT:
            guard create else {
                throw StoreError(.missing, "no blockchain database at \(path); create one first with chain createblockchain --db \(path)")
            }
            let dir = directory(of: path)
            var dirInfo = stat()
            if stat(dir, &dirInfo) != 0 || (dirInfo.st_mode & S_IFMT) != S_IFDIR {
                throw StoreError(.missing, "cannot create \(path): directory \(dir) does not exist; create it first or choose another --db path")
            }
            return false
        case EACCES:
            throw StoreError(.unreadable, "cannot read \(path) (\(errnoText(code))); check the permissions of the file and its directories")
        case ENOTDIR:
            throw StoreError(.notAFile, "cannot open \(path): a component of the path is a file, not a directory; choose another --db path")
        default:
            throw StoreError(.other, "cannot open \(path) (\(errnoText(code)))")
        }
    }

    private func configure() throws(StoreError) {
        guard let db else { throw closedError() }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, BucketStore.busyTimeoutMilliseconds)
        _ = csqlite_enable_defensive(db)
        // None of these pragmas reads the file, so they succeed even on garbage; validate() judges it.
        try exec("PRAGMA synchronous=FULL; PRAGMA cell_size_check=ON; PRAGMA trusted_schema=OFF",
                 "configuring the connection")
    }

    /// Writes the meta row into a file this call created. If another process initialised it in
    /// the meantime, its meta row is kept (and validated next).
    private func initialize() throws(StoreError) {
        try exec("BEGIN IMMEDIATE", "creating the database")
        do {
            let tables = try scalarInt("SELECT count(*) FROM sqlite_master", "creating the database")
            if tables == 0 {
                try exec("CREATE TABLE meta (format TEXT NOT NULL, version INTEGER NOT NULL)", "creating the database")
                try run("INSERT INTO meta (format, version) VALUES (?, ?)", "creating the database") { stmt throws(StoreError) in
                    try self.check(csqlite_bind_text(stmt, 1, BucketStore.formatName), "creating the database")
                    try self.check(sqlite3_bind_int64(stmt, 2, BucketStore.formatVersion), "creating the database")
                    try self.stepDone(stmt, "creating the database")
                }
            }
            try exec("COMMIT", "creating the database")
        } catch {
            rollbackIfActive()
            throw error
        }
    }

    /// Requires exactly our format and version in `meta`.
    private func validate() throws(StoreError) {
        guard let db else { throw closedError() }
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, "SELECT format, version FROM meta", -1, &handle, nil)
        guard rc == SQLITE_OK, let stmt = handle else {
            sqlite3_finalize(handle)
            let primary = rc & 0xFF
            if primary == SQLITE_NOTADB {
                throw StoreError(.notChainDatabase, "\(path) is not a workbench chain database (file is not a database)")
            }
            if primary == SQLITE_ERROR, lastMessage().hasPrefix("no such table") {
                throw StoreError(.notChainDatabase, "\(path) is a SQLite database but not a workbench chain database (it has no meta table); choose another --db path")
            }
            throw error(rc, "reading the meta table")
        }
        defer { sqlite3_finalize(stmt) }
        let step = sqlite3_step(stmt)
        if step == SQLITE_DONE {
            throw StoreError(.notChainDatabase, "\(path) is not a workbench chain database (its meta table is empty); choose another --db path")
        }
        guard step == SQLITE_ROW else { throw error(step, "reading the meta table") }
        let format = BucketStore.columnBytes(stmt, 0)
        let formatText = String(decoding: format.prefix(64), as: UTF8.self)
        guard sqlite3_column_type(stmt, 0) == SQLITE_TEXT, formatText == BucketStore.formatName else {
            throw StoreError(.notChainDatabase, "\(path) is not a workbench chain database (its meta format is '\(formatText)', expected '\(BucketStore.formatName)'); choose another --db path")
        }
        let version = sqlite3_column_int64(stmt, 1)
        guard sqlite3_column_type(stmt, 1) == SQLITE_INTEGER, version == BucketStore.formatVersion else {
            let shown = String(decoding: BucketStore.columnBytes(stmt, 1).prefix(32), as: UTF8.self)
            throw StoreError(.wrongVersion, "\(path) is a workbench chain database of format version \(shown), but this workbench reads version \(BucketStore.formatVersion); use a matching workbench or create a new chain with chain createblockchain --db PATH2")
        }
    }

    // MARK: - Reading

    /// The value stored under `key` in `bucket`, or nil (also when the bucket was never written).
    public func get(_ bucket: String, _ key: [UInt8]) throws(StoreError) -> [UInt8]? {
        try BucketStore.checkName(bucket)
        let doing = "reading bucket \(bucket)"
        return try query(bucket, "SELECT value FROM \"\(bucket)\" WHERE key = ?", doing, absent: nil) { stmt throws(StoreError) -> [UInt8]? in
            try self.bind(stmt, 1, key, doing)
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return nil }
            guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
            return BucketStore.columnBytes(stmt, 0)
        }
    }

    /// Every key of `bucket`, sorted by key bytes (memcmp order, shorter first on a tie, as Bolt).
    public func keys(_ bucket: String) throws(StoreError) -> [[UInt8]] {
        try BucketStore.checkName(bucket)
        let doing = "reading bucket \(bucket)"
        return try query(bucket, "SELECT key FROM \"\(bucket)\" ORDER BY key", doing, absent: []) { stmt throws(StoreError) in
            var out: [[UInt8]] = []
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { return out }
                guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
                out.append(BucketStore.columnBytes(stmt, 0))
            }
        }
    }

    /// Every key/value pair of `bucket`, sorted by key bytes.
    public func all(_ bucket: String) throws(StoreError) -> [(key: [UInt8], value: [UInt8])] {
        try BucketStore.checkName(bucket)
        let doing = "reading bucket \(bucket)"
        return try query(bucket, "SELECT key, value FROM \"\(bucket)\" ORDER BY key", doing, absent: []) { stmt throws(StoreError) in
            var out: [(key: [UInt8], value: [UInt8])] = []
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { return out }
                guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
                out.append((key: BucketStore.columnBytes(stmt, 0), value: BucketStore.columnBytes(stmt, 1)))
            }
        }
    }

    /// The number of keys in `bucket`.
    public func count(_ bucket: String) throws(StoreError) -> Int {
        try BucketStore.checkName(bucket)
        let doing = "counting bucket \(bucket)"
        return try query(bucket, "SELECT count(*) FROM \"\(bucket)\"", doing, absent: 0) { stmt throws(StoreError) in
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
            return Int(sqlite3_column_int64(stmt, 0))
        }
    }

    /// Runs `PRAGMA quick_check` and returns the problems it lists: `[]` when the file is healthy.
    /// (quick_check verifies the b-tree structure, not the bytes of stored values.)
    public func integrityCheck() throws(StoreError) -> [String] {
        let doing = "checking the database"
        let rows = try run("PRAGMA quick_check", doing) { stmt throws(StoreError) in
            var out: [String] = []
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { return out }
                guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
                out.append(String(decoding: BucketStore.columnBytes(stmt, 0), as: UTF8.self))
            }
        }
        return rows == ["ok"] ? [] : rows
    }

    // MARK: - Writing

    /// Runs `body` in one SQLite transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK on throw): all
    /// writes or none. If any writer call fails, nothing is committed even when `body` catches
    /// that error: `update` rolls back and throws it. Reads through this store inside `body` see
    /// the transaction's own writes. `update` cannot be nested. Errors of `body` are rethrown
    /// unchanged; the store's own failures are `StoreError`.
    public func update(_ body: (inout BucketWriter) throws -> Void) throws {
        guard db != nil else { throw closedError() }
        guard activeSerial == 0 else {
            throw StoreError(.misuse, "\(path): update called inside another update of the same store; do all the writes in one update")
        }
        try exec("BEGIN IMMEDIATE", "starting a write")
        lastSerial += 1
        activeSerial = lastSerial
        failure = nil
        ensured = []
        defer {
            activeSerial = 0
            failure = nil
            ensured = []
        }
        var writer = BucketWriter(store: self, serial: activeSerial)
        do {
            try body(&writer)
        } catch {
            rollbackIfActive()
            throw error
        }
        if db == nil {
            throw StoreError(.misuse, "\(path) was closed inside update; nothing was written")
        }
        if let failure {
            rollbackIfActive()
            throw failure
        }
        do {
            try exec("COMMIT", "committing a write")
        } catch {
            rollbackIfActive()
            throw error
        }
    }

    /// Closes the file. Later calls throw a "closed" StoreError. Idempotent.
    public func close() {
        closeConnection()
    }

    // MARK: Writer support

    func writerPut(_ serial: UInt64, _ bucket: String, _ key: [UInt8], _ value: [UInt8]) throws(StoreError) {
        try recording(serial) { () throws(StoreError) in
            try BucketStore.checkName(bucket)
            guard !key.isEmpty else {
                throw StoreError(.misuse, "\(path): empty key for bucket \(bucket); keys must be at least one byte (as in Bolt)")
            }
            let doing = "writing bucket \(bucket)"
            try ensureTable(bucket, doing)
            try run("INSERT INTO \"\(bucket)\" (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", doing) { stmt throws(StoreError) in
                try self.bind(stmt, 1, key, doing)
                try self.bind(stmt, 2, value, doing)
                try self.stepDone(stmt, doing)
            }
        }
    }

    func writerDelete(_ serial: UInt64, _ bucket: String, _ key: [UInt8]) throws(StoreError) {
        try recording(serial) { () throws(StoreError) in
            try BucketStore.checkName(bucket)
            let doing = "deleting from bucket \(bucket)"
            guard try tableExists(bucket, doing) else { return }
            try run("DELETE FROM \"\(bucket)\" WHERE key = ?", doing) { stmt throws(StoreError) in
                try self.bind(stmt, 1, key, doing)
                try self.stepDone(stmt, doing)
            }
        }
    }

    func writerClear(_ serial: UInt64, _ bucket: String) throws(StoreError) {
        try recording(serial) { () throws(StoreError) in
            try BucketStore.checkName(bucket)
            let doing = "clearing bucket \(bucket)"
            guard try tableExists(bucket, doing) else { return }
            try run("DELETE FROM \"\(bucket)\"", doing) { stmt throws(StoreError) in
                try self.stepDone(stmt, doing)
            }
        }
    }

    /// Checks the writer is current, runs `work`, and remembers its failure for `update`.
    private func recording(_ serial: UInt64, _ work: () throws(StoreError) -> Void) throws(StoreError) {
        guard db != nil else { throw closedError() }
        guard serial != 0, serial == activeSerial else {
            throw StoreError(.misuse, "\(path): a BucketWriter was used outside its update; write only inside the update body")
        }
        do {
            try work()
        } catch {
            if failure == nil { failure = error }
            throw error
        }
    }

    private func ensureTable(_ bucket: String, _ doing: String) throws(StoreError) {
        if ensured.contains(bucket) { return }
        // Written without IF NOT EXISTS or quotes so `.schema` shows the statement of the brief;
        // the name is validated by checkName.
        if try !tableExists(bucket, doing) {
            try exec("CREATE TABLE \(bucket) (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID", doing)
        }
        ensured.insert(bucket)
    }

    private func tableExists(_ bucket: String, _ doing: String) throws(StoreError) -> Bool {
        if ensured.contains(bucket) { return true }
        let found = try run("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", doing) { stmt throws(StoreError) -> Bool in
            try self.check(csqlite_bind_text(stmt, 1, bucket), doing)
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
            return sqlite3_column_int64(stmt, 0) > 0
        }
        if found, activeSerial != 0 { ensured.insert(bucket) }
        return found
    }

    // MARK: - SQLite plumbing

    /// Bucket names become table names, so they are validated (never quoted user text):
    /// ^[a-z][a-z0-9_]*$, at most 64 bytes, not `meta`, not SQLite's reserved `sqlite_` prefix.
    static func checkName(_ bucket: String) throws(StoreError) {
        let bytes = Array(bucket.utf8)
        var valid = !bytes.isEmpty && bytes.count <= 64
        if valid, let first = bytes.first { valid = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") }
        if valid {
            valid = bytes.allSatisfy { b in
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
            }
        }
        guard valid else {
            throw StoreError(.misuse, "invalid bucket name '\(bucket.prefix(80))'; use lowercase letters, digits and _ starting with a letter, such as blocks or chainstate")
        }
        guard bucket != "meta", !bucket.hasPrefix("sqlite_") else {
            throw StoreError(.misuse, "bucket name '\(bucket)' is reserved; use another name, such as blocks or chainstate")
        }
    }

    /// Runs a read on a bucket table; a table that does not exist yet reads as `absent`.
    private func query<T>(_ bucket: String, _ sql: String, _ doing: String, absent: T,
                          _ body: (OpaquePointer) throws(StoreError) -> T) throws(StoreError) -> T {
        guard db != nil else { throw closedError() }
        if statements[sql] == nil, !ensured.contains(bucket) {
            guard try tableExists(bucket, doing) else { return absent }
        }
        return try run(sql, doing, body)
    }

    /// Runs `body` with the cached prepared statement for `sql`, resetting it afterwards.
    private func run<T>(_ sql: String, _ doing: String,
                        _ body: (OpaquePointer) throws(StoreError) -> T) throws(StoreError) -> T {
        let stmt = try statement(sql, doing)
        defer {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
        }
        return try body(stmt)
    }

    private func statement(_ sql: String, _ doing: String) throws(StoreError) -> OpaquePointer {
        guard let db else { throw closedError() }
        if let cached = statements[sql] { return cached }
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &handle, nil)
        guard rc == SQLITE_OK, let stmt = handle else {
            sqlite3_finalize(handle)
            throw error(rc == SQLITE_OK ? SQLITE_ERROR : rc, doing)
        }
        statements[sql] = stmt
        return stmt
    }

    private func exec(_ sql: String, _ doing: String) throws(StoreError) {
        guard let db else { throw closedError() }
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, doing) }
    }

    private func scalarInt(_ sql: String, _ doing: String) throws(StoreError) -> Int64 {
        try run(sql, doing) { stmt throws(StoreError) in
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_ROW else { throw self.error(rc, doing) }
            return sqlite3_column_int64(stmt, 0)
        }
    }

    private func bind(_ stmt: OpaquePointer, _ index: Int32, _ bytes: [UInt8], _ doing: String) throws(StoreError) {
        guard bytes.count <= Int(Int32.max) else {
            throw StoreError(.misuse, "\(path): a key or value of \(bytes.count) bytes is too big for SQLite while \(doing)")
        }
        let rc = bytes.withUnsafeBytes { raw in
            csqlite_bind_blob(stmt, index, raw.baseAddress, Int32(raw.count))
        }
        try check(rc, doing)
    }

    private func check(_ rc: Int32, _ doing: String) throws(StoreError) {
        guard rc == SQLITE_OK else { throw error(rc, doing) }
    }

    private func stepDone(_ stmt: OpaquePointer, _ doing: String) throws(StoreError) {
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE else { throw error(rc, doing) }
    }

    private func rollbackIfActive() {
        guard let db else { return }
        // SQLite may already have rolled back by itself (after SQLITE_FULL, SQLITE_IOERR, ...).
        if sqlite3_get_autocommit(db) == 0 {
            _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
        }
        // A rollback may drop a bucket table created in the transaction; statements prepared
        // against it must not outlive it.
        finalizeStatements()
    }

    private func finalizeStatements() {
        for stmt in statements.values { sqlite3_finalize(stmt) }
        statements = [:]
    }

    private func closeConnection() {
        finalizeStatements()
        if let db {
            // close_v2 also rolls back an open transaction.
            sqlite3_close_v2(db)
        }
        db = nil
    }

    private func closedError() -> StoreError {
        StoreError(.misuse, "\(path) is already closed; open it again")
    }

    private func lastMessage() -> String {
        guard let db, let text = sqlite3_errmsg(db) else { return "unknown error" }
        return String(cString: text)
    }

    /// Turns a SQLite result code into the one-line message of its kind.
    func error(_ rc: Int32, _ doing: String) -> StoreError {
        let detail = lastMessage()
        if opening, rc & 0xFF == SQLITE_NOTADB {
            return StoreError(.notChainDatabase, "\(path) is not a workbench chain database (file is not a database)")
        }
        switch rc & 0xFF {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return StoreError(.damaged, "\(path) is damaged (\(detail)) while \(doing); check it with sqlite3 \(path) 'PRAGMA integrity_check' and recreate the chain if it is broken")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(.locked, "\(path) is locked by another connection (\(detail)) after waiting 2 s while \(doing); close the other program using it and retry")
        case SQLITE_READONLY:
            return StoreError(.readOnly, "\(path) is read-only (\(detail)) while \(doing); check the permissions of the file and its directory")
        case SQLITE_CANTOPEN:
            return StoreError(.unreadable, "cannot open \(path) (\(detail)); check that the file and its directory exist and are accessible")
        case SQLITE_PERM, SQLITE_AUTH:
            return StoreError(.unreadable, "cannot access \(path) (\(detail)) while \(doing); check its permissions")
        case SQLITE_IOERR, SQLITE_FULL:
            return StoreError(.io, "I/O error on \(path) (\(detail)) while \(doing); check the disk (free space, permissions) and retry")
        case SQLITE_TOOBIG:
            return StoreError(.misuse, "\(path): a key or value is too big (\(detail)) while \(doing)")
        default:
            return StoreError(.other, "\(path): \(doing) failed (\(detail))")
        }
    }

    // MARK: - Helpers

    static func columnBytes(_ stmt: OpaquePointer, _ column: Int32) -> [UInt8] {
        let pointer = sqlite3_column_blob(stmt, column)
        let count = Int(sqlite3_column_bytes(stmt, column))
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private static func joined(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    /// Removes a file this `open` created but could not initialise, so a failed create does not
    /// leave a 0-byte file that would later read as "not a workbench chain database".
    private static func removeIfEmpty(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size == 0 {
            unlink(path)
        }
    }
}

/// Writes of one `BucketStore.update`. Valid only inside the `update` body that received it;
/// a copy kept and used later throws a `StoreError`.
public struct BucketWriter {
    let store: BucketStore
    let serial: UInt64

    /// Sets `key` to `value` in `bucket` (creating the bucket's table on first use). Keys must
    /// not be empty; values may be.
    public mutating func put(_ bucket: String, _ key: [UInt8], _ value: [UInt8]) throws(StoreError) {
        try store.writerPut(serial, bucket, key, value)
    }

    /// Removes `key` from `bucket`; a missing key or bucket is not an error.
    public mutating func delete(_ bucket: String, _ key: [UInt8]) throws(StoreError) {
        try store.writerDelete(serial, bucket, key)
    }

    /// Removes every key of `bucket` (Bolt's DeleteBucket + CreateBucket, as `reindexutxo` does).
    public mutating func clear(_ bucket: String) throws(StoreError) {
        try store.writerClear(serial, bucket)
    }
}
