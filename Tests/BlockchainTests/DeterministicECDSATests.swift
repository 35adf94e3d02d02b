import Testing
@testable import Blockchain

/// RFC 6979 Appendix A.2.5 ("ECDSA, 256 Bits (Prime Field)", curve NIST P-256): the published key
/// pair, and for SHA-256 the nonce k and signature (r, s) of the messages "sample" and "test".
enum RFC6979P256 {
    /// A.2.5 "private key": x.
    static let x = bytes(hex: "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")
    /// A.2.5 "public key": U = xG, as Ux‖Uy (the wallet's public key layout).
    static let u = bytes(hex: "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                          + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")
    static var wallet: Wallet { Wallet(privateKey: x, publicKey: u) }

    struct Vector: Sendable, CustomTestStringConvertible {
        let message: String
        let k: String
        let r: String
        let s: String
        var testDescription: String { "\"\(message)\" with SHA-256" }
    }

    /// A.2.5 "With SHA-256, message = "sample"" and "With SHA-256, message = "test"".
    static let vectors: [Vector] = [
        Vector(message: "sample",
               k: "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
               r: "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
               s: "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
        Vector(message: "test",
               k: "D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
               r: "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
               s: "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"),
    ]
}

@Suite("Deterministic ECDSA (RFC 6979) on P-256 with SHA-256")
struct DeterministicECDSATests {
    @Test("RFC 6979 A.2.5: k, r and s exactly as published", arguments: RFC6979P256.vectors)
    func publishedVector(_ vector: RFC6979P256.Vector) throws {
        let message = Array(vector.message.utf8)
        let (k, signature) = try DeterministicECDSA.signing(message: message, privateKey: RFC6979P256.x)
        #expect(k == bytes(hex: vector.k))
        #expect(signature == bytes(hex: vector.r + vector.s))
        // Wallet.sign is the same computation, and swift-crypto accepts it for the published U.
        #expect(try RFC6979P256.wallet.sign(message) == signature)
        #expect(Wallet.verify(signature: signature, message: message, publicKey: RFC6979P256.u))
    }

    @Test("RFC 6979 A.2.5: swift-crypto derives the published public key U from x")
    func publishedKeyPair() throws {
        // Wallet.make keeps the first 32 random bytes that form a valid scalar; feed it x.
        var source = FixedBytes(RFC6979P256.x)
        let wallet = Wallet.make(using: &source)
        #expect(wallet.privateKey == RFC6979P256.x)
        #expect(wallet.publicKey == RFC6979P256.u)
    }

    @Test("the same key and message always give the same signature")
    func sameInputsSameSignature() throws {
        var random = TestRandom(state: 6979)
        for _ in 0..<20 {
            let wallet = Wallet.make(using: &random)
            let message = randomBytes(&random, count: Int(random.next() % 100))
            let first = try wallet.sign(message)
            #expect(first.count == 64)
            for _ in 0..<3 { #expect(try wallet.sign(message) == first) }
            // A copy of the wallet (as a replayed session would rebuild it) signs the same.
            let copy = Wallet(privateKey: wallet.privateKey, publicKey: wallet.publicKey)
            #expect(try copy.sign(message) == first)
        }
    }

    @Test("different messages, or different keys, give different signatures")
    func differentInputsDifferentSignatures() throws {
        let wallet = RFC6979P256.wallet
        let messages: [[UInt8]] = [[], [0], [1], Array("sample".utf8), Array("samplf".utf8), Array("test".utf8)]
        let signatures = try messages.map { try wallet.sign($0) }
        #expect(Set(signatures.map { $0.hexString }).count == messages.count)
        // Distinct nonces too: r = (kG).x mod n differs for every message (RFC 6979 §3.2 keys k on h1).
        #expect(Set(signatures.map { Array($0[0..<32]).hexString }).count == messages.count)

        var random = TestRandom(state: 42)
        let other = Wallet.make(using: &random)
        #expect(try other.sign(Array("sample".utf8)) != signatures[3])
    }

    @Test("200 seeded random keys × 4 messages: every signature verifies with Wallet.verify")
    func randomKeysVerify() throws {
        var random = TestRandom(state: 0x5EED_6979)
        for i in 0..<200 {
            let wallet = Wallet.make(using: &random)
            let messages: [[UInt8]] = [
                [],
                Array("tx \(i)".utf8),
                randomBytes(&random, count: 32),                       // a hash-sized message, as Transaction signs
                randomBytes(&random, count: Int(random.next() % 300)),
            ]
            for message in messages {
                let signature = try wallet.sign(message)
                #expect(signature.count == 64)
                #expect(Wallet.verify(signature: signature, message: message, publicKey: wallet.publicKey),
                        "key \(i), message \(message.hexString)")
            }
        }
    }

    @Test("a wrong message, a wrong key or a flipped bit fails verification")
    func wrongInputsFail() throws {
        var random = TestRandom(state: 99)
        let alice = Wallet.make(using: &random)
        let bob = Wallet.make(using: &random)
        let message = Array("Send 1 BTC to Ivan".utf8)
        let signature = try alice.sign(message)
        #expect(Wallet.verify(signature: signature, message: message, publicKey: alice.publicKey))
        #expect(!Wallet.verify(signature: signature, message: Array("Send 2 BTC to Ivan".utf8), publicKey: alice.publicKey))
        #expect(!Wallet.verify(signature: signature, message: message + [0], publicKey: alice.publicKey))
        #expect(!Wallet.verify(signature: signature, message: message, publicKey: bob.publicKey))
        #expect(!Wallet.verify(signature: try bob.sign(message), message: message, publicKey: alice.publicKey))
        for index in [0, 31, 32, 63] {
            var flipped = signature
            flipped[index] ^= 0x01
            #expect(!Wallet.verify(signature: flipped, message: message, publicKey: alice.publicKey))
        }
        // The RFC's "sample" signature is not a signature of "test".
        let sample = RFC6979P256.vectors[0]
        #expect(!Wallet.verify(signature: bytes(hex: sample.r + sample.s), message: Array("test".utf8),
                               publicKey: RFC6979P256.u))
    }

    @Test("a private key outside [1, n-1] or not 32 bytes is refused with a thrown error")
    func invalidPrivateKeys() {
        let n = bytes(hex: "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
        let bad: [[UInt8]] = [[UInt8](repeating: 0, count: 32), n, [UInt8](repeating: 0xFF, count: 32),
                              [], Array(RFC6979P256.x.dropFirst()), RFC6979P256.x + [0]]
        for key in bad {
            #expect(throws: DeterministicECDSA.Failure.invalidPrivateKey) {
                try DeterministicECDSA.sign(message: Array("sample".utf8), privateKey: key)
            }
        }
        // n - 1 is the largest valid scalar.
        var nMinus1 = n
        nMinus1[31] -= 1
        #expect(throws: Never.self) { try DeterministicECDSA.sign(message: [], privateKey: nMinus1) }
    }

    @Test("RFC 6979 §3.2 h.3: the DRBG's successive candidates differ and are 32 bytes")
    func drbgCandidates() {
        var drbg = RFC6979Nonces(keyOctets: RFC6979P256.x, hashOctets: [UInt8](repeating: 0xAB, count: 32))
        var seen: Set<String> = []
        for _ in 0..<8 {
            let t = drbg.next()
            #expect(t.count == 32)
            seen.insert(t.hexString)
        }
        #expect(seen.count == 8)
    }

    @Test("a seeded wallet's signature is pinned: the transcript bytes never change between runs")
    func pinnedSignature() throws {
        var random = TestRandom(state: 7)
        let wallet = Wallet.make(using: &random)
        let signature = try wallet.sign(Array("Send 1 BTC to Ivan".utf8))
        #expect(signature.hexString == Self.pinned)
    }

    @Test("a seeded ledger script run twice gives identical signatures, Merkle roots and block hashes")
    func ledgerReplaysByteForByte() throws {
        func run() throws -> [LedgerBlock] {
            let w = LedgerFixture.wallets(3)
            var ledger = try LedgerFixture.ledger(w)
            try ledger.submit(try ledger.newTransaction(from: w[0], to: w[1].address, amount: 6))
            try ledger.mineBlock(miner: LedgerFixture.pkh(w[0]), timestamp: Fixture.ts0 + 600, maxAttempts: LedgerFixture.limit)
            try ledger.submit(try ledger.newTransaction(from: w[0], to: w[2].address, amount: 3))
            try ledger.submit(try ledger.newTransaction(from: w[1], to: w[2].address, amount: 2))
            try ledger.mineBlock(miner: LedgerFixture.pkh(w[1]), timestamp: Fixture.ts0 + 1200, maxAttempts: LedgerFixture.limit)
            #expect(ledger.validate().allSatisfy { $0.isValid })
            return ledger.mainChain
        }
        let first = try run()
        let second = try run()
        #expect(first.count == 3)
        #expect(first == second)
    }

    /// Computed once by this implementation (its correctness rests on the A.2.5 vectors above);
    /// a change here means seeded transcripts, Merkle roots and block hashes would change too.
    static let pinned = "5f627200958f247e07614cd36a21ac34a30c7e5a3965f7bc6ffc6160263dcfc0"
        + "c55dc094fcf04b081aad8d77d30fa17578b743608ad4f74db6e0d06ba568d29c"
}

/// A random source that replays fixed bytes (big-endian words), for feeding Wallet.make a chosen key.
struct FixedBytes: RandomNumberGenerator {
    var bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func next() -> UInt64 {
        var word: UInt64 = 0
        for _ in 0..<8 {
            word = word << 8 | UInt64(bytes[offset % bytes.count])
            offset += 1
        }
        return word
    }
}

func randomBytes(_ random: inout TestRandom, count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
}

extension Array where Element == UInt8 {
    var hexString: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}
