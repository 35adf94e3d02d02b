import Foundation
import SimKit
import Testing
import WorkbenchCLI
@testable import Topics
@testable import WorkbenchKit

/// Jeiwan's "Building Blockchain in Go" parts 3-6 through the `chain` ledger commands: the
/// tutorial's CLI run, the database file (part 3's BoltDB buckets, here SQLite), damaged files,
/// refused input and dishonest blocks.
struct ChainLedgerCommandTests {
    // The default seed's first three wallets (`chain createwallet` ×3).
    static let a = "192hW7fFuuW68F5nteZyNkYaeGJ1YEh65s"
    static let b = "19pc2eG4ssEE1h6kwjojDHtThBQiND51Dv"
    static let c = "19GXqienozHNic4aBF4QnCBGwqdz9gJBfU"

    static let wallets = "chain createwallet\nchain createwallet\nchain createwallet"

    func run(_ lines: String, _ session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Fixture.run(lines, in: session)
        #expect(result.succeeded, "\(result.failures.map(\.text))", sourceLocation: sourceLocation)
    }

    func balance(_ address: String, _ session: Session) -> Int64? {
        if case let .int(v)? = session.execute("chain getbalance --address \(address) --json").value["balance"] { return v }
        return nil
    }

    func height(_ value: Value) -> Int64? {
        if case let .int(h)? = value["height"] { return h }
        return nil
    }

    /// Three wallets, a genesis paying A (difficulty 8 keeps debug builds quick), and A paying B 6
    /// mined at once: 2 blocks, A 14, B 6.
    func funded(_ session: Session) {
        run(Self.wallets + "\nchain createblockchain --address \(Self.a) --difficulty 8\nchain send --from \(Self.a) --to \(Self.b) --amount 6 --mine", session)
    }

    /// Sessions sharing one host whose database folder is a scratch folder, so a file written by
    /// one is opened by the next as a learner's later run of the program would.
    static func sharedHost() -> LocalHost {
        let host = LocalHost(lessonsDirectory: Fixture.lessonsDirectory, stateDirectory: Fixture.tempDirectory())
        host.databaseDirectory = Fixture.tempDirectory()
        return host
    }

    // Goal: the run at the end of Jeiwan's part 6 ("Transactions 2", "Let's test it"):
    // createblockchain pays the subsidy of 10; `send -mine` of 6 rewards the sender with a new
    // coinbase, so the sender has 10 - 6 + 10 = 14 and the recipient 6.
    @Test func partSixRun() {
        let session = Fixture.memorySession()
        run(Self.wallets, session)
        let created = session.execute("chain createblockchain --address \(Self.a) --json")
        #expect(created.succeeded, "\(created.text)")
        #expect(height(created.value) == 0)
        #expect(created.text.contains("\"height\""), "--json prints the value")
        #expect(balance(Self.a, session) == 10)
        #expect(session.execute("chain getbalance --address \(Self.a)").text == "Balance of '\(Self.a)': 10")
        let sent = session.execute("chain send --from \(Self.a) --to \(Self.b) --amount 6 --mine")
        #expect(sent.succeeded, "\(sent.text)")
        #expect(sent.text.hasPrefix("Success!"))
        #expect(sent.value["block"] == .int(1))
        #expect(balance(Self.a, session) == 14)
        #expect(balance(Self.b, session) == 6)
        #expect(balance(Self.c, session) == 0)
        #expect(session.execute("expect chain printchain | length == 2").succeeded)
        #expect(session.execute("expect chain verifychain .valid == true").succeeded)
    }

    // Goal: the database outlives the program (part 3, "Persistence": the tip under key `l`, each
    // block under its hash in bucket `blocks`; part 6 adds the `chainstate` bucket of unspent
    // outputs). A new session on the same machine opens the file and continues: same height and
    // balances; its own send is written back and seen by a third session.
    @Test func persistenceAcrossSessions() {
        let host = Self.sharedHost()
        let first = Workbench.session(host: host)
        run(Self.wallets + "\nchain createblockchain --address \(Self.a) --db x.db --difficulty 8\nchain send --from \(Self.a) --to \(Self.b) --amount 6 --mine", first)
        #expect(FileManager.default.fileExists(atPath: host.databasePath("x.db")))

        let second = Workbench.session(host: host)
        run(Self.wallets, second)
        let opened = second.execute("chain open x.db")
        #expect(opened.succeeded, "\(opened.text)")
        #expect(height(opened.value) == 1)
        #expect(opened.text.hasPrefix("opened x.db: 2 blocks"), "\(opened.text)")
        #expect(balance(Self.a, second) == 14)
        #expect(balance(Self.b, second) == 6)
        #expect(second.execute("chain printchain --json").text == first.execute("chain printchain --json").text)
        run("chain send --from \(Self.a) --to \(Self.c) --amount 2 --mine", second)

        let third = Workbench.session(host: host)
        let reopened = third.execute("chain open x.db")
        #expect(reopened.succeeded, "\(reopened.text)")
        #expect(height(reopened.value) == 2)
        #expect(balance(Self.a, third) == 22)   // 14 - 2 + 10
        #expect(balance(Self.b, third) == 6)
        #expect(balance(Self.c, third) == 2)
        #expect(third.execute("expect chain verifychain .valid == true").succeeded)

        // The buckets: 3 blocks under their hashes plus the tip key `l` (0x6c), and chainstate.
        let db = third.execute("chain db")
        #expect(db.succeeded, "\(db.text)")
        guard case let .array(blocks)? = db.value["blocks"], case let .array(chainstate)? = db.value["chainstate"] else {
            Issue.record("chain db value: \(db.value.compactJSON)")
            return
        }
        #expect(blocks.count == 4)
        #expect(blocks.contains { $0["key"] == .string("6c") })
        #expect(blocks.filter { $0["key"] != .string("6c") }.allSatisfy { if case let .string(k)? = $0["key"] { k.count == 64 } else { false } })
        #expect(!chainstate.isEmpty)
        #expect(db.text.contains("bucket blocks: 4 keys"), "\(db.text)")
        #expect(db.text.contains("bucket chainstate:"), "\(db.text)")
    }

    /// Writes a real two-block database in a folder and returns the host, the file's name and its path.
    func writtenDatabase() -> (LocalHost, String, String) {
        let host = Self.sharedHost()
        let writer = Workbench.session(host: host)
        run(Self.wallets + "\nchain createblockchain --address \(Self.a) --db real.db --difficulty 8\nchain send --from \(Self.a) --to \(Self.b) --amount 6 --mine", writer)
        return (host, "real.db", host.databasePath("real.db"))
    }

    /// `chain open NAME` in a fresh session (with wallets) must fail with one line naming the file
    /// and containing `message`, leaving the session's state as it was.
    func refusesToOpen(_ name: String, host: LocalHost, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let session = Workbench.session(host: host)
        run(Self.wallets, session)
        let before = session.state.canonicalJSON()
        let result = session.execute("chain open \(name)")
        #expect(result.error != nil, "opening \(name) should fail", sourceLocation: sourceLocation)
        #expect(result.text.hasPrefix("error: "), "\(result.text)", sourceLocation: sourceLocation)
        #expect(!result.text.contains("\n"), "one line: \(result.text)", sourceLocation: sourceLocation)
        #expect(result.text.contains(name), "names the file: \(result.text)", sourceLocation: sourceLocation)
        #expect(result.text.contains(message), "\(result.text)", sourceLocation: sourceLocation)
        #expect(session.state.canonicalJSON() == before, "a refused open changed state", sourceLocation: sourceLocation)
        #expect(session.execute("chain printchain").text.contains("No existing blockchain found"), sourceLocation: sourceLocation)
    }

    // Goal: a missing file, random bytes, an empty file, a folder, and a real database cut in half
    // are each refused with one line that names the file and says what is wrong; nothing changes.
    @Test func missingGarbageAndTruncatedFiles() throws {
        let (host, _, path) = writtenDatabase()
        refusesToOpen("nope.db", host: host, "no blockchain database at nope.db")

        var rng = SplitMix64(seed: 7)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(FileManager.default.createFile(atPath: host.databasePath("garbage.db"), contents: Data(garbage)))
        refusesToOpen("garbage.db", host: host, "is not a workbench chain database")

        #expect(FileManager.default.createFile(atPath: host.databasePath("empty.db"), contents: Data()))
        refusesToOpen("empty.db", host: host, "is not a workbench chain database (empty file)")

        try FileManager.default.createDirectory(atPath: host.databasePath("folder.db"), withIntermediateDirectories: true)
        refusesToOpen("folder.db", host: host, "is a directory")

        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 4096)
        #expect(FileManager.default.createFile(atPath: host.databasePath("half.db"), contents: bytes.prefix(bytes.count / 2)))
        refusesToOpen("half.db", host: host, "is damaged")
    }

    static let hasSqlite3 = FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")

    func sqlite3(_ path: String, _ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, statement]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3 \(statement)")
    }

    // Goal: a file whose block bytes were overwritten outside the workbench (here with the sqlite3
    // CLI, as the lesson invites) is refused: the stored block "cannot be read". Skipped when the
    // sqlite3 CLI is absent.
    @Test(.enabled(if: hasSqlite3)) func blockBytesChangedWithSqlite3() throws {
        let (host, name, path) = writtenDatabase()
        try sqlite3(path, "update blocks set value = X'00' where key != X'6c'")
        refusesToOpen(name, host: host, "cannot be read")
    }

    // Goal: a block stored under another block's key (part 3: the key of bucket `blocks` is the
    // block's hash) is refused: the block "says its hash is" something else.
    @Test(.enabled(if: hasSqlite3)) func blockUnderWrongKey() throws {
        let (host, name, path) = writtenDatabase()
        try sqlite3(path, "update blocks set value = (select value from blocks where key != X'6c' order by key limit 1) where key != X'6c'")
        refusesToOpen(name, host: host, "says its hash is")
    }

    // Goal: the chainstate bucket is a cache of the blocks (part 6, "UTXO set"): emptied, the file
    // still opens, the set is rebuilt as reindexutxo does, and the open says so.
    @Test(.enabled(if: hasSqlite3)) func emptiedChainstateIsRebuilt() throws {
        let (host, name, path) = writtenDatabase()
        try sqlite3(path, "delete from chainstate")
        let session = Workbench.session(host: host)
        run(Self.wallets, session)
        let opened = session.execute("chain open \(name)")
        #expect(opened.succeeded, "\(opened.text)")
        #expect(opened.text.contains("rebuilt from the blocks"), "\(opened.text)")
        #expect(balance(Self.a, session) == 14)
        #expect(balance(Self.b, session) == 6)
    }

    // Goal: an amount changed in a stored transaction (`chain tamper-tx`, written to the file like
    // every change) no longer matches the header's Merkle root (part 6: the root commits to every
    // transaction), so a later `chain open` refuses the file.
    @Test func tamperedFileIsRefused() {
        let (host, name, _) = writtenDatabase()
        let editor = Workbench.session(host: host)
        run(Self.wallets + "\nchain open \(name)\nchain tamper-tx 1 1 0 --value 9", editor)
        #expect(editor.execute("expect chain verifychain .valid == false").succeeded)
        refusesToOpen(name, host: host, "Merkle root")
    }

    // Goal: `--db` creates a new file and never overwrites one (BoltDB's createblockchain refuses
    // when the database exists: "Blockchain already exists."); nothing changes.
    @Test func createOverExistingFile() {
        let (host, name, path) = writtenDatabase()
        let before = try? Data(contentsOf: URL(fileURLWithPath: path))
        let session = Workbench.session(host: host)
        run(Self.wallets, session)
        let state = session.state.canonicalJSON()
        let result = session.execute("chain createblockchain --address \(Self.c) --db \(name) --difficulty 8")
        #expect(result.error != nil)
        #expect(result.text.contains("\(name) already exists"), "\(result.text)")
        #expect(session.state.canonicalJSON() == state)
        #expect((try? Data(contentsOf: URL(fileURLWithPath: path))) == before, "the file was changed")
    }

    // Goal: refused input changes nothing, byte for byte: Base58Check addresses (part 5: a wrong
    // checksum, length or an empty string fails `ValidateAddress`), amounts (`NewUTXOTransaction`:
    // "ERROR: Not enough funds"; the flag accepts only positive whole coins), a sender whose key the
    // session lacks (the tutorial's wallet lookup), unknown or ambiguous txid prefixes, and
    // tamper-tx positions that do not exist.
    @Test(arguments: [
        ("chain send --from \(a) --to 19pc2eG4ssEE1h6kwjojDHtThBQiND51Dw --amount 1", "Address is not valid"),
        ("chain send --from \(a) --to 19pc2eG4ssEE1h6kwjoj --amount 1", "Address is not valid"),
        ("chain send --from \(a) --to \"\" --amount 1", "Address is not valid"),
        ("chain send --from 192hW7fFuuW68F5nteZyNkYaeGJ1YEh65t --to \(b) --amount 1", "Sender address is not valid"),
        ("chain getbalance --address 192hW7fFuuW68F5nteZyNkYaeGJ1YEh65t", "Address is not valid"),
        ("chain send --from \(a) --to \(b) --amount 0", "--amount"),
        ("chain send --from \(a) --to \(b) --amount -3", "--amount"),
        ("chain send --from \(a) --to \(b) --amount 15", "Not enough funds"),
        ("chain send --from \(b) --to \(a) --amount 7", "Not enough funds"),
        ("chain send --from 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa --to \(b) --amount 1", "no wallet in this session holds the key"),
        ("chain tx ffffffffffffffff", "no transaction ffffffffffffffff"),
        ("chain tamper-tx 5 0 0 --value 1", "there is no block 5"),
        ("chain tamper-tx 1 7 0 --value 1", "block 1 has no transaction 7"),
        ("chain tamper-tx 1 1 9 --value 1", "block 1 has no transaction 1 with an output 9"),
        ("chain createblockchain --address \(c)", "Blockchain already exists."),
    ])
    func badInputChangesNothing(line: String, message: String) {
        let session = Fixture.memorySession()
        funded(session)
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil, "\(line) should fail")
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before, "\(line) changed state")
        #expect(balance(Self.a, session) == 14)
    }

    // Goal: a txid prefix shared by two transactions is refused as ambiguous (like git's short
    // hashes), and a unique one finds its transaction.
    @Test func ambiguousTxidPrefix() {
        let session = Fixture.memorySession()
        funded(session)
        var ids: [String] = []
        // Pigeonhole: among 17 txids two share their first hex digit; mine until that happens.
        for _ in 0..<16 {
            guard case let .array(blocks) = session.execute("chain printchain").value else { break }
            ids = blocks.flatMap { block -> [String] in
                guard case let .array(txs)? = block["transactions"] else { return [] }
                return txs.compactMap { if case let .string(id)? = $0["txid"] { id } else { nil } }
            }
            if Set(ids.map { $0.prefix(1) }).count < ids.count { break }
            run("chain mineblock --miner \(Self.c)", session)
        }
        let first = Dictionary(grouping: ids, by: { String($0.prefix(1)) }).first { $0.value.count > 1 }
        guard let (prefix, shared) = first else {
            Issue.record("no two transactions share a first digit: \(ids)")
            return
        }
        let before = session.state.canonicalJSON()
        let result = session.execute("chain tx \(prefix)")
        #expect(result.error != nil)
        #expect(result.text.contains("\(prefix) matches \(Set(shared).count) transactions"), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
        #expect(session.execute("chain tx \(shared[0].prefix(20))").succeeded)
    }

    // Goal: an output already spent by a transaction waiting in the mempool is not spent again by a
    // second send (Jeiwan's part 6 `send` without `-mine` would pick the same output twice); the
    // refusal says how much is held, and nothing changes.
    @Test func heldOutputsAreNotSpentTwice() {
        let session = Fixture.memorySession()
        run(Self.wallets + "\nchain createblockchain --address \(Self.a) --difficulty 8\nchain send --from \(Self.a) --to \(Self.b) --amount 6", session)
        let before = session.state.canonicalJSON()
        let result = session.execute("chain send --from \(Self.a) --to \(Self.c) --amount 4")
        #expect(result.error != nil)
        #expect(result.text.contains("Not enough funds"), "\(result.text)")
        #expect(result.text.contains("held by transactions waiting in the mempool"), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
        #expect(balance(Self.a, session) == 10, "confirmed balance until mined")
        run("chain mineblock --miner \(Self.c)", session)
        #expect(balance(Self.a, session) == 4)
        #expect(balance(Self.b, session) == 6)
        #expect(balance(Self.c, session) == 10)
    }

    // Goal: before any chain, send says Jeiwan's "No existing blockchain found. Create one first."
    // and nothing changes.
    @Test func sendBeforeCreate() {
        let session = Fixture.memorySession()
        run(Self.wallets, session)
        let before = session.state.canonicalJSON()
        let result = session.execute("chain send --from \(Self.a) --to \(Self.b) --amount 1")
        #expect(result.error != nil)
        #expect(result.text.contains("No existing blockchain found"), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: each dishonest block of `chain forge` has valid proof of work but is refused for the
    // check the tutorial lacks (issue #23 double spend, overspend, PR #58 spending another's
    // output, a signature that does not verify, a coinbase above the subsidy), and nothing changes.
    @Test(arguments: [("double-spend", "double-spend"), ("overspend", "overspend"), ("steal", "owner"),
                      ("bad-signature", "signature"), ("greedy-coinbase", "coinbase")])
    func forgeriesAreRefused(kind: String, fault: String) {
        let session = Fixture.memorySession()
        funded(session)
        let before = session.state.canonicalJSON()
        let result = session.execute("chain forge \(kind) --json")
        #expect(result.succeeded, "\(result.text)")
        #expect(result.value["accepted"] == .bool(false), "\(kind): \(result.value.compactJSON)")
        #expect(result.value["fault"] == .string(fault), "\(kind): \(result.value.compactJSON)")
        #expect(session.state.canonicalJSON() == before, "\(kind) changed state")
        #expect(session.execute("expect chain printchain | length == 2").succeeded)
    }

    // Goal: the same script gives the same chain in two fresh sessions, signatures included (ECDSA
    // nonces by RFC 6979, so signing is a function of key and message).
    @Test func deterministicChains() {
        let script = Self.wallets + """

            chain createblockchain --address \(Self.a) --difficulty 8
            chain send --from \(Self.a) --to \(Self.b) --amount 6 --mine
            chain send --from \(Self.b) --to \(Self.c) --amount 2
            chain send --from \(Self.a) --to \(Self.c) --amount 3
            chain mineblock --miner \(Self.c)
            """
        let one = Fixture.memorySession(), two = Fixture.memorySession()
        run(script, one)
        run(script, two)
        let printed = one.execute("chain printchain --json").text
        #expect(printed.contains("\"signature\""))
        #expect(printed == two.execute("chain printchain --json").text)
        #expect(one.state.canonicalJSON() == two.state.canonicalJSON())
    }

    // Goal: `undo` after `send --mine` restores the balances and the height before it.
    @Test func undoRestoresBalances() {
        let session = Fixture.memorySession()
        run(Self.wallets + "\nchain createblockchain --address \(Self.a) --difficulty 8", session)
        let before = session.state.canonicalJSON()
        run("chain send --from \(Self.a) --to \(Self.b) --amount 6 --mine", session)
        #expect(balance(Self.a, session) == 14)
        run("undo", session)
        #expect(balance(Self.a, session) == 10)
        #expect(balance(Self.b, session) == 0)
        #expect(session.execute("expect chain printchain | length == 1").succeeded)
        #expect(session.state.canonicalJSON() == before)
    }
}
