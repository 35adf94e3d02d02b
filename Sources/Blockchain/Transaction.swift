import Crypto

/// Jeiwan part 5 `TXOutput{Value int; PubKeyHash []byte}`: `value` coins locked to the owner of the
/// key whose RIPEMD160(SHA256(public key)) is `publicKeyHash`.
public struct TXOutput: Codable, Equatable, Hashable, Sendable {
    public var value: Int
    public var publicKeyHash: [UInt8]

    public init(value: Int, publicKeyHash: [UInt8]) {
        self.value = value
        self.publicKeyHash = publicKeyHash
    }

    /// Jeiwan `NewTXOutput(value, address)` → `Lock`: the address's 20-byte public-key hash.
    public init(value: Int, address: String) throws(Base58Error) {
        self.init(value: value, publicKeyHash: try Address.publicKeyHash(of: address))
    }

    /// Jeiwan `IsLockedWithKey`.
    public func isLocked(with publicKeyHash: [UInt8]) -> Bool { self.publicKeyHash == publicKeyHash }
}

/// Jeiwan part 5 `TXInput{Txid []byte; Vout int; Signature []byte; PubKey []byte}`: spends output
/// `vout` of transaction `txid`. A coinbase input has an empty txid, vout −1 and its free-form data
/// in `publicKey` (as Jeiwan's `NewCoinbaseTX` does).
public struct TXInput: Codable, Equatable, Hashable, Sendable {
    public var txid: [UInt8]
    public var vout: Int
    public var signature: [UInt8]
    public var publicKey: [UInt8]

    public init(txid: [UInt8], vout: Int, signature: [UInt8] = [], publicKey: [UInt8]) {
        self.txid = txid
        self.vout = vout
        self.signature = signature
        self.publicKey = publicKey
    }

    public var outPoint: OutPoint { OutPoint(txid: txid, index: vout) }
}

/// A reference to one output: (transaction id, output index). Output indexes are the positions in
/// the transaction's `outputs` and never change (Jeiwan issue #64: after a partial spend the
/// tutorial's compacted slice no longer matched the indexes).
public struct OutPoint: Codable, Equatable, Hashable, Comparable, Sendable {
    public var txid: [UInt8]
    public var index: Int

    public init(txid: [UInt8], index: Int) {
        self.txid = txid
        self.index = index
    }

    public static func < (a: OutPoint, b: OutPoint) -> Bool {
        a.txid == b.txid ? a.index < b.index : a.txid.lexicographicallyPrecedes(b.txid)
    }

    /// `txid:index`, the way block explorers write an outpoint.
    public var description: String { "\(ProofOfWork.hex(txid)):\(index)" }
}

/// Jeiwan part 5 `Transaction{ID []byte; Vin []TXInput; Vout []TXOutput}`.
///
/// The tutorial serializes with Go's gob, which no other language reproduces; here a transaction has
/// one documented binary form (`serialized`): every integer is 8 bytes big-endian, every byte string
/// and list is preceded by its length as 8 bytes big-endian:
/// `len(inputs) ‖ (txid, vout, signature, publicKey)… ‖ len(outputs) ‖ (value, publicKeyHash)…`.
///
/// The id is SHA-256 of that form with every signature emptied, as Jeiwan computes `tx.ID = tx.Hash()`
/// before `SignTransaction` fills the signatures in: signing does not change the id.
public struct Transaction: Codable, Equatable, Hashable, Sendable {
    public var inputs: [TXInput]
    public var outputs: [TXOutput]

    public init(inputs: [TXInput], outputs: [TXOutput]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Jeiwan part 6 `subsidy = 10`.
    public static let subsidy = 10

    /// Jeiwan `NewCoinbaseTX(to, data)`: one input with no txid and vout −1 carrying `data`, one
    /// output of `value` to `publicKeyHash`. Jeiwan part 6 draws 20 random bytes when data is empty so
    /// two rewards to one address differ; callers here pass data that includes the block height
    /// (as Bitcoin's BIP 34 requires, for the same reason).
    public static func coinbase(to publicKeyHash: [UInt8], value: Int = subsidy, data: [UInt8]) -> Transaction {
        Transaction(inputs: [TXInput(txid: [], vout: -1, publicKey: data)],
                    outputs: [TXOutput(value: value, publicKeyHash: publicKeyHash)])
    }

    /// Jeiwan `IsCoinbase`: `len(Vin) == 1 && len(Vin[0].Txid) == 0 && Vin[0].Vout == -1`.
    public var isCoinbase: Bool {
        inputs.count == 1 && inputs[0].txid.isEmpty && inputs[0].vout == -1
    }

    /// The 32-byte id (see the type's documentation).
    public var id: [UInt8] {
        var unsigned = self
        for i in unsigned.inputs.indices { unsigned.inputs[i].signature = [] }
        return ProofOfWork.sha256(unsigned.serialized)
    }

    /// The transaction's bytes; Merkle leaves are SHA-256 of these (Jeiwan part 6 hashes `tx.Serialize()`).
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        TxCodec.append(inputs.count, to: &out)
        for input in inputs {
            TxCodec.append(input.txid, to: &out)
            TxCodec.append(input.vout, to: &out)
            TxCodec.append(input.signature, to: &out)
            TxCodec.append(input.publicKey, to: &out)
        }
        TxCodec.append(outputs.count, to: &out)
        for output in outputs {
            TxCodec.append(output.value, to: &out)
            TxCodec.append(output.publicKeyHash, to: &out)
        }
        return out
    }

    /// Parses `serialized` bytes; nil when they are not exactly one transaction.
    public init?(serialized bytes: [UInt8]) {
        var reader = TxCodec.Reader(bytes)
        guard let tx = reader.transaction(), reader.atEnd else { return nil }
        self = tx
    }

    public var totalOutput: Int { outputs.reduce(0) { $0 &+ $1.value } }

    /// Jeiwan `TrimmedCopy`: every input's signature and public key emptied.
    public var trimmedCopy: Transaction {
        Transaction(inputs: inputs.map { TXInput(txid: $0.txid, vout: $0.vout, publicKey: []) }, outputs: outputs)
    }

    /// What input `index`'s signature covers: the trimmed copy with that input's public key set to
    /// the public-key hash of the output it spends, hashed (Jeiwan part 5 `Sign`: `txCopy.ID`).
    /// Every output is covered, so changing an amount or a recipient breaks every signature.
    public func signatureMessage(input index: Int, spentOutput: TXOutput) -> [UInt8] {
        var copy = trimmedCopy
        copy.inputs[index].publicKey = spentOutput.publicKeyHash
        return ProofOfWork.sha256(copy.serialized)
    }

    /// Jeiwan `SignTransaction`: signs every input with `wallet`. `spent(outPoint)` returns the output
    /// an input spends. Coinbase transactions are not signed.
    public mutating func sign(with wallet: Wallet, spent: (OutPoint) -> TXOutput?) throws {
        guard !isCoinbase else { return }
        for i in inputs.indices {
            guard let previous = spent(inputs[i].outPoint) else { throw TxFault.unknownInput(inputs[i].outPoint) }
            inputs[i].signature = try wallet.sign(signatureMessage(input: i, spentOutput: previous))
        }
    }

    /// Jeiwan `Verify`, plus the check the tutorial forgot (its PR #58): the input's public key must
    /// hash to the public-key hash the spent output is locked to, so only the owner can spend.
    /// Returns the first input that fails and why.
    public func verifySignatures(spent: (OutPoint) -> TXOutput?) -> TxFault? {
        guard !isCoinbase else { return nil }
        for (i, input) in inputs.enumerated() {
            guard let previous = spent(input.outPoint) else { return .unknownInput(input.outPoint) }
            guard Address.publicKeyHash(input.publicKey) == previous.publicKeyHash else {
                return .notOwner(input: i, outPoint: input.outPoint)
            }
            guard Wallet.verify(signature: input.signature, message: signatureMessage(input: i, spentOutput: previous),
                                publicKey: input.publicKey) else {
                return .badSignature(input: i)
            }
        }
        return nil
    }
}

/// Why a transaction is not valid (in the mempool or inside a block). `description` is one line.
public enum TxFault: Error, Equatable, Sendable, CustomStringConvertible {
    case noInputs
    case noOutputs
    case nonPositiveOutput(index: Int, value: Int)
    /// The output it spends is not known at all (no such transaction or index).
    case unknownInput(OutPoint)
    /// The output existed but is already spent (on the chain, earlier in the block, or in the mempool).
    case doubleSpend(OutPoint, by: String)
    /// The input's public key does not hash to the output's lock (Jeiwan PR #58).
    case notOwner(input: Int, outPoint: OutPoint)
    case badSignature(input: Int)
    /// Outputs exceed inputs.
    case overspend(inputs: Int, outputs: Int)
    /// A coinbase outside position 0, or a block whose first transaction is not a coinbase.
    case misplacedCoinbase
    case coinbaseTooLarge(value: Int, allowed: Int)

    public var description: String {
        switch self {
        case .noInputs: "a transaction needs at least one input"
        case .noOutputs: "a transaction needs at least one output"
        case let .nonPositiveOutput(i, v): "output \(i) has value \(v); values must be positive"
        case let .unknownInput(p): "input spends \(p.description), which does not exist"
        case let .doubleSpend(p, by): "double spend: \(p.description) is already spent \(by)"
        case let .notOwner(i, p): "input \(i)'s public key does not own \(p.description) (its hash is not the output's lock)"
        case let .badSignature(i): "input \(i)'s signature does not verify"
        case let .overspend(i, o): "outputs (\(o)) exceed inputs (\(i))"
        case .misplacedCoinbase: "the coinbase must be the block's first transaction, and only there"
        case let .coinbaseTooLarge(v, allowed): "coinbase pays \(v), more than the subsidy plus fees (\(allowed))"
        }
    }
}

/// The fixed-width binary form shared by transactions and blocks (see `Transaction.serialized`).
enum TxCodec {
    /// No field may claim more than this many bytes or items (a damaged file must not allocate wildly).
    static let maxLength = 1 << 24

    static func append(_ value: Int, to out: inout [UInt8]) {
        ProofOfWork.appendBE64(Int64(value), to: &out)
    }

    static func append(_ bytes: [UInt8], to out: inout [UInt8]) {
        append(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { offset == bytes.count }

        mutating func int() -> Int? {
            guard bytes.count - offset >= 8 else { return nil }
            var u: UInt64 = 0
            for b in bytes[offset..<offset + 8] { u = u << 8 | UInt64(b) }
            offset += 8
            return Int(Int64(bitPattern: u))
        }

        mutating func length() -> Int? {
            guard let n = int(), n >= 0, n <= TxCodec.maxLength else { return nil }
            return n
        }

        mutating func data() -> [UInt8]? {
            guard let n = length(), bytes.count - offset >= n else { return nil }
            defer { offset += n }
            return Array(bytes[offset..<offset + n])
        }

        mutating func transaction() -> Transaction? {
            guard let inCount = length() else { return nil }
            var inputs: [TXInput] = []
            for _ in 0..<inCount {
                guard let txid = data(), let vout = int(), let sig = data(), let key = data() else { return nil }
                inputs.append(TXInput(txid: txid, vout: vout, signature: sig, publicKey: key))
            }
            guard let outCount = length() else { return nil }
            var outputs: [TXOutput] = []
            for _ in 0..<outCount {
                guard let value = int(), let lock = data() else { return nil }
                outputs.append(TXOutput(value: value, publicKeyHash: lock))
            }
            return Transaction(inputs: inputs, outputs: outputs)
        }
    }
}
