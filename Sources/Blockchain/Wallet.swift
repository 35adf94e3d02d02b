import Crypto

/// A wallet as Jeiwan's part 5 makes one: an ECDSA key pair on P-256 (Go's elliptic.P256, which
/// swift-crypto implements) whose public key is X‖Y (64 bytes), and the address derived from it.
/// The private key comes from the caller's random source, so a seeded session makes the same keys,
/// and signing is deterministic (RFC 6979), so it makes the same signatures too.
public struct Wallet: Codable, Equatable, Sendable {
    /// The 32-byte private scalar.
    public var privateKey: [UInt8]
    /// X‖Y of the public point, as the tutorial's `append(X.Bytes(), Y.Bytes()...)` builds it.
    public var publicKey: [UInt8]

    public var address: String { Address.from(publicKey: publicKey) }

    /// A new key pair from 32 random bytes; a scalar outside the curve order is drawn again.
    public static func make<R: RandomNumberGenerator>(using random: inout R) -> Wallet {
        while true {
            var raw: [UInt8] = []
            for _ in 0..<4 {
                let word = random.next()
                for shift in stride(from: 56, through: 0, by: -8) { raw.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            }
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) {
                return Wallet(privateKey: raw, publicKey: Array(key.publicKey.rawRepresentation))
            }
        }
    }

    /// Signs a message (the trimmed transaction copy's hash, in part 5) with ECDSA over SHA-256,
    /// returning r‖s (32 bytes each, big-endian). The nonce is RFC 6979's deterministic one
    /// (see `DeterministicECDSA`), not swift-crypto's random one, so the same key and message
    /// always give the same signature and a seeded session replays byte for byte; `verify` (any
    /// ECDSA verifier) accepts it unchanged (RFC 6979 §3.3).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try DeterministicECDSA.sign(message: message, privateKey: privateKey)
    }

    /// Checks an r‖s signature of a message against an X‖Y public key.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? P256.Signing.PublicKey(rawRepresentation: publicKey),
              let sig = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
        return key.isValidSignature(sig, for: message)
    }
}
