import Testing
@testable import Topics
@testable import WorkbenchKit

/// Jeiwan part 7 ("Network") through `chain net`: nodes on the simulated network exchanging
/// version/getblocks/inv/getdata/block/tx, a miner, partitions and the re-organization on heal.
struct ChainNetCommandTests {
    static let a = ChainLedgerCommandTests.a
    static let b = ChainLedgerCommandTests.b
    static let c = ChainLedgerCommandTests.c

    func run(_ lines: String, _ session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Fixture.run(lines, in: session)
        #expect(result.succeeded, "\(result.failures.map(\.text))", sourceLocation: sourceLocation)
    }

    func holds(_ line: String, _ session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = session.execute(line)
        #expect(result.succeeded, "\(line): \(result.text)", sourceLocation: sourceLocation)
    }

    func status(_ session: Session) -> Value { session.execute("chain net status").value }

    func heights(_ session: Session) -> [Int64] {
        guard case let .array(nodes)? = status(session)["nodes"] else { return [] }
        return nodes.compactMap { if case let .int(h)? = $0["height"] { h } else { nil } }
    }

    func mempools(_ session: Session) -> [Int64] {
        guard case let .array(nodes)? = status(session)["nodes"] else { return [] }
        return nodes.compactMap { if case let .int(m)? = $0["mempool"] { m } else { nil } }
    }

    func log(_ session: Session) -> [Value] {
        if case let .array(entries) = session.execute("chain net log --json").value { return entries }
        return []
    }

    func balances(_ address: String, _ session: Session) -> [String: Int64] {
        guard case let .object(pairs) = session.execute("chain net balance \(address)").value else { return [:] }
        var out: [String: Int64] = [:]
        for (k, v) in pairs { if case let .int(n) = v { out[k] = n } }
        return out
    }

    /// A two-block chain (genesis to A, A pays B 3 in block 1) and three nodes; block 1 starts on A only.
    func network(_ session: Session) {
        run(ChainLedgerCommandTests.wallets + """

            chain createblockchain --address \(Self.a) --difficulty 8
            chain send --from \(Self.a) --to \(Self.b) --amount 3 --mine
            chain net new --nodes 3
            """, session)
    }

    // Goal: part 7's block relay: A holds block 1 and announces it; every node ends at height 1
    // and agrees on the tip. B's sync follows the tutorial's handlers: `inv` (handleInv) then B's
    // `getdata` (sendGetData) then A's `block` (handleBlock); the `version`/`getblocks` handshake
    // (sendVersion on start) only happens when nodes meet with different heights (after a heal).
    @Test func blockRelay() {
        let session = Fixture.memorySession()
        network(session)
        #expect(heights(session) == [1, 0, 0])
        #expect(status(session)["agree"] == .bool(false))
        run("run", session)
        #expect(status(session)["agree"] == .bool(true))
        #expect(heights(session) == [1, 1, 1])
        let messages = log(session).filter { $0["kind"] != .string("local") }
        let toB = messages.filter { $0["to"] == .string("B") || $0["from"] == .string("B") }.compactMap { entry -> String? in
            if case let .string(t)? = entry["type"] { t } else { nil }
        }
        #expect(Array(toB.prefix(3)) == ["inv", "getdata", "block"], "\(toB)")
        // B, having accepted block 1, announces it in turn; its peers already have it.
        #expect(toB.dropFirst(3).contains("inv"), "\(toB)")
        #expect(!messages.contains { $0["kind"] == .string("dropped") })
    }

    // Goal: the version handshake of part 7 (sendVersion; handleVersion sends getblocks to a peer
    // with a greater BestHeight; handleGetBlocks answers with an inv of every hash) appears when a
    // partition heals between nodes of different heights.
    @Test func versionHandshakeOnHeal() {
        let session = Fixture.memorySession()
        network(session)
        run("run\nchain net partition A | B C\nchain net mine B\nrun\nchain net heal\nrun", session)
        let entries = log(session)
        guard let healed = entries.firstIndex(where: { $0["type"] == .string("heal") }) else {
            Issue.record("no heal entry: \(entries.map(\.compactJSON))")
            return
        }
        let types = entries[healed...].compactMap { entry -> String? in
            guard entry["kind"] != .string("local"), entry["to"] == .string("A") || entry["from"] == .string("A") else { return nil }
            if case let .string(t)? = entry["type"] { return t }
            return nil
        }
        // First appearances after the heal: A and B swap `version`, A (lower) asks `getblocks`,
        // B answers `inv` of all its hashes, A asks `getdata` for the one it lacks, B sends `block`.
        let order = ["version", "getblocks", "inv", "getdata", "block"].map { types.firstIndex(of: $0) }
        #expect(order.allSatisfy { $0 != nil }, "\(types)")
        let found = order.compactMap { $0 }
        #expect(found == found.sorted(), "\(types)")
        #expect(types.first == "version", "\(types)")
        #expect(status(session)["agree"] == .bool(true))
        #expect(heights(session) == [2, 2, 2])
    }

    // Goal: `startnode -miner` (part 7): the miner C mines once a transaction reaches it; after
    // `run` all nodes agree and every node credits C with the block reward 10 plus the amount.
    @Test func autoMiner() {
        let session = Fixture.memorySession()
        network(session)
        run("run\nchain net miner C --address \(Self.c)\nchain net send B --from \(Self.a) --to \(Self.c) --amount 2\nrun", session)
        #expect(status(session)["agree"] == .bool(true))
        #expect(heights(session) == [2, 2, 2])
        #expect(balances(Self.c, session) == ["A": 12, "B": 12, "C": 12])
        #expect(mempools(session) == [0, 0, 0])
    }

    // Goal: a partition makes two branches (`chain net chains` differs); after the heal every node
    // takes the most-work branch (B's two blocks beat A's one), and A's payment from its lost
    // block goes back to its mempool, as Bitcoin Core's disconnect does, then can be mined again.
    @Test func partitionAndHeal() {
        let session = Fixture.memorySession()
        network(session)
        run("run\nchain net partition A | B C", session)
        run("chain net send A --from \(Self.b) --to \(Self.c) --amount 2\nchain net mine A\nchain net mine B\nrun\nchain net mine B\nrun", session)
        #expect(status(session)["agree"] == .bool(false))
        #expect(status(session)["partitioned"] == .bool(true))
        #expect(heights(session) == [2, 3, 3])
        let chains = session.execute("chain net chains").value
        guard case let .array(rows) = chains, rows.count == 3 else {
            Issue.record("chain net chains: \(chains.compactJSON)")
            return
        }
        #expect(rows[0]["hashes"] != rows[1]["hashes"])
        #expect(rows[1]["hashes"] == rows[2]["hashes"])
        let bBranch = rows[1]["hashes"]
        #expect(balances(Self.c, session)["A"] == 2)

        run("chain net heal\nrun", session)
        #expect(status(session)["agree"] == .bool(true))
        #expect(heights(session) == [3, 3, 3])
        guard case let .array(healed) = session.execute("chain net chains").value else { return }
        #expect(healed.allSatisfy { $0["hashes"] == bBranch })
        #expect(mempools(session) == [1, 0, 0])
        #expect(balances(Self.c, session) == ["A": 0, "B": 0, "C": 0])
        #expect(log(session).contains { $0["type"] == .string("reorg") }, "a reorg is logged")

        run("chain net mine A\nrun", session)
        #expect(status(session)["agree"] == .bool(true))
        #expect(heights(session) == [4, 4, 4])
        #expect(balances(Self.c, session) == ["A": 2, "B": 2, "C": 2])
    }

    // Goal: a dishonest node's double-spending block (the tutorial's issue #23) is refused by every
    // peer: the log records fault "double-spend" and no node's height changes.
    @Test func forgedBlockIsRefused() {
        let session = Fixture.memorySession()
        network(session)
        run("run", session)
        let logged = log(session).count
        run("chain net forge C double-spend\nrun", session)
        let faults = log(session).dropFirst(logged).filter { $0["fault"] == .string("double-spend") }
        #expect(!faults.isEmpty, "\(log(session).dropFirst(logged).map(\.compactJSON))")
        #expect(heights(session) == [1, 1, 1])
        #expect(status(session)["agree"] == .bool(true))
    }

    // Goal: net commands without a network say so; unknown nodes and a one-group partition are
    // refused; a refused command changes nothing.
    @Test(arguments: [
        ("chain net status", "there is no network"),
        ("chain net log", "there is no network"),
        ("chain net heal", "there is no network"),
        ("chain net mine A", "there is no network"),
        ("chain net partition A | B", "there is no network"),
    ])
    func noNetwork(line: String, message: String) {
        let session = Fixture.memorySession()
        run(ChainLedgerCommandTests.wallets + "\nchain createblockchain --address \(Self.a) --difficulty 8", session)
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil)
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }

    @Test(arguments: [
        ("chain net mine Z", "no node Z"),
        ("chain net send Q --from \(a) --to \(b) --amount 1", "no node Q"),
        ("chain net miner 3009 --address \(c)", "no node 3009"),
        ("chain net partition A B", "give at least two groups"),
        ("chain net partition A | Z", "no node Z"),
        ("chain net forge Z double-spend", "no node Z"),
        ("chain net send B --from \(a) --to \(b) --amount 1000", "Not enough funds"),
    ])
    func badNetInput(line: String, message: String) {
        let session = Fixture.memorySession()
        network(session)
        let before = session.state.canonicalJSON()
        let result = session.execute(line)
        #expect(result.error != nil)
        #expect(result.text.contains(message), "\(line): \(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }

    // Goal: without a chain there is nothing to start a network from (part 7's nodes copy the genesis).
    @Test func newNeedsAChain() {
        let session = Fixture.memorySession()
        let before = session.state.canonicalJSON()
        let result = session.execute("chain net new --nodes 3")
        #expect(result.text.contains("No existing blockchain found"), "\(result.text)")
        #expect(session.state.canonicalJSON() == before)
    }
}
