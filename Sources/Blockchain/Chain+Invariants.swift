/// Internal-consistency rules that every sequence of public calls preserves (tampering included:
/// it never touches hashes or links). A decoded save file may break them; hosts and tests can check.
extension Chain {
    /// Returns the violated rules, empty when the state is consistent.
    public func checkInvariants() -> [String] {
        var violations: [String] = []
        let range = ProofOfWork.validTargetBits
        if !range.contains(targetBits) {
            violations.append("chain targetBits \(targetBits) outside \(range)")
        }
        // Index being re-mined, if any: only there may a link be stale (its old prev is being replaced).
        let reminingIndex: Int? = job.flatMap { $0.blockIndex < blocks.count ? $0.blockIndex : nil }
        for (i, block) in blocks.enumerated() {
            if block.hash.count != 32 {
                violations.append("block \(i): hash is \(block.hash.count) bytes, not 32")
            }
            if !range.contains(block.targetBits) {
                violations.append("block \(i): targetBits \(block.targetBits) outside \(range)")
            }
            if i == 0 {
                if !block.prevBlockHash.isEmpty {
                    violations.append("block 0: genesis PrevBlockHash must be empty (Jeiwan NewGenesisBlock)")
                }
            } else if block.prevBlockHash != blocks[i - 1].hash, i != reminingIndex {
                violations.append("block \(i): PrevBlockHash differs from block \(i - 1)'s hash outside a re-mine")
            }
        }
        if let job {
            violations.append(contentsOf: jobViolations(job))
        }
        return violations
    }

    private func jobViolations(_ job: MiningJob) -> [String] {
        var v: [String] = []
        let i = job.blockIndex
        guard i >= 0, i <= blocks.count else {
            return ["job.blockIndex \(i) outside 0...\(blocks.count)"]
        }
        if !ProofOfWork.validTargetBits.contains(job.targetBits) {
            v.append("job.targetBits \(job.targetBits) outside \(ProofOfWork.validTargetBits)")
        }
        if job.nextNonce < 0 {
            v.append("job.nextNonce \(job.nextNonce) is negative")
        }
        if job.attempts != job.nextNonce {
            v.append("job.attempts \(job.attempts) != job.nextNonce \(job.nextNonce) (the loop starts at nonce 0)")
        }
        let expectedPrev: [UInt8] = i == 0 ? [] : blocks[i - 1].hash
        if job.prevBlockHash != expectedPrev {
            v.append("job.prevBlockHash is not block \(i - 1)'s hash")
        }
        if i == blocks.count {
            if job.remineThrough != nil {
                v.append("appending job has remineThrough set")
            }
            if i == 0 && job.data != Chain.genesisData {
                v.append("genesis job data is not \"Genesis Block\"")
            }
        } else {
            if let through = job.remineThrough {
                if through < i || through >= blocks.count {
                    v.append("job.remineThrough \(through) outside \(i)..<\(blocks.count)")
                }
            } else {
                v.append("re-mining job (index \(i) < count \(blocks.count)) has no remineThrough")
            }
            if job.data != blocks[i].data || job.timestamp != blocks[i].timestamp {
                v.append("re-mining job data/timestamp differ from block \(i)")
            }
        }
        if let last = job.lastAttempt {
            if last.blockIndex != i { v.append("job.lastAttempt.blockIndex \(last.blockIndex) != \(i)") }
            if last.nonce &+ 1 != job.nextNonce { v.append("job.lastAttempt.nonce is not nextNonce - 1") }
            if last.found { v.append("job.lastAttempt.found is true but the job is still open") }
            if last.hash.count != 32 { v.append("job.lastAttempt.hash is not 32 bytes") }
        } else if job.nextNonce != 0 {
            v.append("job has tried nonces but has no lastAttempt")
        }
        return v
    }
}
