/// Why a ledger operation was refused; the ledger is unchanged after every one of them.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case noBlockchain
    case alreadyExists
    case invalidAddress(String, reason: String)
    case invalidAmount(Int)
    /// Jeiwan `ERROR: Not enough funds`, with what the sender has and what is held by the mempool.
    case notEnoughFunds(have: Int, need: Int, pending: Int)
    case invalidTransaction(TxFault)
    case invalidBlock(BlockFault)
    /// The block's parent is unknown (a node asks its peer for the blocks it misses).
    case orphan(prev: [UInt8])
    case attemptLimitReached(attempts: Int64)
    case invalidTargetBits(Int)

    public var description: String {
        switch self {
        case .noBlockchain: "No existing blockchain found. Create one first."
        case .alreadyExists: "Blockchain already exists."
        case let .invalidAddress(address, reason): "ERROR: Address is not valid: \(address) (\(reason))"
        case let .invalidAmount(n): "the amount must be a positive whole number of coins, got \(n)"
        case let .notEnoughFunds(have, need, pending):
            "ERROR: Not enough funds: has \(have) spendable, needs \(need)" + (pending > 0 ? " (\(pending) more is held by transactions waiting in the mempool)" : "")
        case let .invalidTransaction(fault): "ERROR: Invalid transaction: \(fault)"
        case let .invalidBlock(fault): "invalid block: \(fault)"
        case let .orphan(prev): "orphan block: its parent \(ProofOfWork.hex(prev).prefix(16))… is unknown"
        case let .attemptLimitReached(n): "gave up after \(n) attempts without a valid hash"
        case let .invalidTargetBits(bits): "target bits must be 1 to 255, got \(bits)"
        }
    }
}

/// What `accept` did with a block.
public enum Acceptance: Equatable, Sendable {
    case extended
    case alreadyKnown
    /// Valid, but its branch has no more work than the current chain: kept, not followed.
    case sideBranch
    /// Its branch has more work: the chain switched to it (blocks are listed tip-first / base-first).
    case reorganized(disconnected: [[UInt8]], connected: [[UInt8]])
}

/// One node's view of the chain, Jeiwan parts 4–7 done right: every known valid block (side branches
/// too), the most-work chain through them, the UTXO set at its tip, and the mempool.
///
/// Pure and deterministic; every mutating method checks before it mutates.
public struct Ledger: Codable, Equatable, Sendable {
    /// Used for blocks mined from now on.
    public var targetBits: Int
    public let subsidy: Int
    /// Every accepted block by hex hash.
    public internal(set) var blocks: [String: LedgerBlock] = [:]
    /// Hashes from the genesis to the tip of the most-work chain.
    public internal(set) var bestChain: [[UInt8]] = []
    /// The UTXO set at the tip (Jeiwan's `chainstate`).
    public internal(set) var utxo = UTXOSet()
    /// Valid transactions not yet in a block, in arrival order.
    public internal(set) var mempool: [Transaction] = []
    /// Cumulative work of each known block's branch, by hex hash.
    public internal(set) var chainWork: [String: Double] = [:]

    public init(targetBits: Int = 16, subsidy: Int = Transaction.subsidy) {
        self.targetBits = min(max(targetBits, ProofOfWork.validTargetBits.lowerBound), ProofOfWork.validTargetBits.upperBound)
        self.subsidy = subsidy
    }

    // MARK: reading

    public var isEmpty: Bool { bestChain.isEmpty }
    public var height: Int { bestChain.count - 1 }
    public var tip: LedgerBlock? { bestChain.last.flatMap { blocks[ProofOfWork.hex($0)] } }
    public func block(hash: [UInt8]) -> LedgerBlock? { blocks[ProofOfWork.hex(hash)] }
    public func block(height: Int) -> LedgerBlock? {
        bestChain.indices.contains(height) ? blocks[ProofOfWork.hex(bestChain[height])] : nil
    }
    /// The most-work chain, genesis first.
    public var mainChain: [LedgerBlock] { bestChain.compactMap { blocks[ProofOfWork.hex($0)] } }
    public var totalWork: Double { bestChain.last.flatMap { chainWork[ProofOfWork.hex($0)] } ?? 0 }

    public func balance(of publicKeyHash: [UInt8]) -> Int { utxo.balance(of: publicKeyHash) }

    /// A transaction on the main chain (with its block) or in the mempool (block nil).
    public func transaction(id: [UInt8]) -> (tx: Transaction, block: LedgerBlock?, position: Int)? {
        for block in mainChain.reversed() {
            if let i = block.transactions.firstIndex(where: { $0.id == id }) { return (block.transactions[i], block, i) }
        }
        if let i = mempool.firstIndex(where: { $0.id == id }) { return (mempool[i], nil, i) }
        return nil
    }

    /// Outputs claimed by mempool transactions → the claiming transaction's id.
    public var mempoolClaims: [OutPoint: [UInt8]] {
        var claims: [OutPoint: [UInt8]] = [:]
        for tx in mempool { for input in tx.inputs { claims[input.outPoint] = tx.id } }
        return claims
    }

    // MARK: building

    /// Jeiwan `createblockchain -address`: mines the genesis block whose coinbase pays the subsidy
    /// to `address`, with the Times headline as its data.
    public static let genesisCoinbaseData = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks"

    public mutating func createBlockchain(address: String, timestamp: Int64, maxAttempts: Int64) throws(LedgerError) -> LedgerBlock {
        guard isEmpty else { throw .alreadyExists }
        let lock = try Ledger.lock(address)
        let coinbase = Transaction.coinbase(to: lock, value: subsidy, data: Array(Ledger.genesisCoinbaseData.utf8))
        let template = LedgerBlock(timestamp: timestamp, transactions: [coinbase], prevBlockHash: [],
                                   merkleRoot: LedgerBlock.merkleRoot(of: [coinbase]), hash: [], nonce: 0,
                                   targetBits: targetBits, height: 0)
        let block = try Ledger.mine(template, maxAttempts: maxAttempts)
        _ = try accept(block)
        return block
    }

    /// Jeiwan `NewUTXOTransaction`: spends the sender's oldest spendable outputs until they cover
    /// `amount`, pays `amount` to `to` and the rest back to the sender, and signs every input.
    /// Outputs already claimed by a mempool transaction are not used again.
    public func newTransaction(from wallet: Wallet, to address: String, amount: Int) throws(LedgerError) -> Transaction {
        guard !isEmpty else { throw .noBlockchain }
        guard amount > 0 else { throw .invalidAmount(amount) }
        let recipient = try Ledger.lock(address)
        let sender = Address.publicKeyHash(wallet.publicKey)
        let claims = mempoolClaims
        var chosen: [UnspentOutput] = []
        var total = 0
        var pending = 0
        for entry in utxo.outputs(lockedTo: sender) {
            if claims[entry.outPoint] != nil { pending += entry.output.value; continue }
            if total >= amount { break }
            chosen.append(entry)
            total += entry.output.value
        }
        guard total >= amount else { throw .notEnoughFunds(have: total, need: amount, pending: pending) }
        var outputs = [TXOutput(value: amount, publicKeyHash: recipient)]
        if total > amount { outputs.append(TXOutput(value: total - amount, publicKeyHash: sender)) }
        var tx = Transaction(inputs: chosen.map { TXInput(txid: $0.outPoint.txid, vout: $0.outPoint.index, publicKey: wallet.publicKey) },
                             outputs: outputs)
        do {
            try tx.sign(with: wallet) { utxo.unspent[$0]?.output }
        } catch let fault as TxFault {
            throw .invalidTransaction(fault)
        } catch {
            throw .invalidTransaction(.badSignature(input: 0))
        }
        return tx
    }

    /// Adds a transaction to the mempool after checking it against the UTXO set and the mempool
    /// (a second spend of an output is refused here, not only in a block: the tutorial's issue #23).
    public mutating func submit(_ tx: Transaction) throws(LedgerError) {
        guard !isEmpty else { throw .noBlockchain }
        if case let .failure(fault) = utxo.check(tx, pending: mempoolClaims) { throw .invalidTransaction(fault) }
        mempool.append(tx)
    }

    /// The block a miner would mine now: the coinbase first (Jeiwan appends it last; its PR #42), paying
    /// the subsidy plus fees to `miner`, then every mempool transaction that is still valid, in order.
    public func template(miner publicKeyHash: [UInt8], timestamp: Int64, coinbaseData: [UInt8]? = nil) throws(LedgerError) -> LedgerBlock {
        guard let tip else { throw .noBlockchain }
        var view = utxo
        var included: [Transaction] = []
        var fees = 0
        for tx in mempool {
            guard case let .success(fee) = view.check(tx) else { continue }
            view.apply(tx, height: tip.height + 1, position: included.count + 1)
            included.append(tx)
            fees += fee
        }
        let data = coinbaseData ?? Array("height \(tip.height + 1)".utf8)
        let coinbase = Transaction.coinbase(to: publicKeyHash, value: subsidy + fees, data: data)
        let txs = [coinbase] + included
        return LedgerBlock(timestamp: timestamp, transactions: txs, prevBlockHash: tip.hash,
                           merkleRoot: LedgerBlock.merkleRoot(of: txs), hash: [], nonce: 0,
                           targetBits: targetBits, height: tip.height + 1)
    }

    /// Proof of work for a block template (its nonce and hash are replaced by the first valid ones).
    public static func mine(_ template: LedgerBlock, maxAttempts: Int64) throws(LedgerError) -> LedgerBlock {
        let job = MiningJob(blockIndex: template.height, data: template.merkleRoot, timestamp: template.timestamp,
                            prevBlockHash: template.prevBlockHash, targetBits: template.targetBits)
        let search = NonceSearch(job: job)
        let outcome = search.run(from: 0, limit: maxAttempts)
        guard outcome.found else { throw .attemptLimitReached(attempts: outcome.tried) }
        var block = template
        block.nonce = outcome.lastNonce
        block.hash = outcome.lastHash
        return block
    }

    /// Mines the template for `miner` and accepts it (Jeiwan `MineBlock`, used by `send -mine`).
    @discardableResult
    public mutating func mineBlock(miner publicKeyHash: [UInt8], timestamp: Int64, maxAttempts: Int64,
                                   coinbaseData: [UInt8]? = nil) throws(LedgerError) -> LedgerBlock {
        let block = try Ledger.mine(template(miner: publicKeyHash, timestamp: timestamp, coinbaseData: coinbaseData),
                                    maxAttempts: maxAttempts)
        _ = try accept(block)
        return block
    }

    // MARK: accepting blocks

    /// Checks a block's own fields: stored hash, proof of work, Merkle root.
    public static func checkHeader(_ block: LedgerBlock) -> BlockFault? {
        let computed = block.computedHash
        if block.hash != computed { return .hashMismatch(stored: block.hash, computed: computed) }
        if !ProofOfWork.meets(hash: block.hash, targetBits: block.targetBits) { return .proofOfWork(targetBits: block.targetBits) }
        if block.transactions.isEmpty { return .noTransactions }
        let root = block.computedMerkleRoot
        if block.merkleRoot != root { return .merkleRoot(stored: block.merkleRoot, computed: root) }
        return nil
    }

    /// Validates a block fully (header, link, height, every transaction against its branch's UTXO
    /// set) and adds it. The chain follows the branch with the most cumulative work (2^bits per
    /// block); on a tie the chain seen first stays. Received blocks are always validated (the
    /// tutorial's part 7 adds them unchecked).
    @discardableResult
    public mutating func accept(_ block: LedgerBlock) throws(LedgerError) -> Acceptance {
        let key = ProofOfWork.hex(block.hash)
        if blocks[key] != nil { return .alreadyKnown }
        if let fault = Ledger.checkHeader(block) { throw .invalidBlock(fault) }
        let parentWork: Double
        let base: UTXOSet
        let branch: [[UInt8]]
        if block.prevBlockHash.isEmpty {
            guard isEmpty else { throw .invalidBlock(.prevLink) }      // one genesis per ledger
            if block.height != 0 { throw .invalidBlock(.height(expected: 0, stored: block.height)) }
            parentWork = 0
            base = UTXOSet()
            branch = []
        } else {
            let parentKey = ProofOfWork.hex(block.prevBlockHash)
            guard let parent = blocks[parentKey] else { throw .orphan(prev: block.prevBlockHash) }
            if block.height != parent.height + 1 { throw .invalidBlock(.height(expected: parent.height + 1, stored: block.height)) }
            parentWork = chainWork[parentKey] ?? 0
            // Extending the tip (the usual case) needs no walk back to the genesis.
            branch = parent.hash == bestChain.last ? bestChain : path(to: parent.hash)
            base = branch == bestChain ? utxo : replay(branch)
        }
        let after: UTXOSet
        switch base.applying(block, subsidy: subsidy) {
        case let .success(set): after = set
        case let .failure(fault): throw .invalidBlock(fault)
        }
        let work = parentWork + block.work
        blocks[key] = block
        chainWork[key] = work
        if branch == bestChain {
            bestChain.append(block.hash)
            utxo = after
            removeFromMempool(confirmedIn: [block])
            return .extended
        }
        guard work > totalWork else { return .sideBranch }
        // Reorganize: the common prefix stays; the old branch's transactions go back to the mempool
        // when they are still valid on the new chain.
        let newChain = branch + [block.hash]
        var common = 0
        while common < min(newChain.count, bestChain.count), newChain[common] == bestChain[common] { common += 1 }
        let disconnected = Array(bestChain[common...].reversed())
        let connected = Array(newChain[common...])
        let returning = disconnected.reversed().compactMap { blocks[ProofOfWork.hex($0)] }.flatMap { $0.transactions.dropFirst() }
        let oldMempool = mempool
        bestChain = newChain
        utxo = after
        // A transaction the new branch confirmed fails the check here: its inputs are spent.
        refillMempool(with: returning + oldMempool)
        return .reorganized(disconnected: disconnected, connected: connected)
    }

    /// Hashes from the genesis to `hash` by following prev links through known blocks.
    func path(to hash: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current = blocks[ProofOfWork.hex(hash)]
        while let block = current {
            result.append(block.hash)
            current = block.prevBlockHash.isEmpty ? nil : blocks[ProofOfWork.hex(block.prevBlockHash)]
        }
        return result.reversed()
    }

    /// The UTXO set after the given chain of (already validated) blocks.
    func replay(_ chain: [[UInt8]]) -> UTXOSet {
        var set = UTXOSet()
        for hash in chain {
            guard let block = blocks[ProofOfWork.hex(hash)] else { continue }
            for (position, tx) in block.transactions.enumerated() { set.apply(tx, height: block.height, position: position) }
        }
        return set
    }

    mutating func removeFromMempool(confirmedIn confirmed: [LedgerBlock]) {
        let ids = Set(confirmed.flatMap { $0.transactions.map(\.id) })
        // Also drops transactions the new block made invalid (it spent their inputs).
        refillMempool(with: mempool.filter { !ids.contains($0.id) })
    }

    /// The mempool becomes the candidates that still check out against the UTXO set, in order,
    /// each checked against the outputs the ones kept before it claim.
    mutating func refillMempool(with candidates: [Transaction]) {
        var kept: [Transaction] = []
        var claims: [OutPoint: [UInt8]] = [:]
        for tx in candidates {
            guard case .success = utxo.check(tx, pending: claims) else { continue }
            kept.append(tx)
            for input in tx.inputs { claims[input.outPoint] = tx.id }
        }
        mempool = kept
    }

    /// Jeiwan `reindexutxo`: rebuilds the UTXO set from the blocks of the main chain and returns
    /// the number of transactions with unspent outputs.
    @discardableResult
    public mutating func reindexUTXO() -> Int {
        utxo = replay(bestChain)
        return utxo.transactionCount
    }

    static func lock(_ address: String) throws(LedgerError) -> [UInt8] {
        do { return try Address.publicKeyHash(of: address) } catch { throw .invalidAddress(address, reason: error.message) }
    }
}
