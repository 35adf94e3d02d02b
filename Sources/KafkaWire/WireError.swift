/// Every failure of the wire layer. Decoders never trap on hostile input; they throw this.
public struct WireError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Fewer bytes remain than the field needs.
        case truncated(needed: Int, available: Int)
        /// A length or count field is negative where no null (-1) is allowed.
        case negativeLength(Int)
        /// A length, count or frame size exceeds the configured limit (or what the input can hold).
        case lengthAboveLimit(Int, limit: Int)
        /// A string's bytes are not valid UTF-8.
        case invalidUTF8
        /// Bytes remain after a complete message.
        case trailingBytes(Int)
        /// An (unsigned) varint/varlong longer than 5/10 bytes.
        case varintTooLong
        /// The (api_key, api_version) pair is not implemented (see `KafkaAPI.supported`).
        case unsupportedVersion(apiKey: Int16, apiVersion: Int16)
        /// Record batch magic byte other than 2.
        case invalidMagic(Int8)
        /// Stored CRC-32C differs from the computed one.
        case crcMismatch(stored: UInt32, computed: UInt32)
        /// A record blob ends with an incomplete batch (only tolerated in fetch responses).
        case partialBatch(available: Int, needed: Int)
        /// Record batch compressed with a codec this module cannot decode (1 gzip ... 4 zstd).
        case unsupportedCompression(Int)
        /// A structurally invalid record batch or record (message explains).
        case invalidRecord(String)
    }

    public let reason: Reason
    /// Byte offset (within the buffer being read) where the problem was found.
    public let offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        switch reason {
        case let .truncated(needed, available): return "truncated at \(offset): need \(needed) bytes, \(available) available"
        case let .negativeLength(n): return "negative length \(n) at \(offset)"
        case let .lengthAboveLimit(n, limit): return "length \(n) above limit \(limit) at \(offset)"
        case .invalidUTF8: return "invalid UTF-8 at \(offset)"
        case let .trailingBytes(n): return "\(n) trailing bytes at \(offset)"
        case .varintTooLong: return "varint too long at \(offset)"
        case let .unsupportedVersion(k, v): return "unsupported api key \(k) version \(v)"
        case let .invalidMagic(m): return "record batch magic \(m) (only 2 supported) at \(offset)"
        case let .crcMismatch(s, c): return "CRC-32C mismatch at \(offset): stored \(hex32(s)), computed \(hex32(c))"
        case let .partialBatch(a, n): return "partial record batch at \(offset): \(a) of \(n) bytes"
        case let .unsupportedCompression(c): return "unsupported compression codec \(c) at \(offset)"
        case let .invalidRecord(m): return "invalid record at \(offset): \(m)"
        }
    }
}

@inline(__always)
func hex32(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}
