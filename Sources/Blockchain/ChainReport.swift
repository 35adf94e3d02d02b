/// Per-block validation results. Jeiwan's `Validate()` only answers `PoW: true/false`; these verdicts
/// itemize the three independent ways a block can be wrong.
public enum BlockProblem: Codable, Equatable, Sendable {
    /// Stored `Hash` != sha256(prepareData(stored Nonce)): a field changed after mining (Jeiwan never checks this).
    case hashMismatch(stored: [UInt8], computed: [UInt8])
    /// The recomputed hash does not meet the block's target: Jeiwan `Validate()` returns false.
    case proofOfWork(computed: [UInt8], targetBits: Int)
    /// `PrevBlockHash` != the previous block's STORED `Hash` (genesis: must be empty). Jeiwan never checks links.
    case prevLink(expected: [UInt8], found: [UInt8])

    public var code: String {
        switch self {
        case .hashMismatch: return "hash-mismatch"
        case .proofOfWork: return "proof-of-work"
        case .prevLink: return "prev-link"
        }
    }
}

public struct BlockVerdict: Equatable, Sendable {
    public var index: Int
    /// In the order hash-mismatch, proof-of-work, prev-link.
    public var problems: [BlockProblem]
    public var valid: Bool { problems.isEmpty }

    public init(index: Int, problems: [BlockProblem]) {
        self.index = index
        self.problems = problems
    }
}

public struct ChainReport: Equatable, Sendable {
    public var blocks: [BlockVerdict]
    /// True when every block is valid (an empty chain is valid).
    public var valid: Bool { blocks.allSatisfy(\.valid) }
    public var firstInvalid: Int? { blocks.first(where: { !$0.valid })?.index }

    public init(blocks: [BlockVerdict]) {
        self.blocks = blocks
    }
}
