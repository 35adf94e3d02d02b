import Crypto

/// Error thrown by `Base58` decoding and by `Address.publicKeyHash(of:)`.
public struct Base58Error: Error, Equatable, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
}

/// Base58 and Base58Check with the Bitcoin alphabet.
///
/// Leading zero bytes are handled per Bitcoin Core: every leading 0x00 byte becomes one
/// leading "1" and vice versa (fixes Jeiwan issue #7, where only one was kept).
public enum Base58 {
    /// `123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz` (no 0, O, I, l).
    public static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// ASCII value → digit value, or -1.
    private static let digitOf: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // Base-58 digits, least significant first.
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var out = [UInt8](repeating: alphabet[0], count: zeros)
        out.reserveCapacity(zeros + digits.count)
        for d in digits.reversed() { out.append(alphabet[Int(d)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes Base58 text. Throws on any character outside the alphabet, naming it and its
    /// 0-based position (counted in characters). "" decodes to [].
    public static func decode(_ text: String) throws(Base58Error) -> [UInt8] {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for (position, character) in text.enumerated() {
            guard let ascii = character.asciiValue, digitOf[Int(ascii)] >= 0 else {
                throw Base58Error(message: "invalid Base58 character '\(character)' at position \(position)")
            }
            values.append(UInt8(digitOf[Int(ascii)]))
        }
        let ones = values.prefix(while: { $0 == 0 }).count
        // Base-256 bytes, least significant first.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 733 / 1000 + 1)
        for value in values[ones...] {
            var carry = Int(value)
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }

    /// First 4 bytes of SHA256(SHA256(data)).
    static func checksum(_ data: [UInt8]) -> [UInt8] {
        let first = SHA256.hash(data: data)
        let second = SHA256.hash(data: Array(first))
        return Array(Array(second).prefix(4))
    }

    /// Base58(version ‖ payload ‖ checksum(version ‖ payload)).
    public static func checkEncode(version: UInt8, payload: [UInt8]) -> String {
        let body = [version] + payload
        return encode(body + checksum(body))
    }

    /// Inverse of `checkEncode`. Throws on bad characters, input shorter than
    /// version + checksum (5 bytes), or checksum mismatch.
    public static func checkDecode(_ text: String) throws(Base58Error) -> (version: UInt8, payload: [UInt8]) {
        let raw = try decode(text)
        guard raw.count >= 5 else {
            throw Base58Error(message: "Base58Check data too short: \(raw.count) bytes, need at least 5")
        }
        let body = Array(raw[..<(raw.count - 4)])
        let given = Array(raw[(raw.count - 4)...])
        guard checksum(body) == given else {
            throw Base58Error(message: "Base58Check checksum mismatch")
        }
        return (version: body[0], payload: Array(body[1...]))
    }
}
