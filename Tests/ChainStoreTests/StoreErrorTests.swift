import Foundation
import Testing
@testable import ChainStore

/// Opening fails with exactly one StoreError, one line, naming the file.
private func openError(_ path: String, create: Bool, sourceLocation: SourceLocation = #_sourceLocation) -> StoreError? {
    let error = #expect(throws: StoreError.self, sourceLocation: sourceLocation) {
        _ = try BucketStore.open(path: path, create: create)
    }
    if let error {
        #expect(error.message.contains(path), "message should name the file: \(error.message)", sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        #expect(error.description == error.message, sourceLocation: sourceLocation)
    }
    return error
}

private let isRoot = getuid() == 0

@Suite struct StoreErrors {
    @Test func missingFileWithoutCreate() {
        let dir = TempDir()
        let path = dir.file()
        let error = openError(path, create: false)
        #expect(error?.kind == .missing)
        #expect(error?.message == "no blockchain database at \(path); create one first with chain createblockchain --db \(path)")
        #expect(!FileManager.default.fileExists(atPath: path), "a failed open must not create the file")
    }

    @Test func missingDirectoryWithCreate() {
        let dir = TempDir()
        let path = dir.path + "/nodir/blockchain.db"
        let error = openError(path, create: true)
        #expect(error?.kind == .missing)
        #expect(error?.message.contains("directory \(dir.path)/nodir does not exist") == true)
    }

    @Test func pathIsADirectory() {
        let dir = TempDir()
        for create in [false, true] {
            let error = openError(dir.path, create: create)
            #expect(error?.kind == .notAFile)
            #expect(error?.message.contains("is a directory") == true)
        }
    }

    @Test func pathThroughAFile() throws {
        let dir = TempDir()
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("plain")))
        let error = openError(dir.file("plain") + "/blockchain.db", create: true)
        #expect(error?.kind == .notAFile)
    }

    @Test(.disabled(if: isRoot, "root reads files whatever their mode"))
    func unreadableFile() throws {
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        chmod(path, 0o000)
        defer { chmod(path, 0o600) }
        let error = openError(path, create: false)
        #expect(error?.kind == .unreadable)
    }

    @Test(.disabled(if: isRoot, "root writes files whatever their mode"))
    func readOnlyFileReadsButRefusesWrites() throws {
        let dir = TempDir()
        let path = dir.file()
        let store = try BucketStore.open(path: path, create: true)
        try store.update { w in try w.put("blocks", bytes("l"), bytes("tip")) }
        store.close()
        chmod(path, 0o444)
        defer { chmod(path, 0o600) }
        let again = try BucketStore.open(path: path, create: false)
        #expect(try again.get("blocks", bytes("l")) == bytes("tip"))
        let error = #expect(throws: StoreError.self) {
            try again.update { w in try w.put("blocks", bytes("l"), bytes("x")) }
        }
        #expect(error?.kind == .readOnly)
    }

    @Test func garbageFileIsNotADatabase() throws {
        let dir = TempDir()
        let path = dir.file()
        var rng = SplitMix64(state: 42)
        try Data(rng.bytes(8192)).write(to: URL(fileURLWithPath: path))
        for create in [false, true] {
            let error = openError(path, create: create)
            #expect(error?.kind == .notChainDatabase)
            #expect(error?.message == "\(path) is not a workbench chain database (file is not a database)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 8192, "never overwritten")
    }

    @Test func textFileIsNotADatabase() throws {
        let dir = TempDir()
        let path = dir.file("notes.txt")
        try Data(String(repeating: "Send 1 BTC to Ivan\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = openError(path, create: false)
        #expect(error?.message == "\(path) is not a workbench chain database (file is not a database)")
    }

    @Test func emptyFileIsNotAChainDatabase() throws {
        let dir = TempDir()
        let path = dir.file()
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        for create in [false, true] {
            let error = openError(path, create: create)
            #expect(error?.kind == .notChainDatabase)
            #expect(error?.message.contains("not a workbench chain database (empty file)") == true)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty, "never initialised behind the learner's back")
    }

    @Test func foreignSQLiteDatabase() throws {
        let dir = TempDir()
        let path = dir.file()
        #expect(rawSQL(path, "CREATE TABLE blocks (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"))
        for create in [false, true] {
            let error = openError(path, create: create)
            #expect(error?.kind == .notChainDatabase)
            #expect(error?.message.contains("SQLite database but not a workbench chain database (it has no meta table)") == true)
        }
    }

    @Test func metaWithoutRow() throws {
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        #expect(rawSQL(path, "DELETE FROM meta"))
        let error = openError(path, create: false)
        #expect(error?.kind == .notChainDatabase)
        #expect(error?.message.contains("meta table is empty") == true)
    }

    @Test func otherFormat() throws {
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        #expect(rawSQL(path, "UPDATE meta SET format = 'kafka-log'"))
        let error = openError(path, create: false)
        #expect(error?.kind == .notChainDatabase)
        #expect(error?.message.contains("meta format is 'kafka-log', expected 'workbench-chain'") == true)
    }

    @Test func formatWithNewlineStaysOneLine() throws {
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        #expect(rawSQL(path, "UPDATE meta SET format = 'a' || char(10) || 'b'"))
        let error = openError(path, create: false)
        #expect(error?.message.contains("'a\\nb'") == true)
    }

    @Test(arguments: ["2", "0", "'one'", "1.5", "NULL"])
    func otherVersion(version: String) throws {
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        // meta.version is NOT NULL; the NULL case goes through a recreated table.
        let sql = version == "NULL"
            ? "DROP TABLE meta; CREATE TABLE meta (format TEXT, version INTEGER); INSERT INTO meta VALUES ('workbench-chain', NULL)"
            : "UPDATE meta SET version = \(version)"
        #expect(rawSQL(path, sql))
        let error = openError(path, create: false)
        #expect(error?.kind == .wrongVersion)
        #expect(error?.message.contains("this workbench reads version 1") == true)
    }

    @Test func truncatedFile() throws {
        let dir = TempDir()
        let path = dir.file()
        let data = try makeMultiPageDatabase(at: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(original.count > 16 * 4096, "multi-page: \(original.count) bytes")
        for keep in [original.count / 2, original.count - 4096, 3 * 4096, 4096, 100, 50] {
            try original.prefix(keep).write(to: URL(fileURLWithPath: path))
            do {
                let store = try BucketStore.open(path: path, create: false)
                let blocks = try store.all("blocks")
                let state = try store.all("chainstate")
                let problems = try store.integrityCheck()
                // Reaching here is acceptable only if everything read back intact.
                #expect(blocks.map(\.key) == data["blocks"]?.map(\.key) && problems.isEmpty && state.count == 60,
                        "truncated to \(keep) bytes but no error")
            } catch {
                #expect(error.message.contains(path))
                #expect(error.kind == .damaged || error.kind == .notChainDatabase, "\(keep): \(error.message)")
                if error.kind == .damaged { #expect(error.message.contains("PRAGMA integrity_check")) }
            }
        }
        // Half the file gone: the rows on the lost pages cannot be read, so this must be an error.
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) {
            let store = try BucketStore.open(path: path, create: false)
            _ = try store.all("blocks")
            _ = try store.all("chainstate")
        }
        #expect(error?.kind == .damaged)
        #expect(error?.message.contains("is damaged (database disk image is malformed)") == true)
    }

    @Test func lockedDatabaseTimesOut() throws {
        let dir = TempDir()
        let path = dir.file()
        let first = try BucketStore.open(path: path, create: true)
        let second = try BucketStore.open(path: path, create: false)
        var waited = 0.0
        let error = #expect(throws: StoreError.self) {
            try first.update { w in
                try w.put("blocks", bytes("l"), bytes("mine"))
                let start = Date()
                defer { waited = Date().timeIntervalSince(start) }
                try second.update { w2 in try w2.put("blocks", bytes("l"), bytes("theirs")) }
            }
        }
        #expect(error?.kind == .locked)
        #expect(error?.message.contains("is locked") == true)
        #expect(error?.message.contains(path) == true)
        #expect(waited >= 1.8 && waited < 10, "busy timeout is 2 s, waited \(waited)")
        // first's update rethrew second's error and rolled back; both stores still work.
        #expect(try second.get("blocks", bytes("l")) == nil)
        try second.update { w in try w.put("blocks", bytes("l"), bytes("theirs")) }
        #expect(try first.get("blocks", bytes("l")) == bytes("theirs"))
    }

    @Test func sameFileOpenedTwice() throws {
        let dir = TempDir()
        let path = dir.file()
        let a = try BucketStore.open(path: path, create: true)
        let b = try BucketStore.open(path: path, create: true)
        try a.update { w in try w.put("blocks", bytes("h1"), bytes("b1")) }
        #expect(try b.get("blocks", bytes("h1")) == bytes("b1"))   // b reads a table created after b opened
        try b.update { w in try w.put("blocks", bytes("l"), bytes("h1")) }
        #expect(try a.keys("blocks") == [bytes("h1"), bytes("l")])
        // While a has written but not committed, b still reads the committed state.
        try a.update { w in
            try w.put("blocks", bytes("h2"), bytes("b2"))
            #expect(try b.get("blocks", bytes("h2")) == nil)
        }
        #expect(try b.get("blocks", bytes("h2")) == bytes("b2"))
        a.close()
        #expect(try b.count("blocks") == 3)
    }
}
