import Testing
@testable import Blockchain

/// Independent vectors: every expected value below was computed by `Tests/BlockchainTests/vectors.py`
/// (Python 3 hashlib, a separate re-implementation of Jeiwan part 2 `prepareData`/`Run()`; run it to
/// reprint them). Source of the rules: Jeiwan/blockchain_go branch part_2 `proofofwork.go`, and
/// shared/reference/blockchain.md §1.2.
struct VectorTests {
    // Goal: genesis mining matches Python's first valid nonce and hash at 8, 12 and 16 bits; method: reset + mineToCompletion.
    @Test(arguments: [
        (8, Int64(8), "00a8e2a91e67311f9725bd4e645470ac0b6a484714d8c99bf4d65b58d2e3a126"),
        (12, Int64(3086), "000a455f12948edadc08948e0fd157902a22ad41c31ed44168ec1c51e6e5aae4"),
        (16, Int64(295_214), "00007bb9782762c457496d1e3ad7af24c3b3e7b8d0d5d8071be17a0e6f6d8d5e"),
    ])
    func genesisFirstValidNonce(bits: Int, nonce: Int64, hash: String) throws {
        var chain = Chain(targetBits: bits)
        try chain.reset(targetBits: bits, timestamp: Fixture.ts0)
        let summary = try chain.mineToCompletion(maxAttempts: Fixture.generous)
        let genesis = try #require(chain.blocks.first)
        #expect(genesis.nonce == nonce)
        #expect(ProofOfWork.hex(genesis.hash) == hash)
        #expect(genesis.prevBlockHash.isEmpty)
        #expect(genesis.data == Array("Genesis Block".utf8))
        #expect(summary.attempts == nonce + 1)
        #expect(summary.blocksMined == [0])
    }

    // Goal: blocks on top of the 16-bit genesis match Python (prev = genesis hash, 32 bytes); method: beginMining twice.
    @Test func blocksOnTopMatchPython() throws {
        let chain = try Fixture.threeBlocks(bits: 16)
        #expect(chain.blocks.map(\.nonce) == [295_214, 30_812, 7_866])
        #expect(chain.blocks.map { ProofOfWork.hex($0.hash) } == [
            "00007bb9782762c457496d1e3ad7af24c3b3e7b8d0d5d8071be17a0e6f6d8d5e",
            "0000ce8783c78e7beecc18bd0f73fe45ed0b042ac8a6526dee918951a5501571",
            "00008d908f0ebe3f1de75bbdef1e200e1050e63460b5524560c6bac7c24d2a42",
        ])
        #expect(chain.validate().valid)
        #expect(chain.checkInvariants().isEmpty)
    }

    // Goal: the exact 37 bytes hashed for the genesis at nonce 0 / 24 bits and their SHA-256 match Python; method: direct call.
    @Test func genesisPrepareDataBytes() {
        let bytesHashed = ProofOfWork.prepareData(prevBlockHash: [], data: Chain.genesisData, timestamp: Fixture.ts0,
                                                  targetBits: 24, nonce: 0)
        #expect(ProofOfWork.hex(bytesHashed)
                == "47656e6573697320426c6f636b00000000495fab2900000000000000180000000000000000")
        #expect(ProofOfWork.hex(ProofOfWork.sha256(bytesHashed))
                == "009c3f61a638237986ef67a32ae4fabe629fa6bb42e6f4cf92a1e2aa5d6fdea0")
    }

    // Goal: part 1 SetHash (decimal-ASCII timestamp, no nonce) matches Python; method: BasicPrototype.setHash.
    @Test func part1SetHash() {
        let hash = BasicPrototype.setHash(prevBlockHash: [], data: Chain.genesisData, timestamp: Fixture.ts0)
        #expect(ProofOfWork.hex(hash) == "6d38a90ed64c4c8859f674e21a749b8dac14fc559f570e5c5b713483b3d19127")
    }

    // Goal: SHA-256 itself is right on the FIPS 180-2 "abc" and empty-string vectors; method: direct call.
    @Test func sha256KnownAnswers() {
        #expect(ProofOfWork.hex(ProofOfWork.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ProofOfWork.hex(ProofOfWork.sha256([]))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
