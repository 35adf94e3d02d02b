import SimKit
import Testing
@testable import Blockchain

/// A seeded stream for test keys: SimKit's SplitMix64, as the workbench's sessions use.
typealias TestRandom = SplitMix64

extension SplitMix64 {
    init(state: UInt64) { self.init(seed: state) }
}

enum LedgerFixture {
    static let bits = 8
    static let limit: Int64 = 10_000_000

    static func wallets(_ n: Int, seed: UInt64 = 7) -> [Wallet] {
        var random = TestRandom(state: seed)
        return (0..<n).map { _ in Wallet.make(using: &random) }
    }

    /// A chain whose genesis pays 10 to `wallets[0]`.
    static func ledger(_ wallets: [Wallet]) throws -> Ledger {
        var ledger = Ledger(targetBits: bits)
        _ = try ledger.createBlockchain(address: wallets[0].address, timestamp: Fixture.ts0, maxAttempts: limit)
        return ledger
    }

    static func pkh(_ w: Wallet) -> [UInt8] { Address.publicKeyHash(w.publicKey) }
}

@Suite("Ledger: transactions and the UTXO set (Jeiwan parts 4-6, done right)")
struct LedgerTests {
    let w = LedgerFixture.wallets(3)

    @Test("createblockchain pays the subsidy to the address; the genesis coinbase carries the Times headline")
    func genesis() throws {
        let ledger = try LedgerFixture.ledger(w)
        #expect(ledger.height == 0)
        #expect(ledger.balance(of: LedgerFixture.pkh(w[0])) == 10)
        let coinbase = try #require(ledger.tip?.transactions.first)
        #expect(coinbase.isCoinbase)
        #expect(coinbase.inputs[0].publicKey == Array(Ledger.genesisCoinbaseData.utf8))
        #expect(ledger.validate().allSatisfy { $0.isValid })
    }

    /// Jeiwan part 6's blog run: `send -from A -to B -amount 6 -mine` gives A 4 change + 10 reward = 14 and B 6.
    @Test("send with mining: change back to the sender, the reward to the miner (blog part 6: 14 and 6)")
    func sendAndMine() throws {
        var ledger = try LedgerFixture.ledger(w)
        let tx = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 6)
        #expect(tx.outputs.map(\.value) == [6, 4])
        try ledger.submit(tx)
        try ledger.mineBlock(miner: LedgerFixture.pkh(w[0]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        #expect(ledger.balance(of: LedgerFixture.pkh(w[0])) == 14)
        #expect(ledger.balance(of: LedgerFixture.pkh(w[1])) == 6)
        #expect(ledger.mempool.isEmpty)
        #expect(ledger.tip?.transactions.first?.isCoinbase == true)          // coinbase first (Jeiwan PR #42)
        #expect(ledger.utxo.transactionCount == 2)          // the payment (6 + 4 change) and the new coinbase
        var copy = ledger
        #expect(copy.reindexUTXO() == 2)
        #expect(copy.utxo == ledger.utxo)
    }

    @Test("not enough funds names what the sender has; a bad address and a bad amount are refused")
    func refusals() throws {
        let ledger = try LedgerFixture.ledger(w)
        #expect(throws: LedgerError.notEnoughFunds(have: 10, need: 11, pending: 0)) {
            try ledger.newTransaction(from: w[0], to: w[1].address, amount: 11)
        }
        #expect(throws: LedgerError.invalidAmount(0)) { try ledger.newTransaction(from: w[0], to: w[1].address, amount: 0) }
        var bad = w[1].address
        bad.removeLast()
        bad.append(bad.hasSuffix("z") ? "y" : "z")
        #expect(throws: (any Error).self) { try ledger.newTransaction(from: w[0], to: bad, amount: 1) }
    }

    /// Jeiwan issue #23: two transactions spending one output must not both be accepted.
    @Test("a double spend is refused in the mempool and inside a block")
    func doubleSpend() throws {
        var ledger = try LedgerFixture.ledger(w)
        let first = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 3)
        try ledger.submit(first)
        // The wallet has nothing else to spend: its only output is held by the mempool.
        #expect(throws: LedgerError.notEnoughFunds(have: 0, need: 3, pending: 10)) {
            try ledger.newTransaction(from: w[0], to: w[2].address, amount: 3)
        }
        // Built by hand against the set without the mempool: the same output, another recipient.
        var clean = ledger
        clean.mempool = []
        let second = try clean.newTransaction(from: w[0], to: w[2].address, amount: 3)
        let before = ledger
        #expect {
            try ledger.submit(second)
        } throws: { error in
            guard case let LedgerError.invalidTransaction(.doubleSpend(point, _)) = error else { return false }
            return point == first.inputs[0].outPoint
        }
        #expect(ledger == before)
        // Both in one block, mined honestly: the block is refused with the reason.
        let block = try clean.forge(miner: LedgerFixture.pkh(w[2]), transactions: [first, second],
                                    timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        #expect {
            try clean.accept(block)
        } throws: { error in
            guard case let LedgerError.invalidBlock(fault) = error else { return false }
            return fault.kind == "double-spend"
        }
        // Spending an output already spent on the chain names the transaction that spent it.
        try ledger.mineBlock(miner: LedgerFixture.pkh(w[2]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        let result = ledger.utxo.check(second)
        guard case let .failure(.doubleSpend(_, by)) = result else { Issue.record("expected a double spend, got \(result)"); return }
        #expect(by.contains("in block 1"))
    }

    /// Jeiwan PR #58: Verify never checked that the input's key owns the output.
    @Test("spending someone else's output: wrong key is 'not owner', a forged signature is 'bad signature'")
    func ownership() throws {
        let ledger = try LedgerFixture.ledger(w)
        let genesisCoinbase = try #require(ledger.tip?.transactions.first)
        let point = OutPoint(txid: genesisCoinbase.id, index: 0)
        // The thief signs with its own key: the signature verifies, but the key does not own the output.
        var theft = Transaction(inputs: [TXInput(txid: point.txid, vout: 0, publicKey: w[2].publicKey)],
                                outputs: [TXOutput(value: 10, publicKeyHash: LedgerFixture.pkh(w[2]))])
        try theft.sign(with: w[2]) { ledger.utxo.unspent[$0]?.output }
        #expect(ledger.utxo.check(theft) == .failure(.notOwner(input: 0, outPoint: point)))
        // The thief claims the owner's public key but cannot make its signature.
        theft.inputs[0].publicKey = w[0].publicKey
        #expect(ledger.utxo.check(theft) == .failure(.badSignature(input: 0)))
        // Changing an amount after signing breaks the signature too.
        var honest = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 4)
        honest.outputs[0].value = 5
        #expect(ledger.utxo.check(honest) == .failure(.badSignature(input: 0)))
    }

    @Test("outputs above the inputs are an overspend")
    func overspend() throws {
        let ledger = try LedgerFixture.ledger(w)
        let coinbase = try #require(ledger.tip?.transactions.first)
        var tx = Transaction(inputs: [TXInput(txid: coinbase.id, vout: 0, publicKey: w[0].publicKey)],
                             outputs: [TXOutput(value: 11, publicKeyHash: LedgerFixture.pkh(w[1]))])
        try tx.sign(with: w[0]) { ledger.utxo.unspent[$0]?.output }
        #expect(ledger.utxo.check(tx) == .failure(.overspend(inputs: 10, outputs: 11)))
    }

    /// Jeiwan issue #64: after a partial spend, the tutorial's stored slice no longer matched output indexes.
    @Test("output indexes survive partial spends: the change at index 1 is spent as index 1")
    func stableIndexes() throws {
        var ledger = try LedgerFixture.ledger(w)
        let miner = LedgerFixture.pkh(w[2])
        let a = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 3)
        try ledger.submit(a)
        try ledger.mineBlock(miner: miner, timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        // w[1] spends its output 0 of `a`; w[0]'s change is still output 1 of `a`.
        try ledger.submit(try ledger.newTransaction(from: w[1], to: w[2].address, amount: 3))
        try ledger.mineBlock(miner: miner, timestamp: Fixture.ts0 + 1200, maxAttempts: LedgerFixture.limit)
        let b = try ledger.newTransaction(from: w[0], to: w[1].address, amount: 7)
        #expect(b.inputs.map(\.vout) == [1])
        #expect(b.inputs[0].txid == a.id)
        try ledger.submit(b)
        try ledger.mineBlock(miner: miner, timestamp: Fixture.ts0 + 1800, maxAttempts: LedgerFixture.limit)
        #expect(ledger.balance(of: LedgerFixture.pkh(w[0])) == 0)
        #expect(ledger.balance(of: LedgerFixture.pkh(w[1])) == 7)
        #expect(ledger.balance(of: miner) == 33)
        #expect(ledger.validate().allSatisfy { $0.isValid })
    }

    @Test("tampering an amount shows as a Merkle mismatch; re-mining the headers turns it into a bad signature")
    func tamperAndRemine() throws {
        var ledger = try LedgerFixture.ledger(w)
        try ledger.submit(try ledger.newTransaction(from: w[0], to: w[1].address, amount: 6))
        try ledger.mineBlock(miner: LedgerFixture.pkh(w[0]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        try ledger.tamper(height: 1, transaction: 1, output: 0, value: 9, lock: nil)
        #expect(ledger.validate().map { $0.fault?.kind } == [nil, "merkle"])
        try ledger.remine(from: 1, maxAttempts: LedgerFixture.limit)
        #expect(ledger.validate().map { $0.fault?.kind } == [nil, "signature"])
        var headerOnly = try LedgerFixture.ledger(w)
        headerOnly.blocks[ProofOfWork.hex(headerOnly.bestChain[0])]?.nonce += 1
        #expect(headerOnly.validate().map { $0.fault?.kind } == ["hash"])
    }

    @Test("the coinbase may claim the subsidy plus fees, no more; it must come first")
    func coinbaseRules() throws {
        let ledger = try LedgerFixture.ledger(w)
        var greedy = try ledger.template(miner: LedgerFixture.pkh(w[1]), timestamp: Fixture.ts0 + 600)
        greedy.transactions[0].outputs[0].value = 11
        greedy.merkleRoot = greedy.computedMerkleRoot
        let mined = try Ledger.mine(greedy, maxAttempts: LedgerFixture.limit)
        var copy = ledger
        #expect(throws: LedgerError.invalidBlock(.transaction(index: 0, txid: mined.transactions[0].id,
                                                              .coinbaseTooLarge(value: 11, allowed: 10)))) {
            try copy.accept(mined)
        }
        #expect(copy == ledger)
    }

    @Test("blocks and transactions round-trip through their stored bytes; damaged bytes are refused")
    func serialization() throws {
        var ledger = try LedgerFixture.ledger(w)
        try ledger.submit(try ledger.newTransaction(from: w[0], to: w[1].address, amount: 2))
        let block = try ledger.mineBlock(miner: LedgerFixture.pkh(w[2]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        #expect(LedgerBlock(serialized: block.serialized) == block)
        for tx in block.transactions { #expect(Transaction(serialized: tx.serialized) == tx) }
        let bytes = block.serialized
        #expect(LedgerBlock(serialized: Array(bytes.dropLast())) == nil)
        #expect(LedgerBlock(serialized: bytes + [0]) == nil)
        #expect(LedgerBlock(serialized: []) == nil)
        var random = TestRandom(state: 3)
        for _ in 0..<500 {
            var damaged = bytes
            damaged[Int(random.next() % UInt64(damaged.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            _ = LedgerBlock(serialized: damaged)               // must not crash
        }
        // The Merkle root is the tree over the serialized transactions (Jeiwan part 6 HashTransactions).
        #expect(block.merkleRoot == (try MerkleTree(block.transactions.map(\.serialized))).root)
        // Signing does not change the id.
        var unsigned = block.transactions[1]
        for i in unsigned.inputs.indices { unsigned.inputs[i].signature = [] }
        #expect(unsigned.id == block.transactions[1].id)
    }

    @Test("restore rebuilds the same ledger from its blocks and tip; a tampered block is refused with its fault")
    func restore() throws {
        var ledger = try LedgerFixture.ledger(w)
        try ledger.submit(try ledger.newTransaction(from: w[0], to: w[1].address, amount: 2))
        try ledger.mineBlock(miner: LedgerFixture.pkh(w[2]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        var withoutMempool = ledger
        withoutMempool.mempool = []
        let restored = try Ledger.restore(blocks: Array(ledger.blocks.values), tip: ledger.bestChain[1], targetBits: LedgerFixture.bits)
        #expect(restored == withoutMempool)
        var damaged = ledger.mainChain
        damaged[1].transactions[1].outputs[0].value = 5
        #expect(throws: LedgerError.invalidBlock(.merkleRoot(stored: damaged[1].merkleRoot, computed: damaged[1].computedMerkleRoot))) {
            try Ledger.restore(blocks: damaged, tip: damaged[1].hash, targetBits: LedgerFixture.bits)
        }
    }
}

@Suite("Ledger: forks and the most-work chain")
struct ForkTests {
    let w = LedgerFixture.wallets(3)

    @Test("a longer branch wins; the losing branch's transactions go back to the mempool")
    func reorganize() throws {
        let base = try LedgerFixture.ledger(w)
        var a = base, b = base
        // Node A confirms a payment; node B mines two empty blocks meanwhile.
        let pay = try a.newTransaction(from: w[0], to: w[1].address, amount: 4)
        try a.submit(pay)
        let a1 = try a.mineBlock(miner: LedgerFixture.pkh(w[1]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        let b1 = try b.mineBlock(miner: LedgerFixture.pkh(w[2]), timestamp: Fixture.ts0 + 601, maxAttempts: LedgerFixture.limit)
        let b2 = try b.mineBlock(miner: LedgerFixture.pkh(w[2]), timestamp: Fixture.ts0 + 1200, maxAttempts: LedgerFixture.limit)
        // Equal work: A keeps the block it saw first.
        #expect(try a.accept(b1) == .sideBranch)
        #expect(a.tip?.hash == a1.hash)
        #expect(try a.accept(b2) == .reorganized(disconnected: [a1.hash], connected: [b1.hash, b2.hash]))
        #expect(a.tip?.hash == b2.hash)
        #expect(a.mempool == [pay])                      // back in the mempool, still valid
        #expect(a.balance(of: LedgerFixture.pkh(w[1])) == 0)
        #expect(a.balance(of: LedgerFixture.pkh(w[2])) == 20)
        // B learns of A's block: a shorter branch, kept aside.
        #expect(try b.accept(a1) == .sideBranch)
        #expect(try b.accept(a1) == .alreadyKnown)
        #expect(a.utxo == b.utxo)
    }

    @Test("a block whose parent is unknown is an orphan and changes nothing")
    func orphan() throws {
        let base = try LedgerFixture.ledger(w)
        var a = base
        try a.mineBlock(miner: LedgerFixture.pkh(w[1]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
        let a2 = try a.mineBlock(miner: LedgerFixture.pkh(w[1]), timestamp: Fixture.ts0 + 1200, maxAttempts: LedgerFixture.limit)
        var b = base
        #expect(throws: LedgerError.orphan(prev: a2.prevBlockHash)) { try b.accept(a2) }
        #expect(b == base)
    }
}
