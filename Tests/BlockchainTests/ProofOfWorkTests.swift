import Testing
@testable import Blockchain

/// Byte layout and target arithmetic of Jeiwan part 2 (`proofofwork.go`, `utils.go` IntToHex;
/// shared/reference/blockchain.md §1.2).
struct ProofOfWorkTests {
    // Goal: target(24) equals the blog's printed target and its padded comparison line; method: compare with both literals.
    // Source: Jeiwan blog part 2 ("The hexadecimal representation of target is 0x1000…0 And it occupies 29 bytes",
    // followed by the line 0000010000…0 aligned under two hashes). The printed value has 59 hex digits: one 0x01 byte
    // followed by 29 zero bytes (2^232), i.e. 30 significant bytes; the blog's "29 bytes" counts the zero bytes.
    @Test func target24MatchesBlog() {
        let printed = "10000000000000000000000000000000000000000000000000000000000"   // blog, part 2
        #expect(printed.count == 59)
        let target = ProofOfWork.target(bits: 24)
        #expect(target.count == 32)
        #expect(ProofOfWork.hex(target) == String(repeating: "0", count: 64 - printed.count) + printed)
        #expect(ProofOfWork.hex(target) == "0000010000000000000000000000000000000000000000000000000000000000")
        #expect(target == [0, 0, 1] + [UInt8](repeating: 0, count: 29))   // 0x01 then the blog's 29 bytes of zeros
        #expect(target.drop(while: { $0 == 0 }).count == 30)
    }

    // Goal: target's single 1-bit sits at 256-bits for every valid width, saturating outside; method: sweep.
    @Test func targetAllBits() {
        for bits in ProofOfWork.validTargetBits {
            let t = ProofOfWork.target(bits: bits)
            #expect(t.count == 32)
            #expect(t.reduce(0) { $0 + $1.nonzeroBitCount } == 1)
            #expect(ProofOfWork.leadingZeroBits(t) == bits - 1)
        }
        #expect(ProofOfWork.target(bits: 256) == [UInt8](repeating: 0, count: 31) + [1])
        #expect(ProofOfWork.target(bits: 0) == [UInt8](repeating: 0xff, count: 32))
        #expect(ProofOfWork.target(bits: 300) == [UInt8](repeating: 0, count: 32))
    }

    // Goal: meets() is the strict big-endian `hash < target` comparison; method: values just below/at the target.
    @Test func meetsIsStrict() {
        let target = ProofOfWork.target(bits: 24)
        #expect(!ProofOfWork.meets(hash: target, targetBits: 24))              // equal is not below
        let below = [0, 0, 0] + [UInt8](repeating: 0xff, count: 29)
        #expect(ProofOfWork.meets(hash: below, targetBits: 24))
        #expect(!ProofOfWork.meets(hash: [0, 0, 1] + [UInt8](repeating: 0, count: 28) + [1], targetBits: 24))
        #expect(ProofOfWork.meets(hash: [UInt8](repeating: 0, count: 32), targetBits: 255))
        #expect(!ProofOfWork.meets(hash: [UInt8](repeating: 0xff, count: 32), targetBits: 1))
        #expect(ProofOfWork.meets(hash: [0x7f] + [UInt8](repeating: 0xff, count: 31), targetBits: 1))
        #expect(ProofOfWork.leadingZeroBits([0, 0x10]) == 11)
        #expect(ProofOfWork.leadingZeroBits([0, 0]) == 16)
    }

    // Goal: prepareData is prev(32) ‖ data ‖ 3×BE64 and fields() names/offsets tile it; method: non-genesis example.
    @Test func prepareDataLayoutAndFields() {
        let prev = [UInt8](0..<32)
        let data = Array("Send 1 BTC to Ivan".utf8)
        let ts: Int64 = 0x0102_0304_0506_0708
        let nonce: Int64 = -2
        let all = ProofOfWork.prepareData(prevBlockHash: prev, data: data, timestamp: ts, targetBits: 24, nonce: nonce)
        #expect(all.count == 32 + data.count + 24)
        #expect(Array(all[0..<32]) == prev)
        #expect(Array(all[32..<50]) == data)
        #expect(Array(all[50..<58]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(all[58..<66]) == [0, 0, 0, 0, 0, 0, 0, 24])
        #expect(Array(all[66..<74]) == [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])   // two's complement, as binary.Write

        let fields = ProofOfWork.fields(prevBlockHash: prev, data: data, timestamp: ts, targetBits: 24, nonce: nonce)
        #expect(fields.map(\.name) == ["PrevBlockHash", "Data", "Timestamp", "TargetBits", "Nonce"])
        #expect(fields.map(\.offset) == [0, 32, 50, 58, 66])
        #expect(fields.flatMap(\.bytes) == all)
        for field in fields {
            #expect(Array(all[field.offset..<field.offset + field.bytes.count]) == field.bytes)
        }
        // Genesis: empty prev, so Data starts at 0 and the message is 24 + 13 = 37 bytes.
        let g = ProofOfWork.fields(prevBlockHash: [], data: Chain.genesisData, timestamp: 1, targetBits: 8, nonce: 0)
        #expect(g.map(\.offset) == [0, 0, 13, 21, 29])
        #expect(g.flatMap(\.bytes).count == 37)
    }

    // Goal: absurd targetBits (as a corrupt save file could hold) never trap and keep meets() monotone; method: extremes.
    @Test func extremeBitsDoNotTrap() {
        let zero = [UInt8](repeating: 0, count: 32)
        let ones = [UInt8](repeating: 0xff, count: 32)
        #expect(ProofOfWork.meets(hash: ones, targetBits: Int.min))
        #expect(ProofOfWork.meets(hash: ones, targetBits: 0))        // target 2^256 exceeds every 32-byte hash
        #expect(!ProofOfWork.meets(hash: zero, targetBits: 257))
        #expect(!ProofOfWork.meets(hash: zero, targetBits: Int.max))
        #expect(ProofOfWork.meets(hash: zero, targetBits: 256))      // 0 < 1
        #expect(ProofOfWork.target(bits: Int.min) == ones)
        #expect(ProofOfWork.target(bits: Int.max) == zero)
    }

    // Goal: hex is lowercase, two digits per byte; method: fixed bytes.
    @Test func hexLowercase() {
        #expect(ProofOfWork.hex([0x00, 0xab, 0x0f, 0xff]) == "00ab0fff")
        #expect(ProofOfWork.hex([]) == "")
    }
}
