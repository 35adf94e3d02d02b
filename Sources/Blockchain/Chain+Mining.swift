/// Jeiwan part 2 `ProofOfWork.Run()`, split into resumable steps:
/// nonce from 0, `+1` per attempt, stop at the first `hash < target` or at `maxNonce = math.MaxInt64`
/// (exclusive), then `Block.Hash = hash[:]`, `Block.Nonce = nonce`. No timestamp refresh, no extra-nonce.
extension Chain {
    /// One proof-of-work attempt with `job.nextNonce`. On success the block is committed (appended, or
    /// replacing `blocks[blockIndex]` when re-mining) and, when re-mining through a later index, the next
    /// job starts for `blockIndex + 1` with prev = the new hash; otherwise `job` becomes nil.
    /// Errors: noMiningJob, nonceSpaceExhausted; blockOutOfRange if a decoded job points outside the chain.
    @discardableResult
    public mutating func tryNextNonce() throws -> MiningAttempt {
        guard let job else { throw ChainError.noMiningJob }
        try checkRunnable(job)
        let search = NonceSearch(job: job)
        let outcome = search.run(from: job.nextNonce, limit: 1)
        // checkRunnable guarantees one nonce is available, so exactly one attempt was made.
        return apply(outcome, to: job) ?? MiningAttempt(blockIndex: job.blockIndex, nonce: job.nextNonce,
                                                        hash: [], leadingZeroBits: 0, found: false)
    }

    /// Runs attempts until the job (and any re-mine continuation) finishes or `maxAttempts` attempts were
    /// made in total, and reports what happened (`finished == false` when the bound stopped it).
    /// Unlike `mineToCompletion`, hitting the bound is not an error: use it to mine in slices.
    /// Errors (state unchanged): noMiningJob, nonceSpaceExhausted, blockOutOfRange (corrupt decoded job).
    public mutating func mine(maxAttempts: Int64) throws -> MiningSummary {
        guard job != nil else { throw ChainError.noMiningJob }
        var work = self                       // committed to `self` only if nothing throws
        var summary = MiningSummary(blocksMined: [], attempts: 0, lastAttempt: nil, finished: false)
        while let current = work.job, summary.attempts < maxAttempts {
            try work.checkRunnable(current)
            // The prepareData buffer and SHA-256 midstate are built once per block, here.
            let search = NonceSearch(job: current)
            let outcome = search.run(from: current.nextNonce, limit: maxAttempts - summary.attempts)
            summary.attempts += outcome.tried
            if let attempt = work.apply(outcome, to: current) {
                summary.lastAttempt = attempt
                if attempt.found { summary.blocksMined.append(attempt.blockIndex) }
            }
        }
        summary.finished = work.job == nil
        self = work
        return summary
    }

    /// Runs attempts until the job (and any re-mine continuation) finishes, at most `maxAttempts` in total.
    /// When the bound is hit it throws `attemptLimitReached` and the chain KEEPS the progress made.
    @discardableResult
    public mutating func mineToCompletion(maxAttempts: Int64) throws -> MiningSummary {
        let summary = try mine(maxAttempts: maxAttempts)
        guard summary.finished else { throw ChainError.attemptLimitReached(attempts: summary.attempts) }
        return summary
    }

    /// Throws unless `job` can make at least one attempt: its block index must be `0...blocks.count`
    /// and its next nonce inside Jeiwan's loop range `0 ..< Int64.max`.
    func checkRunnable(_ job: MiningJob) throws {
        guard job.blockIndex >= 0, job.blockIndex <= blocks.count else {
            throw ChainError.blockOutOfRange(index: job.blockIndex, count: blocks.count)
        }
        guard job.nextNonce >= 0, job.nextNonce < Int64.max else {
            throw ChainError.nonceSpaceExhausted(blockIndex: job.blockIndex)
        }
    }

    /// Records a search outcome in the job; commits the block when a valid nonce was found.
    /// Returns the last attempt, or nil when no nonce was tried.
    mutating func apply(_ outcome: NonceSearch.Outcome, to job: MiningJob) -> MiningAttempt? {
        guard outcome.tried > 0 else { return nil }
        var job = job
        let attempt = MiningAttempt(blockIndex: job.blockIndex, nonce: outcome.lastNonce, hash: outcome.lastHash,
                                    leadingZeroBits: outcome.lastLeadingZeroBits, found: outcome.found)
        job.nextNonce = outcome.lastNonce + 1          // lastNonce < Int64.max (NonceSearch never tries it)
        let (sum, overflow) = job.attempts.addingReportingOverflow(outcome.tried)
        job.attempts = overflow ? Int64.max : sum
        job.lastAttempt = attempt
        if outcome.found {
            commit(job, nonce: outcome.lastNonce, hash: outcome.lastHash)
        } else {
            self.job = job
        }
        return attempt
    }

    /// Jeiwan `NewBlock`: `block.Hash = hash[:]; block.Nonce = nonce`, then append (`AddBlock`),
    /// or replace the block being re-mined and chain on to the next one.
    mutating func commit(_ job: MiningJob, nonce: Int64, hash: [UInt8]) {
        let block = Block(timestamp: job.timestamp, data: job.data, prevBlockHash: job.prevBlockHash,
                          hash: hash, nonce: nonce, targetBits: job.targetBits)
        let index = job.blockIndex
        if index == blocks.count {
            blocks.append(block)
        } else if blocks.indices.contains(index) {
            blocks[index] = block
        }
        self.job = nil
        // Re-mine continuation: the next block now points at the new hash and must be mined again.
        // It uses the chain's targetBits at this moment ("blocks mined from now on").
        if let through = job.remineThrough, index < through, blocks.indices.contains(index + 1) {
            self.job = remineJob(index: index + 1, prevBlockHash: hash, through: through)
        }
    }
}
