import Testing
@testable import Blockchain

/// NonceSearch (libcrypto midstate + parallel chunks) against the plain definition:
/// hash = ProofOfWork.sha256(prepareData(nonce)) via swift-crypto, winner = first nonce meeting the target.
struct NonceSearchTests {
    static let nonces: [Int64] = [0, 1, 255, 256, 65_535, 1 << 32, 0x0102_0304_0506_0708, Int64.max - 1]

    // Goal: midstate hashes equal swift-crypto for every message length 24…200 (genesis, empty prev) and
    // 56…232 (32-byte prev), i.e. nonce in 1 or 2 tail blocks and straddling a block boundary; method: digest(nonce:).
    @Test(arguments: [0, 32])
    func hashesMatchSwiftCryptoForEveryLength(prevCount: Int) {
        for dataCount in 0...176 {
            let job = MiningJob(blockIndex: 0, data: (0..<dataCount).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) },
                                timestamp: Fixture.ts0, prevBlockHash: [UInt8](repeating: 0xa5, count: prevCount), targetBits: 24)
            let search = NonceSearch(job: job)
            for nonce in Self.nonces {
                #expect(search.digest(nonce: nonce) == ProofOfWork.sha256(job.prepareData(nonce: nonce)),
                        "message \(prevCount + dataCount + 24) bytes, nonce \(nonce)")
            }
        }
    }

    // Goal: the first winner, tried, last hash and leading zeros equal a naive swift-crypto loop; method: many
    // (start, limit) windows at 8 bits (a winner every ~256 nonces), lengths 37 and 88.
    @Test(arguments: [0, 51])
    func sequentialMatchesNaiveLoop(dataCount: Int) {
        let job = MiningJob(blockIndex: 1, data: [UInt8](repeating: 0x11, count: dataCount), timestamp: Fixture.ts0,
                            prevBlockHash: dataCount == 0 ? [] : [UInt8](repeating: 0x22, count: 32), targetBits: 8)
        let search = NonceSearch(job: job)
        for start in stride(from: Int64(0), to: 3_000, by: 97) {
            for limit: Int64 in [1, 2, 50, 300, 1_000] {
                #expect(search.run(from: start, limit: limit, threads: 1) == naive(job, start: start, limit: limit))
            }
        }
    }

    // Goal: any thread count gives the 1-thread Outcome, with winners on both sides of chunk boundaries and
    // limits cutting inside a chunk; method: at 20 bits find the first winner w from 0, then place starts so that
    // w sits at offsets k·65536 + {-1, 0, 1} of the range, with limits ending before, at and after w.
    @Test(arguments: [2, 3, 8])
    func parallelEqualsSequential(threads: Int) throws {
        let chunk = NonceSearch.chunkSize
        let job = MiningJob(blockIndex: 0, data: Chain.genesisData, timestamp: Fixture.ts0, prevBlockHash: [], targetBits: 20)
        let search = NonceSearch(job: job)
        let first = search.run(from: 0, limit: 1 << 26, threads: 1)
        try #require(first.found && first.lastNonce > 4 * chunk)
        let winner = first.lastNonce
        for k in Int64(0)...3 {
            for d: Int64 in [-1, 0, 1] {
                let start = winner - (k * chunk + d)
                guard start >= 0 else { continue }
                let toWinner = winner - start + 1
                for limit in [toWinner - 1, toWinner, toWinner + 1, 2 * chunk + 123, 5 * chunk - 7, 1 << 24] where limit > 0 {
                    let parallel = search.run(from: start, limit: limit, threads: threads)
                    #expect(parallel == search.run(from: start, limit: limit, threads: 1), "start \(start) limit \(limit)")
                }
            }
        }
    }

    // Goal: dense winners (8 bits, several per chunk) and ranges with none (255 bits) agree too; method: threads 2 vs 1.
    @Test(arguments: [8, 255])
    func parallelEqualsSequentialDenseAndEmpty(bits: Int) {
        let job = MiningJob(blockIndex: 1, data: [UInt8](repeating: 7, count: 32), timestamp: Fixture.ts0,
                            prevBlockHash: [UInt8](repeating: 9, count: 32), targetBits: bits)
        let search = NonceSearch(job: job)
        for (start, limit): (Int64, Int64) in [(0, 300_000), (65_535, 200_000), (1 << 40, 131_073)] {
            let parallel = search.run(from: start, limit: limit, threads: 2)
            #expect(parallel == search.run(from: start, limit: limit, threads: 1))
            #expect(parallel.found == (bits == 8))
        }
    }

    // Goal: Jeiwan's range ends at Int64.max (exclusive) and bad inputs try nothing; method: edge starts and limits.
    @Test func rangeEdges() {
        let job = MiningJob(blockIndex: 0, data: Chain.genesisData, timestamp: Fixture.ts0, prevBlockHash: [], targetBits: 255)
        let search = NonceSearch(job: job)
        let end = search.run(from: Int64.max - 10, limit: 1_000_000, threads: 2)
        #expect(end.tried == 10 && end.lastNonce == Int64.max - 1 && !end.found)
        #expect(end.lastHash == ProofOfWork.sha256(job.prepareData(nonce: Int64.max - 1)))
        let parallelEnd = search.run(from: Int64.max - 200_000, limit: Int64.max, threads: 2)
        #expect(parallelEnd.tried == 200_000 && parallelEnd.lastNonce == Int64.max - 1 && !parallelEnd.found)
        #expect(search.run(from: Int64.max, limit: 5).tried == 0)
        #expect(search.run(from: -1, limit: 5).tried == 0)
        #expect(search.run(from: 0, limit: 0).tried == 0)
        #expect(search.run(from: 0, limit: -3).tried == 0)
        #expect(search.run(from: 0, limit: 200_000, threads: 0) == search.run(from: 0, limit: 200_000, threads: 1))
    }

    // Goal: the state-word target check agrees with ProofOfWork.meets for absurd decoded targetBits; method: 1 nonce each.
    @Test(arguments: [Int.min, -5, 0, 1, 2, 31, 32, 33, 255, 256, 300, Int.max])
    func targetCheckMatchesMeets(bits: Int) {
        let job = MiningJob(blockIndex: 0, data: Chain.genesisData, timestamp: Fixture.ts0, prevBlockHash: [], targetBits: bits)
        for nonce: Int64 in 0..<40 {
            let outcome = NonceSearch(job: job).run(from: nonce, limit: 1)
            let hash = ProofOfWork.sha256(job.prepareData(nonce: nonce))
            #expect(outcome.found == ProofOfWork.meets(hash: hash, targetBits: bits))
            #expect(outcome.lastLeadingZeroBits == ProofOfWork.leadingZeroBits(hash))
        }
    }

    // Goal: state-word leading zeros equal the byte-wise count, including all-zero words; method: direct call.
    @Test func leadingZeroBitsOfStateWords() {
        #expect(NonceSearch.leadingZeroBits((0, 0, 0, 0, 0, 0, 0, 0)) == 256)
        #expect(NonceSearch.leadingZeroBits((0, 0, 1, 0, 0, 0, 0, 0)) == 95)
        #expect(NonceSearch.leadingZeroBits((0x0080_0000, 0, 0, 0, 0, 0, 0, 0)) == 8)
        #expect(NonceSearch.leadingZeroBits((0, 0, 0, 0, 0, 0, 0, 0x8000_0000)) == 224)
    }

    // Goal: the benchmark reports positive rates; method: very short measurements.
    @Test func hashRateMeasures() {
        #expect(HashRate.job.prepareData(nonce: 0).count == 88)
        for method in HashRate.Method.allCases {
            #expect(HashRate.measure(method, seconds: 0.01) > 0)
        }
    }

    /// Jeiwan's loop, literally: prepareData + swift-crypto per nonce.
    func naive(_ job: MiningJob, start: Int64, limit: Int64) -> NonceSearch.Outcome {
        var nonce = start
        while true {
            let hash = ProofOfWork.sha256(job.prepareData(nonce: nonce))
            let found = ProofOfWork.meets(hash: hash, targetBits: job.targetBits)
            if found || nonce - start + 1 == limit {
                return NonceSearch.Outcome(tried: nonce - start + 1, lastNonce: nonce, lastHash: hash,
                                           lastLeadingZeroBits: ProofOfWork.leadingZeroBits(hash), found: found)
            }
            nonce += 1
        }
    }
}
