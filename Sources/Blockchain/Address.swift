import Crypto

/// Jeiwan-style (blockchain_go) wallet addresses: Base58Check(0x00 ‖ RIPEMD160(SHA256(pubkey))).
public enum Address {
    public static let version: UInt8 = 0x00
    /// Length of a public-key hash (RIPEMD-160 output).
    public static let publicKeyHashLength = 20

    /// Jeiwan's HashPubKey: RIPEMD160(SHA256(publicKey)) where publicKey is X||Y (64 bytes) of a
    /// P-256 key, as the tutorial builds it. Any byte string is accepted and hashed as-is.
    public static func publicKeyHash(_ publicKey: [UInt8]) -> [UInt8] {
        RIPEMD160.hash(Array(SHA256.hash(data: publicKey)))
    }

    /// Base58Check(version 0x00, publicKeyHash(publicKey)).
    public static func from(publicKey: [UInt8]) -> String {
        Base58.checkEncode(version: version, payload: publicKeyHash(publicKey))
    }

    /// ValidateAddress: the checksum must match. Stricter than Jeiwan's (which only recomputes
    /// the checksum): also requires version 0x00 and a 20-byte hash.
    public static func validate(_ address: String) -> Bool {
        (try? publicKeyHash(of: address)) != nil
    }

    /// The 20-byte public-key hash inside an address (Jeiwan's `[1 : len−4]` slice used by
    /// `TXOutput.Lock`), after checking characters, checksum, version and length.
    public static func publicKeyHash(of address: String) throws(Base58Error) -> [UInt8] {
        let decoded = try Base58.checkDecode(address)
        guard decoded.version == version else {
            throw Base58Error(message: "unexpected address version \(decoded.version), expected \(version)")
        }
        guard decoded.payload.count == publicKeyHashLength else {
            throw Base58Error(
                message: "public-key hash is \(decoded.payload.count) bytes, expected \(publicKeyHashLength)")
        }
        return decoded.payload
    }
}
