/// A block of Jeiwan's parts 4–7: transactions instead of data, and (part 7) a height.
///
/// The proof of work hashes Jeiwan's part-6 `prepareData`: `PrevBlockHash ‖ HashTransactions() ‖
/// BE64(Timestamp) ‖ BE64(targetBits) ‖ BE64(nonce)` where HashTransactions is the Merkle root of the
/// serialized transactions. Unlike the tutorial, the root is also stored in the block (as Bitcoin's
/// header does), so validation can tell "a transaction was changed" (Merkle mismatch) apart from
/// "the header was changed" (hash mismatch). Height is not hashed, as in the tutorial; validation
/// checks it against the parent instead.
public struct LedgerBlock: Codable, Equatable, Sendable {
    public var timestamp: Int64
    public var transactions: [Transaction]
    /// Empty for the genesis block.
    public var prevBlockHash: [UInt8]
    public var merkleRoot: [UInt8]
    public var hash: [UInt8]
    public var nonce: Int64
    public var targetBits: Int
    public var height: Int

    public init(timestamp: Int64, transactions: [Transaction], prevBlockHash: [UInt8], merkleRoot: [UInt8],
                hash: [UInt8], nonce: Int64, targetBits: Int, height: Int) {
        self.timestamp = timestamp
        self.transactions = transactions
        self.prevBlockHash = prevBlockHash
        self.merkleRoot = merkleRoot
        self.hash = hash
        self.nonce = nonce
        self.targetBits = targetBits
        self.height = height
    }

    /// Jeiwan part 6 `HashTransactions`: the Merkle root over each transaction's serialized bytes
    /// (leaves SHA-256(bytes), the last node paired with itself on every odd level). Empty for no
    /// transactions (a block without a coinbase is invalid anyway).
    public static func merkleRoot(of transactions: [Transaction]) -> [UInt8] {
        (try? MerkleTree(transactions.map(\.serialized)))?.root ?? []
    }

    public var computedMerkleRoot: [UInt8] { LedgerBlock.merkleRoot(of: transactions) }

    /// The proof-of-work input for this block's stored header fields.
    public var preparedData: [UInt8] {
        ProofOfWork.prepareData(prevBlockHash: prevBlockHash, data: merkleRoot, timestamp: timestamp,
                                targetBits: targetBits, nonce: nonce)
    }

    public var computedHash: [UInt8] { ProofOfWork.sha256(preparedData) }

    /// Expected hashes to find this block: 2^targetBits (the "work" the most-work rule adds up).
    public var work: Double { Double(sign: .plus, exponent: targetBits, significand: 1) }

    /// The block as stored in the `blocks` bucket: height, timestamp, targetBits, nonce, then
    /// prev, Merkle root and hash as length-prefixed bytes, then the transactions (see `TxCodec`).
    public var serialized: [UInt8] {
        var out: [UInt8] = Array("WBLK".utf8)
        TxCodec.append(height, to: &out)
        TxCodec.append(Int(timestamp), to: &out)
        TxCodec.append(targetBits, to: &out)
        TxCodec.append(Int(nonce), to: &out)
        TxCodec.append(prevBlockHash, to: &out)
        TxCodec.append(merkleRoot, to: &out)
        TxCodec.append(hash, to: &out)
        TxCodec.append(transactions.count, to: &out)
        for tx in transactions { out.append(contentsOf: tx.serialized) }
        return out
    }

    /// Parses `serialized`; nil when the bytes are not exactly one block.
    public init?(serialized bytes: [UInt8]) {
        guard bytes.count >= 4, Array(bytes[0..<4]) == Array("WBLK".utf8) else { return nil }
        var r = TxCodec.Reader(Array(bytes[4...]))
        guard let height = r.int(), let ts = r.int(), let bits = r.int(), let nonce = r.int(),
              let prev = r.data(), let root = r.data(), let hash = r.data(), let count = r.length() else { return nil }
        var txs: [Transaction] = []
        for _ in 0..<count {
            guard let tx = r.transaction() else { return nil }
            txs.append(tx)
        }
        guard r.atEnd else { return nil }
        self.init(timestamp: Int64(ts), transactions: txs, prevBlockHash: prev, merkleRoot: root, hash: hash,
                  nonce: Int64(nonce), targetBits: bits, height: height)
    }
}

/// Why a block is not valid, in the order validation checks. `description` is one line.
public enum BlockFault: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stored hash is not SHA-256 of the header fields (the header was changed after mining).
    case hashMismatch(stored: [UInt8], computed: [UInt8])
    /// The hash is not below the target.
    case proofOfWork(targetBits: Int)
    /// The previous-block hash does not name the block before it (or any known block).
    case prevLink
    case height(expected: Int, stored: Int)
    /// The stored Merkle root does not match the transactions (a transaction was changed).
    case merkleRoot(stored: [UInt8], computed: [UInt8])
    case noTransactions
    /// Transaction `index` of the block is invalid.
    case transaction(index: Int, txid: [UInt8], TxFault)

    public var description: String {
        switch self {
        case let .hashMismatch(stored, computed):
            "hash mismatch: stored \(ProofOfWork.hex(stored).prefix(16))… but the header hashes to \(ProofOfWork.hex(computed).prefix(16))…"
        case let .proofOfWork(bits): "proof of work: the hash is not below the target (2^(256-\(bits)))"
        case .prevLink: "prev link: the previous-block hash does not match the block before it"
        case let .height(expected, stored): "height: stored \(stored), expected \(expected)"
        case let .merkleRoot(stored, computed):
            "Merkle root: the header says \(ProofOfWork.hex(stored).prefix(16))… but the transactions give \(ProofOfWork.hex(computed).prefix(16))…"
        case .noTransactions: "the block has no transactions (it needs a coinbase)"
        case let .transaction(index, txid, fault): "transaction \(index) (\(ProofOfWork.hex(txid).prefix(16))…): \(fault)"
        }
    }

    /// A short name for tables and JSON: hash, pow, prev, height, merkle, empty, signature,
    /// owner, double-spend, overspend, unknown-input, coinbase, tx.
    public var kind: String {
        switch self {
        case .hashMismatch: "hash"
        case .proofOfWork: "pow"
        case .prevLink: "prev"
        case .height: "height"
        case .merkleRoot: "merkle"
        case .noTransactions: "empty"
        case let .transaction(_, _, fault):
            switch fault {
            case .badSignature: "signature"
            case .notOwner: "owner"
            case .doubleSpend: "double-spend"
            case .overspend: "overspend"
            case .unknownInput: "unknown-input"
            case .misplacedCoinbase, .coinbaseTooLarge: "coinbase"
            default: "tx"
            }
        }
    }
}
