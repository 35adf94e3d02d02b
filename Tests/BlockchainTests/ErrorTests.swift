import Testing
@testable import Blockchain

/// Every throwing path leaves the chain `==` to what it was (hosts rely on it for undo snapshots).
/// The only exception, attemptLimitReached, is covered in MiningTests.attemptLimitKeepsProgress.
struct ErrorTests {
    // Goal: refusals on an empty chain change nothing; method: each call on a copy, compared with ==.
    @Test func emptyChainRefusals() {
        let empty = Chain()
        expectUnchanged(empty, throws: .invalidTargetBits(0)) { try $0.setTargetBits(0) }
        expectUnchanged(empty, throws: .invalidTargetBits(256)) { try $0.setTargetBits(256) }
        expectUnchanged(empty, throws: .invalidTargetBits(-1)) { try $0.reset(targetBits: -1, timestamp: 0) }
        expectUnchanged(empty, throws: .noGenesis) { try $0.beginMining(data: [1], timestamp: 0) }
        expectUnchanged(empty, throws: .noMiningJob) { try $0.tryNextNonce() }
        expectUnchanged(empty, throws: .noMiningJob) { try $0.mineToCompletion(maxAttempts: 10) }
        expectUnchanged(empty, throws: .noMiningJob) { _ = try $0.mine(maxAttempts: 10) }
        expectUnchanged(empty, throws: .blockOutOfRange(index: 0, count: 0)) {
            try $0.tamper(index: 0, data: [1], nonce: nil, timestamp: nil)
        }
        expectUnchanged(empty, throws: .noGenesis) { try $0.beginRemine(from: 0) }
    }

    // Goal: refusals while a job runs change nothing, including the job's progress; method: genesis job after 5 attempts.
    @Test func refusalsDuringJob() throws {
        var chain = Chain()
        try chain.reset(targetBits: 16, timestamp: Fixture.ts0)
        for _ in 0..<5 { try chain.tryNextNonce() }
        expectUnchanged(chain, throws: .miningInProgress(blockIndex: 0)) { try $0.beginMining(data: [1], timestamp: 1) }
        expectUnchanged(chain, throws: .miningInProgress(blockIndex: 0)) {
            try $0.tamper(index: 0, data: [1], nonce: nil, timestamp: nil)
        }
        expectUnchanged(chain, throws: .miningInProgress(blockIndex: 0)) { try $0.beginRemine(from: 0) }
        expectUnchanged(chain, throws: .invalidTargetBits(1000)) { try $0.setTargetBits(1000) }
        expectUnchanged(chain, throws: .invalidTargetBits(0)) { try $0.reset(targetBits: 0, timestamp: 9) }
    }

    // Goal: refusals on a mined chain change nothing; method: bad indexes on a 3-block chain.
    @Test func refusalsOnMinedChain() throws {
        let chain = try Fixture.threeBlocks(bits: 8)
        expectUnchanged(chain, throws: .blockOutOfRange(index: 3, count: 3)) {
            try $0.tamper(index: 3, data: nil, nonce: 1, timestamp: nil)
        }
        expectUnchanged(chain, throws: .blockOutOfRange(index: -1, count: 3)) {
            try $0.tamper(index: -1, data: nil, nonce: 1, timestamp: nil)
        }
        expectUnchanged(chain, throws: .blockOutOfRange(index: 3, count: 3)) { try $0.beginRemine(from: 3) }
        expectUnchanged(chain, throws: .blockOutOfRange(index: Int.min, count: 3)) { try $0.beginRemine(from: Int.min) }
        expectUnchanged(chain, throws: .noMiningJob) { try $0.tryNextNonce() }
        expectUnchanged(chain, throws: .noMiningJob) { try $0.mineToCompletion(maxAttempts: Int64.max) }
        expectUnchanged(chain, throws: .invalidTargetBits(Int.max)) { try $0.setTargetBits(Int.max) }
    }

    // Goal: a corrupt decoded job is refused instead of trapping, and nothing changes; method: JSON job pointing past the chain.
    @Test func corruptDecodedJob() throws {
        let corrupt = try edited(Chain()) { json in
            json["job"] = jobJSON(blockIndex: 5, data: [1], timestamp: 0, prev: [], bits: 8, nextNonce: 0)
        }
        #expect(!corrupt.checkInvariants().isEmpty)
        expectUnchanged(corrupt, throws: .blockOutOfRange(index: 5, count: 0)) { try $0.tryNextNonce() }
        expectUnchanged(corrupt, throws: .blockOutOfRange(index: 5, count: 0)) { try $0.mineToCompletion(maxAttempts: 9) }
        let negative = try edited(Chain()) { json in
            json["job"] = jobJSON(blockIndex: 0, data: Chain.genesisData, timestamp: 0, prev: [], bits: 8, nextNonce: -1)
        }
        expectUnchanged(negative, throws: .nonceSpaceExhausted(blockIndex: 0)) { try $0.tryNextNonce() }
        let extreme = try edited(Chain()) { json in
            json["job"] = jobJSON(blockIndex: 0, data: Chain.genesisData, timestamp: 0, prev: [], bits: Int.min,
                                  nextNonce: Int64.min)
        }
        #expect(!extreme.checkInvariants().isEmpty)
        expectUnchanged(extreme, throws: .nonceSpaceExhausted(blockIndex: 0)) { try $0.mineToCompletion(maxAttempts: 1) }
    }

    // Goal: nonceSpaceExhausted in the middle of a bulk run rolls back the attempts made during that call; method: 255-bit job 3 nonces from the end.
    @Test func exhaustionRollsBack() throws {
        let chain = try edited(Chain(targetBits: 255)) { json in
            json["job"] = jobJSON(blockIndex: 0, data: Chain.genesisData, timestamp: 0, prev: [], bits: 255,
                                  nextNonce: Int64.max - 3)
        }
        expectUnchanged(chain, throws: .nonceSpaceExhausted(blockIndex: 0)) { try $0.mineToCompletion(maxAttempts: 100) }
        var sliced = chain
        let s = try sliced.mine(maxAttempts: 2)         // within the space: fine
        #expect(s.attempts == 2 && !s.finished)
        #expect(sliced.job?.nextNonce == Int64.max - 1)
    }
}
