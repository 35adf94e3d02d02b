import Testing
@testable import Blockchain

/// Stepping and bulk mining follow the same Jeiwan part 2 `Run()` loop (nonce 0, +1, first hash < target).
struct MiningTests {
    // Goal: tryNextNonce stepping reaches exactly the chain mineToCompletion builds; method: step a 12-bit genesis and a block on top.
    @Test func steppingEqualsBulk() throws {
        var bulk = Chain(targetBits: 12)
        try bulk.reset(targetBits: 12, timestamp: Fixture.ts0)
        try bulk.mineToCompletion(maxAttempts: Fixture.generous)
        try bulk.beginMining(data: Fixture.data1, timestamp: Fixture.ts0 + 10)
        try bulk.mineToCompletion(maxAttempts: Fixture.generous)

        var stepped = Chain(targetBits: 12)
        try stepped.reset(targetBits: 12, timestamp: Fixture.ts0)
        var steps: Int64 = 0
        var last: MiningAttempt?
        while stepped.job != nil {
            let attempt = try stepped.tryNextNonce()
            #expect(attempt.nonce == steps)
            #expect(attempt.hash == ProofOfWork.sha256(ProofOfWork.prepareData(
                prevBlockHash: [], data: Chain.genesisData, timestamp: Fixture.ts0, targetBits: 12, nonce: steps)))
            #expect(attempt.leadingZeroBits == ProofOfWork.leadingZeroBits(attempt.hash))
            steps += 1
            last = attempt
        }
        #expect(last?.found == true)
        #expect(steps == stepped.blocks[0].nonce + 1)         // attempts == nonce + 1
        try stepped.beginMining(data: Fixture.data1, timestamp: Fixture.ts0 + 10)
        steps = 0
        while stepped.job != nil {
            try stepped.tryNextNonce()
            steps += 1
            #expect(stepped.job.map { $0.attempts == steps && $0.nextNonce == steps } ?? true)
        }
        #expect(steps == stepped.blocks[1].nonce + 1)
        #expect(stepped == bulk)
    }

    // Goal: mine(maxAttempts:) in slices equals one bulk run and counts attempts exactly; method: 100-attempt slices.
    @Test func slicedMiningEqualsBulk() throws {
        var bulk = Chain()
        try bulk.reset(targetBits: 12, timestamp: Fixture.ts0)
        let one = try bulk.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(one.attempts == 3087)
        #expect(one.lastAttempt?.found == true && one.lastAttempt?.nonce == 3086)

        var sliced = Chain()
        try sliced.reset(targetBits: 12, timestamp: Fixture.ts0)
        var total: Int64 = 0
        var mined: [Int] = []
        while true {
            let s = try sliced.mine(maxAttempts: 100)
            total += s.attempts
            mined += s.blocksMined
            #expect(sliced.checkInvariants().isEmpty)
            if s.finished { break }
            #expect(s.attempts == 100)
            #expect(s.lastAttempt?.nonce == total - 1)
        }
        #expect(total == 3087)
        #expect(mined == [0])
        #expect(sliced == bulk)
    }

    // Goal: hitting mineToCompletion's bound throws attemptLimitReached but keeps progress, and resuming finishes identically; method: 1000-attempt bound on the 16-bit genesis.
    @Test func attemptLimitKeepsProgress() throws {
        var chain = Chain()
        try chain.reset(targetBits: 16, timestamp: Fixture.ts0)
        #expect(throws: ChainError.attemptLimitReached(attempts: 1000)) {
            try chain.mineToCompletion(maxAttempts: 1000)
        }
        #expect(chain.job?.nextNonce == 1000)
        #expect(chain.job?.attempts == 1000)
        #expect(chain.job?.lastAttempt?.nonce == 999)
        #expect(chain.blocks.isEmpty)
        #expect(chain.checkInvariants().isEmpty)
        #expect(throws: ChainError.attemptLimitReached(attempts: 0)) {
            try chain.mineToCompletion(maxAttempts: 0)
        }
        #expect(chain.job?.nextNonce == 1000)
        let rest = try chain.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(rest.attempts == 295_215 - 1000)
        #expect(chain.blocks.first?.nonce == 295_214)
        #expect(chain.job == nil)
    }

    // Goal: setTargetBits affects only blocks mined afterwards; each block hashes its own bits; method: 8-bit genesis then 12-bit block.
    @Test func difficultyIsPerBlock() throws {
        var chain = Chain()
        try chain.reset(targetBits: 8, timestamp: Fixture.ts0)
        try chain.setTargetBits(12)                // the running genesis job keeps 8
        #expect(chain.job?.targetBits == 8)
        try chain.mineToCompletion(maxAttempts: Fixture.generous)
        try chain.beginMining(data: Fixture.data1, timestamp: Fixture.ts0 + 10)
        try chain.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(chain.blocks.map(\.targetBits) == [8, 12])
        #expect(chain.blocks[0].nonce == 8)
        #expect(ProofOfWork.leadingZeroBits(chain.blocks[1].hash) >= 12)
        #expect(chain.validate().valid)
    }

    // Goal: the nonce loop stops before Int64.max (Jeiwan `nonce < maxNonce`) and then refuses; method: decoded job near the end at 255 bits.
    @Test func nonceSpaceEnds() throws {
        var chain = try edited(Chain(targetBits: 255)) { json in
            json["job"] = jobJSON(blockIndex: 0, data: Chain.genesisData, timestamp: 0, prev: [], bits: 255,
                                  nextNonce: Int64.max - 2)
        }
        let a = try chain.tryNextNonce()
        #expect(a.nonce == Int64.max - 2 && !a.found)
        let b = try chain.tryNextNonce()
        #expect(b.nonce == Int64.max - 1 && !b.found)
        #expect(chain.job?.nextNonce == Int64.max)
        expectUnchanged(chain, throws: .nonceSpaceExhausted(blockIndex: 0)) { try $0.tryNextNonce() }
        expectUnchanged(chain, throws: .nonceSpaceExhausted(blockIndex: 0)) { try $0.mineToCompletion(maxAttempts: 10) }
    }
}
