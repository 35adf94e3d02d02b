import Testing
@testable import Blockchain

/// Tampering and repair. Validation = Jeiwan part 2 `Validate()` (PoW) plus the stored-hash and
/// prev-link checks Jeiwan's `printchain` lacks (shared/reference/blockchain.md §1.2, "Gap the workbench can close").
struct TamperTests {
    // Goal: an untouched chain validates; method: 3 blocks at 8 bits.
    @Test func freshChainIsValid() throws {
        let report = try Fixture.threeBlocks(bits: 8).validate()
        #expect(report.valid)
        #expect(report.firstInvalid == nil)
        #expect(report.blocks.map(\.index) == [0, 1, 2])
    }

    // Goal: tampered data gives hash-mismatch (+ proof-of-work when the new hash misses the target) on that block and
    // prev-link on the next block at once (the link is to the previous block's recomputed hash, as in Anders
    // Brownworth's demo where the whole tail turns red), and full repair after re-mining from there;
    // method: tamper block 1, step the re-mine, validate at each stage.
    @Test func tamperThenRemine() throws {
        var chain = try Fixture.threeBlocks(bits: 8)
        let original = chain
        try chain.tamper(index: 1, data: Array("Send 100 BTC to Ivan".utf8), nonce: nil, timestamp: nil)
        #expect(chain.blocks[1].hash == original.blocks[1].hash)       // not re-hashed
        var report = chain.validate()
        let computed = chain.blocks[1].computedHash
        var expected: [BlockProblem] = [.hashMismatch(stored: original.blocks[1].hash, computed: computed)]
        if !ProofOfWork.meets(hash: computed, targetBits: 8) {
            expected.append(.proofOfWork(computed: computed, targetBits: 8))
        }
        #expect(report.blocks[1].problems == expected)
        #expect(report.blocks[1].problems.map(\.code).first == "hash-mismatch")
        #expect(report.blocks[0].valid)
        // Block 2 still names block 1's old hash, but block 1's contents now hash to something else.
        #expect(report.blocks[2].problems == [.prevLink(expected: computed, found: original.blocks[1].hash)])
        #expect(report.firstInvalid == 1)
        #expect(!report.valid)

        let job = try chain.beginRemine(from: 1)
        #expect(job.blockIndex == 1 && job.remineThrough == 2 && job.prevBlockHash == chain.blocks[0].hash)
        while chain.job?.blockIndex == 1 {
            try chain.tryNextNonce()
            #expect(chain.checkInvariants().isEmpty)
        }
        // Block 1 re-mined; block 2 now points at the OLD hash: prev-link.
        report = chain.validate()
        #expect(report.blocks[1].valid)
        #expect(report.blocks[2].problems == [.prevLink(expected: chain.blocks[1].hash, found: original.blocks[1].hash)])
        #expect(report.blocks[2].problems.map(\.code) == ["prev-link"])
        #expect(chain.job?.prevBlockHash == chain.blocks[1].hash)

        let summary = try chain.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(summary.blocksMined == [2])
        #expect(chain.job == nil)
        #expect(chain.validate().valid)
        #expect(chain.blocks[1].data == Array("Send 100 BTC to Ivan".utf8))
        #expect(chain.blocks.map(\.timestamp) == original.blocks.map(\.timestamp))
        #expect(chain.blocks[2].data == original.blocks[2].data)
        #expect(chain.checkInvariants().isEmpty)
    }

    // Goal: nonce-only and timestamp-only tampering are detected as hash-mismatch; method: tamper the genesis each way.
    @Test func tamperNonceAndTimestamp() throws {
        let chain = try Fixture.threeBlocks(bits: 8)
        for (nonce, ts) in [(Int64(12_345), nil), (nil, Fixture.ts0 + 1)] as [(Int64?, Int64?)] {
            var c = chain
            try c.tamper(index: 0, data: nil, nonce: nonce, timestamp: ts)
            let report = c.validate()
            #expect(report.blocks[0].problems.first?.code == "hash-mismatch")
            #expect(report.firstInvalid == 0)
            // The next block names the genesis's old hash (prev-link); the one after is untouched.
            #expect(report.blocks[1].problems.map(\.code) == ["prev-link"])
            #expect(report.blocks[2].valid)
        }
        var same = chain
        try same.tamper(index: 2, data: nil, nonce: nil, timestamp: nil)     // all nil: no change
        #expect(same == chain)
    }

    // Goal: beginRemine + mineToCompletion from the genesis re-mines every block with the current bits; method: 8-bit chain re-mined at 12 bits.
    @Test func remineAllWithNewBits() throws {
        var chain = try Fixture.threeBlocks(bits: 8)
        try chain.tamper(index: 0, data: Array("Genesis Block!".utf8), nonce: nil, timestamp: nil)
        try chain.setTargetBits(12)
        try chain.beginRemine(from: 0)
        #expect(chain.job?.prevBlockHash == [])
        let summary = try chain.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(summary.blocksMined == [0, 1, 2])
        #expect(summary.attempts == chain.blocks.reduce(0) { $0 + $1.nonce + 1 })
        #expect(chain.blocks.map(\.targetBits) == [12, 12, 12])
        #expect(chain.validate().valid)
        #expect(chain.checkInvariants().isEmpty)
    }

    // Goal: re-mining the unchanged last block at the same bits reproduces the identical block; method: beginRemine(from: tip).
    @Test func remineIsDeterministic() throws {
        var chain = try Fixture.threeBlocks(bits: 8)
        let before = chain
        try chain.beginRemine(from: 2)
        let summary = try chain.mineToCompletion(maxAttempts: Fixture.generous)
        #expect(summary.blocksMined == [2])
        #expect(chain == before)
    }

    // Goal: a wrong PoW with a consistent stored hash is reported as proof-of-work only; method: decoded block with too-high bits.
    @Test func proofOfWorkOnly() throws {
        let chain = try Fixture.threeBlocks(bits: 8)
        // Raise block 1's bits and store its honest new hash: the hash matches, but 8-bit work cannot meet 200 bits.
        var block = chain.blocks[1]
        block.targetBits = 200
        block.hash = block.computedHash
        let hashBytes = block.hash.map { Int($0) }
        let bad = try edited(chain) { json in
            var blocks = json["blocks"] as? [[String: Any]] ?? []
            blocks[1]["targetBits"] = 200
            blocks[1]["hash"] = hashBytes
            json["blocks"] = blocks
        }
        let report = bad.validate()
        #expect(report.blocks[1].problems == [.proofOfWork(computed: block.hash, targetBits: 200)])
        #expect(report.blocks[2].problems.map(\.code) == ["prev-link"])
    }
}
