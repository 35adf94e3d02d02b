/// One unspent output and where it was created.
public struct UnspentOutput: Codable, Equatable, Sendable {
    public var outPoint: OutPoint
    public var output: TXOutput
    public var height: Int
    /// Position of its transaction in the block (0 = the coinbase).
    public var position: Int

    public var isCoinbase: Bool { position == 0 }
}

/// Where a spent output went: the spending transaction and the height of its block.
public struct SpendRecord: Codable, Equatable, Sendable {
    public var txid: [UInt8]
    public var height: Int
}

/// Jeiwan part 6's `chainstate` bucket (the UTXO set), keyed by outpoint so that output indexes never
/// shift (the tutorial's issue #64), plus a record of what spent each spent output, so a double
/// spend can name the transaction that got there first.
///
/// Encoded sorted by outpoint, so the same set always encodes to the same bytes.
public struct UTXOSet: Equatable, Sendable {
    public private(set) var unspent: [OutPoint: UnspentOutput] = [:]
    public private(set) var spent: [OutPoint: SpendRecord] = [:]

    public init() {}

    /// Oldest first: by height, then position in the block, then output index (the order `send`
    /// picks coins in; Jeiwan walks a Go map, whose order is random).
    public var sorted: [UnspentOutput] {
        unspent.values.sorted { a, b in
            (a.height, a.position, a.outPoint.index) < (b.height, b.position, b.outPoint.index)
                || ((a.height, a.position, a.outPoint.index) == (b.height, b.position, b.outPoint.index)
                    && a.outPoint < b.outPoint)
        }
    }

    public func outputs(lockedTo publicKeyHash: [UInt8]) -> [UnspentOutput] {
        sorted.filter { $0.output.isLocked(with: publicKeyHash) }
    }

    /// Jeiwan `getbalance`: the sum of the unspent outputs locked to the public-key hash.
    public func balance(of publicKeyHash: [UInt8]) -> Int {
        unspent.values.reduce(0) { $0 + ($1.output.isLocked(with: publicKeyHash) ? $1.output.value : 0) }
    }

    /// The number of transactions with at least one unspent output (what Jeiwan's `reindexutxo`
    /// reports: "There are N transactions in the UTXO set").
    public var transactionCount: Int { Set(unspent.keys.map(\.txid)).count }

    /// The `chainstate` bucket's rows: tx id → that transaction's unspent outputs with their indexes.
    public var byTransaction: [(txid: [UInt8], outputs: [(index: Int, output: TXOutput)])] {
        var groups: [[UInt8]: [(index: Int, output: TXOutput)]] = [:]
        for entry in unspent.values { groups[entry.outPoint.txid, default: []].append((entry.outPoint.index, entry.output)) }
        return groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { txid in
            (txid, (groups[txid] ?? []).sorted { $0.index < $1.index })
        }
    }

    /// One `chainstate` row's value: the count, then each unspent output as (index, value,
    /// public-key hash), in the transactions' binary form (`TxCodec`).
    public static func chainstateValue(_ outputs: [(index: Int, output: TXOutput)]) -> [UInt8] {
        var out: [UInt8] = []
        TxCodec.append(outputs.count, to: &out)
        for (index, output) in outputs {
            TxCodec.append(index, to: &out)
            TxCodec.append(output.value, to: &out)
            TxCodec.append(output.publicKeyHash, to: &out)
        }
        return out
    }

    /// Checks a non-coinbase transaction against this set: inputs exist and are unspent, each owner
    /// signed, outputs are positive and do not exceed the inputs. Returns the fee (inputs − outputs).
    /// `pending` names outputs already claimed by other transactions that are not in this set yet
    /// (the mempool), so a second spend of one output is refused before either is mined (issue #23).
    public func check(_ tx: Transaction, pending: [OutPoint: [UInt8]] = [:]) -> Result<Int, TxFault> {
        if tx.isCoinbase { return .failure(.misplacedCoinbase) }
        guard !tx.inputs.isEmpty else { return .failure(.noInputs) }
        guard !tx.outputs.isEmpty else { return .failure(.noOutputs) }
        for (i, output) in tx.outputs.enumerated() where output.value <= 0 {
            return .failure(.nonPositiveOutput(index: i, value: output.value))
        }
        var seen: Set<OutPoint> = []
        var total = 0
        for input in tx.inputs {
            let point = input.outPoint
            if let record = spent[point] {
                return .failure(.doubleSpend(point, by: "by \(ProofOfWork.hex(record.txid).prefix(16))… in block \(record.height)"))
            }
            if let other = pending[point] {
                return .failure(.doubleSpend(point, by: "by \(ProofOfWork.hex(other).prefix(16))…, waiting in the mempool"))
            }
            if !seen.insert(point).inserted {
                return .failure(.doubleSpend(point, by: "by an earlier input of the same transaction"))
            }
            guard let entry = unspent[point] else { return .failure(.unknownInput(point)) }
            total += entry.output.value
        }
        if let fault = tx.verifySignatures(spent: { unspent[$0]?.output }) { return .failure(fault) }
        let out = tx.outputs.reduce(0) { $0 + $1.value }
        guard out <= total else { return .failure(.overspend(inputs: total, outputs: out)) }
        return .success(total - out)
    }

    /// Jeiwan `UTXOSet.Update` for one transaction: its inputs' outputs become spent, its outputs unspent.
    public mutating func apply(_ tx: Transaction, height: Int, position: Int) {
        let id = tx.id
        if !tx.isCoinbase {
            for input in tx.inputs {
                unspent[input.outPoint] = nil
                spent[input.outPoint] = SpendRecord(txid: id, height: height)
            }
        }
        for (index, output) in tx.outputs.enumerated() {
            let point = OutPoint(txid: id, index: index)
            // A repeated coinbase id (the tutorial's reason for random coinbase data) overwrites, as in Bitcoin before BIP 30.
            unspent[point] = UnspentOutput(outPoint: point, output: output, height: height, position: position)
        }
    }

    /// Validates a whole block's transactions against this set and returns the set after it
    /// (checks in order, so a transaction may spend an output created earlier in the same block,
    /// and two spends of one output inside a block are caught: the tutorial's issue #23).
    public func applying(_ block: LedgerBlock, subsidy: Int) -> Result<UTXOSet, BlockFault> {
        guard let first = block.transactions.first else { return .failure(.noTransactions) }
        guard first.isCoinbase else {
            return .failure(.transaction(index: 0, txid: first.id, .misplacedCoinbase))
        }
        var next = self
        var fees = 0
        for (position, tx) in block.transactions.enumerated().dropFirst() {
            switch next.check(tx) {
            case let .success(fee): fees += fee
            case let .failure(fault): return .failure(.transaction(index: position, txid: tx.id, fault))
            }
            next.apply(tx, height: block.height, position: position)
        }
        let allowed = subsidy + fees
        if first.totalOutput > allowed {
            return .failure(.transaction(index: 0, txid: first.id, .coinbaseTooLarge(value: first.totalOutput, allowed: allowed)))
        }
        next.apply(first, height: block.height, position: 0)
        return .success(next)
    }
}

extension UTXOSet: Codable {
    private struct SpentEntry: Codable { var outPoint: OutPoint; var record: SpendRecord }
    enum CodingKeys: String, CodingKey { case unspent, spent }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        for entry in try c.decode([UnspentOutput].self, forKey: .unspent) { unspent[entry.outPoint] = entry }
        for entry in try c.decode([SpentEntry].self, forKey: .spent) { spent[entry.outPoint] = entry.record }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unspent.keys.sorted().compactMap { unspent[$0] }, forKey: .unspent)
        try c.encode(spent.keys.sorted().compactMap { key in spent[key].map { SpentEntry(outPoint: key, record: $0) } }, forKey: .spent)
    }
}
