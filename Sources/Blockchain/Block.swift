/// One block as in Jeiwan's "Building Blockchain in Go" part 2 (`type Block struct`).
///
/// Part 1 fields: Timestamp, Data, PrevBlockHash, Hash. Part 2 adds Nonce.
/// `targetBits` is stored per block because it is hashed into `prepareData`
/// (Jeiwan uses one global `const targetBits`); storing it lets a chain whose
/// difficulty changed still validate every block against the bits it was mined with.
public struct Block: Codable, Equatable, Sendable {
    /// Unix seconds (Jeiwan: `time.Now().Unix()`); supplied by the caller, never read from a clock here.
    public var timestamp: Int64
    public var data: [UInt8]
    /// EMPTY (0 bytes) for the genesis block, as in Jeiwan's `NewGenesisBlock` (`[]byte{}`).
    public var prevBlockHash: [UInt8]
    /// 32 bytes: the winning SHA-256 of `prepareData(nonce)` (Jeiwan `Run()` returns it).
    public var hash: [UInt8]
    public var nonce: Int64
    public var targetBits: Int

    public init(timestamp: Int64, data: [UInt8], prevBlockHash: [UInt8], hash: [UInt8], nonce: Int64, targetBits: Int) {
        self.timestamp = timestamp
        self.data = data
        self.prevBlockHash = prevBlockHash
        self.hash = hash
        self.nonce = nonce
        self.targetBits = targetBits
    }

    /// Jeiwan part 2 `pow.prepareData(block.Nonce)` for this block's stored fields.
    public var preparedData: [UInt8] {
        ProofOfWork.prepareData(prevBlockHash: prevBlockHash, data: data, timestamp: timestamp,
                                targetBits: targetBits, nonce: nonce)
    }

    /// SHA-256 of `preparedData`: what the stored `hash` must equal for an untampered block.
    public var computedHash: [UInt8] {
        ProofOfWork.sha256(preparedData)
    }
}
