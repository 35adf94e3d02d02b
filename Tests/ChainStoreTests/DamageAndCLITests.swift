import Foundation
import Testing
@testable import ChainStore

@Suite struct DamagedFiles {
    enum Outcome: Equatable { case error(StoreError.Kind), intact, oneByteChanged }

    /// Reads everything back from a damaged copy. SQLite keeps no checksums of stored bytes, so a
    /// flip inside a key or value payload is read back silently (quick_check checks structure
    /// only): that is accepted only as exactly one entry differing in exactly one byte.
    static func readBack(_ path: String, _ expected: [String: [(key: [UInt8], value: [UInt8])]]) -> Outcome? {
        do {
            let store = try BucketStore.open(path: path, create: false)
            defer { store.close() }
            var changed = 0
            for bucket in ["blocks", "chainstate"] {
                let rows = try store.all(bucket)
                let keys = try store.keys(bucket)
                let count = try store.count(bucket)
                guard let want = expected[bucket], rows.count == want.count, keys.count == count, count == want.count
                else { return nil }
                for (got, exp) in zip(rows, want) where got.key != exp.key || got.value != exp.value {
                    let diff = zip(got.key + got.value, exp.key + exp.value).filter { $0 != $1 }.count
                    guard got.key.count == exp.key.count, got.value.count == exp.value.count, diff == 1 else { return nil }
                    changed += 1
                }
                for entry in want {
                    _ = try store.get(bucket, entry.key)
                }
            }
            _ = try store.integrityCheck()
            try store.update { w in try w.put("blocks", [0x01], [0x02]) }   // writing must not crash either
            return changed == 0 ? .intact : changed == 1 ? .oneByteChanged : nil
        } catch let error as StoreError {
            #expect(error.message.contains(path))
            #expect(!error.message.contains("\n"))
            if error.kind == .damaged { #expect(error.message.contains("PRAGMA integrity_check")) }
            return .error(error.kind)
        } catch {
            return nil
        }
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let dir = TempDir()
        let pristine = dir.file("pristine.db")
        let expected = try makeMultiPageDatabase(at: pristine)
        let original = try Data(contentsOf: URL(fileURLWithPath: pristine))
        #expect(original.count > 16 * 4096)
        var rng = SplitMix64(state: 2017)
        var tally: [String: Int] = [:]
        for round in 0..<20 {
            var damaged = [UInt8](original)
            let position = Int(rng.next() % UInt64(damaged.count))
            let mask = UInt8(truncatingIfNeeded: rng.next() % 255 + 1)   // never 0: always a real flip
            damaged[position] ^= mask
            let path = dir.file("flip\(round).db")
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let outcome = Self.readBack(path, expected)
            #expect(outcome != nil, "flip \(round) at byte \(position) (page \(position / 4096 + 1)) mask \(mask): wrong data without an error")
            tally["\(outcome.map { "\($0)" } ?? "WRONG")", default: 0] += 1
        }
        print("byte flips (20, seed 2017):", tally.sorted { $0.key < $1.key })
    }

    /// Flips aimed at the structure (page headers, cell pointers), where SQLite must notice.
    @Test func structuralFlipsAreReported() throws {
        let dir = TempDir()
        let pristine = dir.file("pristine.db")
        let expected = try makeMultiPageDatabase(at: pristine)
        let original = try Data(contentsOf: URL(fileURLWithPath: pristine))
        let pages = original.count / 4096
        var errors = 0
        var btreePages = 0
        for page in 2...pages {
            var damaged = [UInt8](original)
            let header = (page - 1) * 4096
            if [0x02, 0x05, 0x0A, 0x0D].contains(damaged[header]) { btreePages += 1 }
            damaged[header] ^= 0xFF             // b-tree page type byte, or an overflow page's next-page pointer
            let path = dir.file("page\(page).db")
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let outcome = Self.readBack(path, expected)
            #expect(outcome != nil)
            if case .error(let kind) = outcome {
                #expect(kind == .damaged)
                errors += 1
            }
        }
        print("damaged page headers reported: \(errors) of \(pages - 1) (b-tree pages: \(btreePages))")
        // Every damaged b-tree page is reported. An overflow page starts with its next-page
        // pointer, which SQLite never follows on the last page of a chain: intact data is fine.
        #expect(btreePages >= 8)
        #expect(errors >= btreePages)
    }
}

@Suite(.enabled(if: sqlite3CLI != nil, "the sqlite3 command-line shell is not installed"))
struct SQLiteCLIView {
    @Test func learnerCanQueryTheFile() throws {
        guard let cli = sqlite3CLI else { return }
        let dir = TempDir()
        let path = dir.file()
        let store = try BucketStore.open(path: path, create: true)
        let h1 = [UInt8](repeating: 0x00, count: 31) + [0xAB]
        let h2 = [UInt8](repeating: 0x0F, count: 32)
        try store.update { w in
            try w.put("blocks", h1, [UInt8](repeating: 7, count: 300))
            try w.put("blocks", h2, [UInt8](repeating: 8, count: 12))
            try w.put("blocks", bytes("l"), h2)
            try w.put("chainstate", bytes("tx1"), [1, 2, 3])
        }
        store.close()

        let rows = try runCLI(cli, [path, "select hex(key), length(value) from blocks"])
        #expect(rows.status == 0)
        #expect(rows.output == """
            \(String(repeating: "00", count: 31))AB|300
            \(String(repeating: "0F", count: 32))|12
            6C|32

            """)
        let meta = try runCLI(cli, [path, "select format, version from meta"])
        #expect(meta.output == "workbench-chain|1\n")
        let tip = try runCLI(cli, [path, "select hex(value) from blocks where key = x'6c'"])
        #expect(tip.output == String(repeating: "0F", count: 32) + "\n")
        let schema = try runCLI(cli, [path, ".schema blocks"])
        #expect(schema.output.contains("CREATE TABLE blocks (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"))
        let mode = try runCLI(cli, [path, "pragma journal_mode"])
        #expect(mode.output == "delete\n")
        let tables = try runCLI(cli, [path, "select name from sqlite_master where type = 'table' order by name"])
        #expect(tables.output == "blocks\nchainstate\nmeta\n")
        // One file: no -journal or -wal left next to it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(siblings == ["blockchain.db"])
    }

    @Test func learnerEditsAreSeen() throws {
        guard let cli = sqlite3CLI else { return }
        let dir = TempDir()
        let path = dir.file()
        try BucketStore.open(path: path, create: true).close()
        let edit = try runCLI(cli, [path, "create table blocks (key blob primary key, value blob not null) without rowid; insert into blocks values (x'6c', x'00ff')"])
        #expect(edit.status == 0)
        let store = try BucketStore.open(path: path, create: false)
        #expect(try store.get("blocks", bytes("l")) == [0x00, 0xFF])
        #expect(try store.integrityCheck() == [])
    }
}
