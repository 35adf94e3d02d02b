/// The verdict on one block of the main chain.
public struct LedgerBlockReport: Equatable, Sendable {
    public var height: Int
    public var hash: [UInt8]
    /// The first thing wrong with the block, or nil when it is valid.
    public var fault: BlockFault?
    public var isValid: Bool { fault == nil }
}

/// Checking a stored chain after the fact (a tampered database, a tampered block) and breaking it
/// on purpose: what Jeiwan's `printchain` reduces to "PoW: true/false", itemized.
extension Ledger {
    /// Replays the main chain from the genesis and reports, per block, the first fault: stored hash,
    /// proof of work, prev link (against the previous block's recomputed hash, so a changed header
    /// breaks the next link too), height, Merkle root, then each transaction against the UTXO set
    /// built so far (signature, owner, double spend, overspend, coinbase).
    public func validate() -> [LedgerBlockReport] {
        var reports: [LedgerBlockReport] = []
        var set = UTXOSet()
        var previous: LedgerBlock?
        for (height, block) in mainChain.enumerated() {
            var fault = Ledger.checkHeader(block)
            if fault == nil {
                if let previous {
                    if block.prevBlockHash != previous.computedHash { fault = .prevLink }
                } else if !block.prevBlockHash.isEmpty {
                    fault = .prevLink
                }
            }
            if fault == nil, block.height != height { fault = .height(expected: height, stored: block.height) }
            switch set.applying(block, subsidy: subsidy) {
            case let .success(next): set = next
            case let .failure(txFault):
                if fault == nil { fault = txFault }
                // Keep going with what the block claims, so later blocks are judged on their own.
                for (position, tx) in block.transactions.enumerated() { set.apply(tx, height: block.height, position: position) }
            }
            reports.append(LedgerBlockReport(height: height, hash: block.hash, fault: fault))
            previous = block
        }
        return reports
    }

    /// Changes one output of a stored transaction WITHOUT re-hashing anything (what editing the
    /// database file does). `nil` leaves a field as it is.
    public mutating func tamper(height: Int, transaction: Int, output: Int, value: Int?, lock: [UInt8]?) throws(LedgerError) {
        guard let block = block(height: height) else { throw .invalidBlock(.height(expected: self.height, stored: height)) }
        guard block.transactions.indices.contains(transaction),
              block.transactions[transaction].outputs.indices.contains(output) else {
            throw .invalidTransaction(.unknownInput(OutPoint(txid: [], index: output)))
        }
        var changed = block
        if let value { changed.transactions[transaction].outputs[output].value = value }
        if let lock { changed.transactions[transaction].outputs[output].publicKeyHash = lock }
        blocks[ProofOfWork.hex(block.hash)] = changed
    }

    /// Repairs the headers from `height` to the tip: recomputes each Merkle root and prev link and
    /// mines again. Transactions are NOT repaired, so a changed amount now shows as a bad signature.
    /// Side branches are dropped; the UTXO set is rebuilt from the result.
    public mutating func remine(from height: Int, maxAttempts: Int64) throws(LedgerError) {
        guard bestChain.indices.contains(height) else { throw .invalidBlock(.height(expected: self.height, stored: height)) }
        var chain = mainChain
        for i in height..<chain.count {
            var b = chain[i]
            b.prevBlockHash = i == 0 ? [] : chain[i - 1].hash
            b.merkleRoot = b.computedMerkleRoot
            b.height = i
            chain[i] = try Ledger.mine(b, maxAttempts: maxAttempts)
        }
        var next = Ledger(targetBits: targetBits, subsidy: subsidy)
        next.mempool = mempool
        var work = 0.0
        for b in chain {
            let key = ProofOfWork.hex(b.hash)
            work += b.work
            next.blocks[key] = b
            next.chainWork[key] = work
            next.bestChain.append(b.hash)
        }
        next.utxo = next.replay(next.bestChain)
        self = next
    }

    /// A block for `miner` on top of the tip holding exactly `transactions` after the coinbase,
    /// mined but NOT checked: how a dishonest miner builds a block for a peer to reject.
    public func forge(miner publicKeyHash: [UInt8], transactions: [Transaction], timestamp: Int64,
                      maxAttempts: Int64) throws(LedgerError) -> LedgerBlock {
        guard let tip else { throw .noBlockchain }
        let coinbase = Transaction.coinbase(to: publicKeyHash, value: subsidy, data: Array("height \(tip.height + 1)".utf8))
        let txs = [coinbase] + transactions
        let template = LedgerBlock(timestamp: timestamp, transactions: txs, prevBlockHash: tip.hash,
                                   merkleRoot: LedgerBlock.merkleRoot(of: txs), hash: [], nonce: 0,
                                   targetBits: targetBits, height: tip.height + 1)
        return try Ledger.mine(template, maxAttempts: maxAttempts)
    }

    /// Rebuilds a ledger from stored blocks and the stored tip (reopening a database): every block
    /// is accepted again, so a damaged or tampered file is refused with the block's fault.
    public static func restore(blocks stored: [LedgerBlock], tip: [UInt8], targetBits: Int, subsidy: Int = Transaction.subsidy) throws(LedgerError) -> Ledger {
        var ledger = Ledger(targetBits: targetBits, subsidy: subsidy)
        var byHash: [String: LedgerBlock] = [:]
        for b in stored { byHash[ProofOfWork.hex(b.hash)] = b }
        var chain: [LedgerBlock] = []
        var current = byHash[ProofOfWork.hex(tip)]
        guard current != nil else { throw .orphan(prev: tip) }
        while let b = current {
            chain.append(b)
            if chain.count > stored.count { throw .invalidBlock(.prevLink) }   // a cycle of links
            current = b.prevBlockHash.isEmpty ? nil : byHash[ProofOfWork.hex(b.prevBlockHash)]
            if current == nil, !b.prevBlockHash.isEmpty { throw .orphan(prev: b.prevBlockHash) }
        }
        for b in chain.reversed() { try ledger.accept(b) }
        // Side branches are kept when they still connect.
        for b in stored.sorted(by: { $0.height < $1.height }) where ledger.blocks[ProofOfWork.hex(b.hash)] == nil {
            _ = try? ledger.accept(b)
        }
        return ledger
    }
}
