import Foundation
import Testing
@testable import Blockchain

/// Fixtures for the part-7 network (ledgers as in LedgerTests: 8 target bits, fixed timestamps).
enum NetFixture {
    static let bits = LedgerFixture.bits
    static let t0: Int64 = Fixture.ts0 * 1000

    /// A genesis block paying 10 to `wallet`.
    static func genesis(paying wallet: Wallet) throws -> LedgerBlock {
        let ledger = try LedgerFixture.ledger([wallet])
        return try #require(ledger.tip)
    }

    static func network(_ n: Int, genesisTo wallet: Wallet, seed: UInt64 = 1,
                        config: PeerNetworkConfig = PeerNetworkConfig()) throws -> PeerNetwork {
        try PeerNetwork(nodes: n, genesis: genesis(paying: wallet), targetBits: bits, seed: seed, config: config)
    }

    static func pkh(_ w: Wallet) -> [UInt8] { LedgerFixture.pkh(w) }

    static func ledger(_ net: PeerNetwork, _ id: Int) throws -> Ledger { try #require(net.node(id)).ledger }
}

@Suite("PeerNetwork: Jeiwan part 7's network without the central node")
struct PeerNetworkTests {
    /// Jeiwan part 7's blog run: 3000 = central (creates the chain, pays itself; `send -mine` twice),
    /// 3001 = wallet node, 3002 = miner (`startnode -miner MINER_WALLET`, waiting for ≥ 2 txs as the
    /// blog's code does). The wallet node sends 1 WALLET_1→WALLET_3 and 1 WALLET_2→WALLET_4; the
    /// miner mines both. Arithmetic: CENTRAL gets 10 (genesis), sends 10 to WALLET_1 and is paid 10
    /// for mining it (`send -mine` rewards the sender), then the same for WALLET_2: 10. The miner's
    /// block pays the 10 subsidy and no fees (each send returns 9 change). So 9, 9, 1, 1, 10, 10 —
    /// exactly the blog's balances, on every node.
    @Test("the blog's scenario: central, wallet node, miner; the same balances on every node")
    func blogScenario() throws {
        let w = LedgerFixture.wallets(6, seed: 77)
        let (central, w1, w2, w3, w4, miner) = (w[0], w[1], w[2], w[3], w[4], w[5])
        var config = PeerNetworkConfig()
        config.minerThreshold = 2          // the blog's `len(mempool) >= 2` (commit e210c43 proposes 1)
        var net = try NetFixture.network(3, genesisTo: central, config: config)
        var t = NetFixture.t0
        // Nodes 3001 and 3002 are not started yet: the central node works alone.
        try net.disconnect(node: 3001, nowMs: t)
        try net.disconnect(node: 3002, nowMs: t)
        try net.setMiner(node: 3000, publicKeyHash: NetFixture.pkh(central), automatic: false, nowMs: t)
        for to in [w1, w2] {
            t += 10_000
            let tx = try NetFixture.ledger(net, 3000).newTransaction(from: central, to: to.address, amount: 10)
            try net.submitTransaction(node: 3000, tx: tx, nowMs: t)
            try net.mine(node: 3000, nowMs: t)
            net.run(untilMs: t + 5_000)
        }
        #expect(try NetFixture.ledger(net, 3000).height == 2)
        #expect(try NetFixture.ledger(net, 3001).height == 0)
        // `startnode` on 3001 and on 3002 (the miner): each sends version and downloads the chain.
        t += 10_000
        try net.connect(node: 3001, nowMs: t)
        try net.setMiner(node: 3002, publicKeyHash: NetFixture.pkh(miner), automatic: true, nowMs: t)
        try net.connect(node: 3002, nowMs: t)
        net.runUntilQuiet()
        #expect(net.tipsAgree)
        #expect(net.summaries.map(\.height) == [2, 2, 2])
        // The wallet node sends both transactions; the miner mines once it holds two.
        t = net.nowMs + 10_000
        let tx1 = try NetFixture.ledger(net, 3001).newTransaction(from: w1, to: w3.address, amount: 1)
        try net.submitTransaction(node: 3001, tx: tx1, nowMs: t)
        let tx2 = try NetFixture.ledger(net, 3001).newTransaction(from: w2, to: w4.address, amount: 1)
        try net.submitTransaction(node: 3001, tx: tx2, nowMs: t)
        net.runUntilQuiet()
        #expect(net.tipsAgree)
        for node in net.nodes {
            let l = node.ledger
            #expect(l.height == 3)
            #expect(l.mempool.isEmpty)
            let balances = [central, w1, w2, w3, w4, miner].map { l.balance(of: NetFixture.pkh($0)) }
            #expect(balances == [10, 9, 9, 1, 1, 10], "node \(node.id)")
            #expect(l.validate().allSatisfy { $0.isValid })
        }
        #expect(try NetFixture.ledger(net, 3000).tip?.transactions.count == 3)     // coinbase + both sends
        #expect(net.log.contains { $0.to == 3002 && $0.type == "mine" && $0.summary.contains("with 2 tx") })
    }

    /// Part 7's sync: version → (higher answers) version → getblocks → inv of all hashes →
    /// getdata/block one by one.
    @Test("a late node catches up: version, version, getblocks, inv, then getdata/block one by one")
    func lateNode() throws {
        let w = LedgerFixture.wallets(2)
        var net = try NetFixture.network(3, genesisTo: w[0])
        var t = NetFixture.t0
        try net.setMiner(node: 3000, publicKeyHash: NetFixture.pkh(w[1]), automatic: false, nowMs: t)
        for _ in 0..<3 {
            t += 1_000
            try net.mine(node: 3000, nowMs: t)
        }
        net.run(untilMs: t + 1_000)
        #expect(net.tipsAgree)
        let d = try net.addNode(nowMs: t + 2_000)
        #expect(d == 3003)
        #expect(try #require(net.node(d)).name == "D")
        let start = net.log.count
        var steps = 0
        while net.nextEventTimeMs() != nil {
            let entries = net.step(nowMs: Int64.max)
            #expect(entries.count >= 1)          // one event per step, each logged
            steps += 1
        }
        #expect(steps > 10)
        #expect(net.tipsAgree)
        let withA = net.log[start...].filter { $0.kind == .delivered && Set([$0.from, $0.to]) == Set([3000, d]) }
        #expect(withA.map(\.type) == ["version", "version", "getblocks", "inv", "getdata", "block", "getdata", "block", "getdata", "block"])
        #expect(withA.map(\.to) == [3000, d, 3000, d, 3000, d, 3000, d, 3000, d])
        #expect(withA[3].summary == "inv block ×4: 3 new, getdata block \(PeerNetwork.short(try NetFixture.ledger(net, 3000).bestChain[1]))")
        #expect(withA[5].summary.hasSuffix("accepted (extended)"))
        // B and C learnt D from its version (part 7's knownNodes rule); D's other syncs found nothing new.
        #expect(try #require(net.node(3001)).knownNodes.contains(d))
        #expect(net.log[start...].contains { $0.to == d && $0.type == "inv" && $0.summary.hasSuffix("nothing new") })
        #expect(net.summaries.allSatisfy { $0.inTransit == 0 })
    }

    @Test("partition {A} | {B, C}: A mines one block, B two; heal → all on B's branch, A's tx back in its mempool")
    func partitionAndHeal() throws {
        let w = LedgerFixture.wallets(4)
        var net = try NetFixture.network(3, genesisTo: w[0])
        var t = NetFixture.t0
        for (id, wallet) in zip([3000, 3001, 3002], [w[1], w[2], w[3]]) {
            try net.setMiner(node: id, publicKeyHash: NetFixture.pkh(wallet), automatic: false, nowMs: t)
        }
        t += 1_000
        try net.partition([[3000], [3001, 3002]], nowMs: t)
        let tx = try NetFixture.ledger(net, 3000).newTransaction(from: w[0], to: w[1].address, amount: 4)
        try net.submitTransaction(node: 3000, tx: tx, nowMs: t)
        net.run(untilMs: t + 500)
        #expect(net.log.filter { $0.kind == .dropped && $0.type == "inv" }.count == 2)
        #expect(try NetFixture.ledger(net, 3001).mempool.isEmpty)
        let a1 = try net.mine(node: 3000, nowMs: t + 1_000)
        #expect(a1.transactions.count == 2)
        try net.mine(node: 3001, nowMs: t + 1_000)
        net.run(untilMs: t + 1_500)
        let b2 = try net.mine(node: 3001, nowMs: t + 2_000)
        net.run(untilMs: t + 3_000)
        #expect(net.summaries.map(\.height) == [1, 2, 2])
        #expect(!net.tipsAgree)
        #expect(net.commonHeight == 0)
        let forkView = net.chains
        #expect(forkView[0].hashes.last == a1.hash && forkView[1].hashes.last == b2.hash)

        let beforeHeal = net.log.count
        net.heal(nowMs: t + 5_000)
        net.runUntilQuiet()
        #expect(net.tipsAgree)
        #expect(net.summaries.allSatisfy { $0.height == 2 && $0.tipHash == b2.hash && $0.inTransit == 0 })
        let a = try NetFixture.ledger(net, 3000)
        #expect(a.mempool.map(\.id) == [tx.id])                 // still valid on B's branch: back in the mempool
        #expect(a.block(hash: a1.hash) != nil)                   // kept as a side branch
        #expect(a.balance(of: NetFixture.pkh(w[2])) == 20)
        let reorg = try #require(net.log[beforeHeal...].first { $0.type == "reorg" })
        #expect(reorg.to == 3000)
        #expect(reorg.summary.hasPrefix("reorganization: disconnected 1 [\(PeerNetwork.short(a1.hash))], connected 2"))
        #expect(reorg.summary.contains("1 tx back to the mempool [\(PeerNetwork.short(tx.id))]"))
        // The entry just before it is the block that caused it.
        let index = try #require(net.log.firstIndex(of: reorg))
        #expect(net.log[index - 1].summary == "block #2 \(PeerNetwork.short(b2.hash)) accepted (reorganized)")
        #expect(net.nodes.allSatisfy { $0.ledger.validate().allSatisfy { $0.isValid } })
        // Mining the returned transaction now brings it to everyone.
        try net.mine(node: 3000, nowMs: net.nowMs + 1_000)
        net.runUntilQuiet()
        #expect(net.tipsAgree)
        #expect(net.nodes.allSatisfy { $0.ledger.balance(of: NetFixture.pkh(w[1])) == 4 + 10 })
    }

    @Test("a forged double-spend block is rejected with kind double-spend and never relayed")
    func forgedDoubleSpend() throws {
        let w = LedgerFixture.wallets(3)
        var net = try NetFixture.network(3, genesisTo: w[0])
        let t = NetFixture.t0 + 1_000
        let ledger = try NetFixture.ledger(net, 3000)
        let first = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 3)
        let second = try ledger.newTransaction(from: w[0], to: w[2].address, amount: 3)
        #expect(first.inputs[0].outPoint == second.inputs[0].outPoint)
        let forged = try ledger.forge(miner: NetFixture.pkh(w[2]), transactions: [first, second],
                                      timestamp: t / 1000, maxAttempts: LedgerFixture.limit)
        let tips = net.summaries.map(\.tipHash)

        // Received by node A from outside: rejected there, nothing sent.
        let entries = try net.submitBlock(node: 3000, block: forged, nowMs: t)
        #expect(entries.count == 1)
        #expect(entries[0].faultKind == "double-spend")
        #expect(entries[0].summary.hasPrefix("block rejected: transaction 2"))
        #expect(entries[0].summary.contains("double spend"))
        #expect(net.nextEventTimeMs() == nil)

        // Announced by A playing the dishonest miner: B and C fetch it, reject it, relay nothing.
        try net.announceBlock(node: 3000, block: forged, nowMs: t + 1_000)
        let start = net.log.count
        net.runUntilQuiet()
        let rejections = net.log[start...].filter { $0.type == "block" }
        #expect(rejections.map(\.to) == [3001, 3002])
        #expect(rejections.allSatisfy { $0.faultKind == "double-spend" })
        #expect(!net.log[start...].contains { ($0.from == 3001 || $0.from == 3002) && $0.type == "inv" })
        #expect(net.summaries.map(\.tipHash) == tips)
        #expect(net.nodes.allSatisfy { $0.ledger.block(hash: forged.hash) == nil })
    }

    /// Runs a partition scenario with latency jitter and an automatic miner. swift-crypto's ECDSA
    /// signatures are randomized, so `newTransaction` signs differently on every call; "the same
    /// calls" therefore means the same signed transactions: the first run records the ones it
    /// builds and later runs are given them.
    static func script(seed: UInt64, reuse: [Transaction] = []) throws -> (PeerNetwork, [Transaction]) {
        let w = LedgerFixture.wallets(4)
        var built: [Transaction] = []
        func transaction(_ make: () throws -> Transaction) rethrows -> Transaction {
            let tx = built.count < reuse.count ? reuse[built.count] : try make()
            built.append(tx)
            return tx
        }
        var config = PeerNetworkConfig(latencyMs: 40, jitterMs: 30)
        config.minerDelayMs = 700
        var net = try NetFixture.network(4, genesisTo: w[0], seed: seed, config: config)
        var t = NetFixture.t0
        try net.setMiner(node: 3001, publicKeyHash: NetFixture.pkh(w[1]), automatic: true, nowMs: t)
        try net.setMiner(node: 3002, publicKeyHash: NetFixture.pkh(w[2]), automatic: false, nowMs: t)
        try net.setLatency(from: 3000, to: 3003, ms: 300)
        let ledger0 = try NetFixture.ledger(net, 3000)
        let tx = try transaction { try ledger0.newTransaction(from: w[0], to: w[3].address, amount: 5) }
        try net.submitTransaction(node: 3000, tx: tx, nowMs: t)
        net.run(untilMs: t + 3_000)
        t += 4_000
        try net.partition([[3000, 3001], [3002]], nowMs: t)
        try net.mine(node: 3002, nowMs: t + 100)
        try net.mine(node: 3002, nowMs: t + 200)
        let ledger1 = try NetFixture.ledger(net, 3000)
        let tx2 = try transaction { try ledger1.newTransaction(from: w[3], to: w[0].address, amount: 2) }
        try net.submitTransaction(node: 3000, tx: tx2, nowMs: t + 300)
        net.run(untilMs: t + 2_000)
        net.heal(nowMs: t + 3_000)
        net.runUntilQuiet()
        return (net, built)
    }

    @Test("determinism: the same script twice gives equal networks and logs; JSON round-trips")
    func determinism() throws {
        let (a, txs) = try PeerNetworkTests.script(seed: 42)
        let (b, _) = try PeerNetworkTests.script(seed: 42, reuse: txs)
        #expect(a == b)
        #expect(a.log == b.log)
        #expect(a.tipsAgree)
        #expect(a.log.contains { $0.type == "reorg" })
        #expect(a.log.contains { $0.kind == .dropped })
        let data = try JSONEncoder().encode(a)
        #expect(try JSONDecoder().decode(PeerNetwork.self, from: data) == a)
        let (c, _) = try PeerNetworkTests.script(seed: 43, reuse: txs)
        #expect(c.tipsAgree)
        #expect(c.log.map(\.timeMs) != a.log.map(\.timeMs))     // the seed drives the jitter
    }

    @Test("unknown nodes and non-miners are refused; the log stays within its capacity")
    func refusals() throws {
        let w = LedgerFixture.wallets(2)
        var config = PeerNetworkConfig()
        config.logCapacity = 5
        var net = try NetFixture.network(2, genesisTo: w[0], config: config)
        let before = net
        #expect(throws: PeerNetworkError.unknownNode(2999)) { try net.mine(node: 2999, nowMs: 0) }
        #expect(throws: PeerNetworkError.notAMiner(3000)) { try net.mine(node: 3000, nowMs: 0) }
        #expect(throws: PeerNetworkError.invalidPartition("node 3000 is in two groups")) {
            try net.partition([[3000], [3000, 3001]], nowMs: 0)
        }
        #expect(net == before)
        for i in 0..<4 { try net.mine(node: 3000, to: NetFixture.pkh(w[1]), nowMs: NetFixture.t0 + Int64(i) * 1_000) }
        net.runUntilQuiet()
        #expect(net.log.count == 5)
        #expect(net.trimmedLogEntries > 0)
        #expect(net.tipsAgree)
        net.clearLog()
        #expect(net.log.isEmpty)
        // Nothing due: a step does nothing; a clock run to the end of time saturates, never traps.
        #expect(net.step(nowMs: NetFixture.t0 + 100_000).isEmpty)
        net.run(untilMs: .max)
        #expect(net.nowMs == .max)
        try net.mine(node: 3001, to: NetFixture.pkh(w[1]), nowMs: 0)
        #expect(net.nextEventTimeMs() == .max)
        net.runUntilQuiet()
        #expect(net.tipsAgree)
        #expect(net.summaries.map(\.height) == [5, 5])
    }

    /// A seeded sweep: random sends, mines, partitions, heals and steps, then heal and run to
    /// quiescence. A tie between two equal-work branches is broken the way Bitcoin breaks it:
    /// by the next block (mined here at node A).
    @Test("seeded sweep: 50 random scripts end with every node on one valid tip")
    func sweep() throws {
        let w = LedgerFixture.wallets(4, seed: 11)
        let genesis = try NetFixture.genesis(paying: w[0])
        var reorgs = 0, drops = 0, tiebreaks = 0, blocks = 0
        for seed in UInt64(1)...50 {
            var rng = TestRandom(state: seed &* 0x9E37)
            func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
            let n = 2 + pick(3)
            var config = PeerNetworkConfig(latencyMs: Int64(10 + pick(80)), jitterMs: Int64(pick(40)))
            config.minerDelayMs = Int64(200 + pick(1_000))
            var net = try PeerNetwork(nodes: n, genesis: genesis, targetBits: NetFixture.bits, seed: seed, config: config)
            var t = NetFixture.t0
            for id in net.ids {
                try net.setMiner(node: id, publicKeyHash: NetFixture.pkh(w[pick(4)]), automatic: pick(2) == 0, nowMs: t)
            }
            for _ in 0..<(20 + pick(20)) {
                t += Int64(pick(1_500))
                let node = PeerNetwork.firstNodeID + pick(n)
                switch pick(11) {
                case 0...3:
                    let ledger = try NetFixture.ledger(net, node)
                    if let tx = try? ledger.newTransaction(from: w[pick(4)], to: w[pick(4)].address, amount: 1 + pick(4)) {
                        try net.submitTransaction(node: node, tx: tx, nowMs: t)
                    }
                case 4, 5: try net.mine(node: node, nowMs: t)
                case 6:
                    var groups: [[Int]] = [[], []]
                    for id in net.ids { groups[pick(2)].append(id) }
                    try net.partition(groups, nowMs: t)
                case 7: net.heal(nowMs: t)
                case 8:
                    if try #require(net.node(node)).connected { try net.disconnect(node: node, nowMs: t) } else { try net.connect(node: node, nowMs: t) }
                default:
                    for _ in 0..<(1 + pick(20)) { _ = net.step(nowMs: t) }
                }
            }
            net.heal(nowMs: t + 1_000)
            for node in net.nodes where !node.connected { try net.connect(node: node.id, nowMs: t + 1_000) }
            net.runUntilQuiet()
            // Automatic miners may race again on the transactions a reorganization returned, so
            // a tie can need more than one next block.
            var tries = 0
            while !net.tipsAgree && tries < 10 {
                tiebreaks += 1
                tries += 1
                try net.mine(node: PeerNetwork.firstNodeID, nowMs: net.nowMs + 1_000)
                net.runUntilQuiet()
            }
            reorgs += net.log.filter { $0.type == "reorg" }.count
            drops += net.log.filter { $0.kind == .dropped }.count
            blocks += net.nodes[0].ledger.height
            #expect(net.nextEventTimeMs() == nil, "seed \(seed)")
            #expect(net.tipsAgree, "seed \(seed): \(net.summaries.map(\.height))")
            #expect(net.summaries.allSatisfy { $0.inTransit == 0 }, "seed \(seed)")
            for node in net.nodes {
                #expect(node.ledger.validate().allSatisfy { $0.isValid }, "seed \(seed) node \(node.id)")
            }
        }
        // The sweep really forks, drops and reorganizes.
        #expect(reorgs > 0 && drops > 0 && blocks > 100)
        print("sweep: \(blocks) blocks on final chains, \(reorgs) reorganizations, \(drops) dropped messages, \(tiebreaks) ties broken")
    }
}
