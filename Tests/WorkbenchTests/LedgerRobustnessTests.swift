import Foundation
import SimKit
import Testing
import WorkbenchCLI
@testable import Blockchain
@testable import Topics
@testable import WorkbenchKit

/// Bad input never crashes and never breaks the transaction chain: seeded sweeps of random lines
/// over the ledger, network, rpc and geth commands, with the ledger's own checks after every line.
struct LedgerRobustnessTests {
    static let a = "192hW7fFuuW68F5nteZyNkYaeGJ1YEh65s", b = "19pc2eG4ssEE1h6kwjojDHtThBQiND51Dv", c = "19GXqienozHNic4aBF4QnCBGwqdz9gJBfU"
    static let words = ["chain", "send", "--from", "--to", "--amount", "--mine", a, b, c, "1BadAddress", "0", "1", "3", "-2", "1000",
                        "mineblock", "--miner", "getbalance", "--address", "utxo", "mempool", "tx", "printchain", "reindexutxo",
                        "verifychain", "forge", "double-spend", "steal", "overspend", "createwallet", "createblockchain",
                        "net", "new", "--nodes", "status", "mine", "A", "B", "C", "partition", "|", "heal", "log", "chains",
                        "step", "run", "undo", "rpc", "eth_blockNumber", "eth_getBalance", "eth_sendTransaction", "latest", "0x01",
                        "{\"from\":1}", "raw", "'[]'", "'{'", "geth", "eth.accounts[0]", "miner.start()", "personal.newAccount()",
                        "eth.getBalance(", "\"x", "--json", "db", "open", "x.db", "--db"]

    /// The facts every ledger must keep whatever the learner typed: the main chain validates, the
    /// UTXO set is what the blocks say, and every mempool transaction still checks out.
    static func problems(_ ledger: Ledger) -> [String] {
        var found: [String] = []
        for report in ledger.validate() where !report.isValid {
            found.append("block \(report.height): \(report.fault?.description ?? "")")
        }
        var reindexed = ledger
        reindexed.reindexUTXO()
        if reindexed.utxo != ledger.utxo { found.append("the UTXO set differs from the blocks") }
        var pending: [OutPoint: [UInt8]] = [:]
        for tx in ledger.mempool {
            if case let .failure(fault) = ledger.utxo.check(tx, pending: pending) { found.append("mempool: \(fault)") }
            for input in tx.inputs { pending[input.outPoint] = tx.id }
        }
        return found
    }

    // Goal: any line either runs or fails with an error line that leaves the state as it was, and
    // the ledgers (the session's and every network node's) keep their invariants.
    // Method: 3 seeds × 250 lines of random words, after a setup with wallets and a funded chain.
    @Test(arguments: [UInt64(11), 12, 13])
    func randomLines(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let session = Fixture.memorySession()
        for line in ["chain createwallet", "chain createwallet", "chain createwallet",
                     "chain createblockchain --address \(Self.a) --difficulty 6",
                     "chain send --from \(Self.a) --to \(Self.b) --amount 4 --mine"] {
            Fixture.run(line, in: session)
        }
        for _ in 0..<250 {
            let count = Int(rng.next(below: 7)) + 1
            let line = (0..<count).map { _ in Self.words[Int(rng.next(below: UInt64(Self.words.count)))] }.joined(separator: " ")
            let before = session.state.canonicalJSON()
            let result = session.execute(line)
            if let error = result.error {
                #expect(result.text.contains("error") || result.text.hasPrefix("expected "), "seed \(seed): `\(line)` → \(result.text)")
                if case .script = error {} else {
                    #expect(session.state.canonicalJSON() == before, "seed \(seed): failed `\(line)` changed state")
                }
            }
            session.lineMode = nil
            let state = session.topic(ChainState.self)
            if let ledger = state.ledger {
                let found = Self.problems(ledger)
                #expect(found.isEmpty, "seed \(seed): after `\(line)`: \(found)")
            }
            for node in state.network?.nodes ?? [] {
                let found = Self.problems(node.ledger)
                #expect(found.isEmpty, "seed \(seed): node \(node.name) after `\(line)`: \(found)")
            }
        }
    }
}
