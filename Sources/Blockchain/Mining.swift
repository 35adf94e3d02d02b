// Value types describing proof-of-work progress (Jeiwan part 2 `Run()` loop, made steppable).

/// One nonce tried: Jeiwan prints `\r%x` of every such hash while mining.
public struct MiningAttempt: Codable, Equatable, Sendable {
    public var blockIndex: Int
    public var nonce: Int64
    public var hash: [UInt8]
    public var leadingZeroBits: Int
    /// `hash < target` (Jeiwan: `hashInt.Cmp(pow.target) == -1` ends the loop).
    public var found: Bool

    public init(blockIndex: Int, nonce: Int64, hash: [UInt8], leadingZeroBits: Int, found: Bool) {
        self.blockIndex = blockIndex
        self.nonce = nonce
        self.hash = hash
        self.leadingZeroBits = leadingZeroBits
        self.found = found
    }
}

/// A block being mined: the fixed fields of Jeiwan's `prepareData` plus the loop's position.
public struct MiningJob: Codable, Equatable, Sendable {
    /// `== blocks.count` when appending; `< blocks.count` when re-mining.
    public var blockIndex: Int
    public var data: [UInt8]
    public var timestamp: Int64
    public var prevBlockHash: [UInt8]
    public var targetBits: Int
    /// Jeiwan: `nonce := 0`, `nonce++` per attempt, loop `for nonce < maxNonce` (maxNonce = math.MaxInt64),
    /// so the last nonce ever tried is `Int64.max - 1`.
    public var nextNonce: Int64
    /// Attempts made for THIS block (equals `nextNonce`, since the loop starts at 0).
    public var attempts: Int64
    public var lastAttempt: MiningAttempt?
    /// When re-mining: the last block index to re-mine; nil when appending.
    public var remineThrough: Int?

    public init(blockIndex: Int, data: [UInt8], timestamp: Int64, prevBlockHash: [UInt8], targetBits: Int,
                nextNonce: Int64 = 0, attempts: Int64 = 0, lastAttempt: MiningAttempt? = nil, remineThrough: Int? = nil) {
        self.blockIndex = blockIndex
        self.data = data
        self.timestamp = timestamp
        self.prevBlockHash = prevBlockHash
        self.targetBits = targetBits
        self.nextNonce = nextNonce
        self.attempts = attempts
        self.lastAttempt = lastAttempt
        self.remineThrough = remineThrough
    }

    /// Jeiwan part 2 `prepareData(nonce)` for this job.
    public func prepareData(nonce: Int64) -> [UInt8] {
        ProofOfWork.prepareData(prevBlockHash: prevBlockHash, data: data, timestamp: timestamp,
                                targetBits: targetBits, nonce: nonce)
    }

    /// Expected number of attempts for one block: 2^targetBits (saturated at Int64.max).
    public var expectedAttempts: Int64 {
        targetBits >= 63 ? Int64.max : (targetBits <= 0 ? 1 : Int64(1) << Int64(targetBits))
    }
}

/// What one `mine`/`mineToCompletion` call did.
public struct MiningSummary: Equatable, Sendable {
    /// Indexes of blocks committed during the call, in order.
    public var blocksMined: [Int]
    /// Attempts made during the call, over all blocks.
    public var attempts: Int64
    public var lastAttempt: MiningAttempt?
    /// Added: true when no job is left (everything finished); false when `mine(maxAttempts:)` stopped at its bound.
    public var finished: Bool

    public init(blocksMined: [Int], attempts: Int64, lastAttempt: MiningAttempt?, finished: Bool = true) {
        self.blocksMined = blocksMined
        self.attempts = attempts
        self.lastAttempt = lastAttempt
        self.finished = finished
    }
}
