import Testing
@testable import Blockchain

// MARK: - Helpers

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var s = ""
    for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 0x0F)]) }
    return s
}

private func bytes(_ hex: String) -> [UInt8] {
    let chars = Array(hex.utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 1 < chars.count {
        out.append(UInt8(String(decoding: chars[i..<(i + 2)], as: UTF8.self), radix: 16) ?? 0)
        i += 2
    }
    return out
}

// MARK: - RIPEMD-160

/// Source: RIPEMD-160 home page, A. Bosselaers,
/// https://homes.esat.kuleuven.be/~bosselae/ripemd160.html ("test values"), also
/// Dobbertin/Bosselaers/Preneel, "RIPEMD-160: A Strengthened Version of RIPEMD", Appendix.
/// Cross-checked locally with Python hashlib.new('ripemd160').
private let ripemdVectors: [(String, String)] = [
    ("", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
    ("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
    ("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    ("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
    ("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189"),
    (String(repeating: "1234567890", count: 8), "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
]

@Test("RIPEMD-160 Bosselaers test vectors", arguments: ripemdVectors.indices)
func ripemd160Vectors(_ index: Int) {
    let (message, digest) = ripemdVectors[index]
    #expect(hex(RIPEMD160.hash(Array(message.utf8))) == digest, "message: \(message)")
}

/// Source: RIPEMD-160 home page (Bosselaers), "1 million times 'a'".
@Test("RIPEMD-160 million 'a'")
func ripemd160MillionA() {
    let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(hex(RIPEMD160.hash(input)) == "52783243c1697bdbe16d37f97f68f08325dc1528")
}

@Test("RIPEMD-160 digest length across padding boundaries")
func ripemd160Lengths() {
    for n in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
        #expect(RIPEMD160.hash([UInt8](repeating: 0x61, count: n)).count == 20)
    }
}

// MARK: - Base58

/// Source: Bitcoin Core src/test/data/base58_encode_decode.json (all 12 cases).
private let base58Vectors: [(String, String)] = [
    ("", ""),
    ("61", "2g"),
    ("626262", "a3gV"),
    ("636363", "aPEr"),
    ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
    ("516b6fcd0f", "ABnLTmg"),
    ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
    ("572e4794", "3EFU7m"),
    ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
    ("10c8511e", "Rt5zm"),
    ("00000000000000000000", "1111111111"),
]

@Test("Base58 Bitcoin Core encode/decode vectors", arguments: base58Vectors.indices)
func base58Vectors(_ index: Int) throws {
    let (hexBytes, text) = base58Vectors[index]
    #expect(Base58.encode(bytes(hexBytes)) == text)
    #expect(hex(try Base58.decode(text)) == hexBytes)
}

/// Regression for Jeiwan/blockchain_go issue #7 (reference §1.9 row 1): every leading 0x00
/// must become one leading "1" (master turned [0,0,1] into "12"; correct is "112").
@Test("Base58 leading zeros round trip (0–5 zero bytes)", arguments: 0...5)
func base58LeadingZeros(_ zeros: Int) throws {
    let withOne = [UInt8](repeating: 0, count: zeros) + [1]
    let encoded = Base58.encode(withOne)
    #expect(encoded == String(repeating: "1", count: zeros) + "2")
    #expect(try Base58.decode(encoded) == withOne)

    let onlyZeros = [UInt8](repeating: 0, count: zeros)
    #expect(Base58.encode(onlyZeros) == String(repeating: "1", count: zeros))
    #expect(try Base58.decode(String(repeating: "1", count: zeros)) == onlyZeros)

    let mixed = [UInt8](repeating: 0, count: zeros) + [0xFF, 0x00, 0x10]
    #expect(try Base58.decode(Base58.encode(mixed)) == mixed)
}

@Test("Base58 issue #7 example: [0,0,1] ↔ \"112\"")
func base58Issue7() throws {
    #expect(Base58.encode([0, 0, 1]) == "112")
    #expect(try Base58.decode("112") == [0, 0, 1])
}

@Test("Base58 bad characters name the character and its position")
func base58BadCharacter() {
    for (text, bad, position) in [("0", "0", 0), ("abO", "O", 2), ("1I", "I", 1), ("2gl", "l", 2), ("a b", " ", 1), ("1é", "é", 1)] {
        #expect(throws: Base58Error(message: "invalid Base58 character '\(bad)' at position \(position)")) {
            try Base58.decode(text)
        }
    }
}

@Test("Base58 round trips arbitrary bytes")
func base58RoundTrip() throws {
    var state: UInt32 = 12345
    for length in 0..<70 {
        var data: [UInt8] = []
        for _ in 0..<length {
            state = state &* 1_103_515_245 &+ 12345
            data.append(UInt8(truncatingIfNeeded: state >> 16))
        }
        #expect(try Base58.decode(Base58.encode(data)) == data)
    }
}

// MARK: - Base58Check

/// Source: Bitcoin genesis block coinbase output (block 0), address
/// 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, hash160 62e907b15cbf27d5425399ebf6f0fb50ebb88f18
/// (en.bitcoin.it/wiki/Genesis_block). Re-derived locally with Python hashlib.
@Test("Base58Check genesis coinbase address")
func base58CheckGenesis() throws {
    let hash160 = bytes("62e907b15cbf27d5425399ebf6f0fb50ebb88f18")
    #expect(Base58.checkEncode(version: 0, payload: hash160) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    let decoded = try Base58.checkDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    #expect(decoded.version == 0)
    #expect(decoded.payload == hash160)
}

@Test("Base58Check bad checksum is an error")
func base58CheckBadChecksum() {
    // Last character changed: a → b.
    #expect(throws: Base58Error(message: "Base58Check checksum mismatch")) {
        try Base58.checkDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
    }
    // Payload character changed.
    #expect(throws: Base58Error(message: "Base58Check checksum mismatch")) {
        try Base58.checkDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa".replacingFirst("z", with: "y"))
    }
}

@Test("Base58Check rejects too-short input and bad characters")
func base58CheckShortAndBadChar() {
    #expect(throws: Base58Error.self) { try Base58.checkDecode("") }
    #expect(throws: Base58Error.self) { try Base58.checkDecode("1111") }
    #expect(throws: Base58Error(message: "invalid Base58 character '0' at position 1")) {
        try Base58.checkDecode("10zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    }
}

@Test("Base58Check round trips versions and payloads with leading zeros")
func base58CheckRoundTrip() throws {
    for version in [UInt8(0), 5, 0x6F, 0x80, 0xFF] {
        for payload in [[], [0], [0, 0, 7], [UInt8](repeating: 0xAB, count: 20)] as [[UInt8]] {
            let text = Base58.checkEncode(version: version, payload: payload)
            let decoded = try Base58.checkDecode(text)
            #expect(decoded.version == version)
            #expect(decoded.payload == payload)
        }
    }
}

// MARK: - Address

/// Source: uncompressed secp256k1 public key of private key 1 (the generator point G, SEC 2
/// §2.4.1); its address 1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm is the well-known "private key 1"
/// address. hash160 91b24bf9…28a5 computed locally with Python hashlib (sha256 then ripemd160).
@Test("Address of secp256k1 private key 1 (uncompressed)")
func addressPrivateKeyOne() throws {
    let pubKey = bytes(
        "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
    #expect(pubKey.count == 65)
    #expect(hex(Address.publicKeyHash(pubKey)) == "91b24bf9f5288532960ac687abb035127b1d28a5")
    let address = Address.from(publicKey: pubKey)
    #expect(address == "1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm")
    #expect(Address.validate(address))
    #expect(hex(try Address.publicKeyHash(of: address)) == "91b24bf9f5288532960ac687abb035127b1d28a5")
}

/// Jeiwan-shaped 64-byte X‖Y key (bytes 0…63); expected values computed with Python hashlib.
@Test("Address of a 64-byte X||Y public key (Jeiwan shape)")
func addressJeiwanShape() throws {
    let pubKey = (0..<64).map { UInt8($0) }
    #expect(hex(Address.publicKeyHash(pubKey)) == "dd21d9434f79e153b82e7d204ea5279200d0d022")
    #expect(Address.from(publicKey: pubKey) == "1MAEtF3zxaH1zLA79giRhri1fsZATvasD6")
    #expect(try Address.publicKeyHash(of: Address.from(publicKey: pubKey)) == Address.publicKeyHash(pubKey))
}

@Test("Address.validate accepts genesis, rejects corrupted / wrong version / wrong length")
func addressValidate() {
    #expect(Address.validate("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"))
    #expect(!Address.validate("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"))   // checksum
    #expect(!Address.validate("0A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"))   // bad character
    #expect(!Address.validate(""))
    let p2sh = Base58.checkEncode(version: 5, payload: [UInt8](repeating: 1, count: 20))
    #expect(!Address.validate(p2sh))                                   // version 5
    let short = Base58.checkEncode(version: 0, payload: [UInt8](repeating: 1, count: 19))
    #expect(!Address.validate(short))                                  // 19-byte hash
}

@Test("Address.publicKeyHash(of:) errors")
func addressPublicKeyHashErrors() {
    #expect(throws: Base58Error(message: "Base58Check checksum mismatch")) {
        try Address.publicKeyHash(of: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
    }
    #expect(throws: Base58Error(message: "unexpected address version 5, expected 0")) {
        try Address.publicKeyHash(of: Base58.checkEncode(version: 5, payload: [UInt8](repeating: 1, count: 20)))
    }
}

private extension String {
    func replacingFirst(_ target: Character, with replacement: Character) -> String {
        guard let i = firstIndex(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(i...i, with: String(replacement))
        return copy
    }
}
