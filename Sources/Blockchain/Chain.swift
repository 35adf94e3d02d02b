/// Jeiwan part 2 `type Blockchain struct { blocks []*Block }`, made steppable: instead of `AddBlock`
/// running the whole proof-of-work loop, a `MiningJob` is started and advanced nonce by nonce
/// (see Chain+Mining.swift). All state is a value: hosts snapshot it for undo and encode it to JSON.
///
/// Every mutating method checks before it mutates, so a throwing call leaves `self` unchanged
/// (sole exception: `mineToCompletion`'s `attemptLimitReached`, which keeps progress by design).
public struct Chain: Codable, Equatable, Sendable {
    /// Jeiwan `NewGenesisBlock()`: `NewBlock("Genesis Block", []byte{})`.
    public static let genesisData: [UInt8] = Array("Genesis Block".utf8)

    public internal(set) var blocks: [Block]
    /// Used for blocks mined from now on (Jeiwan: the global `const targetBits`).
    public internal(set) var targetBits: Int
    public internal(set) var job: MiningJob?

    /// An empty chain with no job. Bits outside 1...255 are clamped into that range (this initializer
    /// cannot throw; use `setTargetBits` or `reset` to get an error instead).
    public init(targetBits: Int = ProofOfWork.defaultTargetBits) {
        let range = ProofOfWork.validTargetBits
        self.blocks = []
        self.targetBits = min(max(targetBits, range.lowerBound), range.upperBound)
        self.job = nil
    }

    /// Changes the difficulty for blocks mined from now on; a running job keeps its own bits.
    public mutating func setTargetBits(_ bits: Int) throws {
        guard ProofOfWork.validTargetBits.contains(bits) else { throw ChainError.invalidTargetBits(bits) }
        targetBits = bits
    }

    /// Empties the chain, sets targetBits, and starts a job for the genesis block
    /// (Jeiwan `NewBlockchain()` → `NewGenesisBlock()`: data "Genesis Block", empty PrevBlockHash).
    public mutating func reset(targetBits: Int, timestamp: Int64) throws {
        guard ProofOfWork.validTargetBits.contains(targetBits) else { throw ChainError.invalidTargetBits(targetBits) }
        blocks = []
        self.targetBits = targetBits
        job = MiningJob(blockIndex: 0, data: Chain.genesisData, timestamp: timestamp,
                        prevBlockHash: [], targetBits: targetBits)
    }

    /// Jeiwan `AddBlock(data)`: `prevBlock := bc.blocks[len(bc.blocks)-1]; NewBlock(data, prevBlock.Hash)`,
    /// with the timestamp given by the caller (Jeiwan: `time.Now().Unix()`).
    @discardableResult
    public mutating func beginMining(data: [UInt8], timestamp: Int64) throws -> MiningJob {
        if let job { throw ChainError.miningInProgress(blockIndex: job.blockIndex) }
        guard let tip = blocks.last else { throw ChainError.noGenesis }
        let newJob = MiningJob(blockIndex: blocks.count, data: data, timestamp: timestamp,
                               prevBlockHash: tip.hash, targetBits: targetBits)
        job = newJob
        return newJob
    }

    /// Changes stored fields WITHOUT re-hashing (what Jeiwan's structs allow any code to do).
    /// `nil` leaves a field as it is.
    public mutating func tamper(index: Int, data: [UInt8]?, nonce: Int64?, timestamp: Int64?) throws {
        if let job { throw ChainError.miningInProgress(blockIndex: job.blockIndex) }
        guard blocks.indices.contains(index) else {
            throw ChainError.blockOutOfRange(index: index, count: blocks.count)
        }
        if let data { blocks[index].data = data }
        if let nonce { blocks[index].nonce = nonce }
        if let timestamp { blocks[index].timestamp = timestamp }
    }

    /// Starts re-mining block `index` with the CURRENT chain targetBits, the block's own data and
    /// timestamp, and prev = `blocks[index-1].hash` (empty for the genesis, as in Jeiwan); each later
    /// block is then re-mined in turn on top of the new hash (`remineThrough = blocks.count - 1`).
    @discardableResult
    public mutating func beginRemine(from index: Int) throws -> MiningJob {
        if let job { throw ChainError.miningInProgress(blockIndex: job.blockIndex) }
        guard !blocks.isEmpty else { throw ChainError.noGenesis }
        guard blocks.indices.contains(index) else {
            throw ChainError.blockOutOfRange(index: index, count: blocks.count)
        }
        let newJob = remineJob(index: index, prevBlockHash: index == 0 ? [] : blocks[index - 1].hash,
                               through: blocks.count - 1)
        job = newJob
        return newJob
    }

    /// The job re-mining `blocks[index]` (keeps its data and timestamp).
    func remineJob(index: Int, prevBlockHash: [UInt8], through: Int) -> MiningJob {
        let block = blocks[index]
        return MiningJob(blockIndex: index, data: block.data, timestamp: block.timestamp,
                         prevBlockHash: prevBlockHash, targetBits: targetBits, remineThrough: through)
    }
}
