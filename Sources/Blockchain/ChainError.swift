/// Why a `Chain` operation was refused. Jeiwan's code panics (`log.Panic`) or loops forever instead;
/// here every refusal is a value and (except `attemptLimitReached`, see below) leaves the chain unchanged.
public enum ChainError: Error, Equatable, Sendable {
    /// The chain is empty (Jeiwan always starts from `NewGenesisBlock`; here the genesis must be mined first).
    case noGenesis
    /// A block is being mined; Jeiwan's `AddBlock` runs `pow.Run()` to the end before anything else happens.
    case miningInProgress(blockIndex: Int)
    case noMiningJob
    case blockOutOfRange(index: Int, count: Int)
    /// Outside `ProofOfWork.validTargetBits` (1...255).
    case invalidTargetBits(Int)
    /// Jeiwan `for nonce < maxNonce` ended without a valid hash (nonces 0 ..< Int64.max all tried).
    case nonceSpaceExhausted(blockIndex: Int)
    /// `mineToCompletion`'s bound was hit. Unlike the other errors, the chain KEEPS the progress made
    /// (job position, and any block already committed during a re-mine run), so mining can resume.
    case attemptLimitReached(attempts: Int64)
}
